"""SSE-KMS through the gateway's KMS: real data keys, key ARNs in the answer, disabled keys refused."""

from __future__ import annotations

import base64
import json

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of


@pytest.fixture
def kms(client):
    return client("kms")


def test_objects_get_a_data_key_and_the_key_arn(s3_default, bucket, kms):
    key = kms.create_key()["KeyMetadata"]
    put = s3_default.put_object(Bucket=bucket, Key="k", Body=b"secret", ServerSideEncryption="aws:kms",
                                SSEKMSKeyId=key["KeyId"])
    assert (put["ServerSideEncryption"], put["SSEKMSKeyId"]) == ("aws:kms", key["Arn"])
    got = s3_default.get_object(Bucket=bucket, Key="k")
    assert got["Body"].read() == b"secret" and got["SSEKMSKeyId"] == key["Arn"]


def test_the_aws_managed_key_is_the_default(s3_default, bucket, kms):
    put = s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms")
    managed = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert put["SSEKMSKeyId"] == managed["Arn"] and managed["KeyManager"] == "AWS"


def test_reading_while_the_key_is_disabled_fails(s3_default, bucket, kms):
    key = kms.create_key()["KeyMetadata"]
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"])
    kms.disable_key(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as exc:
        s3_default.get_object(Bucket=bucket, Key="k")
    assert error_of(exc)[0] == "KMS.DisabledException"
    assert s3_default.head_object(Bucket=bucket, Key="k")["SSEKMSKeyId"] == key["Arn"]  # metadata only
    with pytest.raises(ClientError) as exc:
        s3_default.copy_object(Bucket=bucket, Key="copy", CopySource=f"{bucket}/k")
    assert error_of(exc)[0] == "KMS.DisabledException"
    kms.enable_key(KeyId=key["KeyId"])
    assert s3_default.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_bucket_default_with_bucket_key_and_context(s3_default, bucket, kms):
    key = kms.create_key()["KeyMetadata"]
    s3_default.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["KeyId"]},
        "BucketKeyEnabled": True}]})
    context = base64.b64encode(json.dumps({"team": "data"}).encode()).decode()
    put = s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", SSEKMSEncryptionContext=context)
    assert put["SSEKMSKeyId"] == key["Arn"] and put["BucketKeyEnabled"] is True
    assert s3_default.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_bad_keys_and_headers(s3_default, bucket):
    with pytest.raises(ClientError) as exc:
        s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                              SSEKMSKeyId="alias/missing")
    assert error_of(exc) == ("KMS.NotFoundException", 400)
    with pytest.raises(ClientError) as exc:
        s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", SSEKMSKeyId="alias/missing")
    assert error_of(exc) == ("InvalidArgument", 400)
