"""botocore <-> RestXmlCodec round trips over every rest-xml service (see roundtrip.py)."""

from roundtrip import roundtrip_test

test_roundtrip = roundtrip_test("rest-xml")
