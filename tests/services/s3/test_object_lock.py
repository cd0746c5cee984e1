"""Object Lock: bucket configuration, retention modes on the gateway clock, legal holds."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of

LOCKED = "Access Denied because object protected by object lock."


@pytest.fixture
def locked(s3_default):
    name = f"lock-{uuid.uuid4().hex[:10]}"
    s3_default.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    return name


def future(days: int = 1) -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=days)


def test_compliance_retention_refuses_version_delete_even_with_bypass(s3_default, locked):
    put = s3_default.put_object(Bucket=locked, Key="k", Body=b"x", ObjectLockMode="COMPLIANCE",
                                ObjectLockRetainUntilDate=future())
    head = s3_default.head_object(Bucket=locked, Key="k")
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"] > datetime.now(timezone.utc)
    for bypass in (False, True):
        with pytest.raises(ClientError) as exc:
            s3_default.delete_object(Bucket=locked, Key="k", VersionId=put["VersionId"],
                                     BypassGovernanceRetention=bypass)
        assert error_of(exc) == ("AccessDenied", 403)
        assert exc.value.response["Error"]["Message"] == LOCKED
    # a delete without a version id only adds a delete marker: allowed
    assert s3_default.delete_object(Bucket=locked, Key="k")["DeleteMarker"] is True
    with pytest.raises(ClientError) as exc:  # compliance cannot be shortened
        s3_default.put_object_retention(Bucket=locked, Key="k", VersionId=put["VersionId"], Retention={
            "Mode": "COMPLIANCE", "RetainUntilDate": future(0) + timedelta(hours=1)})
    assert error_of(exc) == ("AccessDenied", 403)


def test_governance_yields_to_bypass(s3_default, locked):
    put = s3_default.put_object(Bucket=locked, Key="g", Body=b"x")
    s3_default.put_object_retention(Bucket=locked, Key="g", Retention={
        "Mode": "GOVERNANCE", "RetainUntilDate": future()})
    got = s3_default.get_object_retention(Bucket=locked, Key="g")["Retention"]
    assert got["Mode"] == "GOVERNANCE"
    with pytest.raises(ClientError) as exc:
        s3_default.delete_object(Bucket=locked, Key="g", VersionId=put["VersionId"])
    assert error_of(exc) == ("AccessDenied", 403)
    result = s3_default.delete_objects(Bucket=locked, Delete={"Objects": [
        {"Key": "g", "VersionId": put["VersionId"]}]})
    assert result["Errors"][0]["Code"] == "AccessDenied"
    s3_default.delete_object(Bucket=locked, Key="g", VersionId=put["VersionId"], BypassGovernanceRetention=True)
    assert "Versions" not in s3_default.list_object_versions(Bucket=locked)


@pytest.fixture
def frozen_at() -> Any:
    return datetime(2030, 1, 1, tzinfo=timezone.utc)


def test_retention_ends_on_the_gateway_clock(s3_default, locked, frozen):
    put = s3_default.put_object(Bucket=locked, Key="c", Body=b"x", ObjectLockMode="COMPLIANCE",
                                ObjectLockRetainUntilDate=datetime(2030, 1, 2, tzinfo=timezone.utc))
    with pytest.raises(ClientError):
        s3_default.delete_object(Bucket=locked, Key="c", VersionId=put["VersionId"])
    frozen.advance(days=2)
    s3_default.delete_object(Bucket=locked, Key="c", VersionId=put["VersionId"])


def test_legal_hold(s3_default, locked):
    put = s3_default.put_object(Bucket=locked, Key="h", Body=b"x", ObjectLockLegalHoldStatus="ON")
    assert s3_default.get_object_legal_hold(Bucket=locked, Key="h")["LegalHold"] == {"Status": "ON"}
    with pytest.raises(ClientError) as exc:
        s3_default.delete_object(Bucket=locked, Key="h", VersionId=put["VersionId"], BypassGovernanceRetention=True)
    assert error_of(exc) == ("AccessDenied", 403)
    s3_default.put_object_legal_hold(Bucket=locked, Key="h", LegalHold={"Status": "OFF"})
    s3_default.delete_object(Bucket=locked, Key="h", VersionId=put["VersionId"])


def test_default_retention_applies_to_new_versions(s3_default, locked):
    s3_default.put_object_lock_configuration(Bucket=locked, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}})
    s3_default.put_object(Bucket=locked, Key="d", Body=b"x")
    retention = s3_default.get_object_retention(Bucket=locked, Key="d")["Retention"]
    assert retention["Mode"] == "GOVERNANCE"
    assert retention["RetainUntilDate"] > datetime.now(timezone.utc) + timedelta(days=2)
    with pytest.raises(ClientError) as exc:
        s3_default.put_object_lock_configuration(Bucket=locked, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 0}}})
    assert error_of(exc) == ("InvalidArgument", 400)


def test_errors_without_a_lock(s3_default, bucket, locked):
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as exc:
        s3_default.put_object_legal_hold(Bucket=bucket, Key="k", LegalHold={"Status": "ON"})
    assert error_of(exc) == ("InvalidRequest", 400)
    assert exc.value.response["Error"]["Message"] == "Bucket is missing Object Lock Configuration"
    with pytest.raises(ClientError) as exc:
        s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", ObjectLockLegalHoldStatus="ON")
    assert error_of(exc) == ("InvalidRequest", 400)
    s3_default.put_object(Bucket=locked, Key="free", Body=b"x")
    with pytest.raises(ClientError) as exc:
        s3_default.get_object_retention(Bucket=locked, Key="free")
    assert error_of(exc) == ("NoSuchObjectLockConfiguration", 404)
    with pytest.raises(ClientError) as exc:
        s3_default.put_object(Bucket=locked, Key="past", Body=b"x", ObjectLockMode="GOVERNANCE",
                              ObjectLockRetainUntilDate=datetime(2001, 1, 1, tzinfo=timezone.utc))
    assert error_of(exc) == ("InvalidArgument", 400)
