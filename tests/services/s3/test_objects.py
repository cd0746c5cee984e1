"""Objects: put/get/head/delete, metadata and content headers, copy, tags, ACLs, batch delete."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of


def test_put_get_head_delete(s3: Any, bucket: str) -> None:
    body = b"some bytes \x00\xff" * 100
    put = s3.put_object(
        Bucket=bucket, Key="dir/file name+é.bin", Body=body,
        Metadata={"color": "blue", "Mixed-Case": "v"}, ContentType="application/x-thing",
        CacheControl="max-age=60", ContentDisposition="attachment", ContentLanguage="en",
        ContentEncoding="identity", Expires=datetime(2030, 1, 1, tzinfo=timezone.utc),
        StorageClass="STANDARD_IA", WebsiteRedirectLocation="/other",
    )
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="dir/file name+é.bin")
    assert got["Body"].read() == body
    assert got["ContentLength"] == len(body)
    assert got["Metadata"] == {"color": "blue", "mixed-case": "v"}
    assert got["ContentType"] == "application/x-thing"
    assert got["CacheControl"] == "max-age=60"
    assert got["ContentDisposition"] == "attachment"
    assert got["ContentLanguage"] == "en"
    assert got["ContentEncoding"] == "identity"
    assert got["Expires"] == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert got["StorageClass"] == "STANDARD_IA"
    assert got["WebsiteRedirectLocation"] == "/other"
    assert got["ETag"] == put["ETag"]
    assert got["ServerSideEncryption"] == "AES256"
    head = s3.head_object(Bucket=bucket, Key="dir/file name+é.bin")
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]
    assert head["LastModified"] == got["LastModified"]
    overridden = s3.get_object(Bucket=bucket, Key="dir/file name+é.bin",
                               ResponseContentType="text/plain", ResponseCacheControl="no-cache")
    assert overridden["ContentType"] == "text/plain" and overridden["CacheControl"] == "no-cache"
    assert s3.delete_object(Bucket=bucket, Key="dir/file name+é.bin")["ResponseMetadata"][
        "HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="dir/file name+é.bin")
    assert error_of(exc) == ("NoSuchKey", 404)
    assert exc.value.response["Error"]["Key"] == "dir/file name+é.bin"
    with pytest.raises(ClientError) as exc:
        s3.head_object(Bucket=bucket, Key="dir/file name+é.bin")
    assert error_of(exc) == ("404", 404)
    # deleting a missing key is not an error
    assert s3.delete_object(Bucket=bucket, Key="never")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_empty_object_and_default_content_type(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    got = s3.get_object(Bucket=bucket, Key="empty")
    assert got["Body"].read() == b""
    assert got["ContentType"] == "binary/octet-stream"
    assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'


def test_invalid_storage_class(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", StorageClass="BOGUS")
    assert error_of(exc) == ("InvalidStorageClass", 400)


def test_copy_object(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="src", Body=b"payload", Metadata={"a": "1"},
                  ContentType="text/x-src", Tagging="t1=v1")
    out = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert out["CopyObjectResult"]["ETag"] == s3.head_object(Bucket=bucket, Key="src")["ETag"]
    dst = s3.get_object(Bucket=bucket, Key="dst")
    assert dst["Body"].read() == b"payload"
    assert dst["Metadata"] == {"a": "1"} and dst["ContentType"] == "text/x-src"
    assert s3.get_object_tagging(Bucket=bucket, Key="dst")["TagSet"] == [{"Key": "t1", "Value": "v1"}]
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource=f"{bucket}/src",
                   MetadataDirective="REPLACE", Metadata={"b": "2"}, ContentType="text/new",
                   TaggingDirective="REPLACE", Tagging="t2=v2")
    dst2 = s3.head_object(Bucket=bucket, Key="dst2")
    assert dst2["Metadata"] == {"b": "2"} and dst2["ContentType"] == "text/new"
    assert s3.get_object_tagging(Bucket=bucket, Key="dst2")["TagSet"] == [{"Key": "t2", "Value": "v2"}]
    with pytest.raises(ClientError) as exc:
        s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"})
    assert error_of(exc) == ("InvalidRequest", 400)
    s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"c": "3"})
    assert s3.head_object(Bucket=bucket, Key="src")["Metadata"] == {"c": "3"}
    with pytest.raises(ClientError) as exc:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "missing"})
    assert error_of(exc) == ("NoSuchKey", 404)
    with pytest.raises(ClientError) as exc:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": "no-such-b", "Key": "k"})
    assert error_of(exc) == ("NoSuchBucket", 404)


def test_conditional_copy(s3: Any, bucket: str) -> None:
    etag = s3.put_object(Bucket=bucket, Key="src", Body=b"data")["ETag"]
    source = {"Bucket": bucket, "Key": "src"}
    s3.copy_object(Bucket=bucket, Key="ok", CopySource=source, CopySourceIfMatch=etag)
    for kwargs, condition in (
        ({"CopySourceIfMatch": '"0000"'}, "x-amz-copy-source-If-Match"),
        ({"CopySourceIfNoneMatch": etag}, "x-amz-copy-source-If-None-Match"),
        ({"CopySourceIfModifiedSince": datetime(2100, 1, 1, tzinfo=timezone.utc)},
         "x-amz-copy-source-If-Modified-Since"),
        ({"CopySourceIfUnmodifiedSince": datetime(2000, 1, 1, tzinfo=timezone.utc)},
         "x-amz-copy-source-If-Unmodified-Since"),
    ):
        with pytest.raises(ClientError) as exc:
            s3.copy_object(Bucket=bucket, Key="no", CopySource=source, **kwargs)
        assert error_of(exc) == ("PreconditionFailed", 412)
        assert exc.value.response["Error"]["Condition"] == condition


def test_object_tagging(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="a=1&b=two%20words")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [
        {"Key": "a", "Value": "1"}, {"Key": "b", "Value": "two words"}]
    assert s3.get_object(Bucket=bucket, Key="k")["TagCount"] == 2
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": "z", "Value": "9"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "z", "Value": "9"}]
    s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
    with pytest.raises(ClientError) as exc:
        s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": too_many})
    assert error_of(exc) == ("BadRequest", 400)
    with pytest.raises(ClientError) as exc:
        s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [
            {"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}]})
    assert error_of(exc) == ("InvalidTag", 400)
    with pytest.raises(ClientError) as exc:
        s3.get_object_tagging(Bucket=bucket, Key="missing")
    assert error_of(exc) == ("NoSuchKey", 404)


def test_object_acl(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    acl = s3.get_object_acl(Bucket=bucket, Key="k")
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]
    s3.put_object_acl(Bucket=bucket, Key="k", ACL="public-read")
    grants = s3.get_object_acl(Bucket=bucket, Key="k")["Grants"]
    assert {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
            "Permission": "READ"} in grants
    s3.put_object(Bucket=bucket, Key="k2", Body=b"x", ACL="authenticated-read")
    assert len(s3.get_object_acl(Bucket=bucket, Key="k2")["Grants"]) == 2


def test_delete_objects(s3: Any, bucket: str) -> None:
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": "k0"}, {"Key": "k1"}, {"Key": "absent"}, {"Key": "k2", "VersionId": "bogus"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["absent", "k0", "k1"]
    assert [(e["Key"], e["Code"]) for e in out["Errors"]] == [("k2", "InvalidArgument")]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k3"}], "Quiet": True})
    assert "Deleted" not in quiet and "Errors" not in quiet
    remaining = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert remaining == ["k2", "k4"]
    with pytest.raises(ClientError) as exc:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": str(i)} for i in range(1001)]})
    assert error_of(exc) == ("MalformedXML", 400)


def test_get_object_attributes(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"hello", ChecksumAlgorithm="SHA256")
    out = s3.get_object_attributes(
        Bucket=bucket, Key="k",
        ObjectAttributes=["ETag", "Checksum", "ObjectSize", "StorageClass", "ObjectParts"],
    )
    assert out["ETag"] == hashlib.md5(b"hello").hexdigest()
    assert out["ObjectSize"] == 5 and out["StorageClass"] == "STANDARD"
    assert out["Checksum"]["ChecksumSHA256"] == "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
    assert "ObjectParts" not in out
    with pytest.raises(ClientError) as exc:
        s3.get_object_attributes(Bucket=bucket, Key="missing", ObjectAttributes=["ETag"])
    assert error_of(exc) == ("NoSuchKey", 404)


def test_limits_and_owner_checks(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert error_of(exc) == ("KeyTooLongError", 400)
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", Metadata={"big": "v" * 2100})
    assert error_of(exc) == ("MetadataTooLarge", 400)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ExpectedBucketOwner="123456789012")
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="k", ExpectedBucketOwner="999999999999")
    assert error_of(exc) == ("AccessDenied", 403)


def test_archived_objects_need_restore(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="cold", Body=b"frozen", StorageClass="GLACIER")
    assert s3.head_object(Bucket=bucket, Key="cold")["StorageClass"] == "GLACIER"
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="cold")
    assert error_of(exc) == ("InvalidObjectState", 403)
    assert exc.value.response["Error"]["StorageClass"] == "GLACIER"
    restore = s3.restore_object(Bucket=bucket, Key="cold", RestoreRequest={"Days": 2})
    assert restore["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert 'ongoing-request="false"' in s3.head_object(Bucket=bucket, Key="cold")["Restore"]
    assert s3.get_object(Bucket=bucket, Key="cold")["Body"].read() == b"frozen"
    s3.put_object(Bucket=bucket, Key="warm", Body=b"x")
    with pytest.raises(ClientError) as exc:
        s3.restore_object(Bucket=bucket, Key="warm", RestoreRequest={"Days": 1})
    assert error_of(exc) == ("InvalidObjectState", 403)


def test_in_process_calls_through_the_registry(aws: Any, s3_default: Any, bucket: str) -> None:
    where = {"account_id": "123456789012", "region": "us-east-1"}
    put = aws.registry.call("s3", "PutObject", {"Bucket": bucket, "Key": "k", "Body": b"internal"},
                            **where)
    assert put["ETag"] == f'"{hashlib.md5(b"internal").hexdigest()}"'
    assert s3_default.get_object(Bucket=bucket, Key="k")["Body"].read() == b"internal"
    got = aws.registry.call("s3", "GetObject", {"Bucket": bucket, "Key": "k"}, **where)
    assert b"".join(got["Body"]) == b"internal"


def test_store_access(aws: Any, s3_default: Any, bucket: str) -> None:
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"direct")
    service = aws.registry.get("s3")
    obj = service.store.get("123456789012").buckets[bucket].latest("k")
    assert obj.blob.read() == b"direct"
    snapshot = service.store.snapshot()
    s3_default.delete_object(Bucket=bucket, Key="k")
    service.store.restore(snapshot)
    assert s3_default.get_object(Bucket=bucket, Key="k")["Body"].read() == b"direct"
