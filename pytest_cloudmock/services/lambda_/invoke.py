"""Invoke: RequestResponse, Event (retries, destinations, DLQ), DryRun, response streams.

The caller's request resolves a version (alias routing included), takes a warm
environment or starts one, runs the invocation and answers as Lambda does. What
each invocation did is recorded for tests (`LambdaService.invocations(name)`) and
written to CloudWatch Logs (`/aws/lambda/<name>`) when that service is registered.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ...api import AWSError, RequestContext, Response
from ...clock import REAL_CLOCK, Clock
from ...iam_policy.execution_roles import lambda_may_assume
from ...registry import Registry
from . import errors
from .aliases import AliasOps
from .async_invoke import AsyncInvokeOps, json_or_raw
from .base import _VERSION, LATEST, split_function_name
from .environments import Invocation, Launch, LaunchError
from .layers import LayerOps
from .pool import Pool, base_env, runtime_command
from .state import Function, Version

log = logging.getLogger("pytest_cloudmock")

SYNC_LIMIT = 6 * 1024 * 1024
ASYNC_LIMIT = 256 * 1024
TAIL_BYTES = 4096
DEFAULT_CONCURRENCY = 10  # environments at once per version without a reservation (more invokes wait)
EXECUTORS = ("subprocess", "inprocess")
_PY = f"python{sys.version_info.major}.{sys.version_info.minor}"  # the interpreter environments run on


@dataclass
class InvocationRecord:
    """What one invocation did, for tests."""

    function_name: str
    version: str
    request_id: str
    payload: Any
    invocation_type: str
    result: Any = None
    error: dict[str, Any] | None = None
    logs: str = ""
    duration_ms: float = 0.0
    cold_start: bool = False
    timed_out: bool = False
    attempt: int = 1


@dataclass
class Target:
    """A resolved function version to run, and how it was asked for."""

    account: str
    region: str
    function: Function
    version: Version
    invoked_arn: str
    endpoint: str
    access_key: str
    records: list[InvocationRecord] = field(default_factory=list)


class InvokeOps(AsyncInvokeOps, LayerOps, AliasOps):
    """Invoke, InvokeAsync, InvokeWithResponseStream and the machinery behind them."""

    def __init__(self) -> None:
        super().__init__()
        self.pool = Pool()
        self.default_executor = os.environ.get("CLOUDMOCK_LAMBDA_EXECUTOR", "subprocess")
        self.executor = self.default_executor
        self.records: list[InvocationRecord] = []
        self._records_lock = threading.Lock()
        self._endpoint = ""
        self.registry: Registry | None = None
        self.registry_clock: Clock = REAL_CLOCK

    def bind(self, registry: Registry | None) -> None:
        """Remember the gateway's registry and clock (from the first request that brings them)."""
        if registry is not None and self.registry is not registry:
            self.registry, self.registry_clock = registry, registry.clock
            settings = registry.service_settings.get("lambda", {})
            if "executor" in settings and "CLOUDMOCK_LAMBDA_EXECUTOR" not in os.environ:
                self.default_executor = self.executor = settings["executor"]
            self.pool.idle_seconds = float(settings.get("idle_seconds", self.pool.idle_seconds))
            self.registry_bound(registry)  # the event source mappings start watching it

    # -- resolution ------------------------------------------------------------------------------
    def target(self, ctx: RequestContext) -> Target:
        self.bind(ctx.registry)
        if ctx.endpoint:
            self._endpoint = ctx.endpoint
        with self.store.lock:
            function, qualifier = self.function(ctx)
            if qualifier and not _VERSION.match(qualifier) and qualifier != LATEST:
                alias = self.alias(ctx, function, qualifier)
                qualifier = self.route(alias)
            version = self.version_of(ctx, function, qualifier)
            invoked = self.function_arn(ctx, function.name, ctx.params.get("Qualifier") or
                                        split_qualifier(ctx.params["FunctionName"]))
            if function.reserved_concurrency == 0:
                raise errors.throttled()
        return Target(ctx.account_id, ctx.region, function, version, invoked, ctx.endpoint or self._endpoint,
                      ctx.access_key_id)

    # -- operations ------------------------------------------------------------------------------------
    def invoke(self, ctx: RequestContext) -> Response | dict[str, Any]:
        payload = _payload_bytes(ctx.params.get("Payload"))
        kind = ctx.params.get("InvocationType", "RequestResponse")
        limit = ASYNC_LIMIT if kind == "Event" else SYNC_LIMIT
        if len(payload) > limit:
            raise errors.too_large(limit)
        if payload:
            try:
                json.loads(payload)
            except ValueError as exc:
                raise AWSError("InvalidRequestContentException",
                               f"Could not parse request body into json: {exc}", 400, Type="User") from None
        target = self.target(ctx)
        if kind == "DryRun":
            return Response(body={"StatusCode": 204}, status=204)
        if kind == "Event":
            self.queue_event(ctx, target, payload)
            return Response(body={"StatusCode": 202}, status=202)
        record, invocation = self.run(target, payload, kind, ctx.params.get("ClientContext", ""))
        out: dict[str, Any] = {"StatusCode": 200, "Payload": self.answer(invocation),
                               "ExecutedVersion": target.version.version}
        if invocation.error or invocation.timed_out:
            out["FunctionError"] = "Unhandled"
        if ctx.params.get("LogType") == "Tail":
            out["LogResult"] = base64.b64encode(record.logs.encode()[-TAIL_BYTES:]).decode()
        return out

    def invoke_async(self, ctx: RequestContext) -> Response:
        body = ctx.params.get("InvokeArgs", b"")
        payload = body if isinstance(body, bytes) else (body.read() if hasattr(body, "read") else
                                                        b"".join(body) if body else b"")
        target = self.target(ctx)
        self.queue_event(ctx, target, payload)
        return Response(body={"Status": 202}, status=202)

    def invoke_with_response_stream(self, ctx: RequestContext) -> dict[str, Any]:
        payload = _payload_bytes(ctx.params.get("Payload"))
        if len(payload) > SYNC_LIMIT:
            raise errors.too_large(SYNC_LIMIT)
        target = self.target(ctx)
        if ctx.params.get("InvocationType") == "DryRun":
            return {"StatusCode": 204, "EventStream": iter(())}
        record, invocation = self.run(target, payload, "RequestResponse", ctx.params.get("ClientContext", ""))
        body = self.answer(invocation)
        complete: dict[str, Any] = {}
        if invocation.error or invocation.timed_out:
            err = json.loads(body)
            complete.update(ErrorCode=err.get("errorType", "Unhandled"), ErrorDetails=err.get("errorMessage", ""))
        if ctx.params.get("LogType") == "Tail":
            complete["LogResult"] = base64.b64encode(record.logs.encode()[-TAIL_BYTES:]).decode()

        def events() -> Any:
            if not (invocation.error or invocation.timed_out):
                yield {"PayloadChunk": {"Payload": body}}
            yield {"InvokeComplete": complete}

        return {"StatusCode": 200, "ExecutedVersion": target.version.version, "ResponseStreamContentType":
                "application/octet-stream", "EventStream": events()}

    # -- running -------------------------------------------------------------------------------------------
    def run(self, target: Target, payload: bytes, kind: str, client_context: str = "",
            attempt: int = 1) -> tuple[InvocationRecord, Invocation]:
        """Run one invocation in an environment of the target version; record and log it."""
        function, version = target.function, target.version
        config = version.config
        if version.code.image_uri:
            raise errors.image_not_pullable(version.code.image_uri)
        if not lambda_may_assume(self.registry, config.get("Role", ""), target.account, target.region):
            # the role's trust policy changed after the function was created; AWS's answer at invoke
            # time is not documented: the create-time refusal is given
            raise errors.role_not_assumable()
        inprocess = self.executor == "inprocess" and config.get("Runtime", "").startswith("python")
        key = (target.account, target.region, function.name, version.version, version.generation,
               version.code.sha256, inprocess)
        request_id = str(uuid.uuid4())
        invocation = Invocation(request_id, payload or b"{}", target.invoked_arn, float(config.get("Timeout", 3)),
                                client_context)
        reserved = function.reserved_concurrency
        try:
            env, cold = self.pool.acquire(key, DEFAULT_CONCURRENCY if reserved is None else reserved,
                                          lambda env_id: self.launch(target, env_id), inprocess,
                                          throttle=reserved is not None)
        except LaunchError as exc:
            body = {**exc.body, "errorMessage": f"RequestId: {request_id} Error: {exc.body['errorMessage']}"}
            invocation.result, invocation.error, invocation.error_type = (
                json.dumps(body).encode(), True, body["errorType"])
            invocation.done = invocation.logs_done = True
            return self.record(target, invocation, kind, payload, 0.0, True, "", attempt, None, request_id), \
                invocation
        started = time.monotonic()
        try:
            env.invoke(invocation, self.registry_clock)
        finally:
            self.pool.release(env)
        duration = (time.monotonic() - (invocation.started_real or started)) * 1000
        init_logs = "".join(env.init_logs) if cold else ""
        if cold:
            env.init_logs = []
        record = self.record(target, invocation, kind, payload, duration, cold, init_logs, attempt,
                             env.init_duration_ms if cold else None, env.id)
        return record, invocation

    def launch(self, target: Target, env_id: str) -> Launch:
        """What starting an environment of `target` takes: unpacked code, command, variables."""
        version, name = target.version, target.function.name
        config = version.config
        runtime = config.get("Runtime", "")
        layers = self.layer_zips(target.account, target.region, list(config.get("Layers") or []))
        digest = version.code.sha256 + "".join(arn for arn, _ in layers)
        task, opt = self.pool.unpacked(_digest(digest), version.code.zip_bytes, [z for _, z in layers])
        command, marks = runtime_command(runtime, task, opt)
        creds = self.role_credentials(target, config.get("Role", ""))
        home = tempfile.gettempdir()
        env = {
            **base_env(), "HOME": home, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "TZ": ":UTC", "LANG": "en_US.UTF-8", "_HANDLER": config.get("Handler", ""),
            "LAMBDA_TASK_ROOT": str(task), "LAMBDA_RUNTIME_DIR": str(command[-1] if marks else task),
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}", "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_VERSION": version.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.get("MemorySize", 128)),
            "AWS_LAMBDA_LOG_GROUP_NAME": log_group(name),
            "AWS_LAMBDA_LOG_STREAM_NAME": self.stream_name(version.version, env_id),
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "AWS_REGION": target.region,
            "AWS_DEFAULT_REGION": target.region, "AWS_ENDPOINT_URL": target.endpoint,
            "AWS_ACCESS_KEY_ID": creds["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds.get("SessionToken", ""),
            # Lambda's Python path: the code, then the layers' python/lib/pythonX.Y/site-packages and python/
            "CLOUDMOCK_PYTHONPATH": os.pathsep.join([str(task), str(opt / "python" / "lib" / _PY / "site-packages"),
                                                     str(opt / "python")]),
            "NODE_PATH": os.pathsep.join([str(opt / "nodejs" / "node_modules"), str(opt / "nodejs")]),
            "LAMBDA_OPT": str(opt),  # where /opt would be: the layers' contents
        }
        env.update((config.get("Environment") or {}).get("Variables") or {})
        return Launch(command, env, str(task), runtime, config.get("Handler", ""), str(task), marks,
                      marks_init_end=runtime.startswith("python"))

    def stream_name(self, version: str, env_id: str) -> str:
        return f"{_day_path(int(self.registry_clock.now() // 86400))}/[{version}]{env_id}"

    def role_credentials(self, target: Target, role: str) -> dict[str, str]:
        """Credentials of the execution role, issued by our STS (the caller's key if that fails)."""
        registry = self.registry
        if registry is not None and role:
            try:
                return registry.call("sts", "AssumeRole", {"RoleArn": role, "RoleSessionName": target.function.name},
                                     account_id=target.account, region=target.region)["Credentials"]
            except (AWSError, KeyError) as exc:
                log.warning("cloudmock: function %s runs without its role's credentials: %s", target.function.name,
                            exc)
        return {"AccessKeyId": target.access_key or "test", "SecretAccessKey": "test", "SessionToken": "test"}

    # -- records and logs ------------------------------------------------------------------------------
    def record(self, target: Target, invocation: Invocation, kind: str, payload: bytes, duration: float, cold: bool,
               init_logs: str, attempt: int, init_ms: float | None, env_id: str) -> InvocationRecord:
        version = target.version
        rid = invocation.request_id
        lines = [f"START RequestId: {rid} Version: {version.version}\n", *invocation.logs]
        if invocation.timed_out:
            lines.append(f"{self.registry_clock.utcnow():%Y-%m-%dT%H:%M:%S.%f}"[:-3] +
                         f"Z {rid} Task timed out after {invocation.timeout:.2f} seconds\n")
        memory = version.config.get("MemorySize", 128)
        report = (f"REPORT RequestId: {rid}\tDuration: {duration:.2f} ms\tBilled Duration: {max(1, round(duration))} ms"
                  f"\tMemory Size: {memory} MB\tMax Memory Used: {min(memory, 40)} MB")
        if init_ms is not None:
            report += f"\tInit Duration: {init_ms:.2f} ms"
        lines += [f"END RequestId: {rid}\n", report + "\t\n"]
        text = init_logs + "".join(lines)
        body = self.answer(invocation)
        failed = invocation.error or invocation.timed_out
        rec = InvocationRecord(target.function.name, version.version, rid, json_or_raw(payload), kind,
                               None if failed else json_or_raw(body), json_or_raw(body) if failed else None,
                               text, duration, cold, invocation.timed_out, attempt)
        with self._records_lock:
            self.records.append(rec)
        self.write_logs(target, self.stream_name(version.version, env_id), text)
        return rec

    def write_logs(self, target: Target, stream: str, text: str) -> None:
        """Send the invocation's lines to CloudWatch Logs (quietly skipped without a Logs service)."""
        registry = self.registry
        if registry is None or "logs" not in registry:
            return
        group = log_group(target.function.name)
        now = int(self.registry_clock.now() * 1000)
        events = [{"timestamp": now, "message": line} for line in text.splitlines() if line]
        where = {"account_id": target.account, "region": target.region}
        put = {"logGroupName": group, "logStreamName": stream, "logEvents": events}
        if not events:
            return
        try:
            try:
                registry.call("logs", "PutLogEvents", put, **where)
            except AWSError as exc:  # the first lines of a stream: make the group and stream, then write
                if exc.code != "ResourceNotFoundException":
                    raise
                for operation, params in (("CreateLogGroup", {"logGroupName": group}),
                                          ("CreateLogStream", {"logGroupName": group, "logStreamName": stream})):
                    try:
                        registry.call("logs", operation, params, **where)
                    except AWSError as exists:
                        if exists.code != "ResourceAlreadyExistsException":
                            raise
                registry.call("logs", "PutLogEvents", put, **where)
        except AWSError as exc:
            log.debug("cloudmock: Lambda logs not written to CloudWatch Logs: %s", exc)

    # -- tests' view ----------------------------------------------------------------------------------------------
    def invocations(self, name: str | None = None) -> list[InvocationRecord]:
        """The recorded invocations (of function `name`), oldest first."""
        with self._records_lock:
            return [r for r in self.records if name is None or r.function_name == name]


def log_group(name: str) -> str:
    return f"/aws/lambda/{name}"


def split_qualifier(function_name: str) -> str | None:
    return split_function_name(function_name)[1]


def _payload_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if hasattr(value, "read"):
        return value.read()
    return b"".join(value)


@functools.lru_cache(maxsize=16)
def _day_path(day: int) -> str:
    """`YYYY/MM/DD` (UTC) of a day counted from the epoch, as a log stream's name begins."""
    return time.strftime("%Y/%m/%d", time.gmtime(day * 86400))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
