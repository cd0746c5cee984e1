"""botocore <-> Ec2Codec round trips over EC2 (see roundtrip.py)."""

from roundtrip import roundtrip_test

test_roundtrip = roundtrip_test("ec2")
