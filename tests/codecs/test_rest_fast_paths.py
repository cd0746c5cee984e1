"""The REST codecs' per-request shortcuts give what the slow, obvious way gives.

Request headers are read straight from the WSGI environ (not through werkzeug's
`EnvironHeaders`), routes are remembered per (method, path), located members
are read against a per-shape plan, and ISO 8601 timestamps are written without
`strftime`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from botocore.parsers import create_parser
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import EnvironHeaders

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for, values
from pytest_cloudmock.protocols.rest_routing import find_operation, headers_by_lower_name
from pytest_cloudmock.wire import WireRequest

S3 = service_model("s3")

_ENVIRON_KEY = st.one_of(
    st.sampled_from(
        [
            "CONTENT_TYPE",
            "CONTENT_LENGTH",
            "HTTP_CONTENT_TYPE",
            "HTTP_CONTENT_LENGTH",
            "HTTP_HOST",
            "HTTP_X_AMZ_META_A",
            "REQUEST_METHOD",
            "wsgi.input",
        ]
    ),
    st.from_regex(r"\AHTTP_[A-Za-z0-9_\-]{1,12}\Z"),
    st.from_regex(r"\A[A-Za-z_.]{1,12}\Z"),
)


@given(st.dictionaries(_ENVIRON_KEY, st.sampled_from(["", "v", "a, b", "X"]), max_size=12))
def test_environ_headers_read_directly_match_werkzeug(environ: dict[str, str]) -> None:
    expected: dict[str, str] = {}
    for key, value in EnvironHeaders(environ).items():
        expected.setdefault(key.lower(), value)
    got = headers_by_lower_name(EnvironHeaders(environ))
    assert list(got.items()) == list(expected.items())


def test_a_remembered_path_still_routes_by_query_and_headers() -> None:
    """The (method, path) match is reused; the operation still follows query and headers."""
    codec = codec_for("rest-xml", "s3")
    path = "/bucket/some%20dir/key.txt"
    cases = [
        ("", {}, "GetObject"),
        ("tagging", {}, "GetObjectTagging"),
        ("acl", {}, "GetObjectAcl"),
        ("", {}, "GetObject"),
    ]
    for query, headers, operation in cases:
        request = WireRequest.from_parts("GET", f"{path}?{query}", headers)
        assert find_operation(request, S3) == operation
        params = codec.parse(request, S3.operation_model(operation))
        assert (params["Bucket"], params["Key"]) == ("bucket", "some dir/key.txt")
    put = WireRequest.from_parts("PUT", path, {"x-amz-copy-source": "/src/k"})
    assert find_operation(put, S3) == "CopyObject"
    assert find_operation(WireRequest.from_parts("PUT", path, {}), S3) == "PutObject"


def test_params_and_errors_come_in_model_order() -> None:
    """Located members are read in model order whatever order the request carries them in."""
    op = S3.operation_model("PutObject")
    codec = codec_for("rest-xml", "s3")
    headers = [("x-amz-meta-b", "2"), ("Content-Length", "3"), ("x-amz-acl", "private")]
    params = codec.parse(WireRequest.from_parts("PUT", "/b/k", headers, b"abc"), op)
    members = list(op.input_shape.members)
    located = [name for name in params if name != "Body"]  # the payload follows them
    assert located == sorted(located, key=members.index)
    assert located == ["ACL", "Bucket", "ContentLength", "Key", "Metadata"]
    assert params["Metadata"] == {"b": "2"} and params["ContentLength"] == 3
    bad = [("x-amz-object-lock-retain-until-date", "never"), ("Content-Length", "three")]
    with pytest.raises(AWSError, match="three"):  # the first bad member in model order
        codec.parse(WireRequest.from_parts("PUT", "/b/k", bad), op)


@given(
    st.datetimes(
        timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-7))]),
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
    )
)
def test_iso8601_matches_strftime_and_botocore(value: datetime) -> None:
    utc = value.astimezone(timezone.utc)
    text = values.format_timestamp(value, values.ISO8601)
    head = utc.strftime("%Y-%m-%dT%H:%M:%S")
    micro = utc.microsecond
    tail = "" if not micro else f".{micro // 1000:03d}" if micro % 1000 == 0 else f".{micro:06d}"
    assert text == f"{head}{tail}Z"
    if utc.year >= 1000:  # botocore reads back what it can represent
        parser = create_parser("rest-xml")
        assert parser._timestamp_parser(text) == utc
