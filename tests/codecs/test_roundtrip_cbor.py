"""botocore <-> CborCodec round trips over every smithy-rpc-v2-cbor service (see roundtrip.py)."""

from roundtrip import roundtrip_test

test_roundtrip = roundtrip_test("smithy-rpc-v2-cbor")
