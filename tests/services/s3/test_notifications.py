"""Event notifications end to end: S3 -> SQS and S3 -> SNS -> SQS, with key filters."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest


@pytest.fixture
def sqs(client: Any) -> Any:
    return client("sqs")


def _drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    out = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = got.get("Messages", [])
        if not messages:
            return out
        for message in messages:
            out.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_s3_to_sqs(s3: Any, sqs: Any, bucket: str) -> None:
    url = sqs.create_queue(QueueName="events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [
            {"Id": "images", "QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "img/"},
                                                {"Name": "suffix", "Value": ".png"}]}}},
            {"Id": "deletes", "QueueArn": arn, "Events": ["s3:ObjectRemoved:Delete"]},
        ]})
    test_event = _drain(sqs, url)
    assert [e["Event"] for e in test_event] == ["s3:TestEvent"]
    s3.put_object(Bucket=bucket, Key="img/cat one.png", Body=b"meow")
    s3.put_object(Bucket=bucket, Key="img/cat.jpg", Body=b"no")  # suffix filtered out
    s3.put_object(Bucket=bucket, Key="doc/cat.png", Body=b"no")  # prefix filtered out
    s3.copy_object(Bucket=bucket, Key="img/copy.png", CopySource={"Bucket": bucket, "Key": "img/cat one.png"})
    s3.delete_object(Bucket=bucket, Key="doc/cat.png")
    events = [e["Records"][0] for e in _drain(sqs, url)]
    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in events] == [
        ("ObjectCreated:Put", "img/cat+one.png"),
        ("ObjectCreated:Copy", "img/copy.png"),
        ("ObjectRemoved:Delete", "doc/cat.png"),
    ]
    first = events[0]
    assert first["eventSource"] == "aws:s3" and first["eventVersion"] == "2.1"
    assert first["awsRegion"] == "us-east-1"
    assert first["s3"]["bucket"]["name"] == bucket
    assert first["s3"]["bucket"]["arn"] == f"arn:aws:s3:::{bucket}"
    assert first["s3"]["configurationId"] == "images"
    assert first["s3"]["object"]["size"] == 4
    assert first["s3"]["object"]["eTag"] == hashlib.md5(b"meow").hexdigest()
    assert "size" not in events[2]["s3"]["object"]


def test_s3_to_sns_to_sqs(s3: Any, sqs: Any, client: Any, bucket: str) -> None:
    sns = client("sns")
    topic = sns.create_topic(Name="uploads")["TopicArn"]
    url = sqs.create_queue(QueueName="fanout")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectCreated:Put"]}]})
    _drain(sqs, url)  # the s3:TestEvent
    s3.put_object(Bucket=bucket, Key="k.txt", Body=b"x")
    records = [e["Records"][0] for e in _drain(sqs, url)]
    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in records] == [("ObjectCreated:Put", "k.txt")]
