"""Prefix expressions: Java DateTimeFormatter patterns, error output types, object names."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.services.firehose import prefixes

MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                       timezones=st.just(timezone.utc))


@given(MOMENTS)
def test_timestamp_patterns_match_the_clock(moment):
    assert prefixes.java_format("yyyy/MM/dd/HH", moment) == moment.strftime("%Y/%m/%d/%H")
    assert prefixes.java_format("'dt='yyyy-MM-dd'/h='HH", moment) == moment.strftime("dt=%Y-%m-%d/h=%H")
    assert prefixes.java_format("yy-mm-ss", moment) == moment.strftime("%y-%M-%S")


def test_evaluate_and_default_error_location():
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    assert prefixes.evaluate("a/!{timestamp:yyyy}/!{firehose:error-output-type}/", moment, "processing-failed") == \
        "a/2026/processing-failed/"
    key = prefixes.object_key({"Prefix": "p/"}, "s", 3, moment, moment, "processing-failed")
    assert key.startswith("p/processing-failed/2026/03/04/05/s-3-2026-03-04-05-06-07-")


@pytest.mark.parametrize(("prefix", "error_prefix"), [
    ("!{firehose:error-output-type}/", "e/"),   # only allowed in the error prefix
    ("!{nope:x}/", "e/"),                       # unknown namespace
    ("!{timestamp:yyyy}/", None),               # expressions need an error prefix
])
def test_bad_prefixes_are_refused(prefix, error_prefix):
    with pytest.raises(AWSError) as info:
        prefixes.check(prefix, error_prefix)
    assert info.value.code == "InvalidArgumentException"
