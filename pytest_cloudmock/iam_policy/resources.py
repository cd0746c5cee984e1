"""Which resources an operation acts on, as ARNs built from its params.

One builder per Tier 1 service: `(operation, params, where) -> [(action, arn), ...]`, where
an empty action means the operation's own action. Most operations yield one pair; a few are
authorized on several (S3 `CopyObject` also reads its source, DynamoDB transactions check
each item's own action, `DeleteObjects` each key). Anything not built here is `*`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..api import AWSError
from ..paging import decode_token

Checks = list[tuple[str, str]]


@dataclass(frozen=True)
class Where:
    """The request's partition, region and (caller's) account."""

    partition: str
    region: str
    account: str

    def arn(self, service: str, resource: str, region: bool = True, account: str | None = None) -> str:
        return (f"arn:{self.partition}:{service}:{self.region if region else ''}:"
                f"{self.account if account is None else account}:{resource}")


def _is_arn(value: str) -> bool:
    return value.startswith("arn:")


# -- S3 ---------------------------------------------------------------------------------------
def _s3(op: str, p: dict[str, Any], w: Where) -> Checks:
    bucket = p.get("Bucket")
    if not bucket:
        return [("", "*")]
    base = f"arn:{w.partition}:s3:::{bucket}"
    if op == "DeleteObjects":
        objects = (p.get("Delete") or {}).get("Objects") or []
        return [("", f"{base}/{o.get('Key', '')}") for o in objects] or [("", f"{base}/*")]
    if "Key" not in p:
        return [("", base)]
    key = p["Key"]
    checks: Checks = []
    if op in ("GetObject", "HeadObject", "GetObjectAcl", "GetObjectTagging") and p.get("VersionId"):
        checks.append((f"s3:{op.replace('HeadObject', 'GetObject')}Version", f"{base}/{key}"))
    else:
        checks.append(("", f"{base}/{key}"))
    source = p.get("CopySource")
    if op in ("CopyObject", "UploadPartCopy") and source:
        text = source if isinstance(source, str) else f"{source.get('Bucket')}/{source.get('Key')}"
        text = unquote(text.split("?versionId=", 1)[0]).lstrip("/")
        checks.append(("s3:GetObject", f"arn:{w.partition}:s3:::{text}"))
    return checks


# -- SQS, SNS ---------------------------------------------------------------------------------
def queue_arn(url: str, w: Where) -> str:
    """`arn:aws:sqs:<region>:<account>:<name>` from a queue URL."""
    parts = url.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2].isdigit():
        host = parts[2] if len(parts) > 2 else ""
        region = w.region
        for piece in host.split("."):
            if piece.count("-") >= 2 and piece[-1].isdigit():
                region = piece
        return f"arn:{w.partition}:sqs:{region}:{parts[-2]}:{parts[-1]}"
    return w.arn("sqs", parts[-1])


def _sqs(op: str, p: dict[str, Any], w: Where) -> Checks:
    if p.get("QueueUrl"):
        return [("", queue_arn(p["QueueUrl"], w))]
    if p.get("QueueName"):
        return [("", w.arn("sqs", p["QueueName"], account=p.get("QueueOwnerAWSAccountId")))]
    if p.get("SourceArn"):
        return [("", p["SourceArn"])]
    return [("", "*")]


def _sns(op: str, p: dict[str, Any], w: Where) -> Checks:
    for member in ("TopicArn", "TargetArn", "ResourceArn", "PlatformApplicationArn", "EndpointArn"):
        if p.get(member):
            return [("", p[member])]
    if p.get("SubscriptionArn"):
        return [("", p["SubscriptionArn"].rsplit(":", 1)[0])]
    if op == "CreateTopic" and p.get("Name"):
        return [("", w.arn("sns", p["Name"]))]
    return [("", "*")]


# -- DynamoDB ---------------------------------------------------------------------------------
def _table(name: str, w: Where) -> str:
    return name if _is_arn(name) else w.arn("dynamodb", f"table/{name}")


_TRANSACT = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem", "Delete": "dynamodb:DeleteItem",
             "ConditionCheck": "dynamodb:ConditionCheckItem", "Get": "dynamodb:GetItem"}


def _iterator_stream(iterator: str) -> str:
    """The stream ARN inside a DynamoDB Streams shard iterator (dynamodbstreams.py makes them)."""
    try:
        doc = decode_token(iterator, lambda: AWSError("ValidationException"), "dynamodb-shard-iterator")
    except AWSError:
        return "*"
    return str(doc.get("a") or "*") if isinstance(doc, dict) else "*"


def _dynamodb(op: str, p: dict[str, Any], w: Where) -> Checks:
    if op in ("TransactWriteItems", "TransactGetItems"):
        checks: Checks = []
        for item in p.get("TransactItems") or []:
            for kind, body in item.items():
                checks.append((_TRANSACT.get(kind, ""), _table(body.get("TableName", ""), w)))
        return checks or [("", "*")]
    if op in ("BatchGetItem", "BatchWriteItem"):
        return [("", _table(name, w)) for name in p.get("RequestItems") or {}] or [("", "*")]
    if p.get("StreamArn"):
        return [("", p["StreamArn"])]
    if op == "GetRecords" and p.get("ShardIterator"):  # Streams: authorized on the stream the iterator reads
        return [("", _iterator_stream(p["ShardIterator"]))]
    name = p.get("TableName") or p.get("TableArn") or p.get("ResourceArn")
    if not name:
        return [("", "*")]
    arn = _table(name, w)
    if p.get("IndexName"):
        arn = f"{arn}/index/{p['IndexName']}"
    return [("", arn)]


# -- Lambda -----------------------------------------------------------------------------------
def function_arn(name: str, qualifier: str | None, w: Where) -> str:
    if _is_arn(name):
        arn = name
    elif ":" in name:  # 123456789012:function:name or name:qualifier
        parts = name.split(":")
        arn = (w.arn("lambda", ":".join(parts[1:]), account=parts[0]) if parts[0].isdigit()
               else w.arn("lambda", f"function:{name}"))
    else:
        arn = w.arn("lambda", f"function:{name}")
    if qualifier and arn.count(":") == 6:
        arn = f"{arn}:{qualifier}"
    return arn


def _lambda(op: str, p: dict[str, Any], w: Where) -> Checks:
    if p.get("FunctionName") and op not in ("CreateEventSourceMapping", "ListEventSourceMappings"):
        return [("", function_arn(p["FunctionName"], p.get("Qualifier"), w))]
    if p.get("UUID"):
        return [("", w.arn("lambda", f"event-source-mapping:{p['UUID']}"))]
    if p.get("LayerName"):
        name = p["LayerName"]
        arn = name if _is_arn(name) else w.arn("lambda", f"layer:{name}")
        return [("", f"{arn}:{p['VersionNumber']}" if "VersionNumber" in p else arn)]
    if p.get("Resource"):
        return [("", p["Resource"])]
    return [("", "*")]


# -- KMS, Secrets Manager, SSM ------------------------------------------------------------------
def _kms(op: str, p: dict[str, Any], w: Where) -> Checks:
    key = p.get("KeyId") or p.get("DestinationKeyId") or p.get("TargetKeyId")
    checks: Checks = []
    if op == "CreateAlias" or op == "UpdateAlias":
        checks.append(("", w.arn("kms", p.get("AliasName", ""))))
    if op == "ReEncrypt" and p.get("SourceKeyId"):
        checks.append(("kms:ReEncryptFrom", _kms_key(p["SourceKeyId"], w)))
        checks.append(("kms:ReEncryptTo", _kms_key(p.get("DestinationKeyId", ""), w)))
        return checks
    if op == "DeleteAlias":
        return [("", w.arn("kms", p.get("AliasName", "")))]
    if key:
        checks.append(("", _kms_key(key, w)))
    return checks or [("", "*")]


def _kms_key(key: str, w: Where) -> str:
    if _is_arn(key):
        return key
    if key.startswith("alias/"):
        return w.arn("kms", key)  # resolved to its key by resource_policies (DescribeKey)
    return w.arn("kms", f"key/{key}")


def _secretsmanager(op: str, p: dict[str, Any], w: Where) -> Checks:
    secret = p.get("SecretId") or p.get("Name")
    if not secret:
        return [("", "*")]
    return [("", secret if _is_arn(secret) else w.arn("secretsmanager", f"secret:{secret}"))]


def _parameter(name: str, w: Where) -> str:
    return name if _is_arn(name) else w.arn("ssm", f"parameter{name if name.startswith('/') else '/' + name}")


def _ssm(op: str, p: dict[str, Any], w: Where) -> Checks:
    if p.get("Names"):
        return [("", _parameter(n, w)) for n in p["Names"]]
    if p.get("Name") and "Parameter" in op:
        return [("", _parameter(p["Name"], w))]
    if p.get("Path"):
        return [("", _parameter(p["Path"].rstrip("/") or "/", w))]
    if p.get("Name"):
        return [("", w.arn("ssm", f"document/{p['Name']}"))]
    return [("", "*")]


# -- STS, IAM ---------------------------------------------------------------------------------
def _sts(op: str, p: dict[str, Any], w: Where) -> Checks:
    if p.get("RoleArn"):
        return [("", p["RoleArn"])]
    if op == "GetFederationToken" and p.get("Name"):
        return [("", w.arn("sts", f"federated-user/{p['Name']}", region=False))]
    return [("", "*")]


_IAM_MEMBERS = (("UserName", "user/"), ("RoleName", "role/"), ("GroupName", "group/"),
                ("InstanceProfileName", "instance-profile/"))


def _iam(op: str, p: dict[str, Any], w: Where) -> Checks:
    if op in ("CreatePolicy",) and p.get("PolicyName"):
        return [("", w.arn("iam", f"policy{p.get('Path', '/')}{p['PolicyName']}", region=False))]
    for member, kind in _IAM_MEMBERS:
        if p.get(member):
            path = p.get("Path", "/") if op.startswith("Create") else "/"
            return [("", w.arn("iam", f"{kind.rstrip('/')}{path}{p[member]}", region=False))]
    for member in ("PolicyArn", "OpenIDConnectProviderArn", "SAMLProviderArn", "SerialNumber"):
        if p.get(member) and _is_arn(p[member]):
            return [("", p[member])]
    return [("", "*")]


# -- Logs, EventBridge, Kinesis, CloudWatch, Step Functions ------------------------------------
def _logs(op: str, p: dict[str, Any], w: Where) -> Checks:
    group = p.get("logGroupName") or p.get("logGroupIdentifier")
    if group and _is_arn(group):
        return [("", group)]
    if group and p.get("logStreamName"):
        return [("", w.arn("logs", f"log-group:{group}:log-stream:{p['logStreamName']}"))]
    if group:
        return [("", w.arn("logs", f"log-group:{group}"))]
    if p.get("resourceArn"):
        return [("", p["resourceArn"])]
    return [("", "*")]


def _bus(name: str | None, w: Where) -> str:
    name = name or "default"
    return name if _is_arn(name) else w.arn("events", f"event-bus/{name}")


def _events(op: str, p: dict[str, Any], w: Where) -> Checks:
    if op == "PutEvents":
        buses = {_bus(e.get("EventBusName"), w) for e in p.get("Entries") or []}
        return [("", b) for b in sorted(buses)] or [("", _bus(None, w))]
    if op in ("PutRule", "DescribeRule", "DeleteRule", "EnableRule", "DisableRule", "PutTargets",
              "RemoveTargets", "ListTargetsByRule") and (p.get("Name") or p.get("Rule")):
        name = p.get("Name") or p.get("Rule")
        bus = p.get("EventBusName")
        bus_name = bus.rsplit("/", 1)[-1] if bus else ""
        return [("", w.arn("events", f"rule/{bus_name + '/' if bus_name and bus_name != 'default' else ''}{name}"))]
    if op.endswith("EventBus") and p.get("Name"):
        return [("", _bus(p["Name"], w))]
    if p.get("ResourceARN"):
        return [("", p["ResourceARN"])]
    return [("", "*")]


def _kinesis(op: str, p: dict[str, Any], w: Where) -> Checks:
    if p.get("ConsumerARN"):
        return [("", p["ConsumerARN"])]
    if p.get("StreamARN"):
        return [("", p["StreamARN"])]
    if p.get("StreamName"):
        return [("", w.arn("kinesis", f"stream/{p['StreamName']}"))]
    return [("", "*")]


def _cloudwatch(op: str, p: dict[str, Any], w: Where) -> Checks:
    names = p.get("AlarmNames") or ([p["AlarmName"]] if p.get("AlarmName") else [])
    if names and op != "DescribeAlarms":
        return [("", w.arn("cloudwatch", f"alarm:{n}")) for n in names]
    if p.get("ResourceARN"):
        return [("", p["ResourceARN"])]
    return [("", "*")]


def _states(op: str, p: dict[str, Any], w: Where) -> Checks:
    for member in ("stateMachineArn", "executionArn", "activityArn", "resourceArn", "mapRunArn"):
        if p.get(member):
            return [("", p[member])]
    if op == "CreateStateMachine" and p.get("name"):
        return [("", w.arn("states", f"stateMachine:{p['name']}"))]
    return [("", "*")]


Builder = Callable[[str, dict[str, Any], Where], Checks]
BUILDERS: dict[str, Builder] = {
    "s3": _s3, "sqs": _sqs, "sns": _sns, "dynamodb": _dynamodb, "dynamodbstreams": _dynamodb,
    "lambda": _lambda, "kms": _kms, "secretsmanager": _secretsmanager, "ssm": _ssm, "sts": _sts,
    "iam": _iam, "logs": _logs, "events": _events, "kinesis": _kinesis, "cloudwatch": _cloudwatch,
    "stepfunctions": _states,
}


def resource_checks(service: str, operation: str, params: dict[str, Any], where: Where) -> Checks:
    """The (action, ARN) pairs to authorize; `[("", "*")]` for a service not tabled."""
    builder = BUILDERS.get(service)
    if builder is None:
        return [("", "*")]
    try:
        return builder(operation, params, where)
    except (AttributeError, TypeError, KeyError, IndexError):  # params not shaped as expected
        return [("", "*")]

