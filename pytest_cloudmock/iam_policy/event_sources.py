"""What a Lambda event source mapping's execution role must be allowed to read its source
with, and Lambda's answer at CreateEventSourceMapping when it may not.

The permissions are those AWS's managed policies for these mappings grant
(AWSLambdaSQSQueueExecutionRole, AWSLambdaKinesisExecutionRole,
AWSLambdaDynamoDBExecutionRole). The messages are the InvalidParameterValueException texts
Lambda answers (as commonly reported; the API reference does not print them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .acting import AsRole, may_call

if TYPE_CHECKING:
    from ..registry import Registry

PRINCIPAL = "lambda.amazonaws.com"
#: The codes IAM's denials of a role's reads come in (SQS's, the JSON services')
DENIED = ("AccessDenied", "AccessDeniedException")


def _sqs_params(arn: str) -> dict[str, Any]:
    parts = arn.split(":")
    return {"QueueUrl": f"https://sqs.{parts[3]}.amazonaws.com/{parts[4]}/{parts[5]}"}


#: source kind -> (service, operations the role must be allowed, params from the source ARN, message)
_SOURCES: dict[str, tuple[str, tuple[str, ...], Any, str]] = {
    ":sqs:": ("sqs", ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"), _sqs_params,
              "The provided execution role does not have permissions to call {operation} on SQS"),
    ":kinesis:": ("kinesis", ("GetRecords", "GetShardIterator", "DescribeStream", "ListShards"),
                  lambda arn: {"StreamARN": arn},
                  "The provided execution role does not have permissions to call {operation} on Kinesis"),
    ":dynamodb:": ("dynamodbstreams", ("GetRecords", "GetShardIterator", "DescribeStream", "ListStreams"),
                   lambda arn: {"StreamArn": arn},
                   "Cannot access stream {arn}. Please ensure the role can perform the GetRecords, "
                   "GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM."),
}


def source_role(role_arn: str, function_name: str) -> AsRole | None:
    """The execution role a mapping reads its source as (the function's own session name)."""
    return AsRole(role_arn, PRINCIPAL, function_name) if role_arn else None


def check_reads(registry: Registry | None, acting: AsRole | None, source_arn: str) -> None:
    """Raise IAM's denial (`DENIED`) when the role may not make the reads a poller makes of
    `source_arn`: for sources read without a call through the registry (Kinesis's records)."""
    if registry is None or registry.authorizer is None or acting is None:
        return
    kind = next((k for k in _SOURCES if k in source_arn), None)
    if kind is None:
        return
    service, operations, params, _ = _SOURCES[kind]
    parts = source_arn.split(":")
    for operation in operations:
        registry.authorize(service, operation, params(source_arn), account_id=parts[4], region=parts[3],
                           acting_as=acting)


def missing_permission(registry: Registry | None, role_arn: str, function_name: str, source_arn: str,
                       region: str) -> str | None:
    """Lambda's message when IAM enforces and the role may not read `source_arn`; else None."""
    if registry is None or registry.authorizer is None or not role_arn:
        return None
    kind = next((k for k in _SOURCES if k in source_arn), None)
    if kind is None:
        return None
    service, operations, params, text = _SOURCES[kind]
    acting = source_role(role_arn, function_name)
    parts = source_arn.split(":")
    account, source_region = (parts[4], parts[3] or region) if len(parts) > 5 else ("", region)
    for operation in operations:
        if not may_call(registry, acting, service, operation, params(source_arn), account, source_region):  # type: ignore[arg-type]
            return text.format(operation=operation, arn=source_arn)
    return None
