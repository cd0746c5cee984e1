"""Conditional requests (304/412), conditional writes, and byte ranges (206/416)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of

PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE = datetime(2100, 1, 1, tzinfo=timezone.utc)


def test_conditional_get_and_head(s3: Any, bucket: str) -> None:
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"abc")["ETag"]
    assert s3.get_object(Bucket=bucket, Key="k", IfMatch=etag)["Body"].read() == b"abc"
    assert s3.get_object(Bucket=bucket, Key="k", IfNoneMatch='"other"')["Body"].read() == b"abc"
    assert s3.get_object(Bucket=bucket, Key="k", IfModifiedSince=PAST)["ContentLength"] == 3
    assert s3.get_object(Bucket=bucket, Key="k", IfUnmodifiedSince=FUTURE)["ContentLength"] == 3
    for kwargs, expected in (
        ({"IfMatch": '"nope"'}, ("PreconditionFailed", 412)),
        ({"IfUnmodifiedSince": PAST}, ("PreconditionFailed", 412)),
        ({"IfNoneMatch": etag}, ("304", 304)),
        ({"IfModifiedSince": FUTURE}, ("304", 304)),
        # If-Match true wins over If-Unmodified-Since false; If-None-Match false wins (304)
        ({"IfMatch": etag, "IfUnmodifiedSince": PAST}, None),
        ({"IfNoneMatch": etag, "IfModifiedSince": PAST}, ("304", 304)),
    ):
        for call in (s3.get_object, s3.head_object):
            if expected is None:
                assert call(Bucket=bucket, Key="k", **kwargs)["ContentLength"] == 3
                continue
            with pytest.raises(ClientError) as exc:
                call(Bucket=bucket, Key="k", **kwargs)
            code, status = error_of(exc)
            assert status == expected[1], kwargs
            if call is s3.get_object:
                assert code == expected[0]
    # the connection stays usable after a 304 (no stray body)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"abc"


def test_precondition_failed_body(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"abc")
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="k", IfMatch='"nope"')
    assert exc.value.response["Error"]["Condition"] == "If-Match"


def test_conditional_writes(s3: Any, bucket: str) -> None:
    first = s3.put_object(Bucket=bucket, Key="k", Body=b"one", IfNoneMatch="*")["ETag"]
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"two", IfNoneMatch="*")
    assert error_of(exc) == ("PreconditionFailed", 412)
    second = s3.put_object(Bucket=bucket, Key="k", Body=b"two", IfMatch=first)["ETag"]
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"three", IfMatch=first)
    assert error_of(exc) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="absent", Body=b"x", IfMatch=first)
    assert error_of(exc) == ("NoSuchKey", 404)
    assert s3.get_object(Bucket=bucket, Key="k")["ETag"] == second


@pytest.mark.parametrize(
    ("header", "expected", "content_range"),
    [
        ("bytes=0-4", b"01234", "bytes 0-4/10"),
        ("bytes=5-", b"56789", "bytes 5-9/10"),
        ("bytes=-3", b"789", "bytes 7-9/10"),
        ("bytes=8-100", b"89", "bytes 8-9/10"),
        ("bytes=-20", b"0123456789", "bytes 0-9/10"),
    ],
)
def test_ranges(s3: Any, bucket: str, header: str, expected: bytes, content_range: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="k", Range=header)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["Body"].read() == expected
    assert got["ContentRange"] == content_range
    assert got["ContentLength"] == len(expected)
    head = s3.head_object(Bucket=bucket, Key="k", Range=header)
    assert head["ContentLength"] == len(expected)


def test_bad_ranges(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="k", Range="bytes=10-20")
    assert error_of(exc) == ("InvalidRange", 416)
    assert exc.value.response["Error"]["ActualObjectSize"] == "10"
    assert exc.value.response["Error"]["RangeRequested"] == "bytes=10-20"
    # an unparseable range is ignored, as S3 does
    whole = s3.get_object(Bucket=bucket, Key="k", Range="lines=1-2")
    assert whole["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert whole["Body"].read() == b"0123456789"


def test_last_modified_granularity(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    modified = s3.head_object(Bucket=bucket, Key="k")["LastModified"]
    assert s3.head_object(Bucket=bucket, Key="k", IfUnmodifiedSince=modified)["ContentLength"] == 1
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k", IfModifiedSince=modified + timedelta(seconds=1))


def test_random_ranges_match_http_semantics(s3: Any, bucket: str) -> None:
    """Seeded random ranges: the bytes S3 returns are the slice RFC 9110 defines."""
    rng = random.Random(11)
    data = bytes(rng.getrandbits(8) for _ in range(3000))
    s3.put_object(Bucket=bucket, Key="k", Body=data)
    for _ in range(25):
        kind = rng.choice(["closed", "open", "suffix"])
        first = rng.randrange(len(data))
        if kind == "closed":
            last = first + rng.randrange(200)
            header, expected = f"bytes={first}-{last}", data[first : last + 1]
        elif kind == "open":
            header, expected = f"bytes={first}-", data[first:]
        else:
            n = rng.randrange(1, 4000)
            header, expected = f"bytes=-{n}", data[-n:]
        got = s3.get_object(Bucket=bucket, Key="k", Range=header)
        assert got["Body"].read() == expected, header
        start = len(data) - len(expected) if kind == "suffix" else first
        assert got["ContentRange"] == f"bytes {start}-{start + len(expected) - 1}/{len(data)}"
