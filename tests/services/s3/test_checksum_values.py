"""`given_checksums` (the checksum values a request carries) against a plain reading of the rule:
each algorithm's member, else its trailer; more than one is refused; a value must be base64 of
the algorithm's digest size, decoded strictly (as `base64.b64decode(validate=True)`)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import random
import zlib

from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.services.s3 import checksums
from pytest_cloudmock.services.s3.blob import PARALLEL_DIGESTS, feed
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


def test_crcs_fed_in_slices_equal_the_whole_and_digests_split_in_two_groups() -> None:
    data = random.Random(3).randbytes(3 * checksums.CRC_SLICE + 5)
    for algorithm, whole in (("CRC32C", checksums._crc32c), ("CRC64NVME", checksums._crc64nvme)):
        hasher = checksums.new_hasher(algorithm)
        hasher.update(data)
        assert int.from_bytes(hasher.digest(), "big") == whole(data)
    big = random.Random(4).randbytes(PARALLEL_DIGESTS + 7)
    hashers = [hashlib.md5(), checksums.new_hasher("CRC64NVME"), hashlib.sha256(), checksums.new_hasher("CRC32")]
    feed([big[:1000], big[1000:]], hashers, len(big))
    assert [h.digest() for h in hashers] == [
        hashlib.md5(big).digest(), checksums._crc64nvme(big).to_bytes(8, "big"),
        hashlib.sha256(big).digest(), zlib.crc32(big).to_bytes(4, "big")]
