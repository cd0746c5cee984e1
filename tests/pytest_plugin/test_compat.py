"""moto's and LocalStack's reset and health endpoints on the gateway port (issue 13)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest


def call(endpoint: str, method: str, path: str) -> tuple[int, Any]:
    request = urllib.request.Request(endpoint + path, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.parametrize("path", ["/moto-api/reset", "/_localstack/state/reset", "/moto-api/reset/"])
def test_reset_endpoints_forget_every_store_and_issued_credential(cloudmock: Any, path: str) -> None:
    sqs = cloudmock.client("sqs")
    sqs.create_queue(QueueName="jobs")
    key = cloudmock.client("sts").get_session_token()["Credentials"]["AccessKeyId"]
    assert key in cloudmock.gateway.identities.snapshot()
    assert call(cloudmock.endpoint, "POST", path) == (200, {"reset": "all"})
    assert sqs.list_queues().get("QueueUrls", []) == []
    assert key not in cloudmock.gateway.identities.snapshot()
    if path.startswith("/_localstack/"):
        assert call(cloudmock.endpoint, "GET", path)[0] == 405


def test_localstack_health_lists_services_running_or_available(cloudmock: Any) -> None:
    cloudmock.client("sqs").list_queues()
    status, body = call(cloudmock.endpoint, "GET", "/_localstack/health")
    assert status == 200
    assert body["services"]["sqs"] == "running"
    assert set(body["services"].values()) == {"running", "available"}
    assert set(body["services"]) == set(cloudmock.registry.names())
    assert call(cloudmock.endpoint, "POST", "/_localstack/health")[0] == 405
    status, body = call(cloudmock.endpoint, "GET", "/_localstack/init")
    assert status == 404 and "/_localstack/health" in body["error"]


def test_a_bucket_named_moto_api_is_still_a_bucket(cloudmock: Any) -> None:
    s3 = cloudmock.client("s3")
    s3.create_bucket(Bucket="moto-api")
    s3.put_object(Bucket="moto-api", Key="reset", Body=b"kept")
    s3.put_object(Bucket="moto-api", Key="other/key", Body=b"too")
    assert s3.get_object(Bucket="moto-api", Key="reset")["Body"].read() == b"kept"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="moto-api")["Contents"]] == ["other/key", "reset"]
