"""Firehose test fixtures: clients, a bucket, a frozen clock, the in-process Lambda executor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import LambdaService

ROLE = "arn:aws:iam::123456789012:role/firehose"
BUCKET = "delivery"


@pytest.fixture
def firehose(client: Any) -> Any:
    return client("firehose")


@pytest.fixture
def s3(client: Any) -> Any:
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


@pytest.fixture
def frozen_at() -> Any:
    return "2026-03-04T05:06:07Z"


@pytest.fixture
def lambda_service(aws: Gateway) -> Iterator[LambdaService]:
    service = aws.registry.get("lambda")
    assert isinstance(service, LambdaService)
    service.set_executor("inprocess")
    yield service
    service.set_executor("subprocess")


@pytest.fixture
def to_s3(firehose: Any, s3: Any) -> Callable[..., str]:
    """`to_s3(name, **extended_s3_settings)`: a DirectPut stream to the bucket; its ARN."""

    def create(name: str, **settings: Any) -> str:
        config = {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{BUCKET}", **settings}
        return firehose.create_delivery_stream(DeliveryStreamName=name,
                                               ExtendedS3DestinationConfiguration=config)["DeliveryStreamARN"]

    return create


def objects(s3: Any) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}
