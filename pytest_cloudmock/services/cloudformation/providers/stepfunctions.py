"""AWS::StepFunctions::StateMachine, made through our Step Functions (via the registry)."""

from __future__ import annotations

import json
from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    generated_name,
    ignore_missing,
    resource_tags,
    tag_changes,
)

_MISSING = ("StateMachineDoesNotExist",)


def definition(ctx: ProviderContext, properties: dict[str, Any]) -> str:
    """The definition text: `DefinitionString`, `Definition` (an object) or `DefinitionS3Location`,
    with each `${key}` of `DefinitionSubstitutions` replaced."""
    if properties.get("DefinitionString") is not None:
        text = str(properties["DefinitionString"])
    elif properties.get("Definition") is not None:
        text = json.dumps(properties["Definition"])
    else:
        location = properties["DefinitionS3Location"]
        params = {"Bucket": location["Bucket"], "Key": location["Key"]}
        if location.get("Version"):
            params["VersionId"] = location["Version"]
        body = ctx.call("s3", "GetObject", params)["Body"]
        text = body.read().decode() if hasattr(body, "read") else bytes(body).decode()
    for key, value in (properties.get("DefinitionSubstitutions") or {}).items():
        text = text.replace("${" + key + "}", value if isinstance(value, str) else json.dumps(value))
    return text


def _lower_tags(tags: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"key": t["Key"], "value": t["Value"]} for t in tags]


def _settings(properties: dict[str, Any]) -> dict[str, Any]:
    """LoggingConfiguration/TracingConfiguration in the API's camelCase."""
    out: dict[str, Any] = {}
    logging = properties.get("LoggingConfiguration")
    if logging:
        out["loggingConfiguration"] = {
            "level": logging.get("Level", "OFF"), "includeExecutionData": bool(logging.get("IncludeExecutionData")),
            "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": d["CloudWatchLogsLogGroup"]["LogGroupArn"]}}
                             for d in logging.get("Destinations") or []]}
    tracing = properties.get("TracingConfiguration")
    if tracing:
        out["tracingConfiguration"] = {"enabled": bool(tracing.get("Enabled"))}
    return out


class StateMachineProvider(BaseProvider):
    """AWS::StepFunctions::StateMachine. `Ref`: the state machine ARN."""

    type_name = "AWS::StepFunctions::StateMachine"
    replaces = frozenset({"StateMachineName", "StateMachineType"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("StateMachineName") or generated_name(ctx, max_length=80)
        params: dict[str, Any] = {"name": name, "definition": definition(ctx, properties),
                                  "roleArn": properties["RoleArn"], "type": properties.get("StateMachineType") or "STANDARD",
                                  **_settings(properties)}
        tags = resource_tags(ctx, properties)
        if tags:
            params["tags"] = _lower_tags(tags)
        found = ctx.call("stepfunctions", "CreateStateMachine", params)
        return self.describe(ctx, found["stateMachineArn"], properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("stepfunctions", "UpdateStateMachine", {"stateMachineArn": physical_id, "roleArn": new["RoleArn"],
                                                         "definition": definition(ctx, new), **_settings(new)})
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("stepfunctions", "TagResource", {"resourceArn": physical_id, "tags": _lower_tags(
                [{"Key": k, "Value": v} for k, v in to_set.items()])})
        if to_remove:
            ctx.call("stepfunctions", "UntagResource", {"resourceArn": physical_id, "tagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("stepfunctions", "DeleteStateMachine", {"stateMachineArn": physical_id}),
                       *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("stepfunctions", "DescribeStateMachine", {"stateMachineArn": physical_id})
        attributes = {"Arn": physical_id, "Name": found["name"]}
        if found.get("revisionId"):  # a machine never published has none
            attributes["StateMachineRevisionId"] = found["revisionId"]
        return Created(physical_id, attributes)
