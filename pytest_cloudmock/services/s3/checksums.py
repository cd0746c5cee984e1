"""S3 checksums: the algorithms, their base64 values, and multipart combinations.

CRC32 comes from `zlib`, CRC32C and CRC64NVME from `crcmod` (its C extension
runs at ~300 MB/s here), SHA-1/SHA-256/SHA-512/MD5 from `hashlib`. Values travel
as base64 of the big-endian digest, as S3 writes them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Iterable
from typing import Protocol

import crcmod

from ...api import AWSError

# CRC-64/NVME: poly 0xAD93D23594C93659, reflected, init and xorout all ones.
_crc64nvme = crcmod.mkCrcFun(0x1AD93D23594C93659, initCrc=0, rev=True, xorOut=0xFFFFFFFFFFFFFFFF)
_crc32c = crcmod.mkCrcFun(0x11EDC6F41, initCrc=0, rev=True, xorOut=0xFFFFFFFF)

# S3 algorithm name -> (digest bytes, composite allowed, full-object allowed)
ALGORITHMS: dict[str, tuple[int, bool, bool]] = {
    "CRC32": (4, True, True),
    "CRC32C": (4, True, True),
    "CRC64NVME": (8, False, True),
    "SHA1": (20, True, False),
    "SHA256": (32, True, False),
    "SHA512": (64, True, False),
    "MD5": (16, True, False),
}


#: crcmod's C loop holds the GIL for its whole input: it is fed this many bytes at a time, so
#: that other threads (the digests beside it, the HTTP server) run in between
CRC_SLICE = 1 << 18

#: a digest's rough time per byte here, relative (for splitting a large body's digests between
#: two threads): hashlib and zlib release the GIL and run at 0.5-2 GB/s, crcmod at ~300 MB/s
COSTS = {"crc32": 1, "sha1": 2, "sha256": 2, "sha512": 4, "md5": 6, "crc32c": 9, "crc64nvme": 9}


class Hasher(Protocol):
    name: str

    def update(self, data: bytes) -> None: ...

    def digest(self) -> bytes: ...


def cost(hasher: Hasher) -> int:
    """A hasher's relative time per byte (`COSTS`)."""
    return COSTS.get(hasher.name, 2)


class _Crc:
    """A running CRC with hashlib's interface."""

    def __init__(self, name: str, fn: object, width: int) -> None:
        self.name = name
        self._fn = fn
        self._width = width
        self._value = 0

    def update(self, data: bytes) -> None:
        fn = self._fn
        if fn is None:
            self._value = zlib.crc32(data, self._value)
        elif len(data) <= CRC_SLICE:
            self._value = fn(data, self._value)  # type: ignore[operator]
        else:
            view = memoryview(data)
            for start in range(0, len(view), CRC_SLICE):
                self._value = fn(view[start:start + CRC_SLICE], self._value)  # type: ignore[operator]

    def digest(self) -> bytes:
        return self._value.to_bytes(self._width, "big")


def new_hasher(algorithm: str) -> Hasher:
    """A running hasher for an S3 checksum algorithm name."""
    if algorithm == "CRC32":
        return _Crc("crc32", None, 4)
    if algorithm == "CRC32C":
        return _Crc("crc32c", _crc32c, 4)
    if algorithm == "CRC64NVME":
        return _Crc("crc64nvme", _crc64nvme, 8)
    return hashlib.new({"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512", "MD5": "md5"}[algorithm])


def b64(digest: bytes) -> str:
    return binascii.b2a_base64(digest, newline=False).decode("ascii")


def checksum_of(algorithm: str, chunks: Iterable[bytes]) -> str:
    """The base64 checksum of some data."""
    hasher = new_hasher(algorithm)
    for chunk in chunks:
        hasher.update(chunk)
    return b64(hasher.digest())


def member(algorithm: str) -> str:
    """The params/output member of an algorithm (`ChecksumCRC32`)."""
    return f"Checksum{algorithm}"


def header(algorithm: str) -> str:
    return f"x-amz-checksum-{algorithm.lower()}"


#: params member (`ChecksumCRC32`) -> algorithm; header (`x-amz-checksum-crc32`) -> algorithm
_BY_MEMBER = {member(a): a for a in ALGORITHMS}
_BY_HEADER = {header(a): a for a in ALGORITHMS}


def check_algorithm(name: str) -> str:
    """An algorithm name as S3 spells it, or AWS's error."""
    algorithm = name.upper()
    if algorithm not in ALGORITHMS:
        raise AWSError(
            "InvalidRequest",
            "Checksum algorithm provided is unsupported. Please try again with any of the valid "
            "types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
        )
    return algorithm


def given_checksums(params: dict[str, object], extra: dict[str, str] | None = None) -> dict[str, str]:
    """The checksum values a request carries ({algorithm: base64}), validated for shape.

    `extra` holds header-style values (from `aws-chunked` trailers).
    """
    found = {_BY_MEMBER[name]: str(params[name]) for name in _BY_MEMBER.keys() & params.keys()
             if params[name] is not None}
    if extra:
        for name in _BY_HEADER.keys() & extra.keys():
            found.setdefault(_BY_HEADER[name], extra[name])  # a header's value wins over a trailer's
    if len(found) > 1:
        raise AWSError(
            "InvalidRequest",
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
        )
    for algorithm, value in found.items():
        if _decoded_length(value) != ALGORITHMS[algorithm][0]:
            raise AWSError("InvalidRequest", f"Value for {header(algorithm)} header is invalid.")
    return found


def _decoded_length(value: str) -> int:
    try:
        return len(binascii.a2b_base64(value, strict_mode=True))  # base64.b64decode(validate=True)
    except (binascii.Error, ValueError):
        return -1


def content_md5(value: str) -> bytes:
    """The digest a `Content-MD5` header names, or `InvalidDigest`."""
    try:
        digest = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 16:
        raise AWSError(
            "InvalidDigest", "The Content-MD5 you specified was invalid.", **{"Content-MD5": value}
        )
    return digest


def mismatch(algorithm: str) -> AWSError:
    """S3's error for a checksum that does not match the data."""
    return AWSError("BadDigest", f"The {algorithm} you specified did not match the calculated checksum.")


def composite(algorithm: str, part_checksums: list[str]) -> str:
    """A multipart upload's composite checksum: the checksum of the part digests, `-N`."""
    hasher = new_hasher(algorithm)
    for value in part_checksums:
        hasher.update(base64.b64decode(value))
    return f"{b64(hasher.digest())}-{len(part_checksums)}"


def multipart_etag(part_md5s: list[bytes]) -> str:
    """S3's multipart ETag: MD5 of the parts' MD5 digests, `-N`, quoted."""
    return f'"{hashlib.md5(b"".join(part_md5s)).hexdigest()}-{len(part_md5s)}"'
