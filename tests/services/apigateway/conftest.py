"""API Gateway test fixtures: clients, Lambda functions to integrate with, and URLs of deployed APIs."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import LambdaService, lambda_zip

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/lambda-role"


@pytest.fixture
def apigw(client: Callable[..., Any]) -> Any:
    return client("apigateway")


@pytest.fixture
def lam(client: Callable[..., Any]) -> Any:
    return client("lambda")


@pytest.fixture
def make_function(lam: Any, aws: Gateway) -> Callable[..., str]:
    """`make_function(name, source)` -> the function's ARN (Python handlers run in-process)."""
    service = aws.registry.get("lambda")
    assert isinstance(service, LambdaService)
    service.set_executor("inprocess")

    def make(name: str, source: str, handler: str = "lambda_function.handler") -> str:
        made = lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler=handler,
                                   Code={"ZipFile": lambda_zip(source)})
        return made["FunctionArn"]

    return make


def lambda_uri(function_arn: str) -> str:
    """API Gateway's invocation URI for a Lambda function."""
    return f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


@pytest.fixture
def url(aws: Gateway) -> Callable[[str, str, str], str]:
    """`url(api_id, stage, path)`: the path form of a deployed API's address (no DNS needed)."""

    def make(api_id: str, stage: str, path: str = "/") -> str:
        return f"{aws.endpoint}/_aws/execute-api/{api_id}/{stage}{path}"

    return make


@pytest.fixture
def issuer() -> Iterator[Any]:
    """A JWT issuer with its JWKS on 127.0.0.1 (stopped after the test)."""
    from .tokens import Issuer

    made = Issuer()
    yield made
    made.stop()


@pytest.fixture
def backend() -> Iterator[str]:
    """A local HTTP server answering with what it received."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.dumps({"method": self.command, "path": self.path, "body": self.rfile.read(length).decode(),
                               "tenant": self.headers.get("X-Tenant")}).encode()
            self.send_response(418 if "teapot" in self.path else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Backend", "yes")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
