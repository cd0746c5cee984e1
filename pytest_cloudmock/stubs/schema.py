"""Entries written as data (YAML files, the config's `stubs:` list) -> `Entry`.

    service: eks
    resources:
      cluster:
        id: name
        arn: "arn:{partition}:eks:{region}:{account}:cluster/{id}"
        actions: {create: CreateCluster, describe: DescribeCluster, list: ListClusters,
                  update: UpdateClusterConfig, delete: DeleteCluster}
    tags: [TagResource, UntagResource, ListTagsForResource]

Every mistake is a `ConfigError` naming the key, and where it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import ConfigError, _did_you_mean
from .entry import (
    CUSTOM,
    FIELD_TYPES,
    KINDS,
    LIST_TAGS,
    TAG,
    TAG_KINDS,
    UNTAG,
    ActionSpec,
    Entry,
    Field,
    ResourceType,
)

ENTRY_KEYS = {"service", "description", "protocol", "target_prefix", "signing_name", "model",
              "global", "inferred", "resources", "actions", "tags", "errors", "settings", "shares"}
RESOURCE_KEYS = {"name", "id", "arn", "id_format", "unique", "idempotent", "fields", "defaults",
                 "aliases", "actions", "errors", "parent", "parent_id", "parent_delete", "parent_delete_message", "messages", "parent_default", "versioned", "id_list", "lookup",
                 "states", "start_states", "state_seconds", "stopped", "state_field"}
ACTION_KEYS = {"op", "kind", "resource", "id_param", "input", "output", "required", "fields",
               "output_fields", "response", "not_found", "already_exists", "handler", "setting"}
ERROR_KEYS = {"not_found", "already_exists"}
PROTOCOLS = ("json", "rest-json", "query", "ec2", "rest-xml", "smithy-rpc-v2-cbor")


def _check_keys(data: Any, known: set[str], where: str, required: tuple[str, ...] = ()) -> dict:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a mapping, not {type(data).__name__}")
    for key in data:
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r}{_did_you_mean(str(key), known)}")
    for key in required:
        if key not in data:
            raise ConfigError(f"{where}: missing key {key!r}")
    return data


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: must be a non-empty string, not {value!r}")
    return value


def parse_field(spec: Any, where: str, required: bool = False) -> Field:
    """`"Name"`, `"Size:integer"` or `{name: Size, type: integer, required: true}`."""
    if isinstance(spec, Field):
        return spec
    if isinstance(spec, dict):
        _check_keys(spec, {"name", "type", "required"}, where, ("name",))
        name, type_, required = spec["name"], spec.get("type", "string"), spec.get("required", required)
    else:
        name, _, type_ = _str(spec, where).partition(":")
        type_ = type_ or "string"
    if type_ not in FIELD_TYPES:
        raise ConfigError(f"{where}: field {name!r}: type must be one of {', '.join(FIELD_TYPES)}, not {type_!r}")
    return Field(_str(name, where), type_, bool(required))


def _fields(value: Any, where: str, required: bool = False) -> list[Field]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: must be a list of fields")
    return [parse_field(v, f"{where}[{i}]", required) for i, v in enumerate(value)]


def _action(op: str, data: Any, where: str, kind: str | None, resource: str | None,
            errors: dict[str, str]) -> ActionSpec:
    if isinstance(data, str) or data is None:
        data = {"op": data or op}
    _check_keys(data, ACTION_KEYS, where)
    kind = data.get("kind", kind or (CUSTOM if "response" in data or "handler" in data else None))
    handler = data.get("handler")
    if handler is not None and (not isinstance(handler, str) or handler.count(":") != 1):
        raise ConfigError(f"{where}.handler: must be 'module:function' (in pytest_cloudmock.stubs.custom), "
                          f"not {handler!r}")
    if kind not in KINDS:
        raise ConfigError(f"{where}: key 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    required = _fields(data.get("required", []), f"{where}.required", True)
    fields = _fields(data.get("fields", []), f"{where}.fields")
    given = {f.name for f in required}
    return ActionSpec(
        name=_str(data.get("op", op), f"{where}.op"),
        kind=kind,
        resource=data.get("resource", resource),
        id_param=data.get("id_param"),
        input=data.get("input"),
        output=data.get("output"),
        required=required,
        fields=required + [f for f in fields if f.name not in given],
        output_fields=_fields(data.get("output_fields", []), f"{where}.output_fields"),
        response=data.get("response"),
        not_found=data.get("not_found", errors.get("not_found")),
        already_exists=data.get("already_exists", errors.get("already_exists")),
        handler=handler,
        setting=data.get("setting"),
    )


def _errors(value: Any, where: str) -> dict[str, str]:
    return dict(_check_keys(value or {}, ERROR_KEYS, where))


def _resource(key: str, data: Any, where: str, entry_errors: dict[str, str],
              actions: dict[str, ActionSpec]) -> ResourceType:
    _check_keys(data, RESOURCE_KEYS, where, ("id",))
    errors = {**entry_errors, **_errors(data.get("errors"), f"{where}.errors")}
    rtype = ResourceType(
        name=data.get("name", key[:1].upper() + key[1:]),
        id_field=_str(data["id"], f"{where}.id"),
        arn=data.get("arn", ""),
        fields=_fields(data.get("fields", []), f"{where}.fields"),
        id_format=data.get("id_format", "{uuid}"),
        unique=data.get("unique"),
        idempotent=bool(data.get("idempotent", False)),
        defaults=dict(_check_keys(data.get("defaults", {}), set(data.get("defaults", {})), f"{where}.defaults")),
        aliases=dict(_check_keys(data.get("aliases", {}), set(data.get("aliases", {})), f"{where}.aliases")),
        parent=data.get("parent"),
        parent_id=data.get("parent_id"),
        parent_delete=data.get("parent_delete"),
        parent_default=data.get("parent_default"),
        parent_delete_message=data.get("parent_delete_message"),
        messages=dict(_check_keys(data.get("messages", {}), ERROR_KEYS, f"{where}.messages")),
        versioned=data.get("versioned"),
        id_list=bool(data.get("id_list", False)),
        lookup=[_str(s, f"{where}.lookup") for s in data.get("lookup", [])],
        states=[_str(s, f"{where}.states") for s in data.get("states", [])],
        start_states=[_str(s, f"{where}.start_states") for s in data.get("start_states", [])],
        state_seconds=float(data.get("state_seconds", 0)),
        stopped=data.get("stopped"),
        state_field=data.get("state_field"),
    )
    if (rtype.parent is None) != (rtype.parent_id is None):
        raise ConfigError(f"{where}: 'parent' and 'parent_id' go together")
    kinds = _check_keys(data.get("actions", {}), set(KINDS) - set(TAG_KINDS) - {CUSTOM},
                        f"{where}.actions")
    for kind, value in kinds.items():
        for i, one in enumerate(value if isinstance(value, list) else [value]):
            op = one if isinstance(one, str) else (one or {}).get("op") if isinstance(one, dict) else None
            spec_where = f"{where}.actions.{kind}" + (f"[{i}]" if isinstance(value, list) else "")
            spec = _action(_str(op, f"{spec_where}.op"), one, spec_where, kind, key, errors)
            actions[spec.name] = spec
    return rtype


def _tags(value: Any, where: str) -> dict[str, ActionSpec]:
    if isinstance(value, list):
        if len(value) != 3:
            raise ConfigError(f"{where}: a list of three operations: tag, untag, list-tags")
        value = dict(zip(("tag", "untag", "list"), value, strict=True))
    _check_keys(value, {"tag", "untag", "list"}, where)
    kinds = {"tag": TAG, "untag": UNTAG, "list": LIST_TAGS}
    return {
        op: ActionSpec(_str(op, f"{where}.{key}"), kinds[key])
        for key, op in value.items() if op
    }


def entry_from_dict(data: Any, where: str = "stub") -> Entry:
    """Validate one entry written as data and build it."""
    if isinstance(data, Entry):
        return data
    _check_keys(data, ENTRY_KEYS, where, ("service",))
    service = _str(data["service"], f"{where}.service")
    where = f"{where} ({service})"
    protocol = data.get("protocol")
    if protocol is not None and protocol not in PROTOCOLS:
        raise ConfigError(f"{where}: key 'protocol' must be one of {', '.join(PROTOCOLS)}, not {protocol!r}")
    errors = _errors(data.get("errors"), f"{where}.errors")
    actions: dict[str, ActionSpec] = {}
    resources = {
        key: _resource(key, value, f"{where}.resources.{key}", errors, actions)
        for key, value in _check_keys(data.get("resources", {}), set(data.get("resources", {})),
                                      f"{where}.resources").items()
    }
    if "tags" in data:
        actions.update(_tags(data["tags"], f"{where}.tags"))
    for op, value in _check_keys(data.get("actions", {}), set(data.get("actions", {})),
                                 f"{where}.actions").items():
        spec = _action(op, value, f"{where}.actions.{op}", None, None, errors)
        if spec.resource is not None and spec.resource not in resources:
            raise ConfigError(f"{where}.actions.{op}: key 'resource' names no resource: {spec.resource!r}")
        actions[spec.name] = spec
    for key, rtype in resources.items():
        if rtype.parent is not None and rtype.parent not in resources:
            raise ConfigError(f"{where}.resources.{key}.parent: names no resource: {rtype.parent!r}")
    settings = _check_keys(data.get("settings", {}), set(data.get("settings", {})), f"{where}.settings")
    for name, value in settings.items():
        _check_keys(value, set(value or {}), f"{where}.settings.{name}")
    if not actions:
        raise ConfigError(f"{where}: declares no actions (add 'resources' with 'actions', or 'actions')")
    return Entry(
        service=service,
        actions=actions,
        resource_types=resources,
        protocol=protocol,
        target_prefix=data.get("target_prefix"),
        signing_name=data.get("signing_name"),
        model=data.get("model"),
        global_=bool(data.get("global", False)),
        inferred=bool(data.get("inferred", False)),
        description=data.get("description", ""),
        settings={name: dict(value or {}) for name, value in settings.items()},
        shares=_str(data["shares"], f"{where}.shares") if "shares" in data else None,
    )


def load_entry_file(path: str | Path) -> Entry:
    """Read one YAML entry file (a relative `model:` path is resolved next to it)."""
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML: {exc}") from exc
    entry = entry_from_dict(data, str(p))
    if isinstance(entry.model, str) and not Path(entry.model).is_absolute():
        entry.model = str(p.parent / entry.model)
    return entry
