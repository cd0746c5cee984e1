"""The real-AWS guard, and credentials: no test-process call reaches AWS, no profile reaches a fixture client."""

from __future__ import annotations

import socket
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from pytest_cloudmock.transport import Attachment, RealAWSRequestBlocked, is_real_aws_host


@pytest.mark.parametrize("host,real", [
    ("sqs.us-east-1.amazonaws.com", True), ("s3.cn-north-1.amazonaws.com.cn", True),
    ("sts.eu-west-1.api.aws", True), ("bucket.s3.amazonaws.com.", True),
    ("localhost", False), ("amazonaws.com.example.org", False), ("127.0.0.1", False),
])
def test_real_aws_hosts(host: str, real: bool) -> None:
    assert is_real_aws_host(host) is real


def test_client_without_endpoint_is_stopped(attached: Attachment) -> None:
    attached.allow_real_aws = False
    sqs = boto3.Session(aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="s", region_name="eu-west-1").client("sqs")
    with pytest.raises(RealAWSRequestBlocked) as exc:
        sqs.list_queues()
    err = exc.value
    assert (err.service, err.operation, err.url) == ("sqs", "ListQueues", "https://sqs.eu-west-1.amazonaws.com/")
    for fix in ("cloudmock_env", "cloudmock_client", "--cloudmock-allow-real-aws", "allow_real_aws=True"):
        assert fix in str(err)


def test_client_made_before_the_gateway_started_is_stopped_too(attached: Attachment) -> None:
    """The guard sits at botocore's HTTP send, so it needs no handler on the client."""
    import botocore.session

    from pytest_cloudmock.transport import clients

    original = clients._original_create_client  # a client made without the hook, as before attach
    core = botocore.session.Session()
    core.set_credentials("AKIAEXAMPLE", "s")
    s3 = original(core, "s3", region_name="us-west-2")
    with pytest.raises(RealAWSRequestBlocked, match=r"s3 \(operation unknown\) to https://s3\.us-west-2"):
        s3.list_buckets()


def test_allowed_calls_reach_the_network(attached: Attachment, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `allow_real_aws` the call goes out (here to a closed local port: no network in tests)."""
    real = socket.getaddrinfo

    def local(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1", 9, *args, **kwargs) if "amazonaws" in str(host) else real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local)
    attached.allow_real_aws = True
    try:
        sts = boto3.Session(aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="s",
                            region_name="us-east-1").client("sts", config=_no_retries())
        with pytest.raises(EndpointConnectionError):
            sts.get_caller_identity()
    finally:
        attached.allow_real_aws = False


def _no_retries() -> Any:
    from botocore.config import Config

    return Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=2)
