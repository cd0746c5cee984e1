"""SigV4 verification in-process: botocore's signature over the request as handed over must hold."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import attach, detach

from .conftest import accepted

KEY, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture(scope="module")
def verifying() -> Iterator[Gateway]:
    gw = Gateway(Config(verify_signatures=True, secret_keys={KEY: SECRET})).start()
    attachment = attach(gw)
    yield gw
    detach(attachment)
    gw.stop()


def client(gw: Gateway, service: str, secret: str = SECRET, host: str = "127.0.0.1", **config: Any) -> Any:
    return boto3.Session(aws_access_key_id=KEY, aws_secret_access_key=secret, region_name="us-east-1").client(
        service, endpoint_url=f"http://{host}:{gw.port}",
        config=BotoConfig(retries={"total_max_attempts": 1}, **config),
    )


def test_signed_requests_verify_in_process(verifying: Gateway) -> None:
    before = accepted(verifying)
    s3 = client(verifying, "s3")
    s3.create_bucket(Bucket="signed")
    s3.upload_fileobj(io.BytesIO(b"z" * 300_000), "signed", "a key/with spaces+plus")  # aws-chunked
    assert s3.get_object(Bucket="signed", Key="a key/with spaces+plus")["Body"].read() == b"z" * 300_000
    assert client(verifying, "sqs").list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert accepted(verifying) == before


def test_wrong_secret_is_refused_in_process(verifying: Gateway) -> None:
    with pytest.raises(ClientError) as exc:
        client(verifying, "sqs", secret="wrong").list_queues()
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)
    with pytest.raises(ClientError) as exc:
        client(verifying, "s3", secret="wrong").list_buckets()
    assert exc.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_virtual_host_s3_verifies_in_process(verifying: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    """`bucket.s3.localhost:PORT` (never resolved: no socket is opened) signs the path as sent."""
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    s3 = client(verifying, "s3", host="s3.localhost", s3={"addressing_style": "virtual"})
    s3.create_bucket(Bucket="virtual-signed")
    s3.put_object(Bucket="virtual-signed", Key="k", Body=b"v")
    assert s3.get_object(Bucket="virtual-signed", Key="k")["Body"].read() == b"v"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="virtual-signed")["Contents"]] == ["k"]


def _no_dns(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"in-process requests resolve no host name: {args[0]!r}")
