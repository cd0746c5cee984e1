"""ListObjects/V2 and ListObjectVersions: prefixes, delimiters, pages, URL encoding, owners."""

from __future__ import annotations

import random
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from .conftest import error_of
from .raw import send

KEYS = ["a.txt", "dir/one", "dir/sub/two", "dir/sub/three", "dir2/x", "z y+plus", "photos/2024/ä.jpg"]


def _put_all(s3: Any, bucket: str, keys: list[str]) -> None:
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())


def test_list_v2_prefix_delimiter(s3: Any, bucket: str) -> None:
    _put_all(s3, bucket, KEYS)
    out = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [o["Key"] for o in out["Contents"]] == ["a.txt", "z y+plus"]
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["dir/", "dir2/", "photos/"]
    assert out["KeyCount"] == 5
    sub = s3.list_objects_v2(Bucket=bucket, Prefix="dir/", Delimiter="/")
    assert [o["Key"] for o in sub["Contents"]] == ["dir/one"]
    assert [p["Prefix"] for p in sub["CommonPrefixes"]] == ["dir/sub/"]
    assert s3.list_objects_v2(Bucket=bucket, Prefix="photos/")["Contents"][0]["Key"] == (
        "photos/2024/ä.jpg")
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="dir/sub/three")
    assert [o["Key"] for o in after["Contents"]][:2] == ["dir/sub/two", "dir2/x"]
    assert "Owner" not in out["Contents"][0]
    owned = s3.list_objects_v2(Bucket=bucket, FetchOwner=True)
    assert owned["Contents"][0]["Owner"]["ID"]
    empty = s3.list_objects_v2(Bucket=bucket, Prefix="nothing/")
    assert "Contents" not in empty and empty["KeyCount"] == 0


def test_list_v2_pages(s3: Any, bucket: str) -> None:
    _put_all(s3, bucket, KEYS)
    first = s3.list_objects_v2(Bucket=bucket, MaxKeys=2)
    assert first["IsTruncated"] and first["KeyCount"] == 2
    second = s3.list_objects_v2(Bucket=bucket, MaxKeys=2,
                                ContinuationToken=first["NextContinuationToken"])
    assert second["ContinuationToken"] == first["NextContinuationToken"]
    keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": 3}) for o in p.get("Contents", [])]
    assert keys == sorted(KEYS)
    with pytest.raises(ClientError) as exc:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="%%%not-a-token")
    assert error_of(exc) == ("InvalidArgument", 400)


def test_list_v1(s3: Any, bucket: str) -> None:
    _put_all(s3, bucket, KEYS)
    out = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=3)
    assert out["IsTruncated"] and out["NextMarker"] == "dir2/"
    assert out["Contents"][0]["Owner"]["ID"]
    keys = [o["Key"] for p in s3.get_paginator("list_objects").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": 2}) for o in p.get("Contents", [])]
    assert keys == sorted(KEYS)
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket, Marker="dir2/x")["Contents"]] == [
        "photos/2024/ä.jpg", "z y+plus"]


def test_encoding_type_url_on_the_wire(aws: Any, s3: Any, bucket: str) -> None:
    _put_all(s3, bucket, ["plain", "with space", "amp&er", "uni-ü"])
    status, _, body = send(aws.endpoint, "GET", f"/{bucket}?list-type=2&encoding-type=url")
    assert status == 200
    assert b"<Key>with%20space</Key>" in body and b"<Key>amp%26er</Key>" in body
    assert b"<Key>uni-%C3%BC</Key>" in body
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["amp&er", "plain", "uni-ü", "with space"]
    with pytest.raises(ClientError) as exc:
        s3.list_objects_v2(Bucket=bucket, EncodingType="base64")
    assert error_of(exc) == ("InvalidArgument", 400)


def test_list_matches_moto_on_random_keys(aws: Any, s3_default: Any, bucket: str) -> None:
    """Seeded random key sets: every page of every listing equals moto's (the reference)."""
    rng = random.Random(7)
    alphabet = ["a", "b", "/", "c/", "-", "a/b"]
    keys = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(40)})
    _put_all(s3_default, bucket, keys)
    with mock_aws():
        ref = boto3.client("s3", region_name="us-east-1")
        ref.create_bucket(Bucket=bucket)
        _put_all(ref, bucket, keys)
        for prefix in ("", "a/"):
            for delimiter in ("", "/", "b"):
                for size in (3, 1000):
                    kwargs = {"Bucket": bucket, "Prefix": prefix, "Delimiter": delimiter}
                    ours = _pages(s3_default, kwargs, size)
                    theirs = _pages(ref, kwargs, size)
                    assert ours == theirs, (prefix, delimiter, size)


def _pages(client: Any, kwargs: dict[str, Any], size: int) -> list[tuple[list[str], list[str]]]:
    pages = client.get_paginator("list_objects_v2").paginate(
        **kwargs, PaginationConfig={"PageSize": size})
    return [([o["Key"] for o in p.get("Contents", [])], [c["Prefix"] for c in p.get("CommonPrefixes", [])])
            for p in pages]


def test_list_object_versions(s3: Any, bucket: str) -> None:
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k +%", Body=b"1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k +%", Body=b"2")["VersionId"]
    marker = s3.delete_object(Bucket=bucket, Key="k +%")["VersionId"]
    s3.put_object(Bucket=bucket, Key="other/x", Body=b"o")
    out = s3.list_object_versions(Bucket=bucket)
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in out["Versions"]] == [
        ("k +%", v2, False), ("k +%", v1, False), ("other/x", out["Versions"][2]["VersionId"], True)]
    assert [(m["VersionId"], m["IsLatest"]) for m in out["DeleteMarkers"]] == [(marker, True)]
    grouped = s3.list_object_versions(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["other/"]
    seen = []
    for page in s3.get_paginator("list_object_versions").paginate(
            Bucket=bucket, PaginationConfig={"PageSize": 1}):
        seen += [v["VersionId"] for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
    assert len(seen) == 4 and set(seen) >= {v1, v2, marker}
    resumed = s3.list_object_versions(Bucket=bucket, KeyMarker="k +%", VersionIdMarker=v2)
    assert resumed["KeyMarker"] == "k +%" and resumed["Versions"][0]["VersionId"] == v1
