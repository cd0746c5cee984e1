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


class Filler:
    """Writes one record into output shapes, by the rules in the module docstring."""

    def __init__(self, record: Record, rtype: ResourceType, state: str | None = None,
                 counts: Callable[[str], int | None] | None = None) -> None:
        self.record = record
        self.rtype = rtype
        self.state = state  # the lifecycle state now, for types with `states`
        self.counts = counts  # `TableCount`, `runningTasksCount`: the record's children (in a state)
        self.fields = {norm(k): v for k, v in record.fields.items()}
        leaf = norm(rtype.id_field.rsplit(".", 1)[-1])
        self.id_names = {leaf, "resourceid"} | ({"id"} if leaf.endswith("id") else set())
        if leaf == norm(rtype.name) + "name":  # a `Name` inside the resource is its name
            self.id_names.add("name")
        self.arn_names = {"arn", norm(rtype.name) + "arn", "resourcearn"}
        self.wrappers = wrapper_names(rtype)
        self.aliases = {norm(k): norm(v) for k, v in rtype.aliases.items()}

    def fill(self, shape: Shape, depth: int = 0) -> dict[str, Any]:
        out = {}
        for name, member in shape.members.items():
            value = self.value(name, member, depth)
            if value is not MISSING:
                out[name] = value
        return out

    def value(self, name: str, member: Shape, depth: int) -> Any:
        key = norm(name)
        record = self.record
        if is_tags(name) and not (member.type_name == "list" and member.member.type_name == "string"):
            return tags_to(record.tags, member) if record.tags else MISSING
        key = self.aliases.get(key, key)
        if self.state is not None and member.type_name == "string" and (
            key == norm(self.rtype.state_field) if self.rtype.state_field else key.endswith(("status", "state"))
        ) and (not member.enum or self.state in member.enum):
            return self.state
        if key in self.fields:  # a stored `false`, `0` or `""` is a value too
            converted = coerce(self.fields[key], member)
            # a structure made of nothing is an input member of the same name (a policy map),
            # not the resource's own structure: the rules below fill that
            if converted is not MISSING and not (converted == {} and member.type_name == "structure"):
                return converted
        if self.counts is not None and member.type_name in ("integer", "long") and key.endswith("count"):
            counted = self.counts(key)
            if counted is not None:
                return counted
        for known, value in ((self.id_names, record.id), (self.arn_names, record.arn)):
            if key in known and value:
                converted = coerce(value, member)
                if converted is not MISSING:
                    return converted
        kind = member.type_name
        if kind == "timestamp":
            if "creat" in key:
                return record.created
            own = key.removeprefix(norm(self.rtype.name))  # `AuthTokenLastModifiedDate` is not ours
            if own.startswith(("lastmodif", "lastupdat", "lastchang", "modif", "updat")):
                return record.updated
            if own.startswith(("start", "submi", "launch", "began", "begin")):
                return record.since or record.created
            if own.startswith(("stop", "end", "complet", "finish")) and record.stopped:
                return record.stopped
            return MISSING
        if kind == "string" and key.endswith(("status", "state")):
            return good_state(member) or MISSING
        if depth >= 2:
            return MISSING
        if kind == "structure" and (key in self.wrappers or norm(member.name) in self.wrappers
                                    or (key == "status" and self.state is not None)):
            return self.fill(member, depth + 1)
        if kind == "list" and key.rstrip("s") in self.wrappers and member.member.type_name == "structure":
            return [self.fill(member.member, depth + 1)]  # ELBv2 answers a create with a list of one
        return MISSING

    def item(self, member: Shape, list_name: str) -> Any:
        """One element of a list output: the record itself, or its ARN or id."""
        if member.type_name == "structure":
            return self.fill(member, 1)
        return coerce(self.record.arn if "arn" in norm(list_name) and self.record.arn else self.record.id,
                      member)
