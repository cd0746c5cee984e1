"""Queues: create, URL, list, delete, attributes, tags, purge, permissions (json and query)."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from .conftest import ACCOUNT, boto3_session, error_code, make_client

QUERY_CODES = {"QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue"}


def test_create_queue_has_aws_defaults_and_computed_attributes(sqs, aws):
    before = int(time.time())
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    assert url == f"{aws.endpoint}/{ACCOUNT}/jobs"
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    created = int(attrs.pop("CreatedTimestamp"))
    assert before <= created <= time.time()
    assert int(attrs.pop("LastModifiedTimestamp")) == created
    assert attrs == {
        "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs",
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "VisibilityTimeout": "30",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
    }


def test_fifo_queue_defaults(sqs):
    url = sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    attrs = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]
    )["Attributes"]
    assert attrs == {
        "FifoQueue": "true",
        "ContentBasedDeduplication": "false",
        "DeduplicationScope": "queue",
        "FifoThroughputLimit": "perQueue",
    }


def test_create_is_idempotent_with_same_attributes_and_fails_on_different(sqs):
    first = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
    assert sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "60"})["QueueUrl"] == first
    assert sqs.create_queue(QueueName="q")["QueueUrl"] == first
    assert sqs.create_queue(QueueName="q", Attributes={"DelaySeconds": "0"})["QueueUrl"] == first
    with pytest.raises(ClientError) as exc:
        sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "61"})
    assert error_code(exc) == "QueueAlreadyExists"
    assert "VisibilityTimeout" in exc.value.response["Error"]["Message"]
    with pytest.raises(sqs.exceptions.QueueNameExists):
        sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "61"})


@pytest.mark.parametrize(
    ("name", "attributes", "code"),
    [
        ("", {}, "InvalidParameterValue"),
        ("a" * 81, {}, "InvalidParameterValue"),
        ("bad name", {}, "InvalidParameterValue"),
        ("dots.not.allowed", {}, "InvalidParameterValue"),
        ("x.fifo", {}, "InvalidParameterValue"),
        ("nofifosuffix", {"FifoQueue": "true"}, "InvalidParameterValue"),
        ("a" * 76 + ".fifo", {"FifoQueue": "true"}, "InvalidParameterValue"),
        ("q", {"FifoQueue": "maybe"}, "InvalidAttributeValue"),
        ("q", {"VisibilityTimeout": "43201"}, "InvalidAttributeValue"),
        ("q", {"VisibilityTimeout": "-1"}, "InvalidAttributeValue"),
        ("q", {"DelaySeconds": "901"}, "InvalidAttributeValue"),
        ("q", {"MaximumMessageSize": "1023"}, "InvalidAttributeValue"),
        ("q", {"MaximumMessageSize": "1048577"}, "InvalidAttributeValue"),
        ("q", {"MessageRetentionPeriod": "59"}, "InvalidAttributeValue"),
        ("q", {"ReceiveMessageWaitTimeSeconds": "21"}, "InvalidAttributeValue"),
        ("q", {"ReceiveMessageWaitTimeSeconds": "ten"}, "InvalidAttributeValue"),
        ("q", {"Policy": "{not json"}, "InvalidAttributeValue"),
        ("q", {"ContentBasedDeduplication": "true"}, "InvalidAttributeName"),
        ("q", {"QueueArn": "arn:aws:sqs:us-east-1:123456789012:q"}, "InvalidAttributeName"),
        ("q", {"Colour": "blue"}, "InvalidAttributeName"),
        ("q.fifo", {"FifoQueue": "true", "DeduplicationScope": "everywhere"}, "InvalidAttributeValue"),
    ],
)
def test_create_queue_rejects_bad_names_and_attributes(sqs, name, attributes, code):
    with pytest.raises(ClientError) as exc:
        sqs.create_queue(QueueName=name, Attributes=attributes)
    assert error_code(exc) == code
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "QueueUrls" not in sqs.list_queues()


def test_get_queue_url_including_another_accounts_queue(sqs, aws, sqs_sessions):
    url = sqs.create_queue(QueueName="mine")["QueueUrl"]
    assert sqs.get_queue_url(QueueName="mine")["QueueUrl"] == url
    other_session = boto3_session(sqs.meta.service_model.protocol, access_key="210987654321")
    other = make_client(other_session, aws.endpoint)
    theirs = other.create_queue(QueueName="theirs")["QueueUrl"]
    assert "/210987654321/theirs" in theirs
    assert sqs.get_queue_url(QueueName="theirs", QueueOwnerAWSAccountId="210987654321")["QueueUrl"] == theirs
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as exc:
        sqs.get_queue_url(QueueName="theirs")
    assert error_code(exc) == "AWS.SimpleQueueService.NonExistentQueue"
    # The owner's URL works from the other account too (cross-account access, no policy check).
    sqs.send_message(QueueUrl=theirs, MessageBody="hi")
    assert other.receive_message(QueueUrl=theirs)["Messages"][0]["Body"] == "hi"


def test_list_queues_with_prefix_and_pagination(sqs):
    names = [f"app-{i:02d}" for i in range(7)] + ["other"]
    for name in names:
        sqs.create_queue(QueueName=name)
    everything = sqs.list_queues()["QueueUrls"]
    assert sorted(u.rsplit("/", 1)[1] for u in everything) == sorted(names)
    assert "NextToken" not in sqs.list_queues()
    assert [u.rsplit("/", 1)[1] for u in sqs.list_queues(QueueNamePrefix="oth")["QueueUrls"]] == ["other"]
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix="zzz")
    seen, token, pages = [], None, 0
    while True:
        page = sqs.list_queues(QueueNamePrefix="app-", MaxResults=3, **({"NextToken": token} if token else {}))
        seen += page["QueueUrls"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert [u.rsplit("/", 1)[1] for u in seen] == names[:7]
    paginated = [u for p in sqs.get_paginator("list_queues").paginate(PaginationConfig={"PageSize": 2}) for u in p.get("QueueUrls", [])]
    assert sorted(paginated) == sorted(everything)
    with pytest.raises(ClientError) as exc:
        sqs.list_queues(MaxResults=1001)
    assert error_code(exc) == "InvalidParameterValue"


def test_delete_queue(sqs, clock):
    url = sqs.create_queue(QueueName="gone")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    sqs.delete_queue(QueueUrl=url)
    assert "QueueUrls" not in sqs.list_queues()
    for call in (
        lambda: sqs.delete_queue(QueueUrl=url),
        lambda: sqs.send_message(QueueUrl=url, MessageBody="x"),
        lambda: sqs.receive_message(QueueUrl=url),
        lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
        lambda: sqs.get_queue_url(QueueName="gone"),
    ):
        with pytest.raises(sqs.exceptions.QueueDoesNotExist) as exc:
            call()
        assert error_code(exc) == "AWS.SimpleQueueService.NonExistentQueue"
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # The name is free again after AWS's 60 seconds, and the new queue starts empty.
    clock(60)
    url = sqs.create_queue(QueueName="gone")["QueueUrl"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_queue_urls_in_aws_form_are_accepted(sqs):
    sqs.create_queue(QueueName="styled")
    for url in (
        f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/styled",
        f"https://queue.amazonaws.com/{ACCOUNT}/styled",
        f"http://localhost:4566/{ACCOUNT}/styled",
    ):
        sqs.send_message(QueueUrl=url, MessageBody=url)
    assert sqs.get_queue_attributes(
        QueueUrl=f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/styled", AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]["ApproximateNumberOfMessages"] == "3"
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl="http://127.0.0.1/not-a-queue-url", MessageBody="x")
    assert error_code(exc) == "InvalidAddress"
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/styled", MessageBody="x")


def test_get_queue_attributes_selection_and_errors(sqs, make_queue):
    url = make_queue("attrs", VisibilityTimeout=45)
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "QueueArn"])["Attributes"] == {
        "VisibilityTimeout": "45",
        "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:attrs",
    }
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=url)
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get("Attributes", {})
    with pytest.raises(ClientError) as exc:
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Nonsense"])
    assert error_code(exc) == "InvalidAttributeName"


def test_set_queue_attributes(sqs, make_queue):
    url = make_queue("settable")
    created = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["CreatedTimestamp"])["Attributes"]["CreatedTimestamp"]
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]})
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={"VisibilityTimeout": "5", "DelaySeconds": "2", "MaximumMessageSize": "2048", "Policy": policy},
    )
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attrs["VisibilityTimeout"], attrs["DelaySeconds"], attrs["MaximumMessageSize"]) == ("5", "2", "2048")
    assert json.loads(attrs["Policy"]) == json.loads(policy)
    assert attrs["CreatedTimestamp"] == created
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    for bad, code in (
        ({"VisibilityTimeout": "99999"}, "InvalidAttributeValue"),
        ({"FifoQueue": "true"}, "InvalidAttributeName"),
        ({"ContentBasedDeduplication": "true"}, "InvalidAttributeName"),
        ({"QueueArn": "x"}, "InvalidAttributeName"),
    ):
        with pytest.raises(ClientError) as exc:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=bad)
        assert error_code(exc) == code
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"]["VisibilityTimeout"] == "5"


def test_fifo_attributes_can_change_but_not_the_type(sqs, make_queue):
    url = make_queue("settable.fifo", FifoQueue=True)
    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"ContentBasedDeduplication": "true", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    )
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attrs["ContentBasedDeduplication"], attrs["DeduplicationScope"], attrs["FifoThroughputLimit"]) == (
        "true", "messageGroup", "perMessageGroupId",
    )


def test_tags(sqs):
    url = sqs.create_queue(QueueName="tagged", tags={"team": "a", "env": "dev"})["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "a", "env": "dev"}
    sqs.tag_queue(QueueUrl=url, Tags={"env": "prod", "cost": "1"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "a", "env": "prod", "cost": "1"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["team", "absent"])
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "prod", "cost": "1"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["env", "cost"])
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=url)
    with pytest.raises(ClientError) as exc:
        sqs.tag_queue(QueueUrl=url, Tags={f"k{i}": "v" for i in range(51)})
    assert error_code(exc) == "InvalidParameterValue"


def test_purge_queue_and_the_60_second_rule(sqs, make_queue, clock):
    url = make_queue("purgeable")
    for i in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=str(i))
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)
    sqs.purge_queue(QueueUrl=url)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == counts["ApproximateNumberOfMessagesNotVisible"] == "0"
    with pytest.raises(sqs.exceptions.PurgeQueueInProgress) as exc:
        sqs.purge_queue(QueueUrl=url)
    assert error_code(exc) == "AWS.SimpleQueueService.PurgeQueueInProgress"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    clock(61)
    sqs.purge_queue(QueueUrl=url)


def test_add_and_remove_permission_edit_the_policy(sqs, make_queue):
    url = make_queue("shared")
    sqs.add_permission(QueueUrl=url, Label="send", AWSAccountIds=["210987654321"], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=url, Label="all", AWSAccountIds=["210987654321", "111122223333"], Actions=["ReceiveMessage", "DeleteMessage"])
    policy = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["send", "all"]
    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::210987654321:root"}
    assert policy["Statement"][0]["Action"] == "SQS:SendMessage"
    assert policy["Statement"][1]["Action"] == ["SQS:ReceiveMessage", "SQS:DeleteMessage"]
    with pytest.raises(ClientError) as exc:
        sqs.add_permission(QueueUrl=url, Label="send", AWSAccountIds=["210987654321"], Actions=["SendMessage"])
    assert error_code(exc) == "InvalidParameterValue"
    sqs.remove_permission(QueueUrl=url, Label="send")
    sqs.remove_permission(QueueUrl=url, Label="all")
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    with pytest.raises(ClientError) as exc:
        sqs.remove_permission(QueueUrl=url, Label="all")
    assert error_code(exc) == "InvalidParameterValue"
