"""The REST codecs behind the live gateway: real boto3 clients over real sockets.

A toy S3 (objects in a dict) and a toy Lambda stand in for the real services, so
these tests exercise only routing, the codecs and the HTTP layer: `Expect:
100-continue` uploads, streamed downloads, HEAD errors without a body, XML
request bodies, status codes from the model.
"""

from __future__ import annotations

import io
import threading

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError, EventStreamError

from pytest_cloudmock.api import Action, AWSError, RequestContext
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway


class ToyS3:
    name = "s3"

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}

    def actions(self) -> list[Action]:
        return []

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.objects.clear()

    def handle_request(self, ctx: RequestContext):
        p = ctx.params
        key = (p.get("Bucket"), p.get("Key"))
        if ctx.operation == "PutObject":
            self.objects[key] = p.get("Body", b"")
            return {"ETag": '"etag"'}
        if ctx.operation in ("GetObject", "HeadObject"):
            if key not in self.objects:
                raise AWSError("NoSuchKey", "The specified key does not exist.", 404, Key=key[1])
            data = self.objects[key]
            out = {"ContentLength": len(data), "ETag": '"etag"'}
            if ctx.operation == "GetObject":
                out["Body"] = io.BytesIO(data)  # streamed by the codec, chunk by chunk
            return out
        if ctx.operation == "ListObjectsV2":
            keys = sorted(k for b, k in self.objects if b == key[0])
            return {
                "Name": key[0],
                "KeyCount": len(keys),
                "IsTruncated": False,
                "Contents": [{"Key": k, "Size": len(self.objects[(key[0], k)])} for k in keys],
            }
        if ctx.operation == "DeleteObjects":
            gone = [o["Key"] for o in p["Delete"]["Objects"]]
            for k in gone:
                self.objects.pop((key[0], k), None)
            return {"Deleted": [{"Key": k} for k in gone]}
        if ctx.operation == "DeleteObject":
            self.objects.pop(key, None)
            return {}
        raise AWSError("NotImplemented", ctx.operation, 501)


class ToyLambda:
    name = "lambda"

    def __init__(self) -> None:
        self.first_chunk_read = threading.Event()

    def actions(self) -> list[Action]:
        return []

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        pass

    def handle_request(self, ctx: RequestContext):
        if ctx.operation == "Invoke":
            if ctx.params["FunctionName"] == "missing":
                raise AWSError(
                    "ResourceNotFoundException", "Function not found: missing", 404, Type="User"
                )
            return {"StatusCode": 200, "Payload": ctx.params.get("Payload", b"")[::-1]}
        if ctx.operation == "InvokeWithResponseStream":
            return {"StatusCode": 200, "EventStream": self.stream(ctx.params["FunctionName"])}
        raise AWSError("NotImplemented", ctx.operation, 501)

    def stream(self, name: str):
        """Two chunks; the second only once the client has read the first (so the
        first must reach it before the answer is complete)."""
        yield {"PayloadChunk": {"Payload": b"first"}}
        if not self.first_chunk_read.wait(10):
            raise AWSError("ServiceException", "the first chunk never arrived")
        if name == "broken":
            raise AWSError("ResourceNotFoundException", "Function gone mid-stream")
        yield {"PayloadChunk": {"Payload": b"second"}}
        yield {"InvokeComplete": {}}


TOY_LAMBDA = ToyLambda()


@pytest.fixture(scope="module")
def gateway():
    gw = Gateway(Config(admin_port=None, services=[]))
    gw.registry.register(ToyS3())
    gw.registry.register(TOY_LAMBDA)
    gw.start()
    yield gw
    gw.stop()


def client(gw, service):
    return boto3.Session(
        aws_access_key_id="AKIDLIVE", aws_secret_access_key="s", region_name="us-east-1"
    ).client(
        service,
        endpoint_url=gw.endpoint,
        config=BotoConfig(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def test_s3_object_lifecycle_over_sockets(gateway):
    s3 = client(gateway, "s3")
    big = bytes(range(256)) * 4096  # 1 MiB, sent with Expect: 100-continue
    s3.put_object(Bucket="bkt", Key="dir/big file.bin", Body=big)
    s3.put_object(Bucket="bkt", Key="small", Body=b"hi")
    got = s3.get_object(Bucket="bkt", Key="dir/big file.bin")
    assert got["ContentLength"] == len(big) and got["Body"].read() == big
    listed = s3.list_objects_v2(Bucket="bkt")
    assert [o["Key"] for o in listed["Contents"]] == ["dir/big file.bin", "small"]
    deleted = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "small"}]})
    assert deleted["Deleted"] == [{"Key": "small"}]
    assert s3.delete_object(Bucket="bkt", Key="x")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_s3_errors_over_sockets(gateway):
    s3 = client(gateway, "s3")
    with pytest.raises(s3.exceptions.NoSuchKey) as info:
        s3.get_object(Bucket="bkt", Key="nope")
    assert info.value.response["Error"]["Key"] == "nope"
    assert info.value.response["ResponseMetadata"]["HostId"]
    with pytest.raises(ClientError) as head:
        s3.head_object(Bucket="bkt", Key="nope")
    assert head.value.response["Error"]["Code"] == "404"
    assert head.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_rest_json_over_sockets(gateway):
    lam = client(gateway, "lambda")
    out = lam.invoke(FunctionName="f", Payload=b'{"a": 1}')
    assert out["StatusCode"] == 200 and out["Payload"].read() == b'}1 :"a"{'
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as info:
        lam.invoke(FunctionName="missing")
    assert info.value.response["Error"]["Message"] == "Function not found: missing"
    assert info.value.response["Type"] == "User"


@pytest.mark.parametrize("function", ["ok", "broken"])
def test_event_stream_over_sockets_arrives_event_by_event(gateway, function):
    TOY_LAMBDA.first_chunk_read.clear()
    out = client(gateway, "lambda").invoke_with_response_stream(FunctionName=function)
    assert out["ResponseMetadata"]["HTTPHeaders"]["content-type"] == (
        "application/vnd.amazon.eventstream"
    )
    events = iter(out["EventStream"])
    assert next(events) == {"PayloadChunk": {"Payload": b"first"}}
    TOY_LAMBDA.first_chunk_read.set()
    if function == "broken":
        with pytest.raises(EventStreamError) as info:
            next(events)
        assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    else:
        assert list(events) == [{"PayloadChunk": {"Payload": b"second"}}, {"InvokeComplete": {}}]
