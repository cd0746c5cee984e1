"""SigV4 (and S3 SigV2) signature verification, `verify_signatures: true`.

Real boto3 clients sign; botocore's signers are the oracle for what a correct
signature is, and the error codes are AWS's for each service family.
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.auth import HmacV1Auth, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config as BotoConfig
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config, ConfigError
from pytest_cloudmock.gateway import Gateway

from .signed import signed_request

KEY, SECRET = "AKIASIGNATURETEST01", "the-right-secret/KEY+value"
BUCKET = "sigv4-bucket"
ClientFactory = Callable[..., Any]


@pytest.fixture(scope="module")
def verifying() -> Iterator[Gateway]:
    gw = Gateway(Config(verify_signatures=True, secret_keys={KEY: SECRET})).start()
    yield gw
    gw.stop()


@pytest.fixture
def make(verifying: Gateway) -> Iterator[ClientFactory]:
    """`make(service, secret=..., key=..., token=..., **botocore_config)`: a client of the verifying gateway."""

    def client(
        service: str, secret: str = SECRET, key: str = KEY, token: str | None = None, **config: Any
    ) -> Any:
        return boto3.client(
            service,
            endpoint_url=verifying.endpoint,
            region_name="us-east-1",
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=BotoConfig(retries={"total_max_attempts": 1}, **config),
        )

    yield client
    verifying.reset()


def _code(call: Callable[[], Any]) -> str:
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"]


# service, call, code for a wrong secret, code for an unknown access key
FAMILIES = [
    ("sqs", lambda c: c.list_queues(), "SignatureDoesNotMatch", "InvalidClientTokenId"),  # json, query-compatible
    ("sns", lambda c: c.list_topics(), "SignatureDoesNotMatch", "InvalidClientTokenId"),  # query
    ("iam", lambda c: c.list_users(), "SignatureDoesNotMatch", "InvalidClientTokenId"),  # query, global
    ("eks", lambda c: c.list_clusters(), "InvalidSignatureException", "UnrecognizedClientException"),  # rest-json
    ("ec2", lambda c: c.describe_vpcs(), "AuthFailure", "AuthFailure"),  # ec2
    ("s3", lambda c: c.list_buckets(), "SignatureDoesNotMatch", "InvalidAccessKeyId"),  # rest-xml
]


@pytest.mark.parametrize(("service", "call", "mismatch", "unknown"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_right_secret_passes_wrong_secret_and_unknown_key_fail(
    make: ClientFactory, service: str, call: Callable[[Any], Any], mismatch: str, unknown: str
) -> None:
    assert call(make(service))["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _code(lambda: call(make(service, secret="a-wrong-secret"))) == mismatch
    assert _code(lambda: call(make(service, key="AKIANOBODYKNOWSTHIS"))) == unknown


def test_mismatch_messages_are_aws(make: ClientFactory) -> None:
    with pytest.raises(ClientError) as info:
        make("sns", secret="wrong").list_topics()
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert info.value.response["Error"]["Message"].startswith(
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method."
    )
    with pytest.raises(ClientError) as info:
        make("s3", key="AKIANOBODYKNOWSTHIS").list_buckets()
    assert info.value.response["Error"]["Message"] == (
        "The AWS Access Key Id you provided does not exist in our records."
    )


def test_rest_json_path_labels_are_double_encoded_as_botocore_signs(make: ClientFactory) -> None:
    eks = make("eks")
    assert _code(lambda: eks.describe_cluster(name="no such:cluster~x")) == "ResourceNotFoundException"
    assert _code(lambda: make("eks", secret="x").describe_cluster(name="a:b")) == "InvalidSignatureException"


@pytest.mark.parametrize("checksums", ["when_supported", "when_required"])
def test_s3_uploads_verify_without_reading_the_body(make: ClientFactory, checksums: str) -> None:
    """Default checksums stream aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER); when_required signs the body."""
    s3 = make("s3", request_checksum_calculation=checksums)
    s3.create_bucket(Bucket=BUCKET)
    key = "dir/a b+c~d=é/#?.txt"
    body = b"0123456789" * 20_000
    s3.put_object(Bucket=BUCKET, Key=key, Body=body, Metadata={"note": "two  spaces"})
    got = s3.get_object(Bucket=BUCKET, Key=key)
    assert got["Body"].read() == body
    assert got["Metadata"] == {"note": "two  spaces"}
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="dir/")["Contents"]] == [key]
    bad = make("s3", secret="wrong", request_checksum_calculation=checksums)
    assert _code(lambda: bad.put_object(Bucket=BUCKET, Key=key, Body=body)) == "SignatureDoesNotMatch"


@pytest.mark.parametrize("version", ["s3v4", "s3"])  # SigV4 query auth; boto3's SigV2 `?AWSAccessKeyId=` form
def test_presigned_s3_get(make: ClientFactory, version: str) -> None:
    make("s3").create_bucket(Bucket=BUCKET)
    make("s3").put_object(Bucket=BUCKET, Key="k y", Body=b"presigned")
    params = {"Bucket": BUCKET, "Key": "k y", "ResponseContentType": "text/plain"}
    url = make("s3", signature_version=version).generate_presigned_url("get_object", Params=params)
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.read() == b"presigned"
        assert resp.headers["Content-Type"] == "text/plain"
    forged = make("s3", secret="wrong", signature_version=version).generate_presigned_url(
        "get_object", Params=params
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(forged, timeout=10)
    assert info.value.code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in info.value.read()


def test_expired_presigned_url_with_a_good_signature_is_s3s_access_denied(make: ClientFactory) -> None:
    make("s3").create_bucket(Bucket=BUCKET)
    two_hours_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    with mock.patch("botocore.auth.get_current_datetime", return_value=two_hours_ago):
        url = make("s3", signature_version="s3v4").generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": "k"}, ExpiresIn=3600
        )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=10)
    body = info.value.read()
    assert info.value.code == 403
    assert b"<Code>AccessDenied</Code>" in body and b"Request has expired" in body


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("sqs", lambda c: c.list_queues(), "SignatureDoesNotMatch"),
        ("eks", lambda c: c.list_clusters(), "InvalidSignatureException"),
        ("s3", lambda c: c.list_buckets(), "RequestTimeTooSkewed"),
    ],
    ids=["sqs", "eks", "s3"],
)
@pytest.mark.parametrize("minutes", [-20, 20])
def test_skewed_clock_is_refused(
    make: ClientFactory, service: str, call: Callable[[Any], Any], code: str, minutes: int
) -> None:
    client = make(service)
    skewed = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    with mock.patch("botocore.auth.get_current_datetime", return_value=skewed), pytest.raises(ClientError) as info:
        call(client)
    error = info.value.response["Error"]
    assert error["Code"] == code
    if service != "s3":
        stamp = skewed.strftime("%Y%m%dT%H%M%SZ")
        expected = "Signature expired: " if minutes < 0 else "Signature not yet current: "
        assert error["Message"].startswith(expected + stamp)
    with mock.patch(  # within 15 minutes is fine
        "botocore.auth.get_current_datetime", return_value=skewed - timedelta(minutes=minutes * 0.6)
    ):
        assert call(client)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_sts_temporary_credentials_verify_and_need_their_token(make: ClientFactory) -> None:
    creds = make("sts").get_session_token()["Credentials"]
    key, secret, token = creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]
    assert make("sqs", secret, key, token).list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert make("s3", secret, key, token).list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _code(lambda: make("sqs", secret, key, token + "x").list_queues()) == "InvalidClientTokenId"
    assert _code(lambda: make("sqs", secret, key).list_queues()) == "InvalidClientTokenId"
    assert _code(lambda: make("s3", secret, key, "wrong").list_buckets()) == "InvalidToken"
    assert _code(lambda: make("sqs", "wrong", key, token).list_queues()) == "SignatureDoesNotMatch"


def test_iam_access_keys_verify(make: ClientFactory) -> None:
    iam = make("iam")
    iam.create_user(UserName="signer")
    key = iam.create_access_key(UserName="signer")["AccessKey"]
    assert make("sts", key["SecretAccessKey"], key["AccessKeyId"]).get_caller_identity()["Arn"].endswith(
        ":user/signer"
    )
    assert _code(lambda: make("sts", "wrong", key["AccessKeyId"]).get_caller_identity()) == "SignatureDoesNotMatch"


def test_unsigned_web_identity_call_is_accepted_and_its_credentials_verify(make: ClientFactory) -> None:
    claims = base64.urlsafe_b64encode(json.dumps({"sub": "me", "aud": "app"}).encode()).decode().rstrip("=")
    sts = make("sts", key="AKIANOBODYKNOWSTHIS")  # boto3 sends AssumeRoleWithWebIdentity unsigned
    creds = sts.assume_role_with_web_identity(
        RoleArn="arn:aws:iam::123456789012:role/web", RoleSessionName="web", WebIdentityToken=f"e30.{claims}.sig"
    )["Credentials"]
    issued = make("sns", creds["SecretAccessKey"], creds["AccessKeyId"], creds["SessionToken"])
    assert issued.list_topics()["ResponseMetadata"]["HTTPStatusCode"] == 200


def _vhost_get(gw: Gateway, path: str, signer: str = "", secret: str = SECRET) -> tuple[int, bytes]:
    """GET `path` of BUCKET virtual-host style (`Host: bucket.s3.localhost`), signed by botocore or not."""
    host = f"{BUCKET}.s3.localhost:{gw.port}"
    request = AWSRequest("GET", f"http://{host}{path}", headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    if signer == "sigv4":
        S3SigV4Auth(Credentials(KEY, secret), "s3", "us-east-1").add_auth(request)
    elif signer == "sigv2":
        request.auth_path = f"/{BUCKET}{path.split('?')[0]}"
        HmacV1Auth(Credentials(KEY, secret)).add_auth(request)
    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host, **dict(request.headers.items())})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_anonymous_s3_request_is_not_checked(verifying: Gateway, make: ClientFactory) -> None:
    make("s3").create_bucket(Bucket=BUCKET)
    make("s3").put_object(Bucket=BUCKET, Key="open", Body=b"anyone", ACL="public-read")
    assert _vhost_get(verifying, "/open") == (200, b"anyone")


@pytest.mark.parametrize("signer", ["sigv4", "sigv2"])
def test_virtual_host_s3_signs_the_path_as_sent(verifying: Gateway, make: ClientFactory, signer: str) -> None:
    make("s3").create_bucket(Bucket=BUCKET)
    make("s3").put_object(Bucket=BUCKET, Key="v/h key", Body=b"vhost")
    assert _vhost_get(verifying, "/v/h%20key", signer) == (200, b"vhost")
    status, body = _vhost_get(verifying, "/?list-type=2", signer)
    assert status == 200 and b"<Key>v/h key</Key>" in body
    status, body = _vhost_get(verifying, "/v/h%20key", signer, secret="wrong")
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body


def test_s3_sigv4_needs_the_payload_hash_header(verifying: Gateway) -> None:
    reply = signed_request(verifying.endpoint, "s3", method="GET", path="/", credentials=Credentials(KEY, SECRET))
    assert reply.status == 400
    assert b"Missing required header for this request: x-amz-content-sha256" in reply.body


def test_verification_is_off_by_default(aws: Gateway) -> None:
    sqs = boto3.client(
        "sqs", endpoint_url=aws.endpoint, region_name="us-east-1",
        aws_access_key_id="AKIAANYTHING", aws_secret_access_key="any secret at all",
    )
    assert sqs.list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_secret_keys_config_is_validated() -> None:
    assert Config.from_dict({"verify_signatures": True, "secret_keys": {KEY: SECRET}}).secret_keys == {KEY: SECRET}
    with pytest.raises(ConfigError, match="did you mean 'secret_keys'"):
        Config.from_dict({"secret_key": {KEY: SECRET}})
    with pytest.raises(ConfigError, match=r"secret_keys\['AKIA1'\]"):
        Config.from_dict({"secret_keys": {"AKIA1": 12}})
    with pytest.raises(ConfigError, match="secret_keys must be a mapping"):
        Config.from_dict({"secret_keys": ["AKIA1"]})
