"""SNS, EventBridge and Scheduler providers against the services' own describe calls."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext

from ..aws_errors import error_of
from .test_provider_base import provider_context

ROLE = "arn:aws:iam::123456789012:role/scheduler"


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Feed")


def test_topic_with_subscription_attributes_tags_update_and_delete(ctx: ProviderContext, client: Any) -> None:
    sns, sqs = client("sns"), client("sqs")
    queue = provider_for("AWS::SQS::Queue").create(ctx, {"QueueName": "inbox"})
    topic = provider_for("AWS::SNS::Topic")
    old = {"DisplayName": "Feed", "Subscription": [{"Protocol": "sqs", "Endpoint": queue.attributes["Arn"]}],
           "Tags": [{"Key": "a", "Value": "1"}]}
    made = topic.create(ctx, old)
    arn = made.physical_id
    assert made.attributes == {"TopicArn": arn, "TopicName": arn.rsplit(":", 1)[1]}
    assert made.attributes["TopicName"].startswith("stk-Feed-")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Feed"
    assert [s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]] == [
        queue.attributes["Arn"]]
    new = {"DisplayName": "Renamed", "Tags": [{"Key": "b", "Value": "2"}]}
    topic.update(ctx, arn, old, new)
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Renamed"
    assert sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"] == []
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    assert {"TopicName", "FifoTopic"} <= topic.replaces
    topic.delete(ctx, arn, new)
    topic.delete(ctx, arn, new)
    assert error_of(lambda: sns.get_topic_attributes(TopicArn=arn))[0] == "NotFound"
    assert sqs.get_queue_url(QueueName="inbox")


def test_subscription_attributes_in_place_and_unsubscribe(ctx: ProviderContext, client: Any) -> None:
    sns = client("sns")
    topic_arn = provider_for("AWS::SNS::Topic").create(ctx, {"TopicName": "orders"}).physical_id
    queue = provider_for("AWS::SQS::Queue").create(ctx, {"QueueName": "orders-q"})
    subscription = provider_for("AWS::SNS::Subscription")
    old = {"TopicArn": topic_arn, "Protocol": "sqs", "Endpoint": queue.attributes["Arn"],
           "RawMessageDelivery": True, "FilterPolicy": {"kind": ["a"]}}
    made = subscription.create(ctx, old)
    attributes = sns.get_subscription_attributes(SubscriptionArn=made.physical_id)["Attributes"]
    assert made.attributes == {"Arn": made.physical_id}
    assert attributes["RawMessageDelivery"] == "true" and json.loads(attributes["FilterPolicy"]) == {"kind": ["a"]}
    subscription.update(ctx, made.physical_id, old, {**old, "RawMessageDelivery": False})
    attributes = sns.get_subscription_attributes(SubscriptionArn=made.physical_id)["Attributes"]
    assert attributes["RawMessageDelivery"] == "false"
    assert subscription.replaces == frozenset({"Endpoint", "Protocol", "TopicArn"})
    subscription.delete(ctx, made.physical_id, old)
    assert sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"] == []


def test_topic_policy_set_and_back_to_the_default(ctx: ProviderContext, client: Any) -> None:
    sns = client("sns")
    topic_arn = provider_for("AWS::SNS::Topic").create(ctx, {"TopicName": "guarded"}).physical_id
    default = json.loads(sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["Policy"])
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "pub", "Effect": "Allow", "Principal": "*",
                                                        "Action": "sns:Publish", "Resource": topic_arn}]}
    policy = provider_for("AWS::SNS::TopicPolicy")
    made = policy.create(ctx, {"Topics": [topic_arn], "PolicyDocument": document})
    assert made.attributes == {"Id": made.physical_id}
    assert json.loads(sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["Policy"]) == document
    policy.delete(ctx, made.physical_id, {"Topics": [topic_arn], "PolicyDocument": document})
    assert json.loads(sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["Policy"]) == default


def test_rule_with_targets_on_a_custom_bus(ctx: ProviderContext, client: Any) -> None:
    events = client("events")
    bus = provider_for("AWS::Events::EventBus").create(ctx, {"Name": "orders-bus", "Tags": [{"Key": "a", "Value": "1"}]})
    described = events.describe_event_bus(Name="orders-bus")
    assert bus.physical_id == "orders-bus" and bus.attributes["Arn"] == described["Arn"]
    assert bus.attributes["Name"] == "orders-bus"
    queue = provider_for("AWS::SQS::Queue").create(ctx, {"QueueName": "rule-target"})
    rule = provider_for("AWS::Events::Rule")
    old = {"EventBusName": "orders-bus", "EventPattern": {"source": ["shop"]},
           "Targets": [{"Id": "q", "Arn": queue.attributes["Arn"]}, {"Id": "q2", "Arn": queue.attributes["Arn"]}]}
    made = rule.create(ctx, old)
    bus_name, _, name = made.physical_id.partition("|")
    assert bus_name == "orders-bus" and name.startswith("stk-Feed-")
    described = events.describe_rule(Name=name, EventBusName="orders-bus")
    assert made.attributes == {"Arn": described["Arn"]}
    assert json.loads(described["EventPattern"]) == {"source": ["shop"]}
    new = {**old, "State": "DISABLED", "Targets": [{"Id": "q", "Arn": queue.attributes["Arn"]}]}
    rule.update(ctx, made.physical_id, old, new)
    assert events.describe_rule(Name=name, EventBusName="orders-bus")["State"] == "DISABLED"
    assert [t["Id"] for t in events.list_targets_by_rule(Rule=name, EventBusName="orders-bus")["Targets"]] == ["q"]
    assert {"Name", "EventBusName"} <= rule.replaces
    rule.delete(ctx, made.physical_id, new)
    assert error_of(lambda: events.describe_rule(Name=name, EventBusName="orders-bus"))[0] == \
        "ResourceNotFoundException"
    provider_for("AWS::Events::EventBus").delete(ctx, "orders-bus", {})
    assert error_of(lambda: events.describe_event_bus(Name="orders-bus"))[0] == "ResourceNotFoundException"


def test_rule_on_the_default_bus_refs_by_name(ctx: ProviderContext, client: Any) -> None:
    made = provider_for("AWS::Events::Rule").create(ctx, {"Name": "tick", "ScheduleExpression": "rate(5 minutes)"})
    assert made.physical_id == "tick"
    assert made.attributes["Arn"] == client("events").describe_rule(Name="tick")["Arn"]


def test_schedule_group_and_schedule(ctx: ProviderContext, client: Any) -> None:
    scheduler = client("scheduler")
    group = provider_for("AWS::Scheduler::ScheduleGroup")
    made_group = group.create(ctx, {"Name": "jobs", "Tags": [{"Key": "a", "Value": "1"}]})
    found = scheduler.get_schedule_group(Name="jobs")
    assert made_group.attributes["Arn"] == found["Arn"] and made_group.attributes["State"] == found["State"]
    schedule = provider_for("AWS::Scheduler::Schedule")
    old = {"GroupName": "jobs", "ScheduleExpression": "rate(1 hour)",
           "FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": "5"},
           "Target": {"Arn": "arn:aws:sqs:us-east-1:123456789012:q", "RoleArn": ROLE}}
    made = schedule.create(ctx, old)
    described = scheduler.get_schedule(Name=made.physical_id, GroupName="jobs")
    assert made.attributes == {"Arn": described["Arn"]}
    assert described["FlexibleTimeWindow"] == {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 5}
    schedule.update(ctx, made.physical_id, old, {**old, "ScheduleExpression": "rate(2 hours)"})
    assert scheduler.get_schedule(Name=made.physical_id, GroupName="jobs")["ScheduleExpression"] == "rate(2 hours)"
    later = {**old, "StartDate": "2030-01-01T00:00:00Z"}
    schedule.update(ctx, made.physical_id, old, later)
    assert scheduler.get_schedule(Name=made.physical_id, GroupName="jobs")["StartDate"].year == 2030
    schedule.delete(ctx, made.physical_id, old)
    assert error_of(lambda: scheduler.get_schedule(Name=made.physical_id, GroupName="jobs"))[0] == \
        "ResourceNotFoundException"
    group.update(ctx, "jobs", {"Tags": [{"Key": "a", "Value": "1"}]}, {"Tags": [{"Key": "b", "Value": "2"}]})
    assert scheduler.list_tags_for_resource(ResourceArn=found["Arn"])["Tags"] == [{"Key": "b", "Value": "2"}]
    group.delete(ctx, "jobs", {})
    assert error_of(lambda: scheduler.get_schedule_group(Name="jobs"))[0] == "ResourceNotFoundException"
