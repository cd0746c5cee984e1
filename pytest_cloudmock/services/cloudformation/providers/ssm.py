"""AWS::SSM::Parameter, made through our SSM."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    generated_name,
    ignore_missing,
    invalid_properties,
    read_or_gone,
    tag_changes,
    tag_map,
)

_MISSING = ("ParameterNotFound",)
_PASSED = ("Description", "AllowedPattern", "Tier", "Policies", "DataType")


class ParameterProvider(BaseProvider):
    """AWS::SSM::Parameter. `Ref`: the parameter name; `Fn::GetAtt`: Type and Value."""

    type_name = "AWS::SSM::Parameter"
    replaces = frozenset({"Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        # An unnamed parameter is `CFN-<logicalId>-<random>` in AWS (the form AWS gives; the
        # reference page does not spell it out).
        name = properties.get("Name") or generated_name(ctx, max_length=2048, prefix="CFN")
        params = self._params(ctx, name, properties)
        tags = {**tag_map(ctx.stack_tags), **tag_map(properties.get("Tags"))}
        if tags:
            params["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        ctx.call("ssm", "PutParameter", params)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("ssm", "PutParameter", {**self._params(ctx, physical_id, new), "Overwrite": True})
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("ssm", "AddTagsToResource", {"ResourceType": "Parameter", "ResourceId": physical_id,
                                                  "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("ssm", "RemoveTagsFromResource",
                     {"ResourceType": "Parameter", "ResourceId": physical_id, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    @staticmethod
    def _params(ctx: ProviderContext, name: str, properties: dict[str, Any]) -> dict[str, Any]:
        if properties.get("Type") not in (None, "String", "StringList"):
            # The reference page: CloudFormation does not create SecureString parameters.
            raise invalid_properties(ctx, f"#/Type: {properties['Type']} is not a valid enum value")
        value = properties["Value"]
        params: dict[str, Any] = {"Name": name, "Type": properties.get("Type") or "String",
                                  "Value": ",".join(value) if isinstance(value, list) else str(value)}
        params.update({k: properties[k] for k in _PASSED if properties.get(k)})
        return params

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("ssm", "DeleteParameter", {"Name": physical_id}), *_MISSING)

    readable = frozenset({"Name", "Type", "Value", "Description", "AllowedPattern", "Tier", "DataType", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("ssm", "DescribeParameters", {"ParameterFilters": [
            {"Key": "Name", "Values": [physical_id]}]}), *_MISSING)
        listed = (found or {}).get("Parameters") or []
        if not listed:
            return None
        meta = listed[0]
        value = read_or_gone(lambda: ctx.call("ssm", "GetParameter", {"Name": physical_id}), *_MISSING)
        if value is None:
            return None
        tags = ctx.call("ssm", "ListTagsForResource", {"ResourceType": "Parameter", "ResourceId": physical_id})
        out = {"Name": physical_id, "Type": meta.get("Type"), "Value": value["Parameter"]["Value"],
               "Tier": meta.get("Tier"), "DataType": meta.get("DataType"), "Tags": tag_map(tags.get("TagList"))}
        out.update({k: meta[k] for k in ("Description", "AllowedPattern") if meta.get(k)})
        return {k: v for k, v in out.items() if v is not None}

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("ssm", "GetParameter", {"Name": physical_id})["Parameter"]
        return Created(physical_id, {"Type": found["Type"], "Value": found["Value"]})
