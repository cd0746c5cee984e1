"""Which resource types take the stack's tags, and in what form their `Tags` property is.

CloudFormation gives a stack's tags to every resource that supports tags, and moves them
when an update changes only the stack's tags. The list is of the types with a Tier 1
provider whose published schema says `taggable` with a `Tags` property that is not
create-only (tests/services/cloudformation/test_stack_tags.py checks it against the
schemas shipped with cfn-lint); stub-catalog types get the stack's tags when created.
"""

from __future__ import annotations

from typing import Any

from .providers.base import tag_map

#: Types whose `Tags` is a list of `{Key, Value}`.
LIST_TAGGED = frozenset({
    "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::DomainName", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::UsagePlan", "AWS::CloudWatch::Alarm", "AWS::DynamoDB::Table", "AWS::EC2::EIP",
    "AWS::EC2::Instance", "AWS::EC2::InternetGateway", "AWS::EC2::NatGateway", "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup", "AWS::EC2::Subnet", "AWS::EC2::VPC", "AWS::EC2::Volume", "AWS::Events::EventBus",
    "AWS::Events::Rule", "AWS::IAM::Role", "AWS::IAM::User", "AWS::KMS::Key", "AWS::Kinesis::Stream",
    "AWS::KinesisFirehose::DeliveryStream", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Function",
    "AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::SES::ConfigurationSet", "AWS::SES::ContactList",
    "AWS::SES::DedicatedIpPool", "AWS::SES::EmailIdentity", "AWS::SES::Template", "AWS::SNS::Topic",
    "AWS::SQS::Queue", "AWS::Scheduler::ScheduleGroup", "AWS::SecretsManager::Secret",
    "AWS::StepFunctions::StateMachine",
})
#: Types whose `Tags` is a `{key: value}` map.
MAP_TAGGED = frozenset({"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::DomainName", "AWS::SSM::Parameter"})


def with_stack_tags(type_name: str, properties: dict[str, Any], stack_tags: list[dict[str, str]]) -> dict[str, Any]:
    """`properties` with the stack's tags merged into `Tags` (the resource's own win on a key),
    in the type's form; unchanged for a type that does not take tags."""
    if type_name not in LIST_TAGGED and type_name not in MAP_TAGGED:
        return properties
    merged = {**tag_map(stack_tags), **tag_map(properties.get("Tags"))}
    if not merged:
        return properties
    form: Any = merged if type_name in MAP_TAGGED else [{"Key": k, "Value": v} for k, v in merged.items()]
    return {**properties, "Tags": form}
