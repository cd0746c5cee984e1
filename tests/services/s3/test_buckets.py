"""Buckets: create (names, locations, ownership), head, list, delete, location."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of, s3_config


def test_create_head_list_delete(s3: Any) -> None:
    out = s3.create_bucket(Bucket="alpha-bucket")
    assert out["Location"] == "/alpha-bucket"
    assert s3.head_bucket(Bucket="alpha-bucket")["BucketRegion"] == "us-east-1"
    s3.create_bucket(Bucket="beta-bucket")
    listed = s3.list_buckets()
    assert [b["Name"] for b in listed["Buckets"]] == ["alpha-bucket", "beta-bucket"]
    assert listed["Owner"]["ID"]
    assert s3.get_bucket_location(Bucket="alpha-bucket")["LocationConstraint"] is None
    s3.delete_bucket(Bucket="alpha-bucket")
    with pytest.raises(ClientError) as exc:
        s3.head_bucket(Bucket="alpha-bucket")
    assert error_of(exc) == ("404", 404)


def test_list_buckets_prefix_and_pages(s3: Any) -> None:
    for i in range(5):
        s3.create_bucket(Bucket=f"page-{i}")
    s3.create_bucket(Bucket="other-x")
    first = s3.list_buckets(Prefix="page-", MaxBuckets=2)
    assert [b["Name"] for b in first["Buckets"]] == ["page-0", "page-1"]
    names = [b["Name"] for p in s3.get_paginator("list_buckets").paginate(Prefix="page-", MaxBuckets=2)
             for b in p["Buckets"]]
    assert names == [f"page-{i}" for i in range(5)]
    assert [b["Name"] for b in s3.list_buckets(BucketRegion="us-east-1")["Buckets"]][-1] == "page-4"


@pytest.mark.parametrize(
    "name",
    ["ab", "A-upper", "bad..dots", "-dash-start", "dash-end-", "192.168.1.1", "xn--punycode",
     "under_score", "x" * 64, "name-s3alias"],
)
def test_invalid_bucket_names(s3_default: Any, name: str) -> None:
    with pytest.raises(ClientError) as exc:
        s3_default.create_bucket(Bucket=name)
    assert error_of(exc) == ("InvalidBucketName", 400)
    assert exc.value.response["Error"]["BucketName"] == name


def test_location_constraints(client: Any) -> None:
    west = client("s3", region_name="us-west-2", config=s3_config())
    with pytest.raises(ClientError) as exc:
        west.create_bucket(Bucket="no-constraint")
    assert error_of(exc) == ("IllegalLocationConstraintException", 400)
    out = west.create_bucket(Bucket="west-bucket",
                             CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert out["Location"] == "http://west-bucket.s3.amazonaws.com/"
    assert west.get_bucket_location(Bucket="west-bucket")["LocationConstraint"] == "us-west-2"
    assert west.head_bucket(Bucket="west-bucket")["BucketRegion"] == "us-west-2"
    with pytest.raises(ClientError) as exc:
        west.create_bucket(Bucket="west-bucket",
                           CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert error_of(exc) == ("BucketAlreadyOwnedByYou", 409)
    with pytest.raises(ClientError) as exc:
        west.create_bucket(Bucket="wrong-region",
                           CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_of(exc) == ("IllegalLocationConstraintException", 400)
    east = client("s3", config=s3_config())
    with pytest.raises(ClientError) as exc:
        east.create_bucket(Bucket="east-constraint",
                           CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert error_of(exc) == ("InvalidLocationConstraint", 400)
    with pytest.raises(ClientError) as exc:  # not a region at all
        east.create_bucket(Bucket="bogus-constraint",
                           CreateBucketConfiguration={"LocationConstraint": "moon-base-1"})
    assert error_of(exc) == ("InvalidLocationConstraint", 400)
    with pytest.raises(ClientError) as exc:
        west.create_bucket(Bucket="bogus-constraint",
                           CreateBucketConfiguration={"LocationConstraint": "moon-base-1"})
    assert error_of(exc) == ("InvalidLocationConstraint", 400)
    # the global endpoint (us-east-1) creates buckets in any region, as AWS's reference says
    east.create_bucket(Bucket="from-east", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert east.get_bucket_location(Bucket="from-east")["LocationConstraint"] == "eu-west-1"


def test_account_regional_namespace(client: Any) -> None:
    east = client("s3", config=s3_config())
    name = "logs-123456789012-us-east-1-an"
    east.create_bucket(Bucket=name, BucketNamespace="account-regional")
    with pytest.raises(ClientError) as exc:  # the suffix must name the caller's account and region
        east.create_bucket(Bucket="logs-999999999999-us-east-1-an", BucketNamespace="account-regional")
    assert error_of(exc) == ("InvalidBucketName", 400)
    with pytest.raises(ClientError) as exc:  # and is reserved outside that namespace
        east.create_bucket(Bucket="other-123456789012-us-east-1-an")
    assert error_of(exc) == ("InvalidBucketName", 400)


def test_bucket_names_are_global_across_accounts(client: Any, boto_session: Any, aws: Any) -> None:
    mine = client("s3", config=s3_config())
    mine.create_bucket(Bucket="shared-name")
    mine.create_bucket(Bucket="shared-name")  # us-east-1 answers 200 to its owner (legacy)
    other = boto_session.client(
        "s3", endpoint_url=aws.endpoint, aws_access_key_id="210987654321",
        aws_secret_access_key="secret", config=s3_config(),
    )
    with pytest.raises(ClientError) as exc:
        other.create_bucket(Bucket="shared-name")
    assert error_of(exc) == ("BucketAlreadyExists", 409)
    assert other.list_buckets()["Buckets"] == []
    with pytest.raises(ClientError) as exc:
        other.delete_bucket(Bucket="shared-name")
    assert error_of(exc) == ("AccessDenied", 403)
    s3 = aws.registry.get("s3")
    assert "shared-name" in s3.store.get("123456789012").buckets
    assert s3.store.bucket("shared-name").account_id == "123456789012"


def test_delete_errors(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as exc:
        s3.delete_bucket(Bucket="never-made")
    assert error_of(exc) == ("NoSuchBucket", 404)
    assert exc.value.response["Error"]["BucketName"] == "never-made"
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as exc:
        s3.delete_bucket(Bucket=bucket)
    assert error_of(exc) == ("BucketNotEmpty", 409)
    s3.delete_object(Bucket=bucket, Key="k")
    s3.delete_bucket(Bucket=bucket)


def test_operations_on_missing_bucket(s3: Any) -> None:
    for call in (
        lambda: s3.put_object(Bucket="missing-b", Key="k", Body=b"x"),
        lambda: s3.list_objects_v2(Bucket="missing-b"),
        lambda: s3.get_bucket_versioning(Bucket="missing-b"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc) == ("NoSuchBucket", 404)
