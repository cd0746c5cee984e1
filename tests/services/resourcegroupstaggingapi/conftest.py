"""Tagging API fixtures: its client and a few tagged resources across services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def tagging(client: Callable[..., Any]) -> Any:
    return client("resourcegroupstaggingapi")


@pytest.fixture
def estate(client: Callable[..., Any]) -> dict[str, str]:
    """Tagged resources in S3, SQS, DynamoDB and the ECS stub, by name -> ARN."""
    s3, sqs, ddb, ecs = client("s3"), client("sqs"), client("dynamodb"), client("ecs")
    s3.create_bucket(Bucket="tagged-bucket")
    s3.put_bucket_tagging(Bucket="tagged-bucket", Tagging={"TagSet": [{"Key": "env", "Value": "prod"},
                                                                        {"Key": "team", "Value": "data"}]})
    s3.create_bucket(Bucket="plain-bucket")
    url = sqs.create_queue(QueueName="tagged-queue", tags={"env": "dev"})["QueueUrl"]
    sqs.create_queue(QueueName="plain-queue")
    table = ddb.create_table(TableName="tagged-table", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                             Tags=[{"Key": "env", "Value": "prod"}, {"Key": "cost", "Value": ""}])
    cluster = ecs.create_cluster(clusterName="tagged-cluster", tags=[{"key": "team", "value": "web"}])
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {"bucket": "arn:aws:s3:::tagged-bucket", "queue": queue_arn,
            "table": table["TableDescription"]["TableArn"], "cluster": cluster["cluster"]["clusterArn"]}


@pytest.fixture
def queues(client: Callable[..., Any]) -> dict[str, str]:
    """Five queues with overlapping tags (`test_tag_filter_properties.TAGS`), name -> URL."""
    from .test_tag_filter_properties import TAGS

    sqs = client("sqs")
    return {name: sqs.create_queue(QueueName=name, tags=tags)["QueueUrl"] for name, tags in TAGS.items()}
