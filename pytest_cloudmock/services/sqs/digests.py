"""The MD5 digests SQS returns and SDKs check: of the body, and of (system) message attributes."""

from __future__ import annotations

import hashlib
import struct
from typing import Any


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def md5_of_body(body: str) -> str:
    return md5_hex(body.encode())


def md5_of_attributes(attributes: dict[str, dict[str, Any]]) -> str:
    """AWS's digest of message (or system) attributes: sorted, length-prefixed fields."""
    out = bytearray()

    def field(value: bytes) -> None:
        out.extend(struct.pack(">I", len(value)))
        out.extend(value)

    for name in sorted(attributes):
        value = attributes[name]
        data_type = value["DataType"]
        field(name.encode())
        field(data_type.encode())
        if data_type.startswith("Binary"):
            out.append(2)
            field(bytes(value["BinaryValue"]))
        else:
            out.append(1)
            field(value["StringValue"].encode())
    return md5_hex(bytes(out))


def message_dedup_id(body: str) -> str:
    """The deduplication id of content-based deduplication: SHA-256 of the body."""
    return hashlib.sha256(body.encode()).hexdigest()
