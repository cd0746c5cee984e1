"""A plugin that serves nothing of its own and intercepts other services (the SDK's `@intercept`):
S3 PutObject of a `private/` key is refused, a `draft/` key is renamed, `slow/` and `boom/`
keys make the interceptor miss its deadline or fail; STS GetCallerIdentity is rewritten."""

from __future__ import annotations

import time
from typing import Any

from pytest_cloudmock.plugins.sdk import (
    CallOutcome,
    InterceptedCall,
    PluginServicer,
    ReplaceParams,
    ServiceError,
    intercept,
    serve,
)


class Guard(PluginServicer):
    service_name = "guard"

    @intercept("s3:PutObject")
    def guard_keys(self, call: InterceptedCall) -> Any:
        key = call.params["Key"]
        if key.startswith("private/"):
            raise ServiceError("AccessDenied", f"the guard plugin refuses {key}", 403)
        if key.startswith("draft/"):
            return ReplaceParams({"Key": "final/" + key.removeprefix("draft/")})
        if key.startswith("slow/"):
            time.sleep(2)
        if key.startswith("boom/"):
            raise RuntimeError("the interceptor crashed")
        return None

    @intercept("sts:GetCallerIdentity", when="after")
    def rewrite_identity(self, call: InterceptedCall, outcome: CallOutcome) -> Any:
        assert outcome.result is not None
        return {**outcome.result, "UserId": "INTERCEPTED", "Account": "210987654321"}

    @intercept("sqs:GetQueueUrl")
    def fake_queue(self, call: InterceptedCall) -> Any:
        if call.params["QueueName"] == "virtual":
            return {"QueueUrl": "https://example.invalid/virtual"}
        return None


if __name__ == "__main__":
    serve(Guard())
