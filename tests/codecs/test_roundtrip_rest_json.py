"""botocore <-> RestJsonCodec round trips over every rest-json service (see roundtrip.py)."""

from roundtrip import roundtrip_test

test_roundtrip = roundtrip_test("rest-json")
