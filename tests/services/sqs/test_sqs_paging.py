"""SQS list pages: keyset tokens scoped to their list, SQS's own bad-token error."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .conftest import error_code


def test_queue_pages_survive_deletes_and_refuse_foreign_tokens(sqs, make_queue):
    dlq = make_queue("dead")
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"3"}}'
    for name in ("src-a", "src-b", "src-c"):
        make_queue(name, RedrivePolicy=policy)
    first = sqs.list_queues(QueueNamePrefix="src-", MaxResults=1)
    sqs.delete_queue(QueueUrl=first["QueueUrls"][0])  # keyset: deleting what was seen skips nothing
    rest = sqs.list_queues(QueueNamePrefix="src-", MaxResults=5, NextToken=first["NextToken"])
    assert [u.rsplit("/", 1)[1] for u in rest["QueueUrls"]] == ["src-b", "src-c"]
    sources = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=1)
    assert sources["NextToken"]
    for token in ("not-a-token", sources["NextToken"]):  # garbage, and another list's token
        with pytest.raises(ClientError) as exc:
            sqs.list_queues(QueueNamePrefix="src-", MaxResults=1, NextToken=token)
        assert error_code(exc) == "InvalidParameterValue"
