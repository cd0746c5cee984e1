"""Cognito user pool fixtures: a client over the gateway, the service, a pool and app clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cognito_idp import CognitoIdpService

PASSWORD = "Passw0rd!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
         "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"]


@pytest.fixture
def idp(client: Callable[..., Any]) -> Any:
    return client("cognito-idp")


@pytest.fixture
def cognito(aws: Gateway) -> CognitoIdpService:
    service = aws.registry.get("cognito-idp")
    assert isinstance(service, CognitoIdpService)
    return service


@pytest.fixture
def pool(idp: Any) -> dict[str, Any]:
    """A pool that signs in by username, verifies email, and keeps the default password policy."""
    return idp.create_user_pool(PoolName="app", AutoVerifiedAttributes=["email"],
                                Schema=[{"Name": "tier", "AttributeDataType": "String"}])["UserPool"]


@pytest.fixture
def app(idp: Any, pool: dict[str, Any]) -> dict[str, Any]:
    """An app client without a secret allowing every flow."""
    return idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web",
                                       ExplicitAuthFlows=FLOWS)["UserPoolClient"]


@pytest.fixture
def make_user(idp: Any, pool: dict[str, Any]) -> Callable[..., str]:
    """`make_user(name, email=...)`: a confirmed user with PASSWORD."""

    def make(name: str, email: str | None = None, **attributes: str) -> str:
        attrs = [{"Name": "email", "Value": email or f"{name}@example.com"}, {"Name": "email_verified", "Value": "true"}]
        attrs += [{"Name": k.replace("__", ":"), "Value": v} for k, v in attributes.items()]
        idp.admin_create_user(UserPoolId=pool["Id"], Username=name, UserAttributes=attrs, MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool["Id"], Username=name, Password=PASSWORD, Permanent=True)
        return name

    return make


def needs_operations(client: Any, *operations: str) -> None:
    """Skip when the installed botocore's model predates these operations (botocore 1.44 added
    sessions, token exchange, recovery, replicas and CIMD policies to cognito-idp)."""
    import botocore

    missing = [op for op in operations if op not in client.meta.service_model.operation_names]
    if missing:
        pytest.skip(f"botocore {botocore.__version__} has no {', '.join(missing)}")


def error_of(exc: Any) -> tuple[str, str]:
    err = exc.value.response["Error"]
    return err["Code"], err["Message"]


class CallableLambda:
    """A `lambda` service whose functions are Python callables of the event (trigger tests that
    need no real function process); an exception is reported as Lambda reports it."""

    name = "lambda"

    def __init__(self) -> None:
        self.functions: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self.events: list[dict[str, Any]] = []

    def actions(self) -> list[Any]:
        from pytest_cloudmock.api import Action

        return [Action("Invoke")]

    def handle_request(self, ctx: Any) -> dict[str, Any]:
        import json

        payload = ctx.params.get("Payload") or b"{}"
        self.events.append(json.loads(payload))  # as sent, before the function changes it
        event = json.loads(payload)
        try:
            result = self.functions[ctx.params["FunctionName"].rsplit(":", 1)[-1]](event)
        except Exception as exc:  # noqa: BLE001 (reported to the caller as Lambda does)
            return {"StatusCode": 200, "FunctionError": "Unhandled",
                    "Payload": json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__}).encode()}
        return {"StatusCode": 200, "Payload": json.dumps(result).encode()}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.events.clear()


@pytest.fixture
def callables(aws: Gateway) -> Any:
    """A test-registered `lambda` service of Python callables, removed after the test."""
    before = aws.registry.snapshot()
    service = aws.registry.register(CallableLambda())
    yield service
    aws.registry.restore(before)


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"
