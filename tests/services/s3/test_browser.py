"""What plain HTTP clients and browsers do: presigned URLs, form POST uploads, CORS,
and virtual-host addressing."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from .conftest import error_of, s3_config


def _open(request: urllib.request.Request | str) -> tuple[int, bytes, Any]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def test_presigned_put_and_get_with_urllib(s3: Any, bucket: str) -> None:
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up/loaded.txt"},
                                        ExpiresIn=300)
    status, _, headers = _open(urllib.request.Request(put_url, data=b"via urllib", method="PUT"))
    assert status == 200 and headers["ETag"]
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "up/loaded.txt"})
    status, body, _ = _open(get_url)
    assert (status, body) == (200, b"via urllib")
    missing = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "missing"})
    status, body, _ = _open(missing)
    assert status == 404 and b"<Code>NoSuchKey</Code>" in body


def test_expired_presigned_urls(
    s3: Any, boto_session: Any, aws: Any, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    params = {"Bucket": bucket, "Key": "k"}
    # SigV2 query auth (boto3's default here): Expires is an epoch second
    status, body, _ = _open(s3.generate_presigned_url("get_object", Params=params, ExpiresIn=-60))
    assert status == 403 and b"<Message>Request has expired</Message>" in body
    # SigV4 query auth: X-Amz-Date + X-Amz-Expires
    v4 = boto_session.client("s3", endpoint_url=aws.endpoint,
                             config=s3_config(signature_version="s3v4"))
    assert v4.generate_presigned_url("get_object", Params=params).count("X-Amz-Credential")
    past = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=2)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: past)
    url = v4.generate_presigned_url("get_object", Params=params, ExpiresIn=60)
    monkeypatch.undo()
    status, body, _ = _open(url)
    assert status == 403
    assert b"<Code>AccessDenied</Code>" in body and b"<Message>Request has expired</Message>" in body
    assert b"<X-Amz-Expires>60</X-Amz-Expires>" in body
    status, body, _ = _open(v4.generate_presigned_url("get_object", Params=params, ExpiresIn=60))
    assert (status, body) == (200, b"x")
    status, body, _ = _open(v4.generate_presigned_url("get_object", Params=params, ExpiresIn=604801))
    assert status == 400 and b"AuthorizationQueryParametersError" in body


def test_presigned_post(s3: Any, bucket: str) -> None:
    post = s3.generate_presigned_post(
        bucket, "forms/${filename}",
        Fields={"success_action_status": "201", "x-amz-meta-origin": "form"},
        Conditions=[{"success_action_status": "201"}, {"x-amz-meta-origin": "form"},
                    ["content-length-range", 1, 1000], ["starts-with", "$key", "forms/"]],
        ExpiresIn=300,
    )
    response = requests.post(post["url"], data=post["fields"],
                             files={"file": ("hello.txt", b"posted body")}, timeout=10)
    assert response.status_code == 201, response.text
    assert "<Key>forms/hello.txt</Key>" in response.text
    got = s3.get_object(Bucket=bucket, Key="forms/hello.txt")
    assert got["Body"].read() == b"posted body" and got["Metadata"] == {"origin": "form"}
    too_big = requests.post(post["url"], data=post["fields"],
                            files={"file": ("big.txt", b"x" * 2000)}, timeout=10)
    assert too_big.status_code == 400 and "<Code>EntityTooLarge</Code>" in too_big.text
    extra = requests.post(post["url"], data={**post["fields"], "x-amz-meta-sneaky": "1"},
                          files={"file": ("a.txt", b"a")}, timeout=10)
    assert extra.status_code == 403 and "Extra input fields" in extra.text
    plain = s3.generate_presigned_post(bucket, "plain.txt")
    response = requests.post(plain["url"], data=plain["fields"], files={"file": b"p"}, timeout=10)
    assert response.status_code == 204 and response.headers["ETag"]
    assert s3.get_object(Bucket=bucket, Key="plain.txt")["Body"].read() == b"p"


def test_cors_preflight_and_headers(aws: Any, s3: Any, bucket: str) -> None:
    url = f"{aws.endpoint}/{bucket}/obj"
    preflight = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT",
                 "Access-Control-Request-Headers": "content-type, x-amz-meta-a"}
    response = requests.options(url, headers=preflight, timeout=10)
    assert response.status_code == 403 and "<Code>CORSResponse</Code>" in response.text
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": ["https://*.example.com"], "AllowedMethods": ["GET", "PUT"],
         "AllowedHeaders": ["content-type", "x-amz-meta-*"], "ExposeHeaders": ["ETag"],
         "MaxAgeSeconds": 600},
    ]})
    rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rules[0]["AllowedMethods"] == ["GET", "PUT"]
    response = requests.options(url, headers=preflight, timeout=10)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert response.headers["Access-Control-Max-Age"] == "600"
    denied = requests.options(url, headers={**preflight, "Access-Control-Request-Method": "DELETE"},
                              timeout=10)
    assert denied.status_code == 403
    no_origin = requests.options(url, headers={"Access-Control-Request-Method": "GET"}, timeout=10)
    assert no_origin.status_code == 400
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    actual = requests.get(s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "obj"}),
                          headers={"Origin": "https://app.example.com"}, timeout=10)
    assert actual.status_code == 200
    assert actual.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert actual.headers["Access-Control-Expose-Headers"] == "ETag"
    s3.delete_bucket_cors(Bucket=bucket)
    with pytest.raises(ClientError) as exc:
        s3.get_bucket_cors(Bucket=bucket)
    assert error_of(exc) == ("NoSuchCORSConfiguration", 404)


@pytest.fixture
def localhost_subdomains(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve `*.localhost` to 127.0.0.1 in this process, as systemd-resolved and browsers do
    (this machine's resolver only knows `localhost` itself)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("host", ["s3.localhost", "localhost", "s3.us-east-1.localhost"])
def test_virtual_host_addressing(aws: Any, boto_session: Any, localhost_subdomains: None,
                                 host: str) -> None:
    client = boto_session.client(
        "s3", endpoint_url=f"http://{host}:{aws.port}",
        config=s3_config(s3={"addressing_style": "virtual"}),
    )
    name = f"vh-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=name)
    client.put_object(Bucket=name, Key="a/b.txt", Body=b"virtual")
    assert client.get_object(Bucket=name, Key="a/b.txt")["Body"].read() == b"virtual"
    assert [o["Key"] for o in client.list_objects_v2(Bucket=name)["Contents"]] == ["a/b.txt"]
    client.delete_object(Bucket=name, Key="a/b.txt")
    client.delete_bucket(Bucket=name)
    assert name not in [b["Name"] for b in client.list_buckets()["Buckets"]]
