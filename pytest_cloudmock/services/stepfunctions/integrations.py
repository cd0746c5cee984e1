"""Task integrations: what a Task state's `Resource` calls, through the registry.

Every task goes through the gateway's interceptors as the pseudo-operation
`stepfunctions:InvokeTask` (params `StateName`, `Resource`, `Input`, `ExecutionArn`,
`TaskToken`), so a test stubs a task's answer by state name or resource ARN, the way
Step Functions Local's mocked service integrations do: an interceptor's `before` returning
a value answers for the task, raising `AWSError(code, message)` fails it with error `code`
and cause `message`.

Supported: Lambda (`lambda:invoke` and bare function ARNs), SQS `sendMessage`, SNS
`publish`, DynamoDB `getItem`/`putItem`/`updateItem`/`deleteItem`, EventBridge `putEvents`,
Step Functions `startExecution` (plain, `.sync`, `.sync:2`), any of them with
`.waitForTaskToken`, and the AWS SDK integrations `aws-sdk:<service>:<action>` routed to
any service of the gateway.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from botocore.model import OperationNotFoundError, Shape

from ...api import AWSError, RequestContext, Response
from ...iam_policy.acting import AsRole
from ...models import service_model
from ...validation import validate
from .asl.control import Pending, dumps
from .asl.errors import StatesError
from .asl.interpreter import Run

if TYPE_CHECKING:
    from ...registry import Registry
    from .runner import Runner

OPTIMIZED = "arn:aws:states:::"
#: SDK service names in `aws-sdk:` ARNs that differ from the gateway's (botocore) names
_SDK_NAMES = {"sfn": "stepfunctions", "eventbridge": "events", "cloudwatchlogs": "logs",
              "cloudwatch": "cloudwatch", "apigatewayv2": "apigatewayv2"}
#: How AWS prefixes an SDK integration's error names (the SDK's service class name)
_ERROR_PREFIX = {"s3": "S3", "dynamodb": "DynamoDb", "sfn": "Sfn", "sqs": "Sqs", "sns": "Sns", "lambda": "Lambda",
                 "eventbridge": "EventBridge", "kms": "Kms", "iam": "Iam", "sts": "Sts", "ssm": "Ssm",
                 "secretsmanager": "SecretsManager", "kinesis": "Kinesis", "firehose": "Firehose",
                 "cloudwatchlogs": "CloudWatchLogs"}
#: Error prefixes of the optimized integrations
_OPTIMIZED_PREFIX = {"lambda": "Lambda", "sqs": "SQS", "sns": "SNS", "dynamodb": "DynamoDB",
                     "events": "EventBridge", "states": "StepFunctions"}


class _Task:
    """The real integration behind `stepfunctions:InvokeTask`, as a service for the interceptor chain."""

    name = "stepfunctions"

    def __init__(self, runner: Runner, registry: Registry, account: str, region: str, run: Run) -> None:
        self.runner, self.registry, self.account, self.region, self.run = runner, registry, account, region, run
        self.acting = acting(run)

    def handle_request(self, ctx: RequestContext) -> Response:
        p = ctx.params
        return Response(body=_Answer(call(self, p["Resource"], p["Input"], p.get("TaskToken"))))


class _Answer:
    """Wraps the integration's answer so that any JSON value (or `Pending`) crosses the chain intact."""

    def __init__(self, value: Any) -> None:
        self.value = value


def acting(run: Run) -> AsRole | None:
    """The state machine's role: its tasks call AWS as a session of it (IAM checks them)."""
    role = (run.base_context.get("Execution") or {}).get("RoleArn")
    return AsRole(role, "states.amazonaws.com", run.base_context["StateMachine"]["Name"]) if role else None


def invoke_task(runner: Runner, registry: Registry, account: str, region: str, run: Run, state_name: str,
                resource: str, payload: Any, token: str | None) -> Any:
    """Run one task through the interceptors; its result, a `Pending`, or raises `StatesError`."""
    task = _Task(runner, registry, account, region, run)
    ctx = RequestContext(service="stepfunctions", operation="InvokeTask",
                         params={"StateName": state_name, "Resource": resource, "Input": payload,
                                 "ExecutionArn": run.execution_arn, "TaskToken": token},
                         region=region, account_id=account, access_key_id="", request_id="", protocol="internal",
                         registry=registry)
    try:
        answer = registry.invoke(task, ctx)  # type: ignore[arg-type]
    except AWSError as error:
        raise StatesError(error.code, error.message) from None
    body = answer.body
    value = body.value if isinstance(body, _Answer) else body  # a stub answers with any JSON value
    if token and resource.endswith(".waitForTaskToken") and not isinstance(value, Pending):
        return Pending(token, submitted=value)
    return value


def call(task: _Task, resource: str, payload: Any, token: str | None) -> Any:
    if not resource.startswith(OPTIMIZED):
        if ":lambda:" in resource and ":function:" in resource:
            return _lambda(task, {"FunctionName": resource, "Payload": payload}, bare=True)
        raise StatesError("States.Runtime", f"The resource '{resource}' is not supported by cloudmock")
    rest = resource[len(OPTIMIZED):]
    if rest.startswith("aws-sdk:"):
        _, service, action = rest.split(":", 2)
        return _sdk(task, service, action.removesuffix(".waitForTaskToken"), payload)
    service, _, action = rest.partition(":")
    base = action.removesuffix(".waitForTaskToken")
    if not isinstance(payload, dict):
        raise StatesError("States.Runtime", f"The parameters of '{resource}' must be a JSON object")
    prefix = _OPTIMIZED_PREFIX.get(service, service)
    try:
        if service == "lambda" and base == "invoke":
            return _lambda(task, payload, bare=False)
        if service == "sqs" and base == "sendMessage":
            return _sqs(task, payload)
        if service == "sns" and base == "publish":
            return _plain(task, "sns", "Publish", {**payload, "Message": _text(payload.get("Message"))})
        if service == "dynamodb" and base in ("getItem", "putItem", "updateItem", "deleteItem"):
            return _plain(task, "dynamodb", base[0].upper() + base[1:], payload)
        if service == "events" and base == "putEvents":
            entries = [{**e, "Detail": _text(e.get("Detail", {}))} for e in payload.get("Entries", [])]
            return _plain(task, "events", "PutEvents", {**payload, "Entries": entries})
        if service == "states" and base.startswith("startExecution"):
            return _start_execution(task, base, payload)
    except AWSError as error:
        raise StatesError(f"{prefix}.{error.code}", error.message) from None
    raise StatesError("States.Runtime", f"The resource '{resource}' is not supported by cloudmock")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else dumps(value)


def _plain(task: _Task, service: str, operation: str, params: dict[str, Any]) -> Any:
    return jsonable(task.registry.call(service, operation, params, account_id=task.account, region=task.region,
                                       acting_as=task.acting))


def _sqs(task: _Task, payload: dict[str, Any]) -> Any:
    params = {**payload, "MessageBody": _text(payload.get("MessageBody"))}
    return _plain(task, "sqs", "SendMessage", params)


def _lambda(task: _Task, payload: dict[str, Any], bare: bool) -> Any:
    body = payload.get("Payload")
    params = {k: v for k, v in payload.items() if k in ("FunctionName", "Qualifier", "InvocationType",
                                                        "ClientContext", "LogType")}
    params["Payload"] = b"" if body is None else (body if isinstance(body, str) else dumps(body)).encode()
    try:
        answer = task.registry.call("lambda", "Invoke", params, account_id=task.account, region=task.region,
                                    acting_as=task.acting)
    except AWSError as error:
        if error.code == "AccessDeniedException":  # the Java SDK's exception Step Functions reports it as
            raise StatesError("Lambda.AWSLambdaException", f"{error.message} (Service: AWSLambda; Status Code: "
                              f"{error.status}; Error Code: AccessDeniedException; Request ID: "
                              f"{uuid.uuid4()}; Proxy: null)") from None
        raise StatesError(f"Lambda.{error.code}", error.message) from None
    raw = _bytes(answer.get("Payload", b""))
    try:
        result = json.loads(raw) if raw.strip() else None
    except ValueError:
        result = raw.decode(errors="replace")
    if answer.get("FunctionError"):
        error = result.get("errorType") if isinstance(result, dict) else None
        raise StatesError(error or "Lambda.Unknown", raw.decode(errors="replace"))
    if bare:
        return result
    out = {k: v for k, v in jsonable(answer).items() if k not in ("Payload", "LogResult")}
    out["Payload"] = result
    return out


def _start_execution(task: _Task, action: str, payload: dict[str, Any]) -> Any:
    params: dict[str, Any] = {"stateMachineArn": payload.get("StateMachineArn", "")}
    if "Input" in payload:
        params["input"] = _text(payload["Input"])
    if "Name" in payload:
        params["name"] = payload["Name"]
    started = task.registry.call("stepfunctions", "StartExecution", params, account_id=task.account,
                                 region=task.region, acting_as=task.acting)
    out = {"ExecutionArn": started["executionArn"], "StartDate": jsonable(started["startDate"])}
    if action == "startExecution":
        return out
    form = "2" if action == "startExecution.sync:2" else "1"
    with task.runner.runtime_lock:
        task.runner.watchers.setdefault(started["executionArn"], []).append(task.run.execution_arn)
    return Pending(f"execution:{form}:{started['executionArn']}", submitted=out)


def _sdk(task: _Task, service: str, action: str, payload: Any) -> Any:
    name = _SDK_NAMES.get(service, service)
    operation = action[:1].upper() + action[1:]
    prefix = _ERROR_PREFIX.get(service, service[:1].upper() + service[1:])
    try:
        params = sdk_params(name, operation, payload if isinstance(payload, dict) else {})
        return _plain(task, name, operation, params)
    except AWSError as error:
        code = error.code if error.code.endswith("Exception") else f"{error.code}Exception"
        raise StatesError(f"{prefix}.{code}", error.message) from None


def sdk_params(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """An AWS SDK integration's parameters, typed by the target operation's input shape
    (member names as the API spells them; blobs given as text) and checked like a request."""
    try:
        model = service_model(service).operation_model(operation)
    except (KeyError, OperationNotFoundError):
        raise AWSError("ValidationException", f"The operation {operation} of service {service} is not "
                       "known to cloudmock") from None  # wording ours
    typed = _typed(model.input_shape, params) if model.input_shape is not None else {}
    validate(typed, model, model.metadata.get("protocol", "json"))
    return typed


def _typed(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {k: _typed(members[k], v) if k in members else v for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_typed(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _typed(shape.value, v) for k, v in value.items()}
    if kind == "blob" and isinstance(value, str):
        return value.encode()
    if kind == "blob" and isinstance(value, (dict, list)):
        return dumps(value).encode()
    if kind == "timestamp" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if kind == "timestamp" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc)
    return value


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if hasattr(value, "read"):
        return value.read()
    return b"".join(value) if value else b""


def jsonable(value: Any) -> Any:
    """A service's answer as the JSON a task result is: bytes as text, times as ISO strings."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode()
        except UnicodeDecodeError:
            return base64.b64encode(bytes(value)).decode()
    if hasattr(value, "read") or (hasattr(value, "__iter__") and not isinstance(value, str)):
        return jsonable(_bytes(value))
    return value
