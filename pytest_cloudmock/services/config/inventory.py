"""The resource inventory, read live from the other services through the registry (never
their internals): one reader per AWS Config resource type, each turning a service's own
answers into `Observed` resources in AWS Config's shape."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from ...api import AWSError, RequestContext
from .items import GLOBAL, Observed, camel, epoch


class Reader:
    """Calls into other services for one request's account and region; a service that is
    not registered, or answers `NotImplemented` or an error, reads as nothing."""

    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx

    def call(self, service: str, operation: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        registry = self.ctx.registry
        if registry is None or registry.get(service) is None:
            return None
        try:
            return registry.call(service, operation, params or {}, account_id=self.ctx.account_id,
                                 region=self.ctx.region, caller=self.ctx)
        except AWSError:
            return None

    def pages(self, service: str, operation: str, key: str, params: dict[str, Any] | None = None,
              token_in: str = "Marker", token_out: str = "Marker") -> Iterator[dict[str, Any]]:
        """Every entry of a paged list operation."""
        params = dict(params or {})
        for _ in range(1000):  # bounded: a service that pages forever is not ours to follow
            page = self.call(service, operation, params)
            if page is None:
                return
            yield from page.get(key) or []
            token = page.get(token_out)
            if not token:
                return
            params[token_in] = token


def _tags(entries: list[dict[str, Any]] | None) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in entries or []}


def s3_buckets(r: Reader) -> list[Observed]:
    listing = r.call("s3", "ListBuckets") or {}
    owner = listing.get("Owner") or {}
    out = []
    for bucket in listing.get("Buckets") or []:
        name = bucket["Name"]
        location = r.call("s3", "GetBucketLocation", {"Bucket": name})
        region = (location or {}).get("LocationConstraint") or bucket.get("BucketRegion") or "us-east-1"
        if region == "EU":
            region = "eu-west-1"
        if region != r.ctx.region:
            continue  # AWS Config records a bucket in the bucket's own Region
        tags = _tags((r.call("s3", "GetBucketTagging", {"Bucket": name}) or {}).get("TagSet"))
        versioning = r.call("s3", "GetBucketVersioning", {"Bucket": name}) or {}
        policy = (r.call("s3", "GetBucketPolicy", {"Bucket": name}) or {}).get("Policy")
        supplementary = {
            "AccessControlList": json.dumps({"grantSet": None, "owner": {"displayName": owner.get("DisplayName"),
                                                                        "id": owner.get("ID")}}),
            "BucketLoggingConfiguration": json.dumps({"destinationBucketName": None, "logFilePrefix": None}),
            "BucketPolicy": json.dumps({"policyText": policy}),
            "BucketVersioningConfiguration": json.dumps({"status": versioning.get("Status", "Off"),
                                                         "isMfaDeleteEnabled": None}),
            "IsRequesterPaysEnabled": "false",
        }
        if tags:
            supplementary["BucketTaggingConfiguration"] = json.dumps({"tagSets": [{"tags": tags}]})
        created = epoch(bucket.get("CreationDate"))
        out.append(Observed(
            "AWS::S3::Bucket", name, name, f"arn:{r.ctx.partition}:s3:::{name}", region,
            {"name": name, "owner": {"displayName": owner.get("DisplayName"), "id": owner.get("ID")},
             "creationDate": bucket.get("CreationDate")},
            created=created, supplementary=supplementary, tags=tags))
    return out


def _iam(r: Reader, kind: str, list_op: str, key: str, name_key: str, id_key: str,
         tags_op: str | None, params: dict[str, Any] | None = None) -> list[Observed]:
    out = []
    for entry in r.pages("iam", list_op, key, params):
        name = entry[name_key]
        tags = _tags((r.call("iam", tags_op, {name_key: name}) or {}).get("Tags")) if tags_op else {}
        configuration = camel(entry)
        configuration.pop("tags", None)
        configuration["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        if kind == "Role" and "assumeRolePolicyDocument" in configuration:
            document = configuration["assumeRolePolicyDocument"]
            configuration["assumeRolePolicyDocument"] = quote(
                document if isinstance(document, str) else json.dumps(document), safe="")
        out.append(Observed(f"AWS::IAM::{kind}", entry[id_key], name, entry["Arn"], GLOBAL, configuration,
                            created=epoch(entry.get("CreateDate")), availability_zone="Not Applicable",
                            tags=tags))
    return out


def iam_users(r: Reader) -> list[Observed]:
    return _iam(r, "User", "ListUsers", "Users", "UserName", "UserId", "ListUserTags")


def iam_roles(r: Reader) -> list[Observed]:
    return _iam(r, "Role", "ListRoles", "Roles", "RoleName", "RoleId", "ListRoleTags")


def iam_groups(r: Reader) -> list[Observed]:
    return _iam(r, "Group", "ListGroups", "Groups", "GroupName", "GroupId", None)


def iam_policies(r: Reader) -> list[Observed]:
    out = _iam(r, "Policy", "ListPolicies", "Policies", "PolicyName", "PolicyId", None, {"Scope": "Local"})
    for item in out:
        item.configuration.pop("tags", None)
    return out


def sns_topics(r: Reader) -> list[Observed]:
    out = []
    for topic in r.pages("sns", "ListTopics", "Topics", token_in="NextToken", token_out="NextToken"):
        arn = topic["TopicArn"]
        attributes = (r.call("sns", "GetTopicAttributes", {"TopicArn": arn}) or {}).get("Attributes") or {}
        tags = _tags((r.call("sns", "ListTagsForResource", {"ResourceArn": arn}) or {}).get("Tags"))
        name = arn.rsplit(":", 1)[-1]
        configuration = {"TopicArn": arn, "TopicName": name, "DisplayName": attributes.get("DisplayName", ""),
                         "KmsMasterKeyId": attributes.get("KmsMasterKeyId"),
                         "FifoTopic": attributes.get("FifoTopic") == "true",
                         "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        out.append(Observed("AWS::SNS::Topic", arn, name, arn, r.ctx.region, configuration, tags=tags))
    return out


def sqs_queues(r: Reader) -> list[Observed]:
    out = []
    for url in r.pages("sqs", "ListQueues", "QueueUrls", token_in="NextToken", token_out="NextToken"):
        attributes = (r.call("sqs", "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["All"]})
                      or {}).get("Attributes") or {}
        tags = (r.call("sqs", "ListQueueTags", {"QueueUrl": url}) or {}).get("Tags") or {}
        name = url.rstrip("/").rsplit("/", 1)[-1]
        arn = attributes.get("QueueArn", f"arn:{r.ctx.partition}:sqs:{r.ctx.region}:{r.ctx.account_id}:{name}")
        configuration: dict[str, Any] = {"QueueUrl": url, "Arn": arn, "QueueName": name}
        for key, value in attributes.items():
            if key not in ("QueueArn", "CreatedTimestamp", "LastModifiedTimestamp", "ApproximateNumberOfMessages",
                           "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"):
                configuration[key] = int(value) if value.isdigit() else value
        configuration["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        created = attributes.get("CreatedTimestamp")
        out.append(Observed("AWS::SQS::Queue", url, name, arn, r.ctx.region, configuration,
                            created=float(created) if created and created.isdigit() else None, tags=tags))
    return out


def dynamodb_tables(r: Reader) -> list[Observed]:
    out = []
    names = r.pages("dynamodb", "ListTables", "TableNames", token_in="ExclusiveStartTableName",
                    token_out="LastEvaluatedTableName")
    for name in names:
        table = (r.call("dynamodb", "DescribeTable", {"TableName": name}) or {}).get("Table")
        if not table:
            continue
        arn = table.get("TableArn", "")
        tags = _tags((r.call("dynamodb", "ListTagsOfResource", {"ResourceArn": arn}) or {}).get("Tags"))
        out.append(Observed("AWS::DynamoDB::Table", name, name, arn, r.ctx.region, camel(table),
                            created=epoch(table.get("CreationDateTime")), tags=tags))
    return out


def kms_keys(r: Reader) -> list[Observed]:
    out = []
    for key in r.pages("kms", "ListKeys", "Keys"):
        metadata = (r.call("kms", "DescribeKey", {"KeyId": key["KeyId"]}) or {}).get("KeyMetadata")
        if not metadata:
            continue
        tags = {t["TagKey"]: t["TagValue"] for t in
                (r.call("kms", "ListResourceTags", {"KeyId": key["KeyId"]}) or {}).get("Tags") or []}
        out.append(Observed("AWS::KMS::Key", key["KeyId"], "", metadata["Arn"], r.ctx.region, camel(metadata),
                            created=epoch(metadata.get("CreationDate")), tags=tags))
    return out


def lambda_functions(r: Reader) -> list[Observed]:
    out = []
    for function in r.pages("lambda", "ListFunctions", "Functions"):
        arn = function["FunctionArn"]
        tags = (r.call("lambda", "ListTags", {"Resource": arn}) or {}).get("Tags") or {}
        configuration = camel(function)
        out.append(Observed("AWS::Lambda::Function", function["FunctionName"], function["FunctionName"], arn,
                            r.ctx.region, configuration, tags=tags))
    return out


#: AWS Config resource type -> its reader. Types not here are recorded only through
#: PutResourceConfig (third-party types).
READERS: dict[str, Callable[[Reader], list[Observed]]] = {
    "AWS::S3::Bucket": s3_buckets,
    "AWS::IAM::User": iam_users,
    "AWS::IAM::Role": iam_roles,
    "AWS::IAM::Policy": iam_policies,
    "AWS::IAM::Group": iam_groups,
    "AWS::SNS::Topic": sns_topics,
    "AWS::SQS::Queue": sqs_queues,
    "AWS::DynamoDB::Table": dynamodb_tables,
    "AWS::KMS::Key": kms_keys,
    "AWS::Lambda::Function": lambda_functions,
}
