"""S3 continuation tokens are opaque and belong to one listing; markers stay keys."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of


def test_a_continuation_token_works_only_for_its_own_bucket(s3_default: Any, bucket: str) -> None:
    s3_default.create_bucket(Bucket=f"{bucket}-other")
    for key in ("a", "b", "c"):
        s3_default.put_object(Bucket=bucket, Key=key, Body=b"")
    first = s3_default.list_objects_v2(Bucket=bucket, MaxKeys=2)
    rest = s3_default.list_objects_v2(Bucket=bucket, ContinuationToken=first["NextContinuationToken"])
    assert [o["Key"] for o in first["Contents"] + rest["Contents"]] == ["a", "b", "c"]
    with pytest.raises(ClientError) as exc:
        s3_default.list_objects_v2(Bucket=f"{bucket}-other", ContinuationToken=first["NextContinuationToken"])
    assert error_of(exc) == ("InvalidArgument", 400)
    assert "continuation token provided is incorrect" in exc.value.response["Error"]["Message"]
    buckets = s3_default.list_buckets(MaxBuckets=1)
    with pytest.raises(ClientError) as exc:  # a ListBuckets token is not an object listing's
        s3_default.list_objects_v2(Bucket=bucket, ContinuationToken=buckets["ContinuationToken"])
    assert error_of(exc) == ("InvalidArgument", 400)
