"""Code that makes its own clients, and subprocesses, reach the gateway through `cloudmock_env`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from orders import place_order


@pytest.fixture
def shop(cloudmock_client):
    cloudmock_client("s3").create_bucket(Bucket="receipts")
    return cloudmock_client("sqs").create_queue(QueueName="shipping")["QueueUrl"]


def test_place_order(cloudmock_env, cloudmock_client, shop):
    key = place_order("o-1", ["book"], bucket="receipts", queue_url=shop)

    receipt = cloudmock_client("s3").get_object(Bucket="receipts", Key=key)["Body"].read()
    assert json.loads(receipt) == {"items": ["book"]}
    [message] = cloudmock_client("sqs").receive_message(QueueUrl=shop)["Messages"]
    assert json.loads(message["Body"]) == {"order": "o-1"}


def test_a_subprocess_uses_the_gateway_too(cloudmock_env, cloudmock_store, shop):
    script = f"import orders; orders.place_order('o-2', [], bucket='receipts', queue_url={shop!r})"
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60, cwd=Path(__file__).parent)

    queue = cloudmock_store("sqs").queues["shipping"]
    assert [json.loads(m.body) for m in queue.messages.values()] == [{"order": "o-2"}]
