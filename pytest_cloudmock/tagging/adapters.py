"""Tag adapters of the Tier 1 services, each through the service's own API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..api import AWSError
from . import Call, NamespaceOwned, TaggedResource, every, pairs, unpair
from .apigateway import HttpApis, RestApis
from .iam import IamResources


def _resource_name(arn: str) -> str:
    """The last segment of an ARN's resource part (`q` of `...:q`, `t` of `...:table/t`)."""
    return arn.split(":", 5)[5].split("/")[-1].split(":")[-1]


@dataclass(frozen=True)
class S3Buckets(NamespaceOwned):
    service: str = "s3"
    arn_services: tuple[str, ...] = ("s3",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        region = None
        for bucket in call("ListBuckets", {}).get("Buckets") or []:
            name = bucket["Name"]
            region = bucket.get("BucketRegion")
            yield TaggedResource(f"arn:aws:s3:::{name}", self._tags(call, name), region=region)

    @staticmethod
    def _tags(call: Call, bucket: str) -> dict[str, str]:
        try:
            return unpair(call("GetBucketTagging", {"Bucket": bucket}).get("TagSet"))
        except AWSError as error:
            if error.code == "NoSuchTagSet":
                return {}
            raise

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        bucket = _resource_name(arn)
        merged = {**self._tags(call, bucket), **tags}
        call("PutBucketTagging", {"Bucket": bucket, "Tagging": {"TagSet": pairs(merged)}})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        bucket = _resource_name(arn)
        kept = {k: v for k, v in self._tags(call, bucket).items() if k not in keys}
        if kept:
            call("PutBucketTagging", {"Bucket": bucket, "Tagging": {"TagSet": pairs(kept)}})
        else:
            call("DeleteBucketTagging", {"Bucket": bucket})


@dataclass(frozen=True)
class SqsQueues(NamespaceOwned):
    service: str = "sqs"
    arn_services: tuple[str, ...] = ("sqs",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for url in every(call, "ListQueues", {}, "QueueUrls"):
            arn = call("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["QueueArn"]})["Attributes"]["QueueArn"]
            yield TaggedResource(arn, call("ListQueueTags", {"QueueUrl": url}).get("Tags") or {})

    @staticmethod
    def _url(call: Call, arn: str) -> str:
        account = arn.split(":")[4]
        return call("GetQueueUrl", {"QueueName": _resource_name(arn), "QueueOwnerAWSAccountId": account})["QueueUrl"]

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        call("TagQueue", {"QueueUrl": self._url(call, arn), "Tags": tags})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        call("UntagQueue", {"QueueUrl": self._url(call, arn), "TagKeys": keys})


@dataclass(frozen=True)
class ArnTagged(NamespaceOwned):
    """A service whose tag operations take the ARN (`TagResource`/`UntagResource`/list)."""

    service: str
    arn_services: tuple[str, ...]
    arn_member: str = "ResourceArn"
    list_tags: str = "ListTagsForResource"
    tags_out: str = "Tags"
    pair_key: str = "Key"
    pair_value: str = "Value"
    tags_as_map: bool = False
    keys_member: str = "TagKeys"
    tags_member: str = "Tags"

    def arns(self, call: Call) -> Iterable[str]:
        raise NotImplementedError

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for arn in self.arns(call):
            yield TaggedResource(arn, self.tags_of(call, arn))

    def tags_of(self, call: Call, arn: str) -> dict[str, str]:
        found = call(self.list_tags, {self.arn_member: arn}).get(self.tags_out)
        return dict(found or {}) if isinstance(found, dict) else unpair(found, self.pair_key, self.pair_value)

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        value = tags if self.tags_as_map else pairs(tags, self.pair_key, self.pair_value)
        call("TagResource", {self.arn_member: arn, self.tags_member: value})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        call("UntagResource", {self.arn_member: arn, self.keys_member: keys})


class SnsTopics(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        return (t["TopicArn"] for t in every(call, "ListTopics", {}, "Topics"))


class DynamoDbTables(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        for name in every(call, "ListTables", {}, "TableNames", "ExclusiveStartTableName", "LastEvaluatedTableName"):
            yield call("DescribeTable", {"TableName": name})["Table"]["TableArn"]


class LambdaFunctions(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        return (f["FunctionArn"] for f in every(call, "ListFunctions", {}, "Functions", "Marker", "NextMarker"))


class KmsKeys(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        return (k["KeyArn"] for k in every(call, "ListKeys", {}, "Keys", "Marker", "NextMarker"))


class SecretsManagerSecrets(ArnTagged):
    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for secret in every(call, "ListSecrets", {}, "SecretList"):
            yield TaggedResource(secret["ARN"], unpair(secret.get("Tags")))


class EventBridge(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        buses = [b for b in every(call, "ListEventBuses", {}, "EventBuses")]
        for bus in buses:
            if bus["Name"] != "default":
                yield bus["Arn"]
            yield from (r["Arn"] for r in every(call, "ListRules", {"EventBusName": bus["Name"]}, "Rules"))


class StepFunctions(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        machines = every(call, "ListStateMachines", {}, "stateMachines", "nextToken")
        yield from (m["stateMachineArn"] for m in machines)
        yield from (a["activityArn"] for a in every(call, "ListActivities", {}, "activities", "nextToken"))


class LogGroups(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        groups = every(call, "DescribeLogGroups", {}, "logGroups", "nextToken")
        return (g.get("logGroupArn") or g["arn"].removesuffix(":*") for g in groups)


class CloudWatchAlarms(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        for page_key in ("MetricAlarms", "CompositeAlarms"):
            yield from (a["AlarmArn"] for a in every(call, "DescribeAlarms", {"AlarmTypes": [
                "MetricAlarm" if page_key == "MetricAlarms" else "CompositeAlarm"]}, page_key))


class UserPools(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        for pool in every(call, "ListUserPools", {"MaxResults": 60}, "UserPools"):
            yield call("DescribeUserPool", {"UserPoolId": pool["Id"]})["UserPool"]["Arn"]


class SchedulerGroups(ArnTagged):
    def arns(self, call: Call) -> Iterable[str]:
        return (g["Arn"] for g in every(call, "ListScheduleGroups", {}, "ScheduleGroups"))


@dataclass(frozen=True)
class SsmParameters(NamespaceOwned):
    service: str = "ssm"
    arn_services: tuple[str, ...] = ("ssm",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for parameter in every(call, "DescribeParameters", {}, "Parameters"):
            name = parameter["Name"]
            arn = parameter.get("ARN") or ""
            tags = call("ListTagsForResource", {"ResourceType": "Parameter", "ResourceId": name}).get("TagList")
            yield TaggedResource(arn, unpair(tags))

    @staticmethod
    def _name(arn: str) -> str:
        name = arn.split(":", 5)[5].removeprefix("parameter")
        return name if name.count("/") > 1 else name.lstrip("/")

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        call("AddTagsToResource", {"ResourceType": "Parameter", "ResourceId": self._name(arn), "Tags": pairs(tags)})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        call("RemoveTagsFromResource", {"ResourceType": "Parameter", "ResourceId": self._name(arn), "TagKeys": keys})


@dataclass(frozen=True)
class KinesisStreams(NamespaceOwned):
    service: str = "kinesis"
    arn_services: tuple[str, ...] = ("kinesis",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for stream in every(call, "ListStreams", {}, "StreamSummaries"):
            tags = call("ListTagsForStream", {"StreamARN": stream["StreamARN"]}).get("Tags")
            yield TaggedResource(stream["StreamARN"], unpair(tags))

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        call("AddTagsToStream", {"StreamARN": arn, "Tags": tags})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        call("RemoveTagsFromStream", {"StreamARN": arn, "TagKeys": keys})


@dataclass(frozen=True)
class FirehoseStreams(NamespaceOwned):
    service: str = "firehose"
    arn_services: tuple[str, ...] = ("firehose",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for name in call("ListDeliveryStreams", {}).get("DeliveryStreamNames") or []:
            found = call("DescribeDeliveryStream", {"DeliveryStreamName": name})["DeliveryStreamDescription"]
            tags = call("ListTagsForDeliveryStream", {"DeliveryStreamName": name}).get("Tags")
            yield TaggedResource(found["DeliveryStreamARN"], unpair(tags))

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        call("TagDeliveryStream", {"DeliveryStreamName": _resource_name(arn), "Tags": pairs(tags)})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        call("UntagDeliveryStream", {"DeliveryStreamName": _resource_name(arn), "TagKeys": keys})


class IdentityPools(ArnTagged):
    """Cognito identity pools, whose list names no ARN: built from the pool id, account and region."""

    def arns(self, call: Call) -> Iterable[str]:
        for pool in every(call, "ListIdentityPools", {"MaxResults": 60}, "IdentityPools"):
            yield f"arn:aws:cognito-identity:{call.region}:{call.account_id}:identitypool/{pool['IdentityPoolId']}"


@dataclass(frozen=True)
class CloudFormationStacks(NamespaceOwned):
    """Stacks, whose tags are set by updating the stack (as CloudFormation propagates stack
    tags to its resources): the previous template and parameter values, the new tags."""

    service: str = "cloudformation"
    arn_services: tuple[str, ...] = ("cloudformation",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for stack in every(call, "DescribeStacks", {}, "Stacks"):
            yield TaggedResource(stack["StackId"], unpair(stack.get("Tags")))

    def _retag(self, call: Call, arn: str, change: Any) -> None:
        [stack] = call("DescribeStacks", {"StackName": arn})["Stacks"]
        params: dict[str, Any] = {
            "StackName": arn, "UsePreviousTemplate": True,
            "Parameters": [{"ParameterKey": p["ParameterKey"], "UsePreviousValue": True}
                           for p in stack.get("Parameters") or []],
            "Tags": pairs(change(unpair(stack.get("Tags"))))}
        if stack.get("Capabilities"):
            params["Capabilities"] = stack["Capabilities"]
        call("UpdateStack", params)

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        self._retag(call, arn, lambda before: {**before, **tags})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        self._retag(call, arn, lambda before: {k: v for k, v in before.items() if k not in keys})


BUILTIN: dict[str, Any] = {
    "s3": S3Buckets(),
    "sqs": SqsQueues(),
    "sns": SnsTopics("sns", ("sns",)),
    "dynamodb": DynamoDbTables("dynamodb", ("dynamodb",), list_tags="ListTagsOfResource"),
    "lambda": LambdaFunctions("lambda", ("lambda",), arn_member="Resource", list_tags="ListTags", tags_as_map=True),
    "kms": KmsKeys("kms", ("kms",), arn_member="KeyId", list_tags="ListResourceTags",
                   pair_key="TagKey", pair_value="TagValue"),
    "secretsmanager": SecretsManagerSecrets("secretsmanager", ("secretsmanager",), arn_member="SecretId"),
    "ssm": SsmParameters(),
    "events": EventBridge("events", ("events",), arn_member="ResourceARN"),
    "stepfunctions": StepFunctions("stepfunctions", ("states",), arn_member="resourceArn", tags_out="tags",
                                   pair_key="key", pair_value="value", keys_member="tagKeys", tags_member="tags"),
    "kinesis": KinesisStreams(),
    "firehose": FirehoseStreams(),
    "logs": LogGroups("logs", ("logs",), arn_member="resourceArn", tags_out="tags", tags_as_map=True,
                      keys_member="tagKeys", tags_member="tags"),
    "cloudwatch": CloudWatchAlarms("cloudwatch", ("cloudwatch",), arn_member="ResourceARN"),
    "scheduler": SchedulerGroups("scheduler", ("scheduler",)),
    "cognito-idp": UserPools("cognito-idp", ("cognito-idp",), tags_as_map=True),
    "cognito-identity": IdentityPools("cognito-identity", ("cognito-identity",), tags_as_map=True),
    "iam": IamResources(),
    "apigateway": RestApis("apigateway", own=("restapis", "apikeys", "usageplans", "clientcertificates")),
    "apigatewayv2": HttpApis("apigatewayv2", own=("apis",)),
    "cloudformation": CloudFormationStacks(),
}
