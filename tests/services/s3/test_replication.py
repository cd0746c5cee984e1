"""Replication: configuration checks, and objects really copied to the destination bucket."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of

ROLE = "arn:aws:iam::123456789012:role/replication"


def versioned(s3, name=None):
    name = name or f"r-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def rule(dest, **extra):
    return {"ID": "r1", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "docs/"},
            "DeleteMarkerReplication": {"Status": "Enabled"},
            "Destination": {"Bucket": f"arn:aws:s3:::{dest}"}, **extra}


def test_objects_are_copied_and_marked(s3_default):
    src, dst = versioned(s3_default), versioned(s3_default)
    s3_default.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [rule(dst)]})
    assert s3_default.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]["Rules"][0]["ID"] == "r1"
    put = s3_default.put_object(Bucket=src, Key="docs/a.txt", Body=b"hello", Metadata={"m": "1"})
    s3_default.put_object(Bucket=src, Key="other/b.txt", Body=b"no")
    assert s3_default.head_object(Bucket=src, Key="docs/a.txt")["ReplicationStatus"] == "COMPLETED"
    replica = s3_default.get_object(Bucket=dst, Key="docs/a.txt")
    assert replica["Body"].read() == b"hello" and replica["ReplicationStatus"] == "REPLICA"
    assert replica["VersionId"] == put["VersionId"] and replica["Metadata"] == {"m": "1"}
    assert "ReplicationStatus" not in s3_default.head_object(Bucket=src, Key="other/b.txt")
    assert [o["Key"] for o in s3_default.list_objects_v2(Bucket=dst)["Contents"]] == ["docs/a.txt"]
    s3_default.delete_object(Bucket=src, Key="docs/a.txt")  # the delete marker replicates
    assert "Contents" not in s3_default.list_objects_v2(Bucket=dst)
    s3_default.delete_bucket_replication(Bucket=src)
    with pytest.raises(ClientError) as exc:
        s3_default.get_bucket_replication(Bucket=src)
    assert error_of(exc) == ("ReplicationConfigurationNotFoundError", 404)


def test_configuration_needs_versioning_on_both_buckets(s3_default, bucket):
    dst = versioned(s3_default)
    config = {"Role": ROLE, "Rules": [rule(dst)]}
    with pytest.raises(ClientError) as exc:
        s3_default.put_bucket_replication(Bucket=bucket, ReplicationConfiguration=config)
    assert error_of(exc) == ("InvalidRequest", 400)
    assert "Versioning must be 'Enabled'" in exc.value.response["Error"]["Message"]
    src = versioned(s3_default)
    with pytest.raises(ClientError) as exc:  # unversioned destination
        s3_default.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [rule(bucket)]})
    assert error_of(exc) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as exc:  # missing destination
        s3_default.put_bucket_replication(Bucket=src, ReplicationConfiguration={
            "Role": ROLE, "Rules": [rule("no-such-bucket-here")]})
    assert error_of(exc) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as exc:  # a role that is not an IAM role ARN
        s3_default.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": "admin", "Rules": [rule(dst)]})
    assert error_of(exc) == ("InvalidArgument", 400)
    with pytest.raises(ClientError) as exc:  # V2 rules (with Filter) need DeleteMarkerReplication
        bare = rule(dst)
        del bare["DeleteMarkerReplication"]
        s3_default.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [bare]})
    assert error_of(exc) == ("InvalidRequest", 400)


def test_replica_fails_when_destination_loses_versioning(s3_default):
    src, dst = versioned(s3_default), versioned(s3_default)
    s3_default.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [rule(dst)]})
    s3_default.put_bucket_versioning(Bucket=dst, VersioningConfiguration={"Status": "Suspended"})
    s3_default.put_object(Bucket=src, Key="docs/x", Body=b"x")
    assert s3_default.head_object(Bucket=src, Key="docs/x")["ReplicationStatus"] == "FAILED"
