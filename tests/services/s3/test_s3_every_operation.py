"""Every operation of S3's botocore model answered (event-stream SelectObjectContent included)."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.s3 import S3Service

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz
from .conftest import s3_config


def test_the_service_implements_its_whole_model():
    service = S3Service()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


def _sendable(params, **_):
    """botocore needs the CRT for some checksum algorithms and refuses them before sending;
    a generated `Content-Length` that is not the body's would leave the server waiting
    for bytes that never come (as AWS would)."""
    params.pop("ContentLength", None)
    if str(params.get("ChecksumAlgorithm", "")).upper() not in ("CRC32", "SHA1", "SHA256"):
        params.pop("ChecksumAlgorithm", None)


def test_every_s3_operation_is_answered(aws, boto_session):
    client = boto_session.client("s3", endpoint_url=aws.endpoint, config=s3_config(inject_host_prefix=False))
    client.meta.events.register("provide-client-params.s3", _sendable)
    assert call_every_operation(client, seed=14, rounds=2) == []


@pytest.mark.parametrize("seed", [1, 2])
def test_random_calls_never_crash(seed):
    assert fuzz(S3Service(), rounds=10, seed=seed) == []
