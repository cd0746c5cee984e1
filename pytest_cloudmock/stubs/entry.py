"""The data model of a Tier 2 stub: an `Entry` with resource types and actions.

An entry names a service (a botocore service name, so protocol, target prefix,
signing name and URI templates come from its model), its resource types (name,
identifier field, ARN template, fields) and its actions (operation name -> kind).
Services botocore does not know declare `protocol` and `target_prefix` (and may
carry a botocore-format `model` file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CREATE, DESCRIBE, LIST, UPDATE, DELETE = "create", "describe", "list", "update", "delete"
TAG, UNTAG, LIST_TAGS, CUSTOM = "tag", "untag", "list-tags", "custom"
KINDS = (CREATE, DESCRIBE, LIST, UPDATE, DELETE, TAG, UNTAG, LIST_TAGS, CUSTOM)
TAG_KINDS = (TAG, UNTAG, LIST_TAGS)
FIELD_TYPES = ("string", "integer", "long", "boolean", "double", "float", "timestamp", "list", "map",
               "structure", "blob")

# A fixed response dict, or a callable `(ctx) -> dict` answering one action.
Handler = dict[str, Any] | Callable[..., Any]


@dataclass(frozen=True)
class Field:
    """A field of a resource or of a model-less action's input/output."""

    name: str
    type: str = "string"
    required: bool = False


@dataclass
class ResourceType:
    """A kind of resource: how it is identified, named in ARNs, and what it holds.

    `id_field` is the identifier's name (`WidgetId`, `name`, `DBInstanceIdentifier`);
    when the create input has no such member the engine generates one with
    `id_format` (placeholders `{uuid}`, `{hex:N}`, `{alnum:N}`, `{upper:N}`,
    `{digits:N}` and the ARN ones). `arn` is a template with `{partition}`,
    `{region}`, `{account}`, `{id}` (and any stored field). `unique` names a
    client-supplied field two resources may not share (the id, by default, when
    the client supplies it); with `idempotent` a repeated create returns the
    existing resource instead of failing (ECS clusters, Glacier vaults).
    `defaults` are stored on create (a status, say); `aliases` map output
    member names to stored field names (`name: domain`).
    """

    name: str
    id_field: str
    arn: str = ""
    fields: list[Field] = field(default_factory=list)
    id_format: str = "{uuid}"
    unique: str | None = None
    idempotent: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionSpec:
    """One operation the stub answers.

    `id_param` is where the identifier travels in the input (a member name, or a
    dotted path like `DatabaseInput.Name`); `input` the input structure whose
    members are the resource's fields (default: the whole input); `output` the
    output member the resource goes in (found from the model when not given).
    `response` answers the action with a fixed dict or a callable `(ctx) -> dict`.
    `required`/`fields`/`output_fields` describe model-less actions.
    """

    name: str
    kind: str
    resource: str | None = None
    id_param: str | None = None
    input: str | None = None
    output: str | None = None
    required: list[Field] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    output_fields: list[Field] = field(default_factory=list)
    response: Handler | None = None
    not_found: str | None = None
    already_exists: str | None = None


@dataclass
class Entry:
    """A stub service: the unit of the catalog."""

    service: str
    actions: dict[str, ActionSpec] = field(default_factory=dict)
    resource_types: dict[str, ResourceType] = field(default_factory=dict)
    protocol: str | None = None
    target_prefix: str | None = None
    signing_name: str | None = None
    model: str | dict[str, Any] | None = None
    global_: bool = False
    inferred: bool = False
    description: str = ""

    def actions_of(self, kind: str, resource: str | None = None) -> list[ActionSpec]:
        """The actions of one kind (for one resource type, if given)."""
        return [
            a for a in self.actions.values()
            if a.kind == kind and (resource is None or a.resource in (resource, None))
        ]

    def action(self, kind: str, resource: str | None = None) -> ActionSpec | None:
        """The first action of a kind (for one resource type), or None."""
        found = self.actions_of(kind, resource)
        return found[0] if found else None
