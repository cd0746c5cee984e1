"""S3 on the gateway clock: presigned URLs and form policies expire, timestamps follow it."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from pytest_cloudmock.clock import Clock
from pytest_cloudmock.gateway import Gateway

from .conftest import error_of, s3_config

NEW_YEAR = datetime(2026, 1, 1, tzinfo=timezone.utc)




def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.mark.parametrize("signature_version", ["s3v4", "s3"])
def test_a_presigned_url_expires_when_the_clock_passes_expires_in(
    signature_version: str, s3_default: Any, boto_session: Any, aws: Gateway, bucket: str, frozen: Clock
) -> None:
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"x")
    signer = boto_session.client("s3", endpoint_url=aws.endpoint,
                                 config=s3_config(signature_version=signature_version))
    url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=60)
    assert _get(url) == (200, b"x")
    frozen.advance(61)
    status, body = _get(url)
    assert status == 403
    assert b"<Code>AccessDenied</Code>" in body and b"<Message>Request has expired</Message>" in body


def test_timestamps_are_the_clocks(s3_default: Any, frozen: Clock) -> None:
    frozen.set(NEW_YEAR)
    s3_default.create_bucket(Bucket="stamped")
    s3_default.put_object(Bucket="stamped", Key="k", Body=b"x")
    created = next(b for b in s3_default.list_buckets()["Buckets"] if b["Name"] == "stamped")
    assert created["CreationDate"] == NEW_YEAR
    assert s3_default.head_object(Bucket="stamped", Key="k")["LastModified"] == NEW_YEAR
    frozen.advance(hours=1)
    upload = s3_default.create_multipart_upload(Bucket="stamped", Key="m")
    listed = s3_default.list_multipart_uploads(Bucket="stamped")["Uploads"][0]
    assert listed["Initiated"] == NEW_YEAR.replace(hour=1)
    s3_default.abort_multipart_upload(Bucket="stamped", Key="m", UploadId=upload["UploadId"])


def test_a_restored_copy_expires_after_its_days(s3_default: Any, bucket: str, frozen: Clock) -> None:
    s3_default.put_object(Bucket=bucket, Key="cold", Body=b"ice", StorageClass="GLACIER")
    with pytest.raises(ClientError) as exc:
        s3_default.get_object(Bucket=bucket, Key="cold")
    assert error_of(exc) == ("InvalidObjectState", 403)
    s3_default.restore_object(Bucket=bucket, Key="cold", RestoreRequest={"Days": 2})
    frozen.advance(days=1)
    assert s3_default.get_object(Bucket=bucket, Key="cold")["Body"].read() == b"ice"
    frozen.advance(days=1, seconds=1)
    with pytest.raises(ClientError) as exc:
        s3_default.get_object(Bucket=bucket, Key="cold")
    assert error_of(exc) == ("InvalidObjectState", 403)


def test_a_form_post_policy_expires_on_the_clock(s3_default: Any, bucket: str, frozen: Clock) -> None:
    post = s3_default.generate_presigned_post(bucket, "form.txt", ExpiresIn=300)
    frozen.advance(301)
    response = requests.post(post["url"], data=post["fields"], files={"file": ("f.txt", b"late")}, timeout=10)
    assert response.status_code == 403
    assert "Policy expired" in response.text
