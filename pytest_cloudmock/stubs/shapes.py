"""Filling botocore output shapes from stored resources, with the shapes' own types.

Only members the shape has are written, each converted to its type; a stored
value that does not fit a member is left out rather than sent wrong.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from botocore.model import Shape

from ..protocols.values import to_datetime

MISSING: Any = object()
_NON_ALNUM = re.compile(r"[^a-z0-9]")
TAG_NAMES = {"tags", "taglist", "tagslist", "tagset", "tagstoadd", "addtags", "resourcetags",
             "tagspecifications"}
# The models' names for the keys an untag removes (Budgets' and Cost Explorer's `ResourceTagKeys`);
# `plan.tag_members` also takes any other list of strings named `...TagKeys`.
UNTAG_NAMES = {"tagkeys", "tagstoremove", "removetagkeys", "keys", "tagkeylist", "tagkeystoremove",
               "removetags", "resourcetagkeys"}
GOOD_STATES = (
    "ACTIVE", "Active", "active", "AVAILABLE", "Available", "available", "ENABLED", "Enabled",
    "enabled", "READY", "Ready", "ISSUED", "RUNNING", "CREATED", "COMPLETED", "SUCCEEDED",
    "DEPLOYED", "InService", "IN_SERVICE", "VALID", "ONLINE", "SUCCESS", "CREATE_COMPLETE",
    "INSYNC", "Deployed",
)


@lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """A member name for loose matching: `DB_Instance-Id` -> `dbinstanceid`."""
    return _NON_ALNUM.sub("", name.lower())


def is_tags(name: str) -> bool:
    """Whether a member carries tags to set (`Tags`, `TagList`, `BackupVaultTags`...)."""
    key = norm(name)
    return key in TAG_NAMES or (key.endswith("tags") and key not in UNTAG_NAMES)


def is_tag_value(value: Any) -> bool:
    """Whether a value holds tags (a map, or a list of pairs), not a list of names (`imageTags`)."""
    return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value))


@lru_cache(maxsize=65536)
def loose_members(shape: Shape) -> dict[str, str]:
    """A structure's member names by their loose name (`norm`)."""
    return {norm(n): n for n in shape.members}


def coerce(value: Any, shape: Shape) -> Any:
    """`value` as the type of `shape`, or `MISSING` if it cannot be."""
    kind = shape.type_name
    if value is None:
        return MISSING
    if kind == "string" and value.__class__ is str:  # the common case, first
        return value
    if kind == "structure":
        if not isinstance(value, dict):
            return MISSING
        members = shape.members
        loose = loose_members(shape)
        out = {}
        for key, item in value.items():
            name = key if key in members else loose.get(norm(str(key)))
            if name is not None:
                converted = coerce(item, members[name])
                if converted is not MISSING:
                    out[name] = converted
        return out
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            return MISSING
        items = (coerce(v, shape.member) for v in value)
        return [v for v in items if v is not MISSING]
    if kind == "map":
        if not isinstance(value, dict):
            return MISSING
        items = ((str(k), coerce(v, shape.value)) for k, v in value.items())
        return {k: v for k, v in items if v is not MISSING}
    return _scalar(value, kind)


def _scalar(value: Any, kind: str) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return MISSING
    try:
        if kind == "string":
            if isinstance(value, bytes):
                return value.decode("utf-8", "replace")
            return value if isinstance(value, str) else (
                MISSING if isinstance(value, (bool, datetime)) else str(value)
            )
        if kind in ("integer", "long", "short", "byte", "bigInteger"):
            return MISSING if isinstance(value, bool) else int(value)
        if kind in ("float", "double", "bigDecimal"):
            return MISSING if isinstance(value, bool) else float(value)
        if kind == "boolean":
            if isinstance(value, str):
                return {"true": True, "false": False}.get(value.lower(), MISSING)
            return bool(value) if isinstance(value, (bool, int)) else MISSING
        if kind == "timestamp":
            return to_datetime(value)
        if kind == "blob":
            return value if isinstance(value, bytes) else str(value).encode()
    except (TypeError, ValueError):
        return MISSING
    return MISSING


def good_state(shape: Shape) -> str | None:
    """A settled, healthy value of a status enum (`ACTIVE`, `available`...)."""
    enum = shape.enum
    if not enum:
        return None
    for state in GOOD_STATES:
        if state in enum:
            return state
    return enum[0]


# -- tags --------------------------------------------------------------------------------------
def _is_tag_pair(item: dict[str, Any]) -> tuple[str, str] | None:
    key = value = None
    for k in item:
        n = norm(k)
        if n in ("key", "tagkey"):
            key = k
        elif n in ("value", "tagvalue"):
            value = k
    return (key, value) if key else None  # type: ignore[return-value]


def tags_from(value: Any) -> dict[str, str]:
    """Tags in any of AWS's forms (map, `[{Key, Value}]`, `{Items: [...]}`,
    EC2 `TagSpecifications`) as a plain dict."""
    if isinstance(value, dict):
        if any(isinstance(v, (list, dict)) for v in value.values()):
            out: dict[str, str] = {}
            for v in value.values():
                if isinstance(v, (list, dict)):
                    out.update(tags_from(v))
            return out
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    out = {}
    for item in value or []:
        if not isinstance(item, dict):
            continue
        pair = _is_tag_pair(item)
        if pair:
            out[str(item[pair[0]])] = str(item.get(pair[1], "") or "") if pair[1] else ""
        else:
            out.update(tags_from(item))
    return out


def tag_keys_from(value: Any) -> list[str]:
    """Tag keys to remove, from `["k"]`, `[{Key: k}]` or `{Items: ["k"]}`."""
    if isinstance(value, dict):
        return [k for v in value.values() for k in tag_keys_from(v)]
    keys = []
    for item in value or []:
        if isinstance(item, str):
            keys.append(item)
        elif isinstance(item, dict):
            keys.extend(tags_from([item]))
    return keys


def tags_to(tags: dict[str, str], shape: Shape) -> Any:
    """Tags in the form `shape` wants (map, list of pairs, or a structure around one)."""
    if shape.type_name == "map":
        return dict(tags)
    if shape.type_name == "list":
        item = shape.member
        if item.type_name != "structure":
            return MISSING
        key = value = None
        for name in item.members:
            if norm(name) in ("key", "tagkey"):
                key = name
            elif norm(name) in ("value", "tagvalue"):
                value = name
        if key is None:  # EC2's `TagSpecifications`: one specification holding the pairs
            inner = tags_to(tags, item.members["Tags"]) if "Tags" in item.members else MISSING
            return MISSING if inner is MISSING else [{"Tags": inner}]
        return [{key: k, **({value: v} if value else {})} for k, v in tags.items()]
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            if member.type_name in ("list", "map"):
                inner = tags_to(tags, member)
                return MISSING if inner is MISSING else {name: inner}
    return MISSING
