"""botocore <-> QueryCodec round trips over every query-protocol service (see roundtrip.py)."""

from roundtrip import roundtrip_test

test_roundtrip = roundtrip_test("query")
