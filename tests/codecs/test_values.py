"""The shared scalar conversions of `protocols.values`."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from botocore.parsers import DEFAULT_TIMESTAMP_PARSER
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import values

UTC = timezone.utc
instants = st.integers(0, 4_000_000_000_000).map(
    lambda ms: datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
)


@given(instants, st.sampled_from([values.ISO8601, values.UNIX]))
def test_timestamps_round_trip_with_milliseconds(instant, fmt):
    wire = values.format_timestamp(instant, fmt)
    assert values.parse_timestamp(wire, fmt) == instant
    assert DEFAULT_TIMESTAMP_PARSER(wire) == instant  # botocore reads it back


@given(instants)
def test_rfc822_keeps_whole_seconds(instant):
    wire = values.format_timestamp(instant, values.RFC822)
    assert wire.endswith(" GMT")
    assert values.parse_timestamp(wire, values.RFC822) == instant.replace(microsecond=0)


def test_timestamp_shapes_of_output():
    t = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert values.format_timestamp(t, values.UNIX) == 1704164645
    assert values.format_timestamp(t.replace(microsecond=250_000), values.UNIX) == 1704164645.25
    assert values.format_timestamp(t, values.ISO8601) == "2024-01-02T03:04:05Z"
    assert (
        values.format_timestamp(t.replace(microsecond=5000), "ISO8601")
        == "2024-01-02T03:04:05.005Z"
    )
    assert (
        values.format_timestamp(t.replace(microsecond=5), values.ISO8601)
        == "2024-01-02T03:04:05.000005Z"
    )
    assert values.format_timestamp(t, values.RFC822) == "Tue, 02 Jan 2024 03:04:05 GMT"
    assert (
        values.format_timestamp_text(t.replace(microsecond=250_000), values.UNIX) == "1704164645.25"
    )


@pytest.mark.parametrize(
    "wire",
    [
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.000Z",
        "2024-01-02T04:04:05+01:00",
        "2024-01-02T03:04:05",
        "Tue, 02 Jan 2024 03:04:05 GMT",
        "1704164645",
        "1704164645.0",
        1704164645,
        1704164645.0,
    ],
)
def test_every_form_of_a_timestamp_is_accepted(wire):
    parsed = values.parse_timestamp(wire)
    assert parsed == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC) and parsed.tzinfo is not None


@pytest.mark.parametrize("wire", ["yesterday", "", True, math.nan, "2024-13-45T00:00:00Z"])
def test_non_timestamps_raise_value_error(wire):
    with pytest.raises(ValueError):
        values.parse_timestamp(wire)


def test_to_datetime_treats_naive_as_utc():
    assert values.to_datetime(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)
    assert values.to_datetime(0) == datetime(1970, 1, 1, tzinfo=UTC)


def test_timestamp_format_trait_wins_over_the_default():
    shape = service_model("s3").operation_model("CopyObject").input_shape
    member = shape.members["ObjectLockRetainUntilDate"]  # a header, but ISO 8601
    assert values.timestamp_format(member, values.RFC822) == values.ISO8601
    assert values.timestamp_format(None, values.RFC822) == values.RFC822


def test_blobs():
    assert values.encode_blob(b"\x00\xff") == "AP8="
    assert values.encode_blob("hé") == "aMOp"
    assert values.decode_blob("AP8=") == b"\x00\xff"
    assert values.decode_blob("AP\n8=") == b"\x00\xff"
    with pytest.raises(ValueError):
        values.decode_blob("!!")


def test_float_specials_both_ways():
    assert [values.format_float(v) for v in (math.nan, math.inf, -math.inf, 1.5, 2)] == [
        "NaN",
        "Infinity",
        "-Infinity",
        1.5,
        2,
    ]
    assert math.isnan(values.parse_float("NaN"))
    assert values.parse_float("-Infinity") == -math.inf
    assert values.parse_float("1e3") == 1000.0
    for bad in ("abc", "", True):
        with pytest.raises(ValueError):
            values.parse_float(bad)


@given(st.floats())
def test_float_text_reads_back_exactly(value):
    back = values.parse_float(values.float_text(value))
    assert back == value or (math.isnan(back) and math.isnan(value))


def test_integers_and_booleans():
    assert (
        values.parse_int(" 42 ") == 42 and values.parse_int(-3) == -3 and values.parse_int(2.0) == 2
    )
    for bad in ("4.2", "x", True, 1.5):
        with pytest.raises(ValueError):
            values.parse_int(bad)
    assert values.parse_bool("TRUE") is True and values.parse_bool("false") is False
    with pytest.raises(ValueError):
        values.parse_bool("yes")


def test_scalar_text_round_trip_per_shape():
    shape = service_model("sqs").operation_model("ReceiveMessage").input_shape
    wait = shape.members["WaitTimeSeconds"]
    assert values.scalar_to_text(wait, 20, values.ISO8601) == "20"
    assert values.scalar_from_text(wait, "20", values.ISO8601) == 20
    with pytest.raises(ValueError):
        values.scalar_from_text(wait, "soon", values.ISO8601)
