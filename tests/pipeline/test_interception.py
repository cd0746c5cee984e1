"""Interceptors around service calls: from the wire and between services, undone per test."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock import AWSError, Interceptor
from pytest_cloudmock.api import Response

from ..services.aws_errors import error_of


@pytest.fixture
def chain(aws):
    """The gateway's chain; what a test adds is removed after it (the rest stays: faults, IAM)."""
    chain = aws.registry.interceptors
    before = list(chain)
    yield chain
    for interceptor in list(chain):
        if interceptor not in before:
            chain.remove(interceptor)


def test_after_changes_a_response(chain, client):
    sts = client("sts")
    chain.add(Interceptor("sts", "GetCallerIdentity",
                          after=lambda ctx, out: {**out.body, "Account": "999999999999"}))
    assert sts.get_caller_identity()["Account"] == "999999999999"


def test_before_replaces_params(chain, client):
    sqs = client("sqs")

    def rename(ctx):
        ctx.params["QueueName"] = "renamed-" + ctx.params["QueueName"]

    chain.add(Interceptor("sqs", "CreateQueue", before=rename))
    assert sqs.create_queue(QueueName="q")["QueueUrl"].endswith("/renamed-q")


def test_before_answers_with_an_aws_error_in_the_requests_protocol(chain, client):
    def refuse(ctx):
        raise AWSError("AccessDenied", "no uploads under tmp/", 403)

    chain.add(Interceptor("s3", "PutObject", before=lambda ctx: refuse(ctx) if ctx.params["Key"].startswith("tmp/") else None))
    s3 = client("s3")
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="ok", Body=b"1")
    assert error_of(s3.put_object, Bucket="bkt", Key="tmp/x", Body=b"1") == ("AccessDenied", "no uploads under tmp/")


def test_before_may_answer_instead_of_the_service(chain, client):
    chain.add(Interceptor("sqs", "ListQueues", before=lambda ctx: {"QueueUrls": ["http://x/1/q"]}))
    assert client("sqs").list_queues()["QueueUrls"] == ["http://x/1/q"]


def test_after_sees_the_services_error_and_may_replace_it(chain, client):
    seen = []

    def recover(ctx, outcome):
        seen.append(outcome)
        if isinstance(outcome, AWSError) and outcome.code == "QueueDoesNotExist":
            return Response(body={"QueueUrl": "http://example/000000000000/ghost"})
        return None

    chain.add(Interceptor("sqs", "GetQueueUrl", after=recover))
    assert client("sqs").get_queue_url(QueueName="ghost")["QueueUrl"].endswith("/ghost")
    assert isinstance(seen[0], AWSError)


def test_interceptors_reach_service_to_service_calls(chain, client):
    """SNS's fan-out into SQS goes through the chain too."""
    sqs, sns = client("sqs"), client("sns")
    url = sqs.create_queue(QueueName="fan")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = sns.create_topic(Name="t")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})

    def stamp(ctx):
        ctx.params["MessageBody"] = ctx.params["MessageBody"].upper()

    chain.add(Interceptor("sqs", "SendMessage", before=stamp))
    sns.publish(TopicArn=topic, Message="hello")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "HELLO"


def test_globs_and_order(chain, client):
    calls = []
    chain.add(Interceptor("s*", "List*", before=lambda ctx: calls.append(("first", ctx.service)),
                          after=lambda ctx, out: calls.append(("first-after", ctx.service))))
    chain.add(Interceptor("*", "*", before=lambda ctx: calls.append(("second", ctx.service)),
                          after=lambda ctx, out: calls.append(("second-after", ctx.service))))
    client("sqs").list_queues()
    assert calls == [("first", "sqs"), ("second", "sqs"), ("second-after", "sqs"), ("first-after", "sqs")]
    calls.clear()
    client("sts").get_caller_identity()
    assert calls == [("second", "sts"), ("second-after", "sts")]


def test_test_scoped_interceptor_is_removed_at_the_end_of_the_test(cloudmock, cloudmock_client):
    mine = cloudmock.intercept(
        "sts", "GetCallerIdentity", after=lambda ctx, out: {**out.body, "Account": "111111111111"}
    )
    assert cloudmock_client("sts").get_caller_identity()["Account"] == "111111111111"
    assert mine in list(cloudmock.registry.interceptors)
    cloudmock.end_test()  # what the plugin does after every test
    assert mine not in list(cloudmock.registry.interceptors)
    assert cloudmock_client("sts").get_caller_identity()["Account"] == cloudmock.account_id


def test_an_interceptor_that_raises_something_else_is_a_500_not_a_hang(chain, client):
    chain.add(Interceptor("sts", before=lambda ctx: json.loads("{")))
    assert error_of(client("sts").get_caller_identity)[0] == "InternalFailure"
