"""Resource import: `CreateChangeSet` with `ChangeSetType=IMPORT` adopts existing resources into a
new or existing stack; `GetTemplateSummary` lists each type's identifier (`ResourceIdentifierSummaries`).

An importable type has a primary identifier (its resource schema's `primaryIdentifier`) and a
provider that can read its resources back (the `read` drift detection uses), which is how
an import checks that the resource exists. The engine's part (IMPORT_IN_PROGRESS ...) is
`Run.import_resources` in engine.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ...api import AWSError
from . import errors
from .providers.base import ProviderContext

#: Each importable type's primary identifier, as its resource schema names it.
PRIMARY_IDENTIFIERS = {
    "AWS::S3::Bucket": "BucketName",
    "AWS::SQS::Queue": "QueueUrl",
    "AWS::SNS::Topic": "TopicArn",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::IAM::Role": "RoleName",
    "AWS::SSM::Parameter": "Name",
    "AWS::KMS::Key": "KeyId",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SecretsManager::Secret": "Id",
    "AWS::Events::Rule": "Arn",
    "AWS::ApiGateway::RestApi": "RestApiId",
    "AWS::ApiGatewayV2::Api": "ApiId",
    "AWS::Cognito::UserPool": "UserPoolId",
    "AWS::SES::ConfigurationSet": "Name",
    "AWS::SES::Template": "Id",
    "AWS::EC2::VPC": "VpcId",
    "AWS::EC2::SecurityGroup": "Id",
}


def _rule_physical_id(ctx: ProviderContext, identifier: str) -> str:
    """A rule's ARN (`rule/name` or `rule/bus/name`) as the provider's `Ref` (`name` or `bus|name`)."""
    from .providers.events import _rule_ref

    parts = identifier.split(":", 5)[-1].split("/")[1:]
    name, bus = parts[-1], parts[0] if len(parts) > 1 else "default"
    return _rule_ref(name, bus)


def _secret_physical_id(ctx: ProviderContext, identifier: str) -> str:
    """A secret's name or ARN as its ARN (the provider's `Ref`)."""
    try:
        return str(ctx.call("secretsmanager", "DescribeSecret", {"SecretId": identifier})["ARN"])
    except AWSError:
        return identifier


#: Types whose physical id (`Ref`) is not the identifier's value itself.
_PHYSICAL_ID: dict[str, Callable[[ProviderContext, str], str]] = {
    "AWS::Events::Rule": _rule_physical_id,
    "AWS::SecretsManager::Secret": _secret_physical_id,
}


def identifier_summaries(resources: dict[str, Any]) -> list[dict[str, Any]]:
    """`ResourceIdentifierSummaries`: per importable type in a template, its logical ids and identifier."""
    by_type: dict[str, list[str]] = {}
    for logical_id, definition in resources.items():
        type_name = str((definition or {}).get("Type"))
        if type_name in PRIMARY_IDENTIFIERS:
            by_type.setdefault(type_name, []).append(logical_id)
    return [{"ResourceType": t, "LogicalResourceIds": ids, "ResourceIdentifiers": [PRIMARY_IDENTIFIERS[t]]}
            for t, ids in by_type.items()]


def check_request(to_import: list[dict[str, Any]], template: dict[str, Any], existing: dict[str, Any] | None,
                  outputs_before: Any) -> None:
    """The import's template-level checks (ValidationError, synchronous, as CreateChangeSet answers them).

    `existing` is the stack's current template (None for a new stack): the import may add the
    imported resources and nothing else.
    """
    if not to_import:
        raise errors.validation("ResourcesToImport must be specified for an IMPORT change set")  # approx.
    resources = template.get("Resources") or {}
    named = [r["LogicalResourceId"] for r in to_import]
    missing = [n for n in named if n not in resources]
    if missing:
        raise errors.validation(f"Resources [{', '.join(missing)}] specified in ResourcesToImport are not found "
                                "in the template")  # wording approximate
    for item in to_import:
        definition = resources[item["LogicalResourceId"]]
        if definition.get("Type") != item["ResourceType"]:
            raise errors.validation(f"Resource type [{item['ResourceType']}] does not match the type of "
                                    f"[{item['LogicalResourceId']}] in the template")  # wording approximate
        key = PRIMARY_IDENTIFIERS.get(item["ResourceType"])
        if key is None:
            raise errors.validation(f"ResourceType [{item['ResourceType']}] does not support import")  # approx.
        given = sorted(item.get("ResourceIdentifier") or {})
        if given != [key]:
            raise errors.validation(f"Invalid ResourceIdentifier keys [{', '.join(given)}] for resource type "
                                    f"[{item['ResourceType']}]; expected [{key}]")  # wording approximate
    no_policy = [n for n in named if not resources[n].get("DeletionPolicy")]
    if no_policy:
        # AWS: every resource to import needs an explicit DeletionPolicy (wording approximate)
        raise errors.validation(f"The following resources to import [{', '.join(no_policy)}] must have "
                                "DeletionPolicy attribute specified in the template.")
    before = (existing or {}).get("Resources") or {}
    added = [n for n in resources if n not in before and n not in named]
    changed = [n for n in before if n in resources and resources[n] != before[n]] + [
        n for n in named if n in before]
    if added or changed or (existing is not None and template.get("Outputs") != outputs_before):
        what = "Outputs" if not (added or changed) else "Resources"
        raise errors.validation(f"As part of the import operation, you cannot modify or add [{what}]")


def locate(service: Any, ctx: ProviderContext, state: Any, item: dict[str, Any]) -> tuple[str, str]:
    """(physical id, "") for a resource that exists and no stack manages, else ("", why not)."""
    type_name = item["ResourceType"]
    key = PRIMARY_IDENTIFIERS[type_name]
    value = str(item["ResourceIdentifier"][key])
    physical = _PHYSICAL_ID.get(type_name, lambda _c, v: v)(ctx, value)
    provider = service.provider(type_name)
    if getattr(provider, "read", None) is None or provider.read(ctx, physical) is None:
        return "", f"Resource with identifier {json.dumps({key: value})} of type {type_name} was not found"  # approx.
    for stack in state.stacks.values():
        if stack.active and any(r.physical_id == physical and r.type == type_name for r in stack.resources.values()):
            return "", f"Resource [{value}] of type {type_name} already exists in stack {stack.stack_id}"  # approx.
    return physical, ""


def import_changes(to_import: list[dict[str, Any]], physical: dict[str, str]) -> list[dict[str, Any]]:
    """The `Changes` of an IMPORT change set: one `Import` per resource."""
    return [{"Type": "Resource", "ResourceChange": {
        "Action": "Import", "LogicalResourceId": item["LogicalResourceId"], "ResourceType": item["ResourceType"],
        "PhysicalResourceId": physical.get(item["LogicalResourceId"], ""), "Scope": [], "Details": []}}
        for item in to_import]
