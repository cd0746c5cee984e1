"""Application code under test: it builds its own boto3 clients, as real code does.

Nothing here knows about cloudmock: the `cloudmock_env` fixture points the
SDK at the gateway through the standard `AWS_*` environment variables.
"""

from __future__ import annotations

import json

import boto3


def place_order(order_id: str, items: list[str], *, bucket: str, queue_url: str) -> str:
    """Store the receipt in S3 and queue the order for shipping; returns the receipt key."""
    key = f"receipts/{order_id}.json"
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps({"items": items}))
    boto3.client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps({"order": order_id}))
    return key
