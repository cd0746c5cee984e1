"""Multipart uploads: parts, copies, completion rules, checksums, listing, abort."""

from __future__ import annotations

import base64
import hashlib
import os
import zlib
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of

MB = 1024 * 1024


def _upload(s3: Any, bucket: str, key: str, **kwargs: Any) -> str:
    return s3.create_multipart_upload(Bucket=bucket, Key=key, **kwargs)["UploadId"]


def test_multipart_roundtrip_and_etag(s3: Any, bucket: str) -> None:
    parts_data = [os.urandom(5 * MB), os.urandom(5 * MB), b"tail"]
    upload = _upload(s3, bucket, "big", Metadata={"m": "1"}, ContentType="text/big")
    parts = []
    for number, data in enumerate(parts_data, 1):
        etag = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=number,
                              Body=data)["ETag"]
        assert etag == f'"{hashlib.md5(data).hexdigest()}"'
        parts.append({"PartNumber": number, "ETag": etag})
    listed = s3.list_parts(Bucket=bucket, Key="big", UploadId=upload)
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 5 * MB), (2, 5 * MB), (3, 4)]
    page = s3.list_parts(Bucket=bucket, Key="big", UploadId=upload, MaxParts=2)
    assert page["IsTruncated"] and page["NextPartNumberMarker"] == 2
    done = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload,
                                        MultipartUpload={"Parts": parts})
    expected = hashlib.md5(b"".join(hashlib.md5(d).digest() for d in parts_data)).hexdigest()
    assert done["ETag"] == f'"{expected}-3"'
    assert done["Key"] == "big" and done["Bucket"] == bucket
    got = s3.get_object(Bucket=bucket, Key="big")
    assert got["Body"].read() == b"".join(parts_data)
    assert got["Metadata"] == {"m": "1"} and got["ContentType"] == "text/big"
    second = s3.get_object(Bucket=bucket, Key="big", PartNumber=2)
    assert second["Body"].read() == parts_data[1]
    assert second["PartsCount"] == 3 and second["ResponseMetadata"]["HTTPStatusCode"] == 206
    attrs = s3.get_object_attributes(Bucket=bucket, Key="big", ObjectAttributes=["ObjectParts", "ETag"])
    assert attrs["ObjectParts"]["TotalPartsCount"] == 3 and attrs["ETag"] == f"{expected}-3"
    with pytest.raises(ClientError) as exc:
        s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload,
                                     MultipartUpload={"Parts": parts})
    assert error_of(exc) == ("NoSuchUpload", 404)


def test_complete_validation(s3: Any, bucket: str) -> None:
    upload = _upload(s3, bucket, "k")
    small = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=1, Body=b"a")["ETag"]
    last = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=2, Body=b"b")["ETag"]
    for parts, code in (
        ([{"PartNumber": 1, "ETag": small}, {"PartNumber": 2, "ETag": last}], "EntityTooSmall"),
        ([{"PartNumber": 2, "ETag": last}, {"PartNumber": 1, "ETag": small}], "InvalidPartOrder"),
        ([{"PartNumber": 1, "ETag": '"0123"'}], "InvalidPart"),
        ([{"PartNumber": 7, "ETag": small}], "InvalidPart"),
    ):
        with pytest.raises(ClientError) as exc:
            s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload,
                                         MultipartUpload={"Parts": parts})
        assert error_of(exc) == (code, 400)
    with pytest.raises(ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=10001, Body=b"x")
    assert error_of(exc) == ("InvalidArgument", 400)
    with pytest.raises(ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key="k", UploadId="nope", PartNumber=1, Body=b"x")
    assert error_of(exc) == ("NoSuchUpload", 404)
    # a single small part is fine (the last part may be small)
    s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": small}]})
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"a"
    # conditional completion: If-None-Match: * refuses to overwrite
    again = _upload(s3, bucket, "k")
    etag = s3.upload_part(Bucket=bucket, Key="k", UploadId=again, PartNumber=1, Body=b"b")["ETag"]
    with pytest.raises(ClientError) as exc:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=again, IfNoneMatch="*",
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert error_of(exc) == ("PreconditionFailed", 412)


def test_abort_and_list_uploads(s3: Any, bucket: str) -> None:
    ids = {key: _upload(s3, bucket, key) for key in ("a/1", "a/2", "b")}
    listed = s3.list_multipart_uploads(Bucket=bucket)
    assert [u["Key"] for u in listed["Uploads"]] == ["a/1", "a/2", "b"]
    grouped = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["a/"]
    assert s3.abort_multipart_upload(Bucket=bucket, Key="b", UploadId=ids["b"])[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as exc:
        s3.abort_multipart_upload(Bucket=bucket, Key="b", UploadId=ids["b"])
    assert error_of(exc) == ("NoSuchUpload", 404)
    with pytest.raises(ClientError) as exc:
        s3.list_parts(Bucket=bucket, Key="b", UploadId=ids["b"])
    assert error_of(exc) == ("NoSuchUpload", 404)
    assert [u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket, Prefix="a/")["Uploads"]] == [
        "a/1", "a/2"]


def test_upload_part_copy(s3: Any, bucket: str) -> None:
    source = os.urandom(6 * MB)
    s3.put_object(Bucket=bucket, Key="src", Body=source)
    upload = _upload(s3, bucket, "dst")
    p1 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                             CopySource={"Bucket": bucket, "Key": "src"},
                             CopySourceRange=f"bytes=0-{5 * MB - 1}")["CopyPartResult"]["ETag"]
    p2 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=2,
                             CopySource=f"{bucket}/src",
                             CopySourceRange=f"bytes={5 * MB}-{6 * MB - 1}")["CopyPartResult"]["ETag"]
    assert p1 == f'"{hashlib.md5(source[:5 * MB]).hexdigest()}"'
    with pytest.raises(ClientError) as exc:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=3,
                            CopySource=f"{bucket}/src", CopySourceRange=f"bytes=0-{7 * MB}")
    # what S3 answers for a range past the source (reported from S3 in versity/versitygw#610)
    assert error_of(exc) == ("InvalidArgument", 400)
    assert exc.value.response["Error"]["Message"] == f"Range specified is not valid for source object of size: {6 * MB}"
    s3.complete_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": p1}, {"PartNumber": 2, "ETag": p2}]})
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == source


def test_multipart_checksums(s3: Any, bucket: str) -> None:
    data = [os.urandom(5 * MB), b"end"]
    upload = _upload(s3, bucket, "c", ChecksumAlgorithm="CRC32")
    parts = []
    for number, chunk in enumerate(data, 1):
        crc = base64.b64encode(zlib.crc32(chunk).to_bytes(4, "big")).decode()
        out = s3.upload_part(Bucket=bucket, Key="c", UploadId=upload, PartNumber=number, Body=chunk,
                             ChecksumCRC32=crc)
        assert out["ChecksumCRC32"] == crc
        parts.append({"PartNumber": number, "ETag": out["ETag"], "ChecksumCRC32": crc})
    done = s3.complete_multipart_upload(Bucket=bucket, Key="c", UploadId=upload,
                                        MultipartUpload={"Parts": parts})
    digests = b"".join(zlib.crc32(c).to_bytes(4, "big") for c in data)
    composite = base64.b64encode(zlib.crc32(digests).to_bytes(4, "big")).decode() + "-2"
    assert done["ChecksumCRC32"] == composite and done["ChecksumType"] == "COMPOSITE"
    head = s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == composite

    full = _upload(s3, bucket, "f", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    etag = s3.upload_part(Bucket=bucket, Key="f", UploadId=full, PartNumber=1, Body=b"whole",
                          ChecksumAlgorithm="CRC32")["ETag"]
    out = s3.complete_multipart_upload(Bucket=bucket, Key="f", UploadId=full,
                                       MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert out["ChecksumCRC32"] == base64.b64encode(zlib.crc32(b"whole").to_bytes(4, "big")).decode()
    assert out["ChecksumType"] == "FULL_OBJECT"
    with pytest.raises(ClientError) as exc:
        s3.create_multipart_upload(Bucket=bucket, Key="x", ChecksumAlgorithm="SHA256",
                                   ChecksumType="FULL_OBJECT")
    assert error_of(exc) == ("InvalidRequest", 400)
