"""In-place updates of the providers whose other tests only create and delete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext

from .test_provider_base import provider_context

ALLOW = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Upd")


def test_topic_policy_moves_between_topics(ctx: ProviderContext, client: Any) -> None:
    sns = client("sns")
    first, second = (provider_for("AWS::SNS::Topic").create(ctx, {"TopicName": n}).physical_id for n in ("t1", "t2"))
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "x", "Effect": "Allow", "Principal": "*",
                                                        "Action": "sns:Publish", "Resource": "*"}]}
    policy = provider_for("AWS::SNS::TopicPolicy")
    made = policy.create(ctx, {"Topics": [first], "PolicyDocument": document})
    policy.update(ctx, made.physical_id, {"Topics": [first], "PolicyDocument": document},
                  {"Topics": [second], "PolicyDocument": document})
    assert json.loads(sns.get_topic_attributes(TopicArn=second)["Attributes"]["Policy"]) == document
    assert json.loads(sns.get_topic_attributes(TopicArn=first)["Attributes"]["Policy"]) != document


def test_group_path_and_policies_in_place(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    group = provider_for("AWS::IAM::Group")
    old = {"GroupName": "crew", "Policies": [{"PolicyName": "a", "PolicyDocument": ALLOW}]}
    group.create(ctx, old)
    group.update(ctx, "crew", old, {"GroupName": "crew", "Path": "/ops/",
                                    "Policies": [{"PolicyName": "b", "PolicyDocument": ALLOW}]})
    assert iam.get_group(GroupName="crew")["Group"]["Path"] == "/ops/"
    assert iam.list_group_policies(GroupName="crew")["PolicyNames"] == ["b"]


def test_kms_alias_retargeted_in_place(ctx: ProviderContext, client: Any) -> None:
    kms = client("kms")
    key = provider_for("AWS::KMS::Key")
    first, second = key.create(ctx, {}).physical_id, key.create(ctx, {}).physical_id
    alias = provider_for("AWS::KMS::Alias")
    alias.create(ctx, {"AliasName": "alias/app", "TargetKeyId": first})
    alias.update(ctx, "alias/app", {"AliasName": "alias/app", "TargetKeyId": first},
                 {"AliasName": "alias/app", "TargetKeyId": second})
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == second


def test_event_bus_policy_and_description_in_place(ctx: ProviderContext, client: Any) -> None:
    events = client("events")
    bus = provider_for("AWS::Events::EventBus")
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": "all", "Effect": "Allow", "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"}, "Action": "events:PutEvents",
        "Resource": "arn:aws:events:us-east-1:123456789012:event-bus/shared"}]}
    old = {"Name": "shared"}
    bus.create(ctx, old)
    made = bus.update(ctx, "shared", old, {"Name": "shared", "Policy": policy, "Description": "shared bus"})
    described = events.describe_event_bus(Name="shared")
    assert json.loads(described["Policy"])["Statement"][0]["Sid"] == "all"
    assert made.attributes["Policy"] == described["Policy"]


@pytest.mark.parametrize(("type_name", "properties"), [
    ("AWS::Lambda::Version", {"FunctionName", "Description", "CodeSha256"}),
    ("AWS::Lambda::Alias", {"FunctionName", "Name"}),
    ("AWS::Lambda::Permission", {"FunctionName", "Action", "Principal", "SourceArn"}),
    ("AWS::Lambda::LayerVersion", {"Content", "LayerName", "CompatibleRuntimes"}),
    ("AWS::IAM::AccessKey", {"UserName", "Serial"}),
    ("AWS::S3::BucketPolicy", {"Bucket"}),
])
def test_types_changed_only_by_replacement_say_so(type_name: str, properties: set[str]) -> None:
    assert properties <= provider_for(type_name).replaces  # type: ignore[union-attr]
