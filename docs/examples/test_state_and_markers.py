"""Look at (and seed) service state directly; choose region, account and reset scope per test."""

import pytest


def test_inspect_state_without_api_calls(cloudmock_client, cloudmock_store):
    sqs = cloudmock_client("sqs")
    sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "5"})

    queue = cloudmock_store("sqs").queues["jobs"]
    assert queue.attributes["VisibilityTimeout"] == "5"


@pytest.mark.cloudmock(region="eu-west-1", account="111122223333")
def test_region_and_account_per_test(cloudmock, cloudmock_client, cloudmock_store):
    sqs = cloudmock_client("sqs")
    sqs.create_queue(QueueName="jobs")

    assert cloudmock.region == "eu-west-1"
    assert cloudmock_store("sqs").queues["jobs"].arn == "arn:aws:sqs:eu-west-1:111122223333:jobs"
    # Other accounts and regions are separate partitions, as in AWS.
    assert cloudmock_store("sqs", account_id="123456789012", region="us-east-1").queues == {}


def test_two_accounts_in_one_test(cloudmock_client):
    alice = cloudmock_client("sqs", aws_access_key_id="111111111111")
    bob = cloudmock_client("sqs", aws_access_key_id="222222222222")
    alice.create_queue(QueueName="private")

    assert "QueueUrls" not in bob.list_queues()


@pytest.mark.cloudmock(reset="class")
class TestSharedWithinTheClass:
    def test_create(self, cloudmock_client):
        cloudmock_client("s3").create_bucket(Bucket="shared-bucket")

    def test_still_there(self, cloudmock_client):
        names = [b["Name"] for b in cloudmock_client("s3").list_buckets()["Buckets"]]
        assert names == ["shared-bucket"]
