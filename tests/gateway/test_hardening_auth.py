"""Issue 11, item 2: with `verify_signatures`, unsigned means denied (except what AWS serves anonymously)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

KEY, SECRET = "AKIAUNSIGNEDTEST0001", "unsigned-test-secret"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def gw() -> Iterator[Gateway]:
    gateway = Gateway(Config(verify_signatures=True, secret_keys={KEY: SECRET}, admin_port=None)).start()
    yield gateway
    gateway.stop()


def client(gw: Gateway, service: str, signed: bool = True, secret: str = SECRET) -> Any:
    config = BotoConfig(retries={"total_max_attempts": 1}, **({} if signed else {"signature_version": UNSIGNED}))
    return boto3.client(service, endpoint_url=gw.endpoint, region_name=REGION, aws_access_key_id=KEY,
                        aws_secret_access_key=secret, config=config)


UNSIGNED_CALLS = [
    ("sqs", "list_queues", {}, "MissingAuthenticationToken"),  # json, query-compatible: the query code
    ("sns", "list_topics", {}, "MissingAuthenticationToken"),
    ("iam", "list_users", {}, "MissingAuthenticationToken"),
    ("sts", "get_caller_identity", {}, "MissingAuthenticationToken"),
    ("ec2", "describe_vpcs", {}, "MissingAuthenticationToken"),
    ("glue", "get_databases", {}, "MissingAuthenticationTokenException"),
    ("cloudwatch", "list_metrics", {}, "MissingAuthenticationToken"),  # cbor, query-compatible
    ("kms", "list_keys", {}, "MissingAuthenticationTokenException"),
]


@pytest.mark.parametrize(("service", "method", "params", "code"), UNSIGNED_CALLS, ids=[c[0] for c in UNSIGNED_CALLS])
def test_unsigned_requests_are_denied_with_the_family_error(
    gw: Gateway, service: str, method: str, params: dict, code: str
) -> None:
    with pytest.raises(ClientError) as err:
        getattr(client(gw, service, signed=False), method)(**params)
    assert err.value.response["Error"]["Code"] == code
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] in (401, 403)
    try:  # the same call signed gets past the check (its service answers, whatever it says)
        getattr(client(gw, service), method)(**params)
    except ClientError as signed_err:
        assert "MissingAuthenticationToken" not in signed_err.response["Error"]["Code"]


def test_anonymous_operations_aws_allows_reach_the_service(gw: Gateway) -> None:
    sts = client(gw, "sts", signed=False)
    with pytest.raises(ClientError) as err:  # served: the service judges the (bogus) token itself
        sts.assume_role_with_web_identity(RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="session",
                                          WebIdentityToken="not-a-jwt")
    assert "MissingAuthenticationToken" not in err.value.response["Error"]["Code"]


def test_s3_reads_are_anonymous_writes_are_not(gw: Gateway) -> None:
    signed, anonymous = client(gw, "s3"), client(gw, "s3", signed=False)
    signed.create_bucket(Bucket="public")
    signed.put_object(Bucket="public", Key="k", Body=b"data")
    assert anonymous.get_object(Bucket="public", Key="k")["Body"].read() == b"data"
    with pytest.raises(ClientError) as err:
        anonymous.put_object(Bucket="public", Key="k", Body=b"overwritten")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert signed.get_object(Bucket="public", Key="k")["Body"].read() == b"data"


def test_unsigned_s3_write_is_s3_access_denied(gw: Gateway) -> None:
    client(gw, "s3").create_bucket(Bucket="anon-write")
    with pytest.raises(ClientError) as err:
        client(gw, "s3", signed=False).put_object(Bucket="anon-write", Key="k", Body=b"x")
    assert err.value.response["Error"]["Code"] == "AccessDenied"


def test_s3_form_post_needs_a_valid_policy_signature(gw: Gateway) -> None:
    signed = client(gw, "s3")
    signed.create_bucket(Bucket="forms")
    good = signed.generate_presigned_post("forms", "ok.txt")
    assert requests.post(good["url"], data=good["fields"], files={"file": b"hello"}, timeout=5).status_code == 204
    forged = client(gw, "s3", secret="wrong").generate_presigned_post("forms", "forged.txt")
    answer = requests.post(forged["url"], data=forged["fields"], files={"file": b"x"}, timeout=5)
    assert answer.status_code == 403 and b"SignatureDoesNotMatch" in answer.content
    bare = requests.post(good["url"], data={"key": "bare.txt"}, files={"file": b"x"}, timeout=5)
    assert bare.status_code == 403 and b"AccessDenied" in bare.content
    keys = [o["Key"] for o in signed.list_objects_v2(Bucket="forms").get("Contents", [])]
    assert keys == ["ok.txt"]


@pytest.mark.parametrize("service", ["sts", "iam"])
def test_fresh_presigned_query_urls_work(gw: Gateway, service: str) -> None:
    operation = "get_caller_identity" if service == "sts" else "list_users"
    url = client(gw, service).generate_presigned_url(operation, Params={}, ExpiresIn=300, HttpMethod="GET")
    answer = requests.get(url, timeout=5)
    assert answer.status_code == 200, answer.text
    # botocore signs query-protocol URLs for POST by default: AWS checks the method used, so must we
    posted = client(gw, service).generate_presigned_url(operation, Params={}, ExpiresIn=300)
    assert requests.post(posted, timeout=5).status_code == 200
    assert requests.get(posted, timeout=5).status_code == 403
