"""How the engine serves one operation, worked out once from the entry and the model.

For each action: where the identifier travels in the input, which input
structure holds the resource's fields, the output member the resource (or the
list of resources) goes in, the pagination names (from botocore's paginator
config, else the usual member names), and the service's own not-found and
already-exists errors (from the operation's error shapes, else the service's).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from .entry import (
    CREATE,
    DELETE,
    DESCRIBE,
    GET,
    LIST,
    RESOURCE_KINDS,
    UNSET,
    ActionSpec,
    Entry,
    ResourceType,
)
from .records import wrapper_names
from .shapes import UNTAG_NAMES, is_tags, loose_members, norm

_NOT_FOUND = ("notfound", "nosuch", "doesnotexist", "notexist", "nonexistent")
_EXISTS = ("alreadyexist", "exists", "duplicate", "conflict", "inuse", "alreadyowned")
_TOKENS_IN = ("nexttoken", "marker", "paginationtoken", "nextmarker", "startingtoken")
_TOKENS_OUT = ("nexttoken", "nextmarker", "marker", "paginationtoken")
_LIMITS = ("maxresults", "maxrecords", "maxitems", "limit", "pagesize")
_IN_USE = ("inuse", "notempty", "contains", "dependency", "dependent", "conflict", "invalidstate")
_FAILURES = ("failures", "failed", "notfound", "unprocessed", "errors", "missing", "invalid")


@dataclass(frozen=True)
class ErrorSpec:
    """An AWS error as the service sends it."""

    code: str
    status: int = 400
    modelled: bool = False

    def error(self, message: str) -> AWSError:
        return AWSError(self.code, message, self.status)


@dataclass(frozen=True)
class Paging:
    """Pagination member names of one operation."""

    token_in: str | None
    token_out: str | None
    limit: str | None
    more: str | None = None


@dataclass(frozen=True)
class PageForm:
    """Where a page of records goes in a list or describe output."""

    items: str | None  # the dotted path of the items list (None: the output has no list to fill)
    item: Shape | None  # the shape of one item
    quantity: str | None  # CloudFront lists: `<where>.Quantity`, the page's length
    echo_limit: str | None  # Route 53 and CloudFront echo the page size (`MaxItems`) here
    echo_as_text: bool  # ... as a string


@dataclass
class Plan:
    """Everything the engine needs to answer one action."""

    spec: ActionSpec
    rtype: ResourceType | None
    op: OperationModel | None
    id_path: tuple[str, ...] | None
    fields_path: tuple[str, ...]
    items: str | None
    paging: Paging | None
    not_found: ErrorSpec
    already_exists: ErrorSpec
    in_use: ErrorSpec | None = None  # deleting a parent with children
    parent_not_found: ErrorSpec | None = None
    failures: str | None = None  # the output list of per-item failures (batch operations)
    setting_missing: ErrorSpec | None = None  # a get/unset of a setting never put

    @property
    def kind(self) -> str:
        return self.spec.kind

    @cached_property
    def method(self) -> str:
        """The engine's method serving this kind of action (`_create`, `_list_tags`...)."""
        return "_" + self.spec.kind.replace("-", "_")

    @cached_property
    def unstored(self) -> frozenset[str]:
        """Input members a create or update never stores: the page token and size, and the
        identifier where it travels on its own (it is the record's id)."""
        names = {self.paging.token_in, self.paging.limit} if self.paging else set()
        if self.id_path and len(self.id_path) == 1 and not self.fields_path:
            names.add(self.id_path[0])
        return frozenset(n for n in names if n)

    @cached_property
    def page_form(self) -> PageForm:
        """Where this action's page of records goes in its output (worked out once)."""
        output = self.op.output_shape if self.op is not None else None
        items = shape_at(output, _dotted(self.items)) if self.items and output is not None else None
        is_list = items is not None and items.type_name == "list"
        where = (self.items or "").rpartition(".")[0]
        parent = shape_at(output, _dotted(where)) if is_list else None
        limit = self.paging.limit if self.paging else None
        echo = (f"{where}.{limit}" if where else limit) if limit else None
        echoed = shape_at(output, _dotted(echo)) if echo and output is not None else None
        return PageForm(
            items=self.items if is_list else None,
            item=items.member if is_list else None,  # type: ignore[union-attr]
            quantity=f"{where}.Quantity" if parent is not None and "Quantity" in parent.members else None,
            echo_limit=echo if echoed is not None else None,
            echo_as_text=echoed is not None and echoed.type_name == "string",
        )


@cache
def _paginators(service: str) -> dict[str, Any]:
    from botocore.loaders import create_loader

    try:
        return create_loader().load_service_model(service, "paginators-1")["pagination"]
    except Exception:  # no paginator config for this service
        return {}


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _member(shape: Shape | None, names: tuple[str, ...] | set[str]) -> str | None:
    """The first member of `shape` whose loose name is in `names` (in `names` order)."""
    if shape is None:
        return None
    loose = loose_members(shape)
    for name in names:
        if name in loose:
            return loose[name]
    return None


def error_spec(shape: Shape, protocol: str, modelled: bool = True) -> ErrorSpec:
    """The wire code and status of an error shape (`modelled`: the operation lists it)."""
    meta = shape.metadata.get("error", {})
    code = meta.get("code", shape.name) if protocol in ("query", "ec2") else shape.name
    return ErrorSpec(code, int(meta.get("httpStatusCode", 400)), modelled)


class Planner:
    """Makes `Plan`s for one entry against one (optional) service model."""

    def __init__(self, entry: Entry, model: ServiceModel | None,
                 rtypes: dict[str, ResourceType] | None = None) -> None:
        self.entry = entry
        self.model = model
        self.rtypes = rtypes if rtypes is not None else entry.resource_types
        self.protocol = (model.metadata.get("protocol") if model else None) or entry.protocol or "json"

    def plan(self, spec: ActionSpec) -> Plan:
        rtype = self.rtypes.get(spec.resource) if spec.resource else None
        if (rtype is None and spec.kind in RESOURCE_KINDS and not spec.auto
                and len(self.entry.resource_types) == 1):
            rtype = next(iter(self.entry.resource_types.values()))
        op = self.model.operation_model(spec.name) if self.model else None
        fields_path = self._fields_path(spec, rtype, op)
        parent = self.rtypes.get(rtype.parent) if rtype and rtype.parent else None
        return Plan(
            spec=spec,
            rtype=rtype,
            op=op,
            id_path=self._id_path(spec, rtype, op, fields_path),
            fields_path=fields_path,
            items=self._items(spec, rtype, op),
            paging=self._paging(spec, op),
            not_found=self._error(spec.not_found, op, rtype, _NOT_FOUND, "ResourceNotFoundException", 404),
            already_exists=self._error(spec.already_exists, op, rtype, _EXISTS,
                                       "ResourceAlreadyExistsException", 409),
            in_use=self._error(None, op, rtype, _IN_USE, "ResourceInUseException", 409)
            if spec.kind == DELETE else None,
            parent_not_found=self._error(None, op, parent, _NOT_FOUND, "ResourceNotFoundException", 404)
            if parent else None,
            failures=_failures(op.output_shape) if op is not None else None,
            setting_missing=self._setting_missing(spec, op),
        )

    def _setting_missing(self, spec: ActionSpec, op: OperationModel | None) -> ErrorSpec | None:
        """The not-found error of a setting (`RepositoryPolicyNotFoundException`), if the model has one."""
        if spec.kind not in (GET, UNSET) or op is None or not spec.setting:
            return None
        base = norm(spec.setting)
        for shape in op.error_shapes:
            name = norm(shape.name)
            if base in name and any(w in name for w in _NOT_FOUND):
                return error_spec(shape, self.protocol)
        return None

    # -- input -----------------------------------------------------------------------------
    def _fields_path(self, spec: ActionSpec, rtype: ResourceType | None, op: OperationModel | None) -> tuple[str, ...]:
        if spec.input:
            return tuple(spec.input.split("."))
        if op is None or rtype is None:
            return ()
        create = self.entry.action(CREATE, spec.resource)
        if create and create.input and op.input_shape and create.input.split(".")[0] in op.input_shape.members:
            return tuple(create.input.split("."))
        return ()

    def _id_path(self, spec: ActionSpec, rtype: ResourceType | None, op: OperationModel | None,
                 fields_path: tuple[str, ...]) -> tuple[str, ...] | None:
        if rtype is None or spec.kind == LIST:
            return None
        if spec.auto and spec.kind == CREATE and op is not None:  # a `Start`/`Run`: the id is made
            where = shape_at(op.input_shape, fields_path)
            found = _member(where, (norm(rtype.id_field),))
            return (*fields_path, found) if found else None
        if spec.id_param:
            path = tuple(spec.id_param.split("."))
            if op is None or self._has_path(op.input_shape, path):
                return path
            return None
        leaf = rtype.id_field.rsplit(".", 1)[-1]
        if op is None:  # model-less: the id travels under its own name (a create may omit it)
            return (leaf,)
        if spec.kind == CREATE:
            where = shape_at(op.input_shape, fields_path)
            found = _member(where, (norm(leaf),))
            return (*fields_path, found) if found else None
        base = norm(rtype.name)
        names = [norm(leaf), norm(leaf) + "s"]
        for suffix in ("name", "id", "identifier", "arn", ""):
            names += [base + suffix, base + suffix + "s"]
        names += ["name", "id", "arn", "resourcearn", "identifier"]
        found = _member(op.input_shape, tuple(dict.fromkeys(names)))
        return (found,) if found else None

    def _has_path(self, shape: Shape | None, path: tuple[str, ...]) -> bool:
        return shape_at(shape, path) is not None

    # -- output ----------------------------------------------------------------------------
    def _items(self, spec: ActionSpec, rtype: ResourceType | None, op: OperationModel | None) -> str | None:
        """The output list member of a list (or plural describe) action."""
        if spec.kind not in (LIST, DESCRIBE) or rtype is None:
            return None
        if op is None:
            return spec.output or (rtype.name + "s" if spec.kind == LIST else None)
        shape = op.output_shape
        if spec.output:
            target = shape_at(shape, tuple(spec.output.split(".")))
            return spec.output if target is not None and target.type_name == "list" else None
        key = _first(_paginators(self.entry.service).get(spec.name, {}).get("result_key"))
        if key and self._has_path(shape, tuple(key.split("."))):
            return key
        lists = {n: m for n, m in (shape.members.items() if shape else []) if m.type_name == "list"}
        base = norm(rtype.name)
        plurals = {base + s for s in ("s", "es", "list", "infolist", "summaries", "details",
                                      "descriptions", "statuslist", "arns", "names", "ids")}
        plurals.add(base[:-1] + "ies")
        wrappers = wrapper_names(rtype)
        for name, member in lists.items():
            if norm(name) in plurals or norm(member.member.name) in wrappers:
                return name
        return next(iter(lists), None) if spec.kind == LIST else None

    def _paging(self, spec: ActionSpec, op: OperationModel | None) -> Paging | None:
        if spec.kind not in (LIST, DESCRIBE):
            return None
        config = _paginators(self.entry.service).get(spec.name)
        if config:
            return Paging(_first(config.get("input_token")), _first(config.get("output_token")),
                          config.get("limit_key"), config.get("more_results"))
        if op is None:
            return Paging("NextToken", "NextToken", "MaxResults")
        token_in = _member(op.input_shape, _TOKENS_IN)
        token_out = _member(op.output_shape, _TOKENS_OUT)
        limit = _member(op.input_shape, _LIMITS)
        return Paging(token_in, token_out, limit) if (token_in or limit) else None

    # -- errors ----------------------------------------------------------------------------
    def _error(self, override: str | None, op: OperationModel | None, rtype: ResourceType | None,
               words: tuple[str, ...], default: str, default_status: int) -> ErrorSpec:
        shapes = self.error_shapes
        if override:
            shape = shapes.get(override)
            return error_spec(shape, self.protocol) if shape else ErrorSpec(override, 400, True)
        base = norm(rtype.name) if rtype else ""
        own = {s.name for s in (op.error_shapes if op else [])}

        def rank(shape: Shape) -> tuple[bool, bool, int]:
            name = norm(shape.name)
            return (not (base and base in name), shape.name not in own,
                    next(i for i, w in enumerate(words) if w in name))

        # The resource's own error first (`ServiceNotFoundException` for an ECS service, even
        # where the operation lists only `ClusterNotFoundException`), then the operation's.
        pool = [*(op.error_shapes if op else []), *(s for s in shapes.values() if s.name not in own)]
        matching = [s for s in pool if any(w in norm(s.name) for w in words) and "notinuse" not in norm(s.name)]
        named = [s for s in matching if base and base in norm(s.name)]
        if named or any(s.name in own for s in matching):
            best = min(named or [s for s in matching if s.name in own], key=rank)
            return error_spec(best, self.protocol, best.name in own)
        if matching:
            return error_spec(min(matching, key=rank), self.protocol, False)
        if self.model is not None and self.protocol in ("query", "ec2"):
            return ErrorSpec(default.removesuffix("Exception"), 400)
        return ErrorSpec(default, default_status if self.model is None else 400)

    def not_found_of(self, op: OperationModel | None, rtype: ResourceType) -> ErrorSpec:
        """The not-found error of `rtype` as `op` reports it."""
        return self._error(None, op, rtype, _NOT_FOUND, "ResourceNotFoundException", 404)

    @cached_property
    def error_shapes(self) -> dict[str, Shape]:
        if self.model is None:
            return {}
        return {s.name: s for s in self.model.error_shapes}


def shape_at(shape: Shape | None, path: tuple[str, ...]) -> Shape | None:
    """The member shape at a path of member names (the shape itself for `()`), or None."""
    for part in path:
        if shape is None or shape.type_name != "structure" or part not in shape.members:
            return None
        shape = shape.members[part]
    return shape


def _dotted(path: str) -> tuple[str, ...]:
    """`A.B` as `("A", "B")` (`""` as `()`)."""
    return tuple(path.split(".")) if path else ()


def _failures(shape: Shape | None) -> str | None:
    """The output list of per-item failures of a batch operation (`failures`, `UnprocessedKeys`...)."""
    for name, member in (shape.members.items() if shape is not None else ()):
        if member.type_name == "list" and any(w in norm(name) for w in _FAILURES):
            return name
    return None


def tag_members(shape: Shape | None) -> tuple[str | None, str | None]:
    """The (tags, tag keys) members of a tagging operation's input."""
    if shape is None:
        return None, None
    tags = next((n for n in shape.members if is_tags(n)), None)
    keys = _member(shape, tuple(sorted(UNTAG_NAMES))) or next(
        (n for n, m in shape.members.items() if norm(n).endswith("tagkeys") and m.type_name == "list"), None)
    return tags, keys
