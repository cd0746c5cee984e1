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


def _bucket_state(aws, bucket):
    return aws.registry.get("s3").store.get("123456789012").buckets[bucket]


def test_a_rule_already_due_acts_on_what_a_request_writes_or_tags(s3_default, bucket, frozen):
    """A rule dated in the past expires an object as soon as a request writes it (or tags it
    into the rule's filter), however many other objects the bucket holds: requests look at the
    keys they name, not at every object."""
    for i in range(50):
        s3_default.put_object(Bucket=bucket, Key=f"keep/{i:02d}", Body=b"x")
    rules(s3_default, bucket,
          {"ID": "past", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Date": "2031-01-01T00:00:00Z"}},
          {"ID": "tagged", "Status": "Enabled", "Filter": {"Tag": {"Key": "drop", "Value": "yes"}},
           "Expiration": {"Date": "2031-01-01T00:00:00Z"}})
    s3_default.put_object(Bucket=bucket, Key="tmp/a", Body=b"x")
    assert s3_default.list_objects_v2(Bucket=bucket, Prefix="tmp/")["KeyCount"] == 0
    s3_default.put_object(Bucket=bucket, Key="keep/tag-me", Body=b"x")
    s3_default.put_object_tagging(Bucket=bucket, Key="keep/tag-me", Tagging={"TagSet": [{"Key": "drop", "Value": "yes"}]})
    assert "keep/tag-me" not in keys(s3_default, bucket)
    s3_default.copy_object(Bucket=bucket, Key="tmp/copied", CopySource={"Bucket": bucket, "Key": "keep/00"})
    s3_default.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "keep/01"}]})
    assert keys(s3_default, bucket) == [f"keep/{i:02d}" for i in range(50) if i != 1]


def test_when_the_rules_are_looked_at_again(s3_default, bucket, frozen, aws):
    """After a full pass the bucket notes when time alone can next change what its rules do: the
    next midnight UTC, a rule's date before it, or the end of an Object Lock retention; a change to
    the bucket itself (its versioning, its rules) makes the next request look at every object."""
    rules(s3_default, bucket, {"ID": "days", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 3}})
    s3_default.put_object(Bucket=bucket, Key="a", Body=b"x")
    state = _bucket_state(aws, bucket)
    assert state.lifecycle_next == datetime(2031, 3, 2, tzinfo=timezone.utc)
    rules(s3_default, bucket, {"ID": "days", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 3}},
          {"ID": "date", "Status": "Enabled", "Filter": {"Prefix": "t/"}, "Expiration": {"Date": "2031-03-01T18:00:00Z"}})
    assert state.lifecycle_next is None
    s3_default.get_object(Bucket=bucket, Key="a")
    assert state.lifecycle_next == datetime(2031, 3, 1, 18, tzinfo=timezone.utc)
    s3_default.put_object(Bucket=bucket, Key="b", Body=b"x")  # a write names its key: no full pass due
    assert state.lifecycle_next == datetime(2031, 3, 1, 18, tzinfo=timezone.utc)
    s3_default.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert state.lifecycle_next is None


def test_a_retention_ending_is_a_moment_to_look_again(s3_default, frozen, aws):
    """A noncurrent version past its NoncurrentDays but under an Object Lock retention stays; the
    retention's end is when the rules look at it again (before the next midnight)."""
    s3_default.create_bucket(Bucket="locked-lifecycle", ObjectLockEnabledForBucket=True)
    rules(s3_default, "locked-lifecycle",
          {"ID": "old", "Status": "Enabled", "Filter": {}, "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})
    first = s3_default.put_object(Bucket="locked-lifecycle", Key="k", Body=b"1", ObjectLockMode="GOVERNANCE",
                                  ObjectLockRetainUntilDate=datetime(2031, 3, 3, 6, tzinfo=timezone.utc))["VersionId"]
    s3_default.put_object(Bucket="locked-lifecycle", Key="k", Body=b"2")  # the first is noncurrent: due 03-03 00:00
    frozen.advance(hours=39)  # 2031-03-03 03:00: due, but retained until 06:00
    versions = [v["VersionId"] for v in s3_default.list_object_versions(Bucket="locked-lifecycle")["Versions"]]
    assert first in versions and len(versions) == 2
    assert _bucket_state(aws, "locked-lifecycle").lifecycle_next == datetime(2031, 3, 3, 6, tzinfo=timezone.utc)
    frozen.advance(hours=4)
    versions = [v["VersionId"] for v in s3_default.list_object_versions(Bucket="locked-lifecycle")["Versions"]]
    assert first not in versions and len(versions) == 1
