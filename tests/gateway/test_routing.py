"""The router: service, protocol and operation from what is on the wire."""

from __future__ import annotations

import pytest

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.gateway.router import Router
from pytest_cloudmock.registry import Registry
from pytest_cloudmock.wire import WireRequest

from .widgets import WidgetService


def auth(service: str, region: str = "us-east-1") -> dict[str, str]:
    return {
        "Authorization": f"AWS4-HMAC-SHA256 Credential=AKID/20260101/{region}/{service}/aws4_request, "
        "SignedHeaders=host, Signature=abc"
    }


@pytest.fixture
def router() -> Router:
    registry = Registry()
    for name in ("sqs", "dynamodb", "sts", "s3", "cloudwatch", "ec2", "lambda"):
        registry.register_factory(name, lambda: None)  # type: ignore[arg-type,return-value]
    return Router(registry)


def test_json_by_target(router: Router) -> None:
    req = WireRequest.from_parts(
        "POST", "/", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                      "Content-Type": "application/x-amz-json-1.0", **auth("dynamodb", "eu-west-1")}, b"{}"
    )
    route = router.route(req)
    assert (route.service, route.protocol, route.operation, route.region) == (
        "dynamodb", "json", "ListTables", "eu-west-1"
    )


def test_query_compatible_json_service_answers_query(router: Router) -> None:
    """SQS's model is json, but older SDKs send query: the request's protocol wins."""
    req = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded", **auth("sqs")},
        b"Action=ListQueues&Version=2012-11-05",
    )
    route = router.route(req)
    assert (route.service, route.protocol, route.operation) == ("sqs", "query", "ListQueues")


def test_unsigned_query_action_is_routed(router: Router) -> None:
    req = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"},
        b"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=x",
    )
    route = router.route(req)
    assert (route.service, route.operation) == ("sts", "AssumeRoleWithWebIdentity")
    assert not route.credentials.present


def test_cbor_path(router: Router) -> None:
    req = WireRequest.from_parts(
        "POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics",
        {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", **auth("monitoring")},
    )
    route = router.route(req)
    assert (route.service, route.protocol, route.operation) == (
        "cloudwatch", "smithy-rpc-v2-cbor", "ListMetrics"
    )


def test_presigned_url_credential(router: Router) -> None:
    req = WireRequest.from_parts(
        "GET", "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
        "AKID%2F20260101%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Signature=abc",
    )
    route = router.route(req)
    assert (route.service, route.region, route.credentials.presigned) == ("s3", "eu-central-1", True)


@pytest.mark.parametrize(
    ("host", "path", "expected"),
    [
        ("bucket.s3.localhost:4566", "/key", "/bucket/key"),
        ("my.bucket.s3.us-west-2.localhost", "/a/b", "/my.bucket/a/b"),
        ("bucket.localhost:4566", "/", "/bucket"),
    ],
)
def test_virtual_host_s3(router: Router, host: str, path: str, expected: str) -> None:
    req = WireRequest.from_parts("GET", path, {"Host": host, **auth("s3")})
    route = router.route(req)
    assert route.service == "s3"
    assert route.request.path == expected
    assert req.path == path  # the request as received (and signed) is never changed


def test_service_from_host_without_credentials(router: Router) -> None:
    req = WireRequest.from_parts(
        "POST", "/", {"Host": "sqs.eu-west-2.localhost:4566", "X-Amz-Target": "AmazonSQS.ListQueues",
                      "Content-Type": "application/x-amz-json-1.0"}, b"{}"
    )
    route = router.route(req)
    assert (route.service, route.region) == ("sqs", "eu-west-2")


def test_registered_alias_for_a_service_botocore_does_not_know(router: Router) -> None:
    router.registry.register(WidgetService())
    req = WireRequest.from_parts(
        "POST", "/", {"X-Amz-Target": "MyService_20260101.CreateWidget"}, b"{}"
    )
    route = router.route(req)
    assert (route.service, route.protocol, route.operation, route.model) == (
        "myservice", "json", "CreateWidget", None
    )


@pytest.mark.parametrize(
    ("headers", "body", "code"),
    [
        ({"X-Amz-Target": "NoSuchPrefix_2020.Op"}, b"{}", "UnknownOperationException"),
        ({"X-Amz-Target": "DynamoDB_20120810.NoSuchOp",
          "Content-Type": "application/x-amz-json-1.0"}, b"{}", "UnknownOperationException"),
        ({}, b"", "MissingAuthenticationToken"),
        (auth("nosuchservice"), b"", "UnknownOperationException"),
    ],
)
def test_unroutable_requests_say_what_is_missing(
    router: Router, headers: dict[str, str], body: bytes, code: str
) -> None:
    with pytest.raises(AWSError) as info:
        router.route(WireRequest.from_parts("POST", "/", headers, body))
    assert info.value.code == code
    assert info.value.status in (400, 403)
    assert info.value.message


def test_shared_signing_name_is_told_apart_by_version() -> None:
    """elb and elbv2 both sign as `elasticloadbalancing`; the query Version names the API."""
    registry = Registry()
    for name in ("elb", "elbv2"):
        registry.register_factory(name, lambda: None)  # type: ignore[arg-type,return-value]
    router = Router(registry)
    for version, expected in (("2015-12-01", "elbv2"), ("2012-06-01", "elb")):
        req = WireRequest.from_parts(
            "POST", "/", {"Content-Type": "application/x-www-form-urlencoded",
                          **auth("elasticloadbalancing")},
            f"Action=AddTags&Version={version}".encode(),
        )
        assert router.route(req).service == expected


@pytest.mark.parametrize(("method", "path"), [("GET", "/bucket/key"), ("HEAD", "/bucket")])
def test_unsigned_path_style_reads_go_to_s3(router: Router, method: str, path: str) -> None:
    """Anonymous access (public objects, presigned-less browser reads) is S3's alone."""
    route = router.route(WireRequest.from_parts(method, path))
    assert route.service == "s3"
    assert not route.credentials.present


def test_unsigned_get_of_the_root_is_still_unroutable(router: Router) -> None:
    with pytest.raises(AWSError) as info:
        router.route(WireRequest.from_parts("GET", "/"))
    assert info.value.code == "MissingAuthenticationToken"


@pytest.mark.parametrize("signing_name", ["s3express", "s3-object-lambda"])
def test_builtin_aliases_route_before_the_service_is_first_made(signing_name: str) -> None:
    """A cold gateway: the first request, signed with S3's other names, still finds S3."""
    from pytest_cloudmock.gateway import Gateway

    gw = Gateway()
    assert "s3" not in gw.registry.instantiated()
    req = WireRequest.from_parts("GET", "/", {"Host": "localhost", **auth(signing_name)})
    assert gw.router.route(req).service == "s3"


def test_builtin_aliases_survive_a_registry_restore() -> None:
    from pytest_cloudmock.gateway import Gateway

    gw = Gateway()
    saved = gw.registry.snapshot()
    gw.registry.get("s3")  # made, then the registry goes back to the snapshot
    gw.registry.restore(saved)
    gw.registry.get("s3")
    req = WireRequest.from_parts("GET", "/", {"Host": "localhost", **auth("s3express")})
    assert gw.router.route(req).service == "s3"


class _Published:
    """A service with a public endpoint: answers plain HTTP outside its model."""

    from pytest_cloudmock.api import ServiceProfile as _Profile

    profile = _Profile(unmodelled_operation=lambda r: "ServePage" if r.method == "GET" else None)


def _public_router() -> Router:
    import re

    from pytest_cloudmock.services import PublicEndpoint

    registry = Registry()
    registry.register_factory("apigateway", _Published)  # type: ignore[arg-type]
    registry.register_factory("s3", lambda: None)  # type: ignore[arg-type,return-value]
    return Router(registry, public=(PublicEndpoint(
        "apigateway", host=re.compile(r"^[a-z0-9]+\.execute-api\."), path=re.compile(r"^/_aws/execute-api/"),
    ),))


@pytest.mark.parametrize(("host", "path"), [
    ("abc123.execute-api.localhost:4566", "/prod/apikeys"),  # a user path that looks like an API path
    ("127.0.0.1:4566", "/_aws/execute-api/abc123/prod/items"),
])
def test_public_endpoints_route_unsigned_http_outside_the_model(host: str, path: str) -> None:
    route = _public_router().route(WireRequest.from_parts("GET", path, {"Host": host}))
    assert (route.service, route.operation, route.public) == ("apigateway", "ServePage", True)
    assert route.operation_model is None


def test_a_public_endpoint_only_claims_what_its_service_names() -> None:
    """The service's finder says no (a POST here): routing goes on as for any request."""
    route = _public_router().route(WireRequest.from_parts("GET", "/bucket/key", {"Host": "127.0.0.1:1"}))
    assert (route.service, route.public) == ("s3", False)
    with pytest.raises(AWSError):
        _public_router().route(WireRequest.from_parts("POST", "/_aws/execute-api/x", {"Host": "127.0.0.1"}))
