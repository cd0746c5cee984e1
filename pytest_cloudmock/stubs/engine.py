"""The stub engine: a `Service` that serves a catalog `Entry`.

It works on the params the protocol codecs parse and returns the dicts they
serialize (it never sees the wire): required-field validation, identifiers
(client-supplied or generated in AWS's format), the service's own not-found and
already-exists errors, pagination, ARNs, timestamps, tags, and a `Store`
partitioned by account and region.
"""

from __future__ import annotations

import copy
import logging
from functools import cached_property
from typing import Any

from botocore.model import ServiceModel, Shape

from ..api import Action, AWSError, RequestContext, Response, ServiceProfile
from ..models import register_model, service_model
from ..paging import offset_page
from ..services.base import not_implemented
from ..store import Store
from ..validation import ValidationPolicy, validate
from ..validation.errors import error_for
from .entry import CREATE, CUSTOM, Entry, ResourceType
from .ids import render
from .plan import Plan, Planner, tag_members
from .records import Filler, Record, StubState, find
from .shapes import MISSING, is_tags, norm, tag_keys_from, tags_from, tags_to

log = logging.getLogger("pytest_cloudmock")
DEFAULT_PAGE = 100
# Stubs leave the models' regex patterns unchecked: they serve placeholder identifiers
# (catalog examples, generated values), and a few model patterns are narrower than the
# service (IVS's ARN pattern allows one letter of resource type).
_POLICY = ValidationPolicy(skip=frozenset({"pattern"}))
_QUERY_POLICY = ValidationPolicy(error_code="MissingParameter", skip=_POLICY.skip)
_NOT_FIELDS = {"clienttoken", "idempotencytoken", "dryrun", "catalogid"}


def _get(params: dict[str, Any], path: tuple[str, ...] | None) -> Any:
    value: Any = params
    for part in path or ():
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class StubService:
    """Serves one entry. `overrides` maps operation names to a fixed dict or a callable."""

    def __init__(self, entry: Entry, store: Store[StubState] | None = None,
                 overrides: dict[str, Any] | None = None) -> None:
        self.entry = entry
        self.name = entry.service
        self.store: Store[StubState] = store or Store(StubState, global_=entry.global_)
        self.overrides = dict(overrides or {})
        self._plans: dict[str, Plan] = {}
        self._warned = False

    def with_overrides(self, overrides: dict[str, Any]) -> StubService:
        """A copy answering some actions differently, sharing this one's state."""
        return StubService(self.entry, self.store, {**self.overrides, **overrides})

    # -- the Service protocol ------------------------------------------------------------------
    @cached_property
    def profile(self) -> ServiceProfile:
        """Wire names and model from the entry (a custom model registers on first use)."""
        return ServiceProfile(
            kind="stub",
            validation=ValidationPolicy(enabled=False),  # `_validate`: after overrides, per protocol
            protocol=self.entry.protocol or "",
            target_prefix=self.entry.target_prefix or "",
            signing_name=self.entry.signing_name or "",
            model=self.service_model if self.entry.model is not None else None,
        )

    @cached_property
    def service_model(self) -> ServiceModel | None:
        """The botocore model the codecs use: the entry's own file, botocore's, or none."""
        if self.entry.model is not None:
            return register_model(self.name, self.entry.model)
        try:
            return service_model(self.name)
        except KeyError:
            return None

    def actions(self) -> list[Action]:
        prefix = self.entry.signing_name or self.name
        model = self.service_model
        return [
            Action(op, model.operation_model(op).http.get("method", "POST") if model else "POST",
                   f"{prefix}:{op}")
            for op in self.entry.actions
        ]

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.store.reset()

    def handle_request(self, ctx: RequestContext) -> dict[str, Any] | Response:
        op = ctx.operation
        override = self.overrides.get(op)
        spec = self.entry.actions.get(op)
        if override is None and spec is not None:
            override = spec.response
        if override is not None:
            return override(ctx) if callable(override) else copy.deepcopy(override)
        if spec is None or spec.kind == CUSTOM:
            raise not_implemented(self.name, op)
        if self.entry.inferred and not self._warned:
            self._warned = True
            log.warning("cloudmock: %s is served by a stub INFERRED from its botocore model", self.name)
        plan = self.plan(op)
        self._validate(plan, ctx.params)
        return getattr(self, "_" + plan.kind.replace("-", "_"))(plan, ctx)

    # -- planning ---------------------------------------------------------------------------
    @cached_property
    def _planner(self) -> Planner:
        return Planner(self.entry, self.service_model)

    def plan(self, operation: str) -> Plan:
        """How `operation` is served (worked out once)."""
        plan = self._plans.get(operation)
        if plan is None:
            plan = self._plans[operation] = self._planner.plan(self.entry.actions[operation])
        return plan

    # -- validation -------------------------------------------------------------------------
    def _validate(self, plan: Plan, params: dict[str, Any]) -> None:
        """The model's checks (by the shared validator), or a model-less entry's required fields.

        Old query services (RDS, ElastiCache, ...) answer `MissingParameter` /
        `InvalidParameterValue`; the Coral-based ones that stubs serve over query are few.
        """
        protocol = self._planner.protocol
        policy = _QUERY_POLICY if protocol in ("query", "ec2") else _POLICY
        if plan.op is not None:
            validate(params, plan.op, protocol, policy)
            return
        missing = [("required", (None, f.name), None, f.name)
                   for f in plan.spec.required if params.get(f.name) in (None, "")]
        if missing:
            raise error_for(missing, policy.error_code or "ValidationException", protocol)

    # -- helpers ------------------------------------------------------------------------------
    def _state(self, ctx: RequestContext) -> StubState:
        return self.store.for_ctx(ctx)

    def _rtype(self, plan: Plan) -> ResourceType:
        if plan.rtype is None:
            raise AWSError("InternalFailure", f"{plan.spec.name}: the stub entry names no resource type", 500)
        return plan.rtype

    def _lookup(self, plan: Plan, ctx: RequestContext, key: Any) -> Record:
        rtype = self._rtype(plan)
        record = find(self._state(ctx).table(rtype.name), key)
        if record is None:
            raise plan.not_found.error(f"{rtype.name} {key} not found" if key else
                                       f"{rtype.name} identifier is missing")
        return record

    def _fields(self, plan: Plan, params: dict[str, Any]) -> dict[str, Any]:
        source = _get(params, plan.fields_path) if plan.fields_path else params
        fields = {
            k: copy.deepcopy(v) for k, v in (source or {}).items()
            if not is_tags(k) and norm(k) not in _NOT_FIELDS
        }
        if plan.paging:
            for name in (plan.paging.token_in, plan.paging.limit):
                fields.pop(name or "", None)
        if plan.id_path and len(plan.id_path) == 1 and not plan.fields_path:
            fields.pop(plan.id_path[0], None)
        if plan.fields_path and source:  # keep the container too: outputs often echo it whole
            fields[plan.fields_path[-1]] = copy.deepcopy(source)
        return fields

    def _tags_in(self, params: dict[str, Any], plan: Plan) -> dict[str, str]:
        tags: dict[str, str] = {}
        for source in (params, _get(params, plan.fields_path) if plan.fields_path else None):
            for key, value in (source or {}).items():
                if is_tags(key):
                    tags.update(tags_from(value))
        return tags

    def _output(self, plan: Plan, record: Record) -> dict[str, Any]:
        rtype = self._rtype(plan)
        if plan.op is None:
            return self._modelless(plan, record, rtype)
        shape = plan.op.output_shape
        if shape is None:
            return {}
        filler = Filler(record, rtype)
        if plan.spec.output and plan.spec.output in shape.members:
            member = shape.members[plan.spec.output]
            if member.type_name == "list":
                return {plan.spec.output: [filler.item(member.member, plan.spec.output)]}
            return {plan.spec.output: filler.fill(member, 1)}
        out = filler.fill(shape)
        if plan.items and plan.items in shape.members:
            member = shape.members[plan.items].member
            out[plan.items] = [filler.item(member, plan.items)]
        return out

    @staticmethod
    def _modelless(plan: Plan, record: Record, rtype: ResourceType) -> dict[str, Any]:
        declared = [f.name for f in (plan.spec.output_fields if plan.kind == CREATE else rtype.fields)]
        out = {rtype.id_field: record.id}
        out.update({name: record.fields[name] for name in declared if name in record.fields})
        if record.arn and plan.kind != CREATE:
            out["Arn"] = record.arn
        if record.tags and plan.kind != CREATE:
            out["Tags"] = dict(record.tags)
        return out

    # -- the kinds of action ------------------------------------------------------------------
    def _create(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        rtype = self._rtype(plan)
        params = ctx.params
        fields = self._fields(plan, params)
        supplied = _get(params, plan.id_path) if plan.id_path else None
        base = {"partition": ctx.partition, "region": ctx.region, "account": ctx.account_id, **fields}
        ident = str(supplied) if supplied not in (None, "") else render(rtype.id_format, base)
        unique = rtype.unique or (rtype.id_field if supplied not in (None, "") else None)
        now = ctx.clock.utcnow()
        with self.store.lock:
            table = self._state(ctx).table(rtype.name)
            if unique:
                value = ident if unique == rtype.id_field else _get(fields, tuple(unique.split(".")))
                same = table.get(ident) if unique == rtype.id_field else next(
                    (r for r in table.values() if _get(r.fields, tuple(unique.split("."))) == value), None
                )
                if value is not None and same is not None:
                    if rtype.idempotent:
                        return self._output(plan, same)
                    raise plan.already_exists.error(f"{rtype.name} {value} already exists")
            for key, default in rtype.defaults.items():
                fields.setdefault(key, render(default, base) if isinstance(default, str) else copy.deepcopy(default))
            arn = render(rtype.arn, {**base, "id": ident}) if rtype.arn else ""
            record = Record(rtype.name, ident, arn, fields, self._tags_in(params, plan), now, now)
            table[ident] = record
        return self._output(plan, record)

    def _describe(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        key = _get(ctx.params, plan.id_path) if plan.id_path else None
        if plan.items is None and not isinstance(key, list):
            return self._output(plan, self._lookup(plan, ctx, key))
        if key in (None, []):
            return self._list(plan, ctx)
        keys = key if isinstance(key, list) else [key]
        table = self._state(ctx).table(self._rtype(plan).name)
        records = []
        for one in keys:
            record = find(table, one)
            if record is not None:
                records.append(record)
            elif plan.not_found.modelled or not isinstance(key, list):
                raise plan.not_found.error(f"{self._rtype(plan).name} {one} not found")
        return self._page(plan, ctx.params, records)

    def _list(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        table = self._state(ctx).table(self._rtype(plan).name)
        return self._page(plan, ctx.params, list(table.values()))

    def _page(self, plan: Plan, params: dict[str, Any], records: list[Record]) -> dict[str, Any]:
        paging = plan.paging
        rtype = self._rtype(plan)
        token, size = None, DEFAULT_PAGE
        if paging:
            token = params.get(paging.token_in) if paging.token_in else None
            limit = params.get(paging.limit) if paging.limit else None
            if limit not in (None, ""):
                size = max(_page_size(limit, plan), 1)
        page, next_token = offset_page(
            records, str(token) if token not in (None, "") else None, size,
            bad_token=lambda: _bad_token(token, plan), scope=f"{self.name}:{rtype.name}",
        )
        rest = next_token is not None
        out: dict[str, Any] = {}
        if plan.op is None:
            out[plan.items or rtype.name + "s"] = [self._modelless(plan, r, rtype) for r in page]
        elif plan.items:
            items = shape_at(plan.op.output_shape, plan.items)
            if items is not None and items.type_name == "list":
                leaf = plan.items.rsplit(".", 1)[-1]
                set_path(out, plan.items, [Filler(r, rtype).item(items.member, leaf) for r in page])
                parent = shape_at(plan.op.output_shape, plan.items.rpartition(".")[0])
                if parent is not None and "Quantity" in parent.members:  # CloudFront lists
                    set_path(out, plan.items.rpartition(".")[0] + ".Quantity", len(page))
        if paging and rest and paging.token_out:
            set_path(out, paging.token_out, next_token)
        if paging and paging.more:
            set_path(out, paging.more, rest)
        if paging and paging.limit and plan.op is not None:  # Route 53 and CloudFront echo MaxItems
            where = (plan.items or "").rpartition(".")[0]
            path = f"{where}.{paging.limit}" if where else paging.limit
            echo = shape_at(plan.op.output_shape, path)
            if echo is not None:
                set_path(out, path, str(size) if echo.type_name == "string" else size)
        return out

    def _update(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._lookup(plan, ctx, _get(ctx.params, plan.id_path) if plan.id_path else None)
        rtype = self._rtype(plan)
        keep = {rtype.id_field.rsplit(".", 1)[-1], rtype.unique or ""}  # an update never renames
        changes = {k: v for k, v in self._fields(plan, ctx.params).items() if k not in keep}
        with self.store.lock:
            record.fields.update(changes)
            record.tags.update(self._tags_in(ctx.params, plan))
            record.updated = ctx.clock.utcnow()
        return self._output(plan, record)

    def _delete(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._lookup(plan, ctx, _get(ctx.params, plan.id_path) if plan.id_path else None)
        with self.store.lock:
            self._state(ctx).table(record.rtype).pop(record.id, None)
        return self._output(plan, record)

    # -- tags ---------------------------------------------------------------------------------------
    def _tagged(self, plan: Plan, ctx: RequestContext) -> Record:
        """The resource a tagging action names (by ARN or id, any resource type)."""
        tags_name, keys_name = tag_members(plan.op.input_shape if plan.op else None)
        candidates = [v for k, v in ctx.params.items() if k not in (tags_name, keys_name)]
        candidates += [x for v in candidates if isinstance(v, list) for x in v]
        state = self._state(ctx)
        for table in tuple(state.resources.values()):
            for key in candidates:
                record = find(table, key)
                if record is not None:
                    return record
        named = next((c for c in candidates if isinstance(c, str)), "")
        raise plan.not_found.error(f"Resource {named} not found")

    def _tag(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._tagged(plan, ctx)
        tags_name, keys_name = tag_members(plan.op.input_shape if plan.op else None)
        with self.store.lock:
            record.tags.update(tags_from(ctx.params.get(tags_name or "Tags") or {}))
            for key in tag_keys_from(ctx.params.get(keys_name or "TagKeys") or []):
                record.tags.pop(key, None)
        return {}

    def _untag(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._tagged(plan, ctx)
        tags_name, keys_name = tag_members(plan.op.input_shape if plan.op else None)
        with self.store.lock:
            for key in tag_keys_from(ctx.params.get(keys_name or tags_name or "TagKeys") or []):
                record.tags.pop(key, None)
        return {}

    def _list_tags(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._tagged(plan, ctx)
        shape = plan.op.output_shape if plan.op else None
        if shape is None:
            return {"Tags": dict(record.tags)}
        rtype = next((r for r in self.entry.resource_types.values() if r.name == record.rtype), None)
        return _tags_output(shape, record, rtype)


def _tags_output(shape: Shape, record: Record, rtype: ResourceType | None) -> dict[str, Any]:
    """Tags written into a list-tags output: directly, one structure down, or (ELB's
    `TagDescriptions`) as a list of one structure naming the resource."""
    for name, member in shape.members.items():
        if is_tags(name):
            value = tags_to(record.tags, member)
            if value is not MISSING:
                return {name: value}
    for name, member in shape.members.items():
        if member.type_name == "structure":
            inner = _tags_output(member, record, rtype)
            if inner:
                named = Filler(record, rtype).fill(member, 2) if rtype else {}
                return {name: {**named, **inner}}
        elif member.type_name == "list" and member.member.type_name == "structure" and rtype:
            item = _tags_output(member.member, record, rtype)
            if item:
                return {name: [{**Filler(record, rtype).fill(member.member, 2), **item}]}
    return {}


def shape_at(shape: Shape | None, path: str) -> Shape | None:
    """The member shape at a dotted path (`A.B`), or None."""
    for part in path.split(".") if path else []:
        if shape is None or shape.type_name != "structure" or part not in shape.members:
            return None
        shape = shape.members[part]
    return shape


def set_path(out: dict[str, Any], path: str, value: Any) -> None:
    """`out["A"]["B"] = value` for `path` `A.B`."""
    *parents, leaf = path.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[leaf] = value


def _page_size(limit: Any, plan: Plan) -> int:
    """A page size: some models type it as a string (Route 53's `maxitems`); not a number is
    the operation's own validation error (e.g. Route 53 `InvalidInput`)."""
    try:
        return int(limit)
    except (TypeError, ValueError):
        names = [s.name for s in plan.op.error_shapes] if plan.op else []
        code = next((n for n in ("InvalidInput", "InvalidParameterValue", "InvalidParameterException",
                                 "InvalidArgument") if n in names), "ValidationException")
        # AWS's exact wording for a non-numeric page size is not documented.
        raise AWSError(code, f"Invalid value for the page size: {limit!r} is not an integer") from None


def _bad_token(token: Any, plan: Plan) -> AWSError:
    """The operation's own invalid-token error (a modelled `...Token...` error), else a validation one."""
    names = [s.name for s in plan.op.error_shapes] if plan.op else []
    code = next((n for n in names if "token" in n.lower()), "ValidationException")
    return AWSError(code, f"Invalid pagination token {token!r}")


__all__ = ["StubService"]
