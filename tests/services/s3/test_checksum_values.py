"""`given_checksums` (the checksum values a request carries) against a plain reading of the rule:
each algorithm's member, else its trailer; more than one is refused; a value must be base64 of
the algorithm's digest size, decoded strictly (as `base64.b64decode(validate=True)`)."""

from __future__ import annotations

import base64
import binascii

from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.services.s3.checksums import ALGORITHMS, given_checksums, header, member

VALUES = st.one_of(
    st.sampled_from([base64.b64encode(bytes(n)).decode() for n in (4, 8, 20, 32, 64, 16)]),
    st.text("ABCDEFabcdef0123456789+/= \n-_é", max_size=12),
    st.none(),
)
PARAMS = st.dictionaries(st.sampled_from([member(a) for a in ALGORITHMS] + ["Bucket", "Key"]), VALUES)
TRAILERS = st.one_of(st.none(), st.dictionaries(
    st.sampled_from([header(a) for a in ALGORITHMS] + ["x-amz-other"]), VALUES.filter(lambda v: v is not None)))


def reference(params: dict[str, object], extra: dict[str, str] | None) -> dict[str, str] | tuple[str, str]:
    found: dict[str, str] = {}
    for algorithm in ALGORITHMS:
        value = params.get(member(algorithm))
        if value is None and extra:
            value = extra.get(header(algorithm))
        if value is not None:
            found[algorithm] = str(value)
    if len(found) > 1:
        return ("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
    for algorithm, value in found.items():
        try:
            size = len(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            size = -1
        if size != ALGORITHMS[algorithm][0]:
            return ("InvalidRequest", f"Value for {header(algorithm)} header is invalid.")
    return found


@given(PARAMS, TRAILERS)
def test_given_checksums_reads_members_then_trailers(params: dict[str, object], extra: dict[str, str] | None) -> None:
    try:
        got: dict[str, str] | tuple[str, str] = given_checksums(params, extra)
    except AWSError as err:
        got = (err.code, err.message)
    assert got == reference(params, extra)
