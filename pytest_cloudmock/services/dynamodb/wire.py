"""DynamoDB's wire quirk: every json 1.0 answer carries `x-amz-crc32`, the CRC32 of its body.

botocore checks the header on DynamoDB responses (and retries on a mismatch);
`DynamoDbJsonCodec` writes it on results and errors alike. It is chosen from the
codec table in `protocols/__init__.py` as `("json", "dynamodb")`.
"""

from __future__ import annotations

import zlib

from ...protocols.json_ import JsonCodec
from ...wire import WireResponse


def with_crc32(response: WireResponse) -> WireResponse:
    body = response.body if isinstance(response.body, (bytes, bytearray)) else b""
    response.headers["x-amz-crc32"] = str(zlib.crc32(body) & 0xFFFFFFFF)
    return response


class DynamoDbJsonCodec(JsonCodec):
    """awsJson 1.0 with the `x-amz-crc32` header."""

    def serialize(self, *args, **kwargs) -> WireResponse:  # type: ignore[no-untyped-def]
        return with_crc32(super().serialize(*args, **kwargs))

    def serialize_error(self, *args, **kwargs) -> WireResponse:  # type: ignore[no-untyped-def]
        return with_crc32(super().serialize_error(*args, **kwargs))
