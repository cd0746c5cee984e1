"""Checksums: verification and storage of every algorithm, aws-chunked bodies, ETags, errors."""

from __future__ import annotations

import base64
import hashlib
import io
import random
import zlib
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum, Sha256Checksum

from pytest_cloudmock.services.s3 import checksums
from pytest_cloudmock.transport import attachments

from .conftest import error_of
from .raw import send, signed_chunks

CHECK = b"123456789"  # the CRC catalogue's check input; values below are the catalogue's
CATALOGUE = {
    "CRC32": 0xCBF43926.to_bytes(4, "big"),
    "CRC32C": 0xE3069283.to_bytes(4, "big"),
    "CRC64NVME": 0xAE8B14860A799888.to_bytes(8, "big"),
    "SHA1": hashlib.sha1(CHECK).digest(),
    "SHA256": hashlib.sha256(CHECK).digest(),
}


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


@pytest.mark.parametrize("algorithm", sorted(CATALOGUE))
def test_client_supplied_checksums_verified_and_returned(s3: Any, bucket: str, algorithm: str) -> None:
    value = b64(CATALOGUE[algorithm])
    put = s3.put_object(Bucket=bucket, Key="k", Body=CHECK, **{f"Checksum{algorithm}": value})
    assert put[f"Checksum{algorithm}"] == value
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert got["Body"].read() == CHECK
    assert got[f"Checksum{algorithm}"] == value
    assert got["ChecksumType"] == "FULL_OBJECT"
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert head[f"Checksum{algorithm}"] == value
    wrong = b64(bytes(len(CATALOGUE[algorithm])))
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k2", Body=CHECK, **{f"Checksum{algorithm}": wrong})
    assert error_of(exc) == ("BadDigest", 400)
    assert algorithm in exc.value.response["Error"]["Message"]


def test_sdk_computed_checksum_algorithms(s3: Any, bucket: str) -> None:
    for algorithm in ("CRC32", "SHA1", "SHA256"):
        s3.put_object(Bucket=bucket, Key=algorithm, Body=CHECK, ChecksumAlgorithm=algorithm)
        got = s3.head_object(Bucket=bucket, Key=algorithm, ChecksumMode="ENABLED")
        assert got[f"Checksum{algorithm}"] == b64(CATALOGUE[algorithm])


def test_default_checksum_is_stored(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=CHECK)
    got = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    # boto3's default sends CRC32; without one S3 computes CRC64NVME itself
    assert got.get("ChecksumCRC32") == b64(CATALOGUE["CRC32"]) or (
        got.get("ChecksumCRC64NVME") == b64(CATALOGUE["CRC64NVME"])
    )
    assert "ChecksumCRC32" not in s3.head_object(Bucket=bucket, Key="k")


def test_content_md5(s3: Any, bucket: str) -> None:
    good = b64(hashlib.md5(b"data").digest())
    s3.put_object(Bucket=bucket, Key="k", Body=b"data", ContentMD5=good)
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"data", ContentMD5=b64(hashlib.md5(b"x").digest()))
    assert error_of(exc) == ("BadDigest", 400)
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"data", ContentMD5="not-base64!")
    assert error_of(exc) == ("InvalidDigest", 400)


def test_checksum_header_errors(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=CHECK, ChecksumCRC32="AAAA")
    assert error_of(exc) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=CHECK, ChecksumCRC32=b64(CATALOGUE["CRC32"]),
                      ChecksumSHA1=b64(CATALOGUE["SHA1"]))
    assert error_of(exc) == ("InvalidRequest", 400)


def _chunked_headers(decoded: int, sha: str, trailer: str | None) -> dict[str, str]:
    headers = {"x-amz-content-sha256": sha, "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(decoded)}
    if trailer:
        headers["x-amz-trailer"] = trailer
    return headers


def test_aws_chunked_unsigned_trailer(aws: Any, s3_default: Any, bucket: str) -> None:
    data = bytes(range(256)) * 1000
    # botocore's own aws-chunked writer is the oracle for the framing
    body = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=Crc32Checksum,
                             checksum_name="x-amz-checksum-crc32", chunk_size=65536).read()
    status, _, out = send(
        aws.endpoint, "PUT", f"/{bucket}/chunked", body,
        _chunked_headers(len(data), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32"),
    )
    assert status == 200, out
    got = s3_default.get_object(Bucket=bucket, Key="chunked", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ChecksumCRC32"] == b64(zlib.crc32(data).to_bytes(4, "big"))
    assert got["ContentLength"] == len(data)
    assert "ContentEncoding" not in got


def test_aws_chunked_random_framing(aws: Any, s3_default: Any, bucket: str) -> None:
    """Seeded random sizes and chunkings, framed by botocore's writer, decode byte-exact."""
    rng = random.Random(5)
    for i in range(6):
        data = rng.randbytes(rng.choice([0, 1, 100, 65536, 200_001]))
        body = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=Crc32Checksum,
                                 checksum_name="x-amz-checksum-crc32",
                                 chunk_size=rng.choice([1, 7, 1024, 65536])).read()
        status, _, out = send(
            aws.endpoint, "PUT", f"/{bucket}/r{i}", body,
            _chunked_headers(len(data), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32"),
        )
        assert status == 200, out
        assert s3_default.get_object(Bucket=bucket, Key=f"r{i}")["Body"].read() == data


def test_aws_chunked_signed_with_and_without_trailer(aws: Any, s3_default: Any, bucket: str) -> None:
    data = b"signed streaming payload " * 5000
    body = signed_chunks(data, 8192)
    status, _, out = send(aws.endpoint, "PUT", f"/{bucket}/signed", body,
                          _chunked_headers(len(data), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", None))
    assert status == 200, out
    assert s3_default.get_object(Bucket=bucket, Key="signed")["Body"].read() == data
    sha = b64(hashlib.sha256(data).digest())
    body = signed_chunks(data, 8192, {"x-amz-checksum-sha256": sha})
    status, _, out = send(
        aws.endpoint, "PUT", f"/{bucket}/trailer", body,
        _chunked_headers(len(data), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "x-amz-checksum-sha256"),
    )
    assert status == 200, out
    got = s3_default.get_object(Bucket=bucket, Key="trailer", ChecksumMode="ENABLED")
    assert got["Body"].read() == data and got["ChecksumSHA256"] == sha


def test_aws_chunked_errors(aws: Any, bucket: str) -> None:
    data = b"x" * 1000
    bad = AwsChunkedWrapper(io.BytesIO(b"y" * 1000), checksum_cls=Sha256Checksum,
                            checksum_name="x-amz-checksum-sha256").read()
    tampered = bad.replace(b"y" * 1000, data)  # trailer checksum no longer matches the data
    status, _, out = send(
        aws.endpoint, "PUT", f"/{bucket}/bad", tampered,
        _chunked_headers(len(data), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-sha256"),
    )
    assert status == 400 and b"<Code>BadDigest</Code>" in out
    good = signed_chunks(data, 100)
    status, _, out = send(aws.endpoint, "PUT", f"/{bucket}/len", good,
                          _chunked_headers(999, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", None))
    assert status == 400 and b"<Code>IncompleteBody</Code>" in out
    status, _, out = send(aws.endpoint, "PUT", f"/{bucket}/trunc", good[:-40],
                          _chunked_headers(1000, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", None))
    assert status == 400 and b"<Code>IncompleteBody</Code>" in out


def test_content_sha256_mismatch(aws: Any, bucket: str) -> None:
    status, _, out = send(aws.endpoint, "PUT", f"/{bucket}/k", b"actual",
                          {"x-amz-content-sha256": hashlib.sha256(b"claimed").hexdigest()})
    assert status == 400
    assert b"<Code>XAmzContentSHA256Mismatch</Code>" in out
    assert hashlib.sha256(b"actual").hexdigest().encode() in out


def test_crc_implementations_match_the_catalogue() -> None:
    for algorithm, digest in CATALOGUE.items():
        assert checksums.checksum_of(algorithm, [CHECK[:4], CHECK[4:]]) == b64(digest)


def test_large_bodies_verify_every_digest(s3: Any, bucket: str) -> None:
    """From `PARALLEL_DIGESTS` bytes the digests run in two threads: each is still checked."""
    from pytest_cloudmock.services.s3.blob import PARALLEL_DIGESTS

    data = random.Random(7).randbytes(PARALLEL_DIGESTS + 12345)
    md5 = hashlib.md5(data).digest()
    crc = b64(zlib.crc32(data).to_bytes(4, "big"))
    put = s3.put_object(Bucket=bucket, Key="big", Body=data, ContentMD5=b64(md5), ChecksumCRC32=crc)
    assert put["ETag"] == f'"{md5.hex()}"' and put["ChecksumCRC32"] == crc
    got = s3.get_object(Bucket=bucket, Key="big", ChecksumMode="ENABLED")
    assert got["Body"].read() == data and got["ChecksumCRC32"] == crc
    for wrong in ({"ContentMD5": b64(hashlib.md5(b"x").digest())}, {"ChecksumCRC32": b64(bytes(4))},
                  {"ChecksumSHA256": b64(bytes(32))}):
        with pytest.raises(ClientError) as exc:
            s3.put_object(Bucket=bucket, Key="refused", Body=data, **wrong)
        assert error_of(exc) == ("BadDigest", 400)


def test_large_body_sha256_mismatch(aws: Any, bucket: str) -> None:
    data = bytes(range(256)) * 5000
    status, _, out = send(aws.endpoint, "PUT", f"/{bucket}/k", data,
                          {"x-amz-content-sha256": hashlib.sha256(b"claimed").hexdigest()})
    assert status == 400 and b"<Code>XAmzContentSHA256Mismatch</Code>" in out
    assert hashlib.sha256(data).hexdigest().encode() in out


def test_inprocess_put_keeps_the_callers_bytes(aws: Any, s3_default: Any, bucket: str) -> None:
    """An in-process upload is stored without a copy and read back as the same bytes object."""
    data = bytes(range(256)) * 8192
    s3_default.put_object(Bucket=bucket, Key="k", Body=data)
    read = s3_default.get_object(Bucket=bucket, Key="k")["Body"].read()
    assert read == data
    inprocess = any(a.gateway is aws and a.transport == "inprocess" for a in attachments())
    assert (read is data) == inprocess
