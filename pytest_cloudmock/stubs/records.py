"""Stored stub resources, and how one fills an output shape.

A `Record` keeps what a create was given (its fields), plus the identifier,
ARN, tags and timestamps the engine adds. `fill` writes a record into a botocore
output structure: members named like a stored field get its value; the
identifier, ARN, creation/update times, tags and a healthy status go to the
members named for them; a structure member named for the resource type gets
the record itself, one level down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.model import Shape

from .entry import ResourceType
from .shapes import MISSING, coerce, good_state, is_tags, norm, tags_to


@dataclass
class Record:
    """One stored resource."""

    rtype: str
    id: str
    arn: str
    fields: dict[str, Any]
    tags: dict[str, str]
    created: datetime
    updated: datetime
    parent: str | None = None  # the parent record's id, for a resource type with a parent
    stopped: datetime | None = None  # when a `Stop*` stopped it (lifecycle types)
    since: datetime | None = None  # when its states began (a `Start*` restarts them)
    revision: int = 0  # for versioned types
    base: str = ""  # the id without its revision, for versioned types


def record_key(ident: str, parent: str | None) -> str:
    """A record's key in its table: children are unique within their parent."""
    return ident if parent is None else f"{parent}\x00{ident}"


@dataclass
class StubState:
    """One (account, region) partition of a stub service: resource type -> key -> record,
    and singleton settings: setting -> scope -> stored params."""

    resources: dict[str, dict[str, Record]] = field(default_factory=dict)
    settings: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def table(self, rtype: str) -> dict[str, Record]:
        return self.resources.setdefault(rtype, {})

    def setting(self, name: str) -> dict[str, dict[str, Any]]:
        return self.settings.setdefault(name, {})


def find(table: dict[str, Record], key: Any, parent: str | None = None) -> Record | None:
    """The record a client names by id, ARN, or an id's last path segment (within `parent`,
    if given); a versioned type's bare id names its latest revision."""
    if not isinstance(key, str) or not key:
        return None
    found = table.get(record_key(key, parent))
    if found is not None:
        return found
    latest = None
    for record in tuple(table.values()):  # a snapshot: other requests write the table meanwhile
        if parent is not None and record.parent != parent:
            continue
        if key in (record.id, record.arn) or record.id.endswith("/" + key) or key.endswith("/" + record.id):
            return record
        if record.base and key in (record.base, record.arn.rsplit(":", 1)[0]) and (
            latest is None or record.revision > latest.revision
        ):
            latest = record
    return latest


def wrapper_names(rtype: ResourceType) -> set[str]:
    """Loose names of output members (or their shapes) that hold one resource."""
    base = norm(rtype.name)
    return {base + s for s in ("", "description", "detail", "details", "info", "summary", "data",
                               "configuration", "properties", "metadata", "status")}


@dataclass(frozen=True, slots=True)
class Slot:
    """What one output member takes from a record, worked out once per (shape, depth) from its
    name and type; `Filler.value` adds what depends on the record."""

    name: str
    member: Shape
    key: str  # the loose name, after the type's aliases: looked up in the record's fields
    tags: bool  # a tags member: the record's tags
    state: bool  # names the lifecycle state (a string member)
    structure: bool
    count: bool  # an integer member `...Count`: the record's children
    idents: tuple[str, ...]  # "id" and/or "arn": the record's identifier or ARN fits here
    fallback: str | None  # "created", "updated", "since", "stopped", "constant", "nested", "nested-if-state", "list"
    constant: Any = MISSING  # for "constant": a status enum's healthy value
    text: bool = False  # a string member taking a stored string as it is (no tags or state first)
    field_only: bool = False  # only a stored field can fill it


_OWN_TIMES = (
    ("updated", ("lastmodif", "lastupdat", "lastchang", "modif", "updat")),
    ("since", ("start", "submi", "launch", "began", "begin")),
    ("stopped", ("stop", "end", "complet", "finish")),
)


class OutputForm:
    """The loose names one resource type answers to, and the slots of each output shape it fills."""

    def __init__(self, rtype: ResourceType) -> None:
        self.rtype = rtype
        self.base = norm(rtype.name)
        leaf = norm(rtype.id_field.rsplit(".", 1)[-1])
        self.id_names = {leaf, "resourceid"} | ({"id"} if leaf.endswith("id") else set())
        if leaf == self.base + "name":  # a `Name` inside the resource is its name
            self.id_names.add("name")
        self.arn_names = {"arn", self.base + "arn", "resourcearn"}
        self.wrappers = wrapper_names(rtype)
        self.aliases = {norm(k): norm(v) for k, v in rtype.aliases.items()}
        self.state_key = norm(rtype.state_field) if rtype.state_field else None
        self._slots: dict[tuple[Shape, bool], tuple[Slot, ...]] = {}

    def slots(self, shape: Shape, deep: bool) -> tuple[Slot, ...]:
        """The slots of a structure's members (`deep`: two levels down, where nesting stops)."""
        slots = self._slots.get((shape, deep))
        if slots is None:
            slots = self._slots[(shape, deep)] = tuple(self._slot(n, m, deep) for n, m in shape.members.items())
        return slots

    def _slot(self, name: str, member: Shape, deep: bool) -> Slot:
        kind = member.type_name
        key = norm(name)
        tags = is_tags(name) and not (kind == "list" and member.member.type_name == "string")
        key = self.aliases.get(key, key)
        state = kind == "string" and (key == self.state_key if self.state_key else key.endswith(("status", "state")))
        idents = tuple(attr for attr, names in (("id", self.id_names), ("arn", self.arn_names)) if key in names)
        fallback, constant = self._fallback(key, member, deep)
        count = kind in ("integer", "long") and key.endswith("count")
        return Slot(name, member, key, tags, state, kind == "structure", count, idents, fallback, constant,
                    text=kind == "string" and not (tags or state),
                    field_only=not (tags or state or count or idents or fallback))

    def _fallback(self, key: str, member: Shape, deep: bool) -> tuple[str | None, Any]:
        kind = member.type_name
        if kind == "timestamp":
            if "creat" in key:
                return "created", MISSING
            own = key.removeprefix(self.base)  # `AuthTokenLastModifiedDate` is not ours
            return next((source for source, words in _OWN_TIMES if own.startswith(words)), None), MISSING
        if kind == "string" and key.endswith(("status", "state")):
            return "constant", good_state(member) or MISSING
        if deep:
            return None, MISSING
        if kind == "structure":
            if key in self.wrappers or norm(member.name) in self.wrappers:
                return "nested", MISSING
            return ("nested-if-state" if key == "status" else None), MISSING
        if kind == "list" and key.rstrip("s") in self.wrappers and member.member.type_name == "structure":
            return "list", MISSING  # ELBv2 answers a create with a list of one
        return None, MISSING


def output_form(rtype: ResourceType) -> OutputForm:
    """The type's `OutputForm` (made once, kept on the type)."""
    form = rtype.output_form
    if form is None:
        form = rtype.output_form = OutputForm(rtype)
    return form


class Filler:
    """Writes one record into output shapes, by the rules in the module docstring."""

    def __init__(self, record: Record, rtype: ResourceType, state: str | None = None,
                 counts: Callable[[str], int | None] | None = None) -> None:
        self.record = record
        self.rtype = rtype
        self.form = output_form(rtype)
        self.state = state  # the lifecycle state now, for types with `states`
        self.counts = counts  # `TableCount`, `runningTasksCount`: the record's children (in a state)
        self.fields = {norm(k): v for k, v in record.fields.items()}

    def fill(self, shape: Shape, depth: int = 0) -> dict[str, Any]:
        out = {}
        fields = self.fields
        for slot in self.form.slots(shape, depth >= 2):
            if slot.key in fields:  # the common cases without a call
                if slot.text and fields[slot.key].__class__ is str:
                    out[slot.name] = fields[slot.key]
                    continue
            elif slot.field_only:
                continue
            value = self.value(slot, depth)
            if value is not MISSING:
                out[slot.name] = value
        return out

    def value(self, slot: Slot, depth: int) -> Any:
        """What the record puts in one member (`MISSING`: nothing)."""
        record = self.record
        if slot.tags:
            return tags_to(record.tags, slot.member) if record.tags else MISSING
        state = self.state
        if slot.state and state is not None and (not slot.member.enum or state in slot.member.enum):
            return state
        if slot.key in self.fields:  # a stored `false`, `0` or `""` is a value too
            converted = coerce(self.fields[slot.key], slot.member)
            # a structure made of nothing is an input member of the same name (a policy map),
            # not the resource's own structure: the rules below fill that
            if converted is not MISSING and not (slot.structure and converted == {}):
                return converted
        if slot.count and self.counts is not None:
            counted = self.counts(slot.key)
            if counted is not None:
                return counted
        for attr in slot.idents:
            ident = record.id if attr == "id" else record.arn
            if ident:
                converted = coerce(ident, slot.member)
                if converted is not MISSING:
                    return converted
        fallback = slot.fallback
        if fallback is None:
            return MISSING
        if fallback == "constant":
            return slot.constant
        if fallback == "created":
            return record.created
        if fallback == "updated":
            return record.updated
        if fallback == "since":
            return record.since or record.created
        if fallback == "stopped":
            return record.stopped or MISSING
        if fallback == "nested" or (fallback == "nested-if-state" and state is not None):
            return self.fill(slot.member, depth + 1)
        if fallback == "list":
            return [self.fill(slot.member.member, depth + 1)]
        return MISSING

    def item(self, member: Shape, list_name: str) -> Any:
        """One element of a list output: the record itself, or its ARN or id."""
        if member.type_name == "structure":
            return self.fill(member, 1)
        return coerce(self.record.arn if "arn" in norm(list_name) and self.record.arn else self.record.id,
                      member)
