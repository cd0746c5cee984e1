"""What every Lambda operation needs: the store, name/ARN resolution, configurations."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from datetime import datetime
from typing import Any, ClassVar

from ...api import RequestContext
from ...store import Store
from ..base import ModelService
from . import errors
from .state import Alias, Function, LambdaState, Version

LATEST = "$LATEST"
_FUNCTION_ARN = re.compile(
    r"^(?:arn:(?P<partition>aws[a-z-]*):lambda:(?P<region>[a-z0-9-]+):)?(?:(?P<account>\d{12}):function:)?"
    r"(?P<name>[a-zA-Z0-9_-]+)(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?$"
)
_VERSION = re.compile(r"^\d+$")


def lambda_time(when: datetime) -> str:
    """Lambda's `LastModified` format: `2024-01-02T03:04:05.678+0000`."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}+0000"


def code_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def new_revision() -> str:
    return str(uuid.uuid4())


def split_function_name(value: str) -> tuple[str, str | None, str | None]:
    """(name, qualifier in the name or None, account in the ARN or None); else a 400."""
    match = _FUNCTION_ARN.match(value or "")
    if match is None:
        raise errors.invalid(f"1 validation error detected: Value '{value}' at 'functionName' failed to "
                             "satisfy constraint: Member must satisfy regular expression pattern: "
                             r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?"
                             r"(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?")
    return match["name"], match["qualifier"], match["account"]


class LambdaBase(ModelService):
    """Store and lookups shared by the Lambda operation groups."""

    name: ClassVar[str] = "lambda"

    def __init__(self) -> None:
        self.store: Store[LambdaState] = Store(LambdaState)

    def registry_bound(self, registry: Any) -> None:
        """Called once the service has seen the gateway's registry (mappings watch it)."""

    # -- ARNs ----------------------------------------------------------------------------
    @staticmethod
    def function_arn(ctx: RequestContext, name: str, qualifier: str | None = None) -> str:
        base = f"arn:{ctx.partition}:lambda:{ctx.region}:{ctx.account_id}:function:{name}"
        return f"{base}:{qualifier}" if qualifier else base

    # -- lookups ---------------------------------------------------------------------------
    def state(self, ctx: RequestContext) -> LambdaState:
        return self.store.for_ctx(ctx)

    def function(self, ctx: RequestContext, value: str | None = None) -> tuple[Function, str | None]:
        """The function named by `FunctionName` (or `value`) and the qualifier it or `Qualifier` gives."""
        raw = value if value is not None else ctx.params.get("FunctionName", "")
        name, in_name, _account = split_function_name(raw)
        given = ctx.params.get("Qualifier") if value is None else None
        if in_name and given and in_name != given:
            raise errors.invalid("The derived qualifier from the function name does not match the specified "
                                 "qualifier.")
        function = self.state(ctx).functions.get(name)
        if function is None:
            raise errors.function_not_found(self.function_arn(ctx, name))
        return function, in_name or given

    def version_of(self, ctx: RequestContext, function: Function, qualifier: str | None) -> Version:
        """The version a qualifier names (`$LATEST`, a number or an alias's primary version)."""
        if not qualifier or qualifier == LATEST:
            return function.latest
        if _VERSION.match(qualifier):
            found = function.versions.get(qualifier)
        else:
            alias = function.aliases.get(qualifier)
            found = self.version_of(ctx, function, alias.function_version) if alias else None
        if found is None:
            raise errors.function_not_found(self.function_arn(ctx, function.name, qualifier))
        return found

    def alias(self, ctx: RequestContext, function: Function, name: str) -> Alias:
        alias = function.aliases.get(name)
        if alias is None:
            raise errors.not_found(f"Cannot find alias arn: {self.function_arn(ctx, function.name, name)}")
        return alias

    # -- answers ------------------------------------------------------------------------------
    def configuration(self, ctx: RequestContext, function: Function, version: Version) -> dict[str, Any]:
        """The `FunctionConfiguration` of one version, as Lambda reports it."""
        qualifier = None if version.version == LATEST else version.version
        config = {k: v for k, v in version.config.items() if v is not None}
        out: dict[str, Any] = {
            "FunctionName": function.name,
            "FunctionArn": self.function_arn(ctx, function.name, qualifier),
            **config,
            "CodeSize": version.code.size,
            "CodeSha256": version.code.sha256,
            "Version": version.version,
            "LastModified": version.last_modified,
            "RevisionId": version.revision_id,
            "State": "Active",
            "LastUpdateStatus": "Successful",
        }
        out.setdefault("LoggingConfig", {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function.name}"})
        if out.get("Layers"):
            out["Layers"] = [{"Arn": arn, "CodeSize": self.layer_size(ctx, arn)} for arn in out["Layers"]]
        return out

    def layer_size(self, ctx: RequestContext, arn: str) -> int:
        """The code size of a layer version ARN (0 for one this account does not hold)."""
        name, _, number = arn.rpartition(":")
        layer = self.state(ctx).layers.get(name.rpartition(":")[2])
        found = layer.versions.get(int(number)) if layer and number.isdigit() else None
        return len(found.zip_bytes) if found else 0
