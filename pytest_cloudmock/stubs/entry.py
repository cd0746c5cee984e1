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
# Singleton settings (`Put*Policy`/`Get*Policy`/`Delete*Policy`, `*Configuration`).
PUT, GET, UNSET = "put", "get", "unset"
# Links between resources (`Associate*`/`Attach*`/`Register*` and their inverses).
ASSOCIATE, DISASSOCIATE = "associate", "disassociate"
# State changes of an existing resource on the gateway clock (`StartCrawler`, `StopTask`).
START, STOP = "start", "stop"
# Anything else: a well-formed output shaped from the model (required members filled).
ANSWER = "answer"
KINDS = (CREATE, DESCRIBE, LIST, UPDATE, DELETE, TAG, UNTAG, LIST_TAGS, CUSTOM,
         PUT, GET, UNSET, ASSOCIATE, DISASSOCIATE, START, STOP, ANSWER)
TAG_KINDS = (TAG, UNTAG, LIST_TAGS)
RESOURCE_KINDS = (CREATE, DESCRIBE, LIST, UPDATE, DELETE, START, STOP)
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

    Parents: `parent` names the resource key this type lives under and
    `parent_id` the input member carrying the parent's identifier (`cluster`,
    `DatabaseName`); the child is unique within its parent, listed per parent,
    and `parent_delete` says what deleting a parent with children does:
    `cascade`, or an error code refusing it (default: the model's in-use error).
    `versioned` names the field counting revisions: a create of an existing id
    adds revision N+1, addressed as `id:N` (the id alone is the latest).
    `states` are the status values a resource goes through on the gateway clock,
    `state_seconds` apart; `start_states` those a `Start*` sends it through (default:
    `states` again); `stopped` the state a `Stop*` leaves it in;
    `state_field` the stored field holding it (default: the output's status member).
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
    parent: str | None = None
    parent_id: str | None = None
    parent_delete: str | None = None
    parent_delete_message: str | None = None  # AWS's message for a refused parent delete ({id}: the parent)
    # AWS's messages for `not_found` and `already_exists` (templates: {id} as the request named it,
    # {account}, {region}, {partition}); without them the engine's own wording is used.
    messages: dict[str, str] = field(default_factory=dict)
    parent_default: str | None = None  # the parent a request naming none means (ECS's `default` cluster)
    versioned: str | None = None
    lookup: list[str] = field(default_factory=list)  # other stored fields that name a record
    id_list: bool = False  # the identifier is a list of values (a Glue partition's), joined by "/"
    states: list[str] = field(default_factory=list)
    start_states: list[str] = field(default_factory=list)
    state_seconds: float = 0.0
    stopped: str | None = None
    state_field: str | None = None
    auto: bool = False  # made by the engine from the model, not declared by the entry
    #: the `records.OutputForm` writing this type's records into output shapes (made on first use)
    output_form: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def has_states(self) -> bool:
        """Whether its records have a lifecycle state (`states`, `start_states` or `stopped`)."""
        return bool(self.states or self.start_states or self.stopped)


@dataclass
class ActionSpec:
    """One operation the stub answers.

    `id_param` is where the identifier travels in the input (a member name, or a
    dotted path like `DatabaseInput.Name`); `input` the input structure whose
    members are the resource's fields (default: the whole input); `output` the
    output member the resource goes in (found from the model when not given).
    `response` answers the action with a fixed dict or a callable `(ctx) -> dict`.
    `required`/`fields`/`output_fields` describe model-less actions.
    `handler` names a Python function `module:function` in `pytest_cloudmock.stubs.custom`
    answering the action as `function(service, ctx) -> dict`.
    `setting` names the singleton a put/get/unset action keeps (default: from the name).
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
    handler: str | None = None
    setting: str | None = None
    auto: bool = False  # classified by the engine from the model, not declared by the entry


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
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # setting -> AWS defaults
    # Another stub service whose state this one shares: one AWS backend behind two APIs
    # (DocumentDB and Neptune are the RDS API; Timestream Write and Query share resources).
    shares: str | None = None

    def resource_key(self, name: str) -> str | None:
        """The key of the resource type called `name` (its key or its `name`)."""
        if name in self.resource_types:
            return name
        return next((k for k, r in self.resource_types.items() if r.name == name), None)

    def children(self, key: str) -> list[str]:
        """The keys of the resource types living under `key`."""
        return [k for k, r in self.resource_types.items() if r.parent == key]

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
