"""Short constructors, so an entry reads like the plugin docs' example."""

from __future__ import annotations

from typing import Any

from .entry import (
    CREATE,
    CUSTOM,
    DELETE,
    DESCRIBE,
    LIST,
    LIST_TAGS,
    TAG,
    UNTAG,
    UPDATE,
    ActionSpec,
    Field,
    Handler,
    ResourceType,
)


def req_str(name: str) -> Field:
    """A required string field."""
    return Field(name, "string", True)


def opt_str(name: str) -> Field:
    """An optional string field."""
    return Field(name, "string", False)


def rt(name: str, id_field: str, arn: str = "", fields: list[Field] | None = None, **kw: Any) -> ResourceType:
    """A resource type: `rt("Widget", "WidgetId", "arn:...:widget/{id}", [opt_str("WidgetName")])`."""
    return ResourceType(name, id_field, arn, list(fields or []), **kw)


def create_action(
    name: str, resource: str, id_field: str, inputs: list[Field] | None = None,
    outputs: list[Field] | None = None, **kw: Any,
) -> ActionSpec:
    """A create action; `inputs` are its fields (required ones validated), `outputs` echoed back."""
    fields = list(inputs or [])
    return ActionSpec(
        name, CREATE, resource, id_param=id_field, required=[f for f in fields if f.required],
        fields=fields, output_fields=list(outputs or []), **kw,
    )


def describe_action(name: str, resource: str, id_field: str | None = None, **kw: Any) -> ActionSpec:
    return ActionSpec(name, DESCRIBE, resource, id_param=id_field, **kw)


def list_action(name: str, resource: str, **kw: Any) -> ActionSpec:
    return ActionSpec(name, LIST, resource, **kw)


def update_action(
    name: str, resource: str, id_field: str | None = None, inputs: list[Field] | None = None, **kw: Any
) -> ActionSpec:
    return ActionSpec(name, UPDATE, resource, id_param=id_field, fields=list(inputs or []), **kw)


def delete_action(name: str, resource: str, id_field: str | None = None, **kw: Any) -> ActionSpec:
    return ActionSpec(name, DELETE, resource, id_param=id_field, **kw)


def tag_actions(tag: str = "TagResource", untag: str = "UntagResource",
                list_tags: str = "ListTagsForResource") -> dict[str, ActionSpec]:
    """The usual trio of tagging actions (any resource of the entry, found by ARN or id)."""
    specs = [ActionSpec(tag, TAG), ActionSpec(untag, UNTAG), ActionSpec(list_tags, LIST_TAGS)]
    return {s.name: s for s in specs if s.name}


def custom_action(name: str, response: Handler) -> ActionSpec:
    """An action answered by a fixed dict or a callable `(ctx) -> dict`."""
    return ActionSpec(name, CUSTOM, response=response)


def actions(*specs: ActionSpec) -> dict[str, ActionSpec]:
    """`{spec.name: spec}` for a list of actions."""
    return {s.name: s for s in specs}


__all__ = [
    "actions", "create_action", "custom_action", "delete_action", "describe_action", "list_action",
    "opt_str", "req_str", "rt", "tag_actions", "update_action",
]
