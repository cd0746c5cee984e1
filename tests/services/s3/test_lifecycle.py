"""Lifecycle rules applied on the gateway clock: expiration, noncurrent versions, uploads, transitions."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

START = datetime(2031, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def frozen_at() -> Any:
    return START


def rules(s3, bucket, *rules_):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules_)})


def keys(s3, bucket):
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_current_objects_expire_at_midnight_after_the_days(s3_default, bucket, frozen):
    rules(s3_default, bucket, {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                               "Expiration": {"Days": 1}})
    s3_default.put_object(Bucket=bucket, Key="tmp/a", Body=b"x")
    s3_default.put_object(Bucket=bucket, Key="keep/b", Body=b"x")
    frozen.advance(hours=24)  # 2031-03-02 12:00: due at 2031-03-03 00:00
    assert keys(s3_default, bucket) == ["keep/b", "tmp/a"]
    frozen.advance(hours=12)
    assert keys(s3_default, bucket) == ["keep/b"]


def test_the_clock_moving_sweeps_without_a_request(s3_default, bucket, frozen, aws):
    rules(s3_default, bucket, {"ID": "all", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}})
    s3_default.put_object(Bucket=bucket, Key="a", Body=b"x")
    frozen.advance(days=2)
    state = aws.registry.get("s3").store.get("123456789012")
    assert state.buckets[bucket].objects == {}


def test_versioned_expiry_adds_a_marker_and_noncurrent_versions_go_later(s3_default, bucket, frozen):
    s3_default.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    rules(s3_default, bucket, {"ID": "v", "Status": "Enabled", "Filter": {"Prefix": ""},
                               "Expiration": {"Days": 1}, "NoncurrentVersionExpiration": {"NoncurrentDays": 2}})
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"x")
    frozen.advance(days=2)
    listed = s3_default.list_object_versions(Bucket=bucket)
    assert len(listed["Versions"]) == 1 and listed["DeleteMarkers"][0]["IsLatest"] is True
    frozen.advance(days=3)
    listed = s3_default.list_object_versions(Bucket=bucket)
    assert "Versions" not in listed and len(listed["DeleteMarkers"]) == 1


def test_newer_noncurrent_versions_are_kept(s3_default, bucket, frozen):
    s3_default.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    rules(s3_default, bucket, {"ID": "n", "Status": "Enabled", "Filter": {},
                               "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 1}})
    for body in (b"1", b"2", b"3"):
        s3_default.put_object(Bucket=bucket, Key="k", Body=body)
    frozen.advance(days=2)
    versions = s3_default.list_object_versions(Bucket=bucket)["Versions"]
    assert len(versions) == 2  # the current one and the newest noncurrent one


def test_incomplete_uploads_are_aborted(s3_default, bucket, frozen):
    rules(s3_default, bucket, {"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": ""},
                               "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}})
    s3_default.create_multipart_upload(Bucket=bucket, Key="big")
    assert len(s3_default.list_multipart_uploads(Bucket=bucket)["Uploads"]) == 1
    frozen.advance(days=2)
    assert "Uploads" not in s3_default.list_multipart_uploads(Bucket=bucket)


def test_transitions_and_tag_filters(s3_default, bucket, frozen):
    rules(s3_default, bucket, {"ID": "t", "Status": "Enabled",
                               "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "tier", "Value": "cold"}]}},
                               "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]})
    s3_default.put_object(Bucket=bucket, Key="logs/a", Body=b"x", Tagging="tier=cold")
    s3_default.put_object(Bucket=bucket, Key="logs/b", Body=b"x")
    frozen.advance(days=31)
    assert s3_default.head_object(Bucket=bucket, Key="logs/a")["StorageClass"] == "GLACIER"
    assert "StorageClass" not in s3_default.head_object(Bucket=bucket, Key="logs/b")


def test_disabled_rules_do_nothing(s3_default, bucket, frozen):
    rules(s3_default, bucket, {"ID": "off", "Status": "Disabled", "Filter": {}, "Expiration": {"Days": 1}})
    s3_default.put_object(Bucket=bucket, Key="a", Body=b"x")
    frozen.advance(days=5)
    assert keys(s3_default, bucket) == ["a"]


@pytest.mark.parametrize(("rule", "code"), [
    ({"ID": "x", "Status": "Enabled", "Filter": {}}, "InvalidRequest"),  # no action
    ({"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 0}}, "InvalidArgument"),
    ({"ID": "x" * 256, "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}, "InvalidArgument"),
    ({"ID": "x", "Status": "On", "Filter": {}, "Expiration": {"Days": 1}}, "MalformedXML"),
])
def test_lifecycle_validation(s3_default, bucket, rule, code):
    from botocore.exceptions import ClientError

    from .conftest import error_of

    with pytest.raises(ClientError) as exc:
        rules(s3_default, bucket, rule)
    assert error_of(exc) == (code, 400)
