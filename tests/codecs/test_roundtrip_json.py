"""botocore <-> JsonCodec round trips over every json-protocol service (see roundtrip.py)."""

from roundtrip import roundtrip_test

test_roundtrip = roundtrip_test("json")
