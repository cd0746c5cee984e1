"""`from pytest_cloudmock import mock_aws` for code moving from moto's decorator (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import boto3
import pytest

from pytest_cloudmock import mock_aws
from pytest_cloudmock.transport import RealAWSRequestBlocked

SCRIPT = """
import os
import boto3
from pytest_cloudmock import mock_aws
from pytest_cloudmock.transport import attachments

os.environ["AWS_PROFILE"] = "mine"
with mock_aws() as aws:
    assert "AWS_PROFILE" not in os.environ and os.environ["AWS_ENDPOINT_URL"] == aws.endpoint
    boto3.client("s3").create_bucket(Bucket="photos")
    assert [b.name for b in boto3.resource("s3").buckets.all()] == ["photos"]
    assert len(attachments()) == 1
assert os.environ["AWS_PROFILE"] == "mine" and "AWS_ENDPOINT_URL" not in os.environ
assert attachments() == []

@mock_aws
def list_queues():
    return boto3.client("sqs").list_queues().get("QueueUrls", [])

@mock_aws(account="111111111111", region="eu-west-1")
class TestSuite:
    def test_one(self):
        return boto3.client("sts").get_caller_identity()["Account"], boto3.client("sns").meta.region_name

assert list_queues() == []
assert TestSuite().test_one() == ("111111111111", "eu-west-1")
print("ok")
"""


def test_outside_pytest_a_gateway_starts_in_the_process_and_everything_is_undone() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-3000:]


def test_inside_a_session_the_session_gateway_is_reused(cloudmock: Any) -> None:
    with mock_aws() as aws:
        assert aws.gateway is cloudmock.gateway
        sqs = boto3.client("sqs")
        sqs.create_queue(QueueName="jobs")
        assert cloudmock.store("sqs").queues.keys() == {"jobs"}
        with mock_aws(account="222222222222"):  # nested: a block in another account
            assert boto3.client("sts").get_caller_identity()["Account"] == "222222222222"
            assert sqs.list_queues()["QueueUrls"]  # state kept inside the outermost block
        assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    assert "jobs" not in cloudmock.store("sqs").queues  # reset when the outermost block ends


@mock_aws
def test_decorated_test_function(cloudmock: Any) -> None:  # fixtures still reach the test
    assert os.environ["AWS_ENDPOINT_URL"] == cloudmock.endpoint
    assert boto3.client("s3").list_buckets()["Buckets"] == []


def test_real_aws_is_refused_inside() -> None:
    with mock_aws(), pytest.raises(RealAWSRequestBlocked):
        boto3.client("s3", endpoint_url="https://s3.us-east-1.amazonaws.com").list_buckets()


def test_the_session_gateway_wins_over_one_a_suite_attached_first(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_cloudmock import mock_aws
        from pytest_cloudmock.config import Config
        from pytest_cloudmock.gateway import Gateway
        from pytest_cloudmock.transport import attach, detach

        @pytest.fixture(scope="session")
        def own_gateway():
            gateway = Gateway(Config(admin_port=None)).start()
            attachment = attach(gateway)
            yield gateway
            detach(attachment)
            gateway.stop()

        def test_a_suite_gateway_first(own_gateway):
            assert own_gateway.running

        def test_mock_aws_uses_the_session_gateway(own_gateway, cloudmock):
            with mock_aws() as aws:
                assert aws.gateway is cloudmock.gateway is not own_gateway
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)
