"""The contract between the CloudFormation engine and its resource providers.

The engine (stacks, templates, intrinsics, ordering, rollback, change sets) resolves a
resource's properties and hands them to the provider of its type; the provider makes the
resource real by calling the gateway's own services through the registry, so a stack's
bucket is a bucket of our S3. Providers never see templates or intrinsic functions.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ....api import AWSError
from ..errors import ResourceFailure
from . import type_schemas

if TYPE_CHECKING:
    from ....api import RequestContext
    from ....registry import Registry


@dataclass
class ProviderContext:
    """Where a resource lives and how to reach the services that hold it."""

    registry: Registry
    account_id: str
    region: str
    stack_name: str
    stack_id: str
    logical_id: str
    #: The request that started the stack operation (endpoint, identity for nested calls).
    caller: RequestContext | None = None
    #: The stack's tags, propagated to resources that take tags (as CloudFormation does).
    stack_tags: list[dict[str, str]] = field(default_factory=list)

    def call(self, service: str, operation: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a gateway service in the stack's account and region; raises its `AWSError`."""
        return self.registry.call(service, operation, params or {}, account_id=self.account_id,
                                  region=self.region, caller=self.caller)


@dataclass
class Created:
    """A resource as it now exists: what `Ref` gives and what `Fn::GetAtt` can read."""

    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


class ResourceProvider(Protocol):
    """Creates, updates and deletes one resource type (`AWS::SQS::Queue`).

    Errors are raised as the service raised them (`AWSError`); the engine turns them into
    the stack event's status reason and rolls back.
    """

    #: The CloudFormation type this provider serves.
    type_name: str
    #: Properties whose change needs a new resource ("Update requires: Replacement" in the
    #: type's reference page); `{"*"}` when every change does. The engine creates the new
    #: resource, then deletes the old one in the cleanup phase.
    replaces: frozenset[str]

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        """Make the resource; a name the template leaves out is generated as AWS does."""
        ...

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        """Change the resource in place (only called when no `replaces` property changed)."""
        ...

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        """Remove the resource; a resource already gone is not an error."""
        ...


class DriftReader(Protocol):
    """What a provider adds for drift detection (optional: a type without it is NOT_CHECKED).

    `read` gives the resource's current configuration in the template's property names and
    shapes, for the properties in `readable` (a readable property missing from the answer
    was removed from the resource); None when the resource is gone. The engine compares
    only the properties the template set (AWS's rule: defaults are never drift).
    """

    readable: frozenset[str]

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        ...


# -- helpers shared by the providers ------------------------------------------------------

_SUFFIX_ALPHABET = string.ascii_uppercase + string.digits


def generated_name(ctx: ProviderContext, *, max_length: int = 255, lowercase: bool = False,
                   suffix: str = "", separator: str = "-", prefix: str | None = None) -> str:
    """The name CloudFormation gives a resource whose template leaves the name out.

    `<stack>-<logicalId>-<RANDOM>` with a 12-character random part; the stack name and the
    logical id are shortened (stack name first) to fit `max_length` together with `suffix`
    (`.fifo` for FIFO queues). `lowercase` for types whose names must be (S3 buckets);
    `prefix` in place of the stack name for types AWS names otherwise (SSM's `CFN-`).
    """
    random_part = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(12))
    budget = max_length - len(random_part) - len(suffix) - 2 * len(separator)
    stack, logical = ctx.stack_name if prefix is None else prefix, ctx.logical_id
    if len(stack) + len(logical) > budget:
        logical = logical[: max(budget // 2, budget - len(stack))]
        stack = stack[: max(budget - len(logical), 0)]
    name = separator.join(part for part in (stack, logical, random_part) if part) + suffix
    return name.lower() if lowercase else name


def name_or_generated(ctx: ProviderContext, properties: dict[str, Any], key: str, **rules: Any) -> str:
    """The name the template gives under `key`, else a generated one (see `generated_name`)."""
    given = properties.get(key)
    return str(given) if given else generated_name(ctx, **rules)


def resource_tags(ctx: ProviderContext, properties: dict[str, Any], key: str = "Tags") -> list[dict[str, str]]:
    """The stack's tags followed by the resource's own (a resource tag wins on the same key)."""
    merged = {tag["Key"]: str(tag["Value"]) for tag in ctx.stack_tags}
    merged.update(tag_map(properties.get(key)))
    return [{"Key": k, "Value": v} for k, v in merged.items()]


def tag_map(tags: Any) -> dict[str, str]:
    """`[{Key, Value}]` (or an already flat `{key: value}` map) as a dict; anything else is no
    tags here (a provider refuses it first, see `malformed_tags`)."""
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    if not isinstance(tags, list):
        return {}
    return {str(tag["Key"]): str(tag.get("Value", "")) for tag in tags if isinstance(tag, dict) and "Key" in tag}


def malformed_tags(tags: Any) -> str:
    """What is wrong with a `Tags` property in AWS's schema-message form, "" when nothing is."""
    if tags is None or isinstance(tags, dict):
        return ""
    if not isinstance(tags, list):
        return f"#/Tags: expected type: JSONArray, found: {_PYTHON_TYPES.get(type(tags).__name__, 'String')}"
    for index, tag in enumerate(tags):
        if not isinstance(tag, dict):
            return f"#/Tags/{index}: expected type: JSONObject, found: {_PYTHON_TYPES.get(type(tag).__name__, 'String')}"
        if "Key" not in tag:
            return f"#/Tags/{index}: required key [Key] not found"
    return ""


def tag_changes(old: dict[str, Any], new: dict[str, Any], key: str = "Tags") -> tuple[dict[str, str], list[str]]:
    """Tags to set and tag keys to remove when a resource's `key` property goes old -> new."""
    before, after = tag_map(old.get(key)), tag_map(new.get(key))
    to_set = {k: v for k, v in after.items() if before.get(k) != v}
    return to_set, [k for k in before if k not in after]


def changed(old: dict[str, Any], new: dict[str, Any], *keys: str) -> bool:
    """Whether any of `keys` differs between the old and new properties."""
    return any(old.get(k) != new.get(k) for k in keys)


def as_int(value: Any) -> int | None:
    """A template number (CloudFormation accepts `30` and `"30"`) as an int; None stays None."""
    return None if value is None or value == "" else int(value)


def as_bool(value: Any) -> bool:
    """A template boolean (`true`, `"true"`, `"True"`) as a bool."""
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def as_timestamp(value: Any) -> Any:
    """A template timestamp (ISO 8601 text) as the datetime an API member wants; None stays None."""
    from ....protocols.values import to_datetime

    return None if value is None or value == "" else to_datetime(value)


def as_text(value: Any) -> str:
    """A property as the string an attribute-map API wants (objects as JSON, booleans lowercase)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def as_json(value: Any) -> str:
    """A JSON-document property (a policy) given as an object or as text, as text."""
    return value if isinstance(value, str) else json.dumps(value)


def arn(ctx: ProviderContext, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
    """An ARN in the stack's partition, region and account."""
    return (f"arn:aws:{service}:{ctx.region if region else ''}:"
            f"{ctx.account_id if account else ''}:{resource}")


def ignore_missing(call: Any, *missing_codes: str) -> None:
    """Run `call()`; an error saying the resource is already gone is not one (delete)."""
    try:
        call()
    except AWSError as error:
        if error.code not in missing_codes:
            raise


def read_or_gone(call: Any, *missing_codes: str) -> Any:
    """`call()`'s answer, or None when the service says the resource is gone (`read`)."""
    try:
        return call()
    except AWSError as error:
        if error.code in missing_codes:
            return None
        raise


def tag_list(tags: dict[str, str] | list[dict[str, str]]) -> list[dict[str, str]]:
    """Tags as the template writes them (`[{Key, Value}]`) from a map or a Key/Value list (`read`)."""
    return [{"Key": k, "Value": v} for k, v in tag_map(tags).items()]


class InvalidProperties(AWSError, ResourceFailure):
    """Properties that do not fit the type's schema: CloudFormation fails the resource with this
    text itself, not as a handler's message (so the engine reports `reason` as it is)."""

    def __init__(self, reason: str) -> None:
        AWSError.__init__(self, "ValidationError", reason, 400)
        self.reason, self.physical_id = reason, ""


def invalid_properties(ctx: ProviderContext, detail: str) -> InvalidProperties:
    """The failure CloudFormation reports when a resource's properties do not fit its schema."""
    return InvalidProperties(f"Properties validation failed for resource {ctx.logical_id} with message: {detail}")


_PYTHON_TYPES = {"str": "String", "int": "Integer", "float": "Number", "bool": "Boolean",
                 "dict": "JSONObject", "list": "JSONArray", "NoneType": "null"}


def _mistyped(properties: dict[str, Any], error: Exception) -> str:
    """The schema-style detail for a property of the wrong type or value (`error` the Python one).

    The property is the one top-level value of the type (or, for a bad literal, the value) the
    error names; AWS's "failed validation constraint for keyword [type]" form otherwise."""
    text = str(error)
    kind = re.search(r"'(\w+)' object|not '(\w+)'", text)
    literal = re.search(r": '(.*)'$", text)
    if kind:
        found = kind.group(1) or kind.group(2)
        suspects = [k for k, v in properties.items() if type(v).__name__ == found]
    elif literal:
        found = "str"
        suspects = [k for k, v in properties.items() if str(v) == literal.group(1)]
    else:
        suspects = []
    if len(suspects) == 1:
        return f"#/{suspects[0]}: failed validation constraint for keyword [type] (found: {_PYTHON_TYPES.get(found, found)})"
    return "#: failed validation constraint for keyword [type]"


def _check_schema(ctx: ProviderContext, type_name: str, properties: Any) -> None:
    """Properties the type does not have, then required ones missing (`type_schemas`)."""
    if not isinstance(properties, dict):
        raise invalid_properties(ctx, "#: expected type: JSONObject, found: " +
                                 _PYTHON_TYPES.get(type(properties).__name__, "String"))
    unknown = type_schemas.unsupported(type_name, list(properties))
    if unknown:  # AWS's documented text for a property the type lacks
        raise InvalidProperties(f"Encountered unsupported property {unknown[0]}")
    for key in type_schemas.required(type_name):
        if properties.get(key) is None:
            raise invalid_properties(ctx, f"#: required key [{key}] not found")
    wrong_tags = malformed_tags(properties.get("Tags"))
    if wrong_tags:
        raise invalid_properties(ctx, wrong_tags)


def _guarded(method: Any) -> Any:
    """`method` with the type's schema checked first (`_check_schema`) and malformed properties (a
    missing key, a value of the wrong type) raised as `invalid_properties`, so the engine fails
    the resource with AWS's kind of reason instead of crashing."""

    @functools.wraps(method)
    def call(self: Any, ctx: ProviderContext, *args: Any) -> Any:
        properties = args[-1]  # create's properties, update's new ones, delete's
        if method.__name__ != "delete":
            _check_schema(ctx, self.type_name, properties)
        try:
            return method(self, ctx, *args)
        except KeyError as missing:
            raise invalid_properties(ctx, f"#: required key [{missing.args[0]}] not found") from None
        except (TypeError, ValueError, AttributeError) as wrong:
            raise invalid_properties(ctx, _mistyped(properties if isinstance(properties, dict) else {},
                                                    wrong)) from None

    return call


class BaseProvider:
    """Defaults for a provider: no replacement property, update = nothing to change.

    Subclasses' `create`, `update` and `delete` raise malformed properties as AWS errors.
    """

    type_name: str = ""
    replaces: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("create", "update", "delete"):
            if name in cls.__dict__:
                setattr(cls, name, _guarded(cls.__dict__[name]))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        """By default a provider whose every change replaces it has nothing to do in place."""
        return self.describe(ctx, physical_id, new)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        """The resource's `Ref` and attributes as they are now."""
        return Created(physical_id)
