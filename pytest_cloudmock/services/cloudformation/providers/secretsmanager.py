"""AWS::SecretsManager::Secret, made through our Secrets Manager (with `GenerateSecretString`)."""

from __future__ import annotations

import json
from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_int,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
)

_MISSING = ("ResourceNotFoundException",)
_PASSWORD_OPTIONS = ("ExcludeCharacters", "ExcludeLowercase", "ExcludeNumbers", "ExcludePunctuation",
                     "ExcludeUppercase", "IncludeSpace", "PasswordLength", "RequireEachIncludedType")


def secret_value(ctx: ProviderContext, properties: dict[str, Any]) -> str | None:
    """`SecretString`, or one made from `GenerateSecretString` by Secrets Manager's GetRandomPassword."""
    if properties.get("SecretString") is not None:
        return str(properties["SecretString"])
    spec = properties.get("GenerateSecretString")
    if spec is None:
        return None
    params: dict[str, Any] = {}
    for key in _PASSWORD_OPTIONS:
        if spec.get(key) is not None:
            value = spec[key]
            params[key] = as_int(value) if key == "PasswordLength" else (
                value if key == "ExcludeCharacters" else as_bool(value))
    password = ctx.call("secretsmanager", "GetRandomPassword", params)["RandomPassword"]
    template, key = spec.get("SecretStringTemplate"), spec.get("GenerateStringKey")
    if template and key:
        document = json.loads(template)
        document[key] = password
        return json.dumps(document)
    return password


class SecretProvider(BaseProvider):
    """AWS::SecretsManager::Secret. `Ref` and `Fn::GetAtt Id`: the secret's ARN."""

    type_name = "AWS::SecretsManager::Secret"
    replaces = frozenset({"Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("Name") or generated_name(ctx, max_length=256)
        params: dict[str, Any] = {"Name": name}
        value = secret_value(ctx, properties)
        if value is not None:
            params["SecretString"] = value
        for key in ("Description", "KmsKeyId"):
            if properties.get(key):
                params[key] = properties[key]
        if properties.get("ReplicaRegions"):
            params["AddReplicaRegions"] = properties["ReplicaRegions"]
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        secret_arn = ctx.call("secretsmanager", "CreateSecret", params)["ARN"]
        if properties.get("ResourcePolicy"):
            ctx.call("secretsmanager", "PutResourcePolicy",
                     {"SecretId": secret_arn, "ResourcePolicy": json.dumps(properties["ResourcePolicy"])})
        return Created(secret_arn, {"Id": secret_arn})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params: dict[str, Any] = {}
        for key in ("Description", "KmsKeyId"):
            if new.get(key) != old.get(key):
                params[key] = new.get(key) or ""
        if new.get("SecretString") != old.get("SecretString") or \
                new.get("GenerateSecretString") != old.get("GenerateSecretString"):
            value = secret_value(ctx, new)
            if value is not None:
                params["SecretString"] = value
        if params:
            ctx.call("secretsmanager", "UpdateSecret", {"SecretId": physical_id, **params})
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("secretsmanager", "TagResource", {"SecretId": physical_id,
                                                       "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("secretsmanager", "UntagResource", {"SecretId": physical_id, "TagKeys": to_remove})
        return Created(physical_id, {"Id": physical_id})

    readable = frozenset({"Name", "Description", "KmsKeyId", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("secretsmanager", "DescribeSecret", {"SecretId": physical_id}),
                             *_MISSING)
        if found is None or found.get("DeletedDate"):
            return None
        out = {"Name": found["Name"], "Tags": tag_list(found.get("Tags") or [])}
        out.update({k: found[k] for k in ("Description", "KmsKeyId") if found.get(k)})
        return out

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        # Deleted without a recovery window, so a stack re-created with the same name succeeds.
        ignore_missing(lambda: ctx.call("secretsmanager", "DeleteSecret", {
            "SecretId": physical_id, "ForceDeleteWithoutRecovery": True}), *_MISSING)
