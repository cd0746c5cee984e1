"""Request bodies compressed as the model allows (`requestcompression`) are inflated, bounded."""

from __future__ import annotations

import gzip

import pytest

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.wire import WireRequest, decompress_body


def request(body: bytes, encoding: str = "gzip") -> WireRequest:
    return WireRequest.from_parts("POST", "/", {"Content-Encoding": encoding}, body)


def test_gzip_is_inflated_and_other_encodings_left_alone() -> None:
    req = request(gzip.compress(b'{"a": 1}'))
    decompress_body(req, 1024)
    assert req.body == b'{"a": 1}' and req.content_length == 8
    plain = request(b"raw", "identity")
    decompress_body(plain, 1024)
    assert plain.body == b"raw"


def test_a_bomb_stops_at_the_limit() -> None:
    with pytest.raises(AWSError) as info:
        decompress_body(request(gzip.compress(b"\0" * 1_000_000)), 1000)
    assert info.value.status == 413


@pytest.mark.parametrize("body", [b"not gzip", gzip.compress(b"x" * 100, mtime=0)[:-8]], ids=["not gzip", "truncated"])
def test_broken_gzip_is_a_serialization_error(body: bytes) -> None:
    with pytest.raises(AWSError) as info:
        decompress_body(request(body), 1024)
    assert (info.value.code, info.value.status) == ("SerializationException", 400)
