"""Every protocol family over real sockets with real boto3 clients.

Test-only services (one per protocol, over a real botocore model) answer one
operation and raise one modelled error; botocore must parse both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock import AWSError
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.base import ModelService

from .signed import signed_request


class Tables(ModelService):  # json 1.0
    name = "dynamodb"

    def list_tables(self, ctx):
        return {"TableNames": ["a", "b"], "LastEvaluatedTableName": "b"}

    def describe_table(self, ctx):
        raise AWSError("ResourceNotFoundException", f"Requested resource not found: {ctx.params['TableName']}")

    def put_item(self, ctx):
        raise RuntimeError("boom")  # the error barrier


class Stacks(ModelService):  # query
    name = "cloudformation"

    def describe_stacks(self, ctx):
        raise AWSError("ValidationError", f"Stack with id {ctx.params['StackName']} does not exist")

    def list_stacks(self, ctx):
        return {"StackSummaries": [{"StackName": "s", "StackStatus": "CREATE_COMPLETE",
                                    "CreationTime": "2026-01-01T00:00:00Z"}]}


class Instances(ModelService):  # ec2
    name = "ec2"

    def describe_regions(self, ctx):
        return {"Regions": [{"RegionName": "us-east-1", "Endpoint": "ec2.us-east-1.amazonaws.com"}]}

    def describe_instances(self, ctx):
        raise AWSError("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist")


class Zones(ModelService):  # rest-xml
    name = "route53"

    def list_hosted_zones(self, ctx):
        return {"HostedZones": [{"Id": "/hostedzone/Z1", "Name": "example.com.", "CallerReference": "r"}],
                "Marker": "", "IsTruncated": False, "MaxItems": "100"}

    def get_hosted_zone(self, ctx):
        raise AWSError("NoSuchHostedZone", f"No hosted zone found with ID: {ctx.params['Id']}", 404)


class Functions(ModelService):  # rest-json
    name = "lambda"

    def get_function(self, ctx):
        raise AWSError("ResourceNotFoundException", "Function not found", 404, Type="User")

    def list_functions(self, ctx):
        return {"Functions": [{"FunctionName": "f", "MemorySize": 128}]}


class Metrics(ModelService):  # smithy-rpc-v2-cbor (and json, query)
    name = "cloudwatch"

    def list_metrics(self, ctx):
        return {"Metrics": [{"Namespace": "ns", "MetricName": "m"}]}

    def get_dashboard(self, ctx):
        raise AWSError("ResourceNotFound", "Dashboard does not exist", 404)


SERVICES = [Tables, Stacks, Instances, Zones, Functions, Metrics]


@pytest.fixture
def services(aws: Gateway) -> Iterator[Gateway]:
    saved = aws.registry.snapshot()
    for cls in SERVICES:
        aws.registry.register(cls())
    yield aws
    aws.registry.restore(saved)


def expect_error(call: Callable[[], Any], code: str, status: int) -> ClientError:
    with pytest.raises(ClientError) as info:
        call()
    err = info.value.response
    assert err["Error"]["Code"] == code
    assert err["ResponseMetadata"]["HTTPStatusCode"] == status
    assert err["Error"]["Message"]
    assert err["ResponseMetadata"]["RequestId"]
    return info.value


def test_json(services: Gateway, client) -> None:
    ddb = client("dynamodb")
    assert ddb.list_tables()["TableNames"] == ["a", "b"]
    expect_error(lambda: ddb.describe_table(TableName="t"), "ResourceNotFoundException", 400)


def test_query(services: Gateway, client) -> None:
    cfn = client("cloudformation")
    summary = cfn.list_stacks()["StackSummaries"][0]
    assert summary["StackName"] == "s" and summary["CreationTime"].year == 2026
    expect_error(lambda: cfn.describe_stacks(StackName="x"), "ValidationError", 400)


def test_ec2(services: Gateway, client) -> None:
    ec2 = client("ec2")
    assert ec2.describe_regions()["Regions"][0]["RegionName"] == "us-east-1"
    expect_error(lambda: ec2.describe_instances(InstanceIds=["i-1"]), "InvalidInstanceID.NotFound", 400)


def test_rest_xml(services: Gateway, client) -> None:
    r53 = client("route53")
    assert r53.list_hosted_zones()["HostedZones"][0]["Id"] == "/hostedzone/Z1"
    expect_error(lambda: r53.get_hosted_zone(Id="Z9"), "NoSuchHostedZone", 404)


def test_rest_json(services: Gateway, client) -> None:
    lam = client("lambda")
    assert lam.list_functions()["Functions"][0]["MemorySize"] == 128
    err = expect_error(lambda: lam.get_function(FunctionName="f"), "ResourceNotFoundException", 404)
    assert err.response.get("Type") == "User"


@pytest.fixture(scope="module")
def cbor_models(tmp_path_factory: pytest.TempPathFactory):
    """CloudWatch's model restricted to rpc-v2-cbor (botocore itself prefers json for it)."""
    from pytest_cloudmock.models import service_model

    model = service_model("cloudwatch")
    data = json.loads(json.dumps(model._service_description, default=str))
    data["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    root = tmp_path_factory.mktemp("models")
    folder = root / "cloudwatch" / model.api_version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(data))
    return root


@pytest.mark.parametrize("wire", ["json", "smithy-rpc-v2-cbor"])
def test_cloudwatch_in_the_protocol_the_client_speaks(
    services: Gateway, client, cbor_models, wire: str
) -> None:
    from botocore.config import Config

    from pytest_cloudmock.stubs.client import boto3_session

    if wire == "json":
        cw = client("cloudwatch")
    else:
        session = boto3_session(cbor_models, aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                                aws_secret_access_key="secret", region_name="us-east-1")
        cw = session.client("cloudwatch", endpoint_url=services.endpoint,
                            config=Config(retries={"max_attempts": 1}))
    assert cw.meta.service_model.resolved_protocol == wire
    assert cw.list_metrics()["Metrics"] == [{"Namespace": "ns", "MetricName": "m"}]
    expect_error(lambda: cw.get_dashboard(DashboardName="d"), "ResourceNotFound", 404)
    last = services.request_log.query(operation="ListMetrics")[-1]
    assert (last.status, last.protocol) == (200, wire)


def test_cloudwatch_answers_query_from_older_sdks(services: Gateway) -> None:
    reply = signed_request(
        services.endpoint, "monitoring", body="Action=ListMetrics&Version=2010-08-01",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 200, reply.body
    assert b"<ListMetricsResponse" in reply.body and b"<MetricName>m</MetricName>" in reply.body


def test_unimplemented_operation_is_501_naming_it(services: Gateway, client) -> None:
    err = expect_error(lambda: client("dynamodb").delete_table(TableName="t"), "NotImplemented", 501)
    assert "DeleteTable" in str(err) and "dynamodb" in str(err)


def test_service_exception_becomes_internal_failure(services: Gateway, client) -> None:
    err = expect_error(
        lambda: client("dynamodb").put_item(TableName="t", Item={}), "InternalFailure", 500
    )
    assert "boom" in str(err)
    assert services.request_log.query(operation="PutItem")[-1].error_code == "InternalFailure"


@pytest.mark.parametrize(
    ("service", "headers", "body", "code"),
    [
        ("dynamodb", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                      "Content-Type": "application/x-amz-json-1.0"}, b"{not json", "SerializationException"),
        ("route53", {"Content-Type": "application/xml"}, b"<CreateHostedZoneRequest><Name>",
         "MalformedXML"),
        ("dynamodb", {"X-Amz-Target": "DynamoDB_20120810.Nope",
                      "Content-Type": "application/x-amz-json-1.0"}, b"{}", "UnknownOperationException"),
    ],
)
def test_malformed_requests_get_aws_4xx(
    services: Gateway, service: str, headers: dict[str, str], body: bytes, code: str
) -> None:
    path = "/2013-04-01/hostedzone" if service == "route53" else "/"
    reply = signed_request(services.endpoint, service, path=path, body=body, headers=headers)
    assert 400 <= reply.status < 500, reply.body
    assert code.encode() in reply.body or reply.headers.get("x-amzn-errortype", "").startswith(code)


def test_missing_authorization_is_an_aws_error(services: Gateway) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", services.port, timeout=5)
    conn.request("POST", "/", body=b"{}")
    resp = conn.getresponse()
    body = resp.read()
    assert resp.status == 403
    assert resp.getheader("x-amzn-ErrorType") == "MissingAuthenticationToken"
    assert b"missing Authentication Token" in body
    conn.close()


def test_huge_body_is_refused_without_reading_it(services: Gateway) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", services.port), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\nConnection: close\r\n"
            b"Content-Length: 99999999999\r\n\r\n{}"
        )
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    assert data.startswith(b"HTTP/1.1 413")
    assert json.loads(data.split(b"\r\n\r\n", 1)[1])["__type"] == "RequestEntityTooLarge"
