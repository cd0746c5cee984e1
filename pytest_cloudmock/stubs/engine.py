"""The stub engine: a `Service` that serves a catalog `Entry`.

It works on the params the protocol codecs parse and returns the dicts they
serialize (it never sees the wire): the model's validation, identifiers
(client-supplied or generated in AWS's format), the service's own not-found,
already-exists and in-use errors, parents and children, revisions, states on the
gateway clock, settings, links, batch operations, filters, pagination, ARNs,
timestamps, tags, and a `Store` partitioned by account and region. Every
operation of the model is answered: what the entry does not map is classified
from the model (`classify`), and every answer carries its required members
(`answers`).
"""

from __future__ import annotations

import copy
import importlib
import logging
from datetime import datetime
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
from .answers import answer, complete_required
from .entry import CREATE, CUSTOM, ActionSpec, Entry, ResourceType
from .filters import filtered, stored_status
from .ids import render
from .plan import Plan, Planner, tag_members
from .records import Filler, Record, StubState, find, record_key
from .shapes import MISSING, coerce, is_tag_value, is_tags, norm, tag_keys_from, tags_from, tags_to

log = logging.getLogger("pytest_cloudmock")
DEFAULT_PAGE = 100
# Stubs leave the models' regex patterns unchecked: they serve placeholder identifiers
# (catalog examples, generated values), and a few model patterns are narrower than the
# service (IVS's ARN pattern allows one letter of resource type).
_POLICY = ValidationPolicy(skip=frozenset({"pattern"}))
_QUERY_POLICY = ValidationPolicy(error_code="MissingParameter", skip=_POLICY.skip)
_NOT_FIELDS = {"clienttoken", "idempotencytoken", "dryrun", "catalogid"}
_IMMUTABLE = (str, int, float, bool, bytes, type(None))  # stored as they come: no copy needed


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
        self.store: Store[StubState] = store if store is not None else Store(StubState, global_=entry.global_)
        self.overrides = dict(overrides or {})
        self._plans: dict[str, Plan] = {}
        self._type_keys: dict[str, str] = {}
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
        names = list(dict.fromkeys([*self.entry.actions, *(model.operation_names if model else [])]))
        return [
            Action(op, model.operation_model(op).http.get("method", "POST") if model and op in
                   model.operation_names else "POST", f"{prefix}:{op}")
            for op in names
        ]

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.store.reset()

    def handle_request(self, ctx: RequestContext) -> dict[str, Any] | Response:
        op = ctx.operation
        override = self.overrides.get(op)
        spec = self.spec(op)
        if override is None and spec is not None:
            override = spec.response
        if override is not None:
            return override(ctx) if callable(override) else copy.deepcopy(override)
        if spec is None or (spec.kind == CUSTOM and not spec.handler):
            raise not_implemented(self.name, op)
        if self.entry.inferred and not self._warned:
            self._warned = True
            log.warning("cloudmock: %s is served by a stub INFERRED from its botocore model", self.name)
        plan = self.plan(op)
        self._validate(plan, ctx.params)
        if ctx.params.get("DryRun") is True and self._planner.protocol == "ec2":  # permitted (IAM ran first)
            raise AWSError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)
        if spec.handler:
            out = _custom(spec.handler)(self, ctx)
        else:
            out = getattr(self, plan.method)(plan, ctx)
        if plan.op is not None and isinstance(out, dict):
            complete_required(out, plan.op.output_shape, lambda: self._values(ctx))
        return out

    # -- planning ---------------------------------------------------------------------------
    @cached_property
    def _completion(self) -> tuple[dict[str, ResourceType], dict[str, ActionSpec]]:
        """The model's operations the entry leaves, classified (worked out on first use)."""
        if self.service_model is None:
            return {}, {}
        from .classify import complete

        return complete(self.entry, self.service_model)

    @cached_property
    def rtypes(self) -> dict[str, ResourceType]:
        """The entry's resource types and the automatic ones, by key."""
        return {**self._completion[0], **self.entry.resource_types}

    def spec(self, operation: str) -> ActionSpec | None:
        """How the entry (or, failing it, the model's classification) serves `operation`."""
        return self.entry.actions.get(operation) or self._completion[1].get(operation)

    @cached_property
    def _planner(self) -> Planner:
        return Planner(self.entry, self.service_model, self.rtypes)

    def plan(self, operation: str) -> Plan:
        """How `operation` is served (worked out once)."""
        plan = self._plans.get(operation)
        if plan is None:
            spec = self.spec(operation)
            if spec is None:
                raise KeyError(operation)
            plan = self._plans[operation] = self._planner.plan(spec)
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

    def _values(self, ctx: RequestContext) -> dict[str, Any]:
        return {"partition": ctx.partition, "region": ctx.region, "account": ctx.account_id,
                "service": self.entry.signing_name or self.name, "now": ctx.clock.utcnow()}

    @staticmethod
    def message(rtype: ResourceType, kind: str, ident: Any, ctx: RequestContext) -> str:
        """The `not_found`/`already_exists` message: AWS's where the entry gives it (`messages:`),
        else ours (AWS wording unknown)."""
        template = rtype.messages.get(kind)
        if template is None:
            return f"{rtype.name} {ident} {'not found' if kind == 'not_found' else 'already exists'}"
        return render(template, {"id": ident, "partition": ctx.partition, "region": ctx.region,
                                 "account": ctx.account_id})

    def _rtype(self, plan: Plan) -> ResourceType:
        if plan.rtype is None:
            raise AWSError("InternalFailure", f"{plan.spec.name}: the stub entry names no resource type", 500)
        return plan.rtype

    def _parent_key(self, rtype: ResourceType, ctx: RequestContext, plan: Plan, required: bool) -> str | None:
        """The table key of the parent a request names (None: no parent named, or none needed)."""
        if rtype.parent is None or rtype.parent_id is None:
            return None
        value = _param(ctx.params, rtype.parent_id) or rtype.parent_default
        if value in (None, ""):
            if required:
                raise (plan.parent_not_found or plan.not_found).error(  # our wording: AWS's is unknown
                    f"{rtype.parent_id} is required to name the {self.rtypes[rtype.parent].name}")
            return None
        parent = self.rtypes[rtype.parent]
        record = find(self._state(ctx).table(parent.name), value,
                      self._parent_key(parent, ctx, plan, False))
        if record is None:
            raise (plan.parent_not_found or plan.not_found).error(self.message(parent, "not_found", value, ctx))
        return record_key(record.id, record.parent)

    def _key(self, plan: Plan, ctx: RequestContext) -> Any:
        """The identifier (or, for a batch operation, the list of them) a request names."""
        value = _get(ctx.params, plan.id_path) if plan.id_path else None
        return _ident(plan.rtype, value) if plan.rtype is not None else value

    def _lookup(self, plan: Plan, ctx: RequestContext, key: Any) -> Record:
        rtype = self._rtype(plan)
        parent = self._parent_key(rtype, ctx, plan, False)
        record = _find(rtype, self._state(ctx).table(rtype.name), key, parent)
        if record is None:
            raise plan.not_found.error(self.message(rtype, "not_found", key, ctx) if key else
                                       f"{rtype.name} identifier is missing")
        return record

    def _fields(self, plan: Plan, params: dict[str, Any]) -> dict[str, Any]:
        source = _get(params, plan.fields_path) if plan.fields_path else params
        unstored = plan.unstored
        fields = {
            k: v if v.__class__ in _IMMUTABLE else copy.deepcopy(v) for k, v in (source or {}).items()
            if k not in unstored and not (is_tags(k) and is_tag_value(v)) and norm(k) not in _NOT_FIELDS
        }
        if plan.fields_path and source:  # keep the container too: outputs often echo it whole
            fields[plan.fields_path[-1]] = copy.deepcopy(source)
        return fields

    def _tags_in(self, params: dict[str, Any], plan: Plan) -> dict[str, str]:
        tags: dict[str, str] = {}
        for source in (params, _get(params, plan.fields_path) if plan.fields_path else None):
            for key, value in (source or {}).items():
                if is_tags(key) and is_tag_value(value):
                    tags.update(tags_from(value))
        return tags

    @staticmethod
    def state_of(rtype: ResourceType, record: Record, now: datetime) -> str | None:
        """The lifecycle state of a record now (None: the type has no states)."""
        if record.stopped is not None:
            return rtype.stopped or (rtype.states[-1] if rtype.states else None)
        states = rtype.start_states if record.since is not None and rtype.start_states else rtype.states
        if not states:
            return None
        if not rtype.state_seconds:
            return states[-1]
        elapsed = (now - (record.since or record.created)).total_seconds()
        return states[min(int(elapsed // rtype.state_seconds), len(states) - 1)]

    def _filler(self, record: Record, rtype: ResourceType, ctx: RequestContext | None,
                now: datetime | None = None) -> Filler:
        """A filler of one record as a request sees it (its state, its children counted); the
        clock and the store are read only when the type has states or an output counts children."""
        if ctx is None:
            return Filler(record, rtype)
        if rtype.has_states:
            now = now or ctx.clock.utcnow()
            state = self.state_of(rtype, record, now)
        else:
            state = None

        def counts(name: str) -> int | None:
            return self._count(self._state(ctx), rtype, record, name, now or ctx.clock.utcnow())
        return Filler(record, rtype, state, counts)

    def _count(self, state: StubState, rtype: ResourceType, record: Record, name: str,
               now: datetime | None) -> int | None:
        """A count member of a parent (`TableCount`, `activeServicesCount`, `runningTasksCount`):
        its children of the type the member names, in the state its first word names, if any."""
        key = next((k for k, r in self.rtypes.items() if r is rtype), None)
        own = record_key(record.id, record.parent)
        for child in self.rtypes.values():
            if key is None or child.parent != key:
                continue
            base = norm(child.name)
            for plural in (base + "s", base + "es", base[:-1] + "ies", base):
                if not name.endswith(plural + "count"):
                    continue
                qualifier = name[: -len(plural + "count")]
                kids = [r for r in tuple(state.table(child.name).values()) if r.parent == own]
                if qualifier in ("", "registered", "total", "numberof"):
                    return len(kids)
                return sum(1 for r in kids
                           if norm((self.state_of(child, r, now) if now else None) or stored_status(r) or "") == qualifier)
        return None

    def _output(self, plan: Plan, record: Record, ctx: RequestContext | None = None) -> dict[str, Any]:
        rtype = self._rtype(plan)
        if plan.op is None:
            return self._modelless(plan, record, rtype)
        shape = plan.op.output_shape
        if shape is None:
            return {}
        filler = self._filler(record, rtype, ctx)
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
        supplied = self._key(plan, ctx)
        if isinstance(supplied, (list, dict)):
            supplied = None
        base = {"partition": ctx.partition, "region": ctx.region, "account": ctx.account_id, **fields}
        ident = str(supplied) if supplied not in (None, "") else render(rtype.id_format, base)
        unique = rtype.unique or (rtype.id_field if supplied not in (None, "") else None)
        now = ctx.clock.utcnow()
        with self.store.lock:
            parent = self._parent_key(rtype, ctx, plan, True)
            if parent is not None:
                base["parent"] = parent.rsplit("\x00", 1)[-1]
                ancestor: ResourceType | None = rtype
                while ancestor is not None and ancestor.parent_id:  # outputs name their parents
                    fields.setdefault(ancestor.parent_id, _param(params, ancestor.parent_id))
                    ancestor = self.rtypes.get(ancestor.parent or "")
            table = self._state(ctx).table(rtype.name)
            revision, stem = 0, ""
            if rtype.versioned:
                stem = ident
                revision = 1 + max((r.revision for r in table.values() if r.base == stem and r.parent == parent),
                                   default=0)
                ident = f"{stem}:{revision}"
                fields[rtype.versioned] = revision
                fields.setdefault(rtype.id_field.rsplit(".", 1)[-1], stem)
            elif unique:
                value = ident if unique == rtype.id_field else _get(fields, tuple(unique.split(".")))
                same = table.get(record_key(ident, parent)) if unique == rtype.id_field else next(
                    (r for r in table.values() if r.parent == parent
                     and _get(r.fields, tuple(unique.split("."))) == value), None
                )
                if value is not None and same is not None:
                    if rtype.idempotent:
                        return self._output(plan, same, ctx)
                    raise plan.already_exists.error(self.message(rtype, "already_exists", value, ctx))
            base["id"] = ident
            for key, default in rtype.defaults.items():
                fields.setdefault(key, _rendered(default, base))
            arn = render(rtype.arn, {**base, **fields, "id": ident}) if rtype.arn else ""  # defaults too
            record = Record(rtype.name, ident, arn, fields, self._tags_in(params, plan), now, now,
                            parent=parent, revision=revision, base=stem)
            table[record_key(ident, parent)] = record
        return self._output(plan, record, ctx)

    def _describe(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        key = self._key(plan, ctx)
        if plan.items is None and not isinstance(key, list):
            return self._output(plan, self._lookup(plan, ctx, key), ctx)
        if key in (None, []):
            return self._list(plan, ctx)
        keys = key if isinstance(key, list) else [key]
        rtype = self._rtype(plan)
        table = self._state(ctx).table(rtype.name)
        parent = self._parent_key(rtype, ctx, plan, False)
        records, missing = [], []
        for one in keys:
            record = _find(rtype, table, one, parent)
            if record is not None:
                records.append(record)
            elif plan.failures or not isinstance(key, list):
                missing.append(one)
            elif plan.not_found.modelled:
                raise plan.not_found.error(self.message(rtype, "not_found", one, ctx))
        if missing and not plan.failures:
            raise plan.not_found.error(self.message(rtype, "not_found", missing[0], ctx))
        out = self._page(plan, ctx, records)
        self._failures(plan, out, missing, ctx.params)
        return out

    def _failures(self, plan: Plan, out: dict[str, Any], missing: list[Any],
                  params: dict[str, Any] | None = None) -> None:
        """Per-item failures of a batch operation, in the output's failures list (members
        the request names, like the parent's, are echoed)."""
        if not (missing and plan.failures and plan.op is not None):
            return
        member = plan.op.output_shape.members[plan.failures]
        if member.type_name != "list":
            return
        code = plan.not_found.code
        name = plan.rtype.name if plan.rtype else "resource"
        # "Requested image not found" is ECR's text; the others' exact wording is not documented.
        items = [_failure(member.member, one, code, f"{name} {one} not found" if isinstance(one, str)
                          else f"Requested {name.lower()} not found") for one in missing]
        scalars = {k: v for k, v in (params or {}).items() if isinstance(v, str)}
        for item in items:
            if isinstance(item, dict):
                item.update({k: v for k, v in scalars.items() if k in member.member.members})
        out[plan.failures] = items

    def _list(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        rtype = self._rtype(plan)
        parent = self._parent_key(rtype, ctx, plan, False)
        records = [r for r in list(self._state(ctx).table(rtype.name).values())
                   if parent is None or r.parent == parent]
        now = ctx.clock.utcnow()
        return self._page(plan, ctx, filtered(records, ctx.params, plan, rtype, lambda r: self.state_of(rtype, r, now)))

    def _page(self, plan: Plan, ctx: RequestContext, records: list[Record]) -> dict[str, Any]:
        params = ctx.params
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
        form = plan.page_form
        if plan.op is None:
            out[plan.items or rtype.name + "s"] = [self._modelless(plan, r, rtype) for r in page]
        elif form.items:
            leaf = form.items.rsplit(".", 1)[-1]
            now = ctx.clock.utcnow() if rtype.has_states else None
            set_path(out, form.items, [self._filler(r, rtype, ctx, now).item(form.item, leaf) for r in page])
            if form.quantity:  # CloudFront lists
                set_path(out, form.quantity, len(page))
        if paging and rest and paging.token_out:
            set_path(out, paging.token_out, next_token)
        if paging and paging.more:
            set_path(out, paging.more, rest)
        if form.echo_limit:  # Route 53 and CloudFront echo MaxItems
            set_path(out, form.echo_limit, str(size) if form.echo_as_text else size)
        return out

    def _update(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._lookup(plan, ctx, self._key(plan, ctx))
        rtype = self._rtype(plan)
        keep = {rtype.id_field.rsplit(".", 1)[-1], rtype.unique or "", rtype.parent_id or ""}  # never renames
        changes = {k: v for k, v in self._fields(plan, ctx.params).items() if k not in keep}
        with self.store.lock:
            record.fields.update(changes)
            record.tags.update(self._tags_in(ctx.params, plan))
            record.updated = ctx.clock.utcnow()
        return self._output(plan, record, ctx)

    def _delete(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        key = self._key(plan, ctx)
        if isinstance(key, list):  # BatchDelete...: per-item failures
            rtype = self._rtype(plan)
            parent = self._parent_key(rtype, ctx, plan, False)
            table = self._state(ctx).table(rtype.name)
            gone, missing = [], []
            for one in key:
                record = _find(rtype, table, one, parent)
                if record is None:
                    missing.append(one)
                    continue
                self._remove(plan, ctx, record)
                gone.append(record)
            out = answer(plan.op.output_shape if plan.op else None, {}, self._values(ctx))
            self._failures(plan, out, missing, ctx.params)
            return out
        record = self._lookup(plan, ctx, key)
        self._remove(plan, ctx, record)
        return self._output(plan, record, ctx)

    def _remove(self, plan: Plan, ctx: RequestContext, record: Record) -> None:
        """Delete a record: its children go with it (`cascade`) or the delete is refused."""
        state = self._state(ctx)
        key = self._type_key(record.rtype)
        own = record_key(record.id, record.parent)
        with self.store.lock:
            doomed = [(record.rtype, own)]
            force = any(norm(k) in ("force", "forcedelete") and v is True for k, v in ctx.params.items())
            self._collect_children(state, key, own, doomed, plan, force)
            for rtype_name, table_key in doomed:
                state.table(rtype_name).pop(table_key, None)

    def _type_key(self, name: str) -> str:
        """The key of the resource type a record names (the entry's own first), worked out once."""
        key = self._type_keys.get(name)
        if key is None:
            key = self._type_keys[name] = self.entry.resource_key(name) or next(
                (k for k, r in self.rtypes.items() if r.name == name), name)
        return key

    @cached_property
    def _child_types(self) -> dict[str, list[tuple[str, ResourceType]]]:
        """The resource types (key, type) living under each parent type's key."""
        children: dict[str, list[tuple[str, ResourceType]]] = {}
        for key, rtype in self.rtypes.items():
            if rtype.parent is not None:
                children.setdefault(rtype.parent, []).append((key, rtype))
        return children

    def _collect_children(self, state: StubState, key: str, own: str, doomed: list[tuple[str, str]],
                          plan: Plan, force: bool) -> None:
        for child_key, child in self._child_types.get(key, ()):
            kids = [k for k, r in state.table(child.name).items() if r.parent == own]
            if kids and child.parent_delete != "cascade" and not force:
                error = plan.in_use
                code = child.parent_delete
                name = own.rsplit(chr(0), 1)[-1]
                message = render(child.parent_delete_message, {"id": name}) if child.parent_delete_message else (
                    f"The {self.rtypes[key].name} {name} still has {len(kids)} {child.name} resource(s)"
                )  # the entry gives AWS's message where it is known; this one is ours
                if code:
                    raise AWSError(code, message, error.status if error else 400)
                raise (error or plan.not_found).error(message)
            for kid in kids:
                doomed.append((child.name, kid))
                self._collect_children(state, child_key, kid, doomed, plan, force)

    # -- states, settings, links, the rest ----------------------------------------------------
    def _start(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        record = self._lookup(plan, ctx, self._key(plan, ctx))
        with self.store.lock:
            record.since, record.stopped = ctx.clock.utcnow(), None
        return {**answer(plan.op.output_shape if plan.op else None, ctx.params, self._values(ctx)),
                **self._output(plan, record, ctx)}

    def _stop(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        key = self._key(plan, ctx)
        if isinstance(key, list):  # BatchStop...: per-item failures
            rtype = self._rtype(plan)
            table = self._state(ctx).table(rtype.name)
            parent = self._parent_key(rtype, ctx, plan, False)
            found = {_hashable(one): _find(rtype, table, one, parent) for one in key}
            with self.store.lock:
                for record in found.values():
                    if record is not None:
                        record.stopped = record.stopped or ctx.clock.utcnow()
            out = answer(plan.op.output_shape if plan.op else None, {}, self._values(ctx))
            self._failures(plan, out, [one for one, record in found.items() if record is None], ctx.params)
            return out
        record = self._lookup(plan, ctx, key)
        with self.store.lock:
            record.stopped = record.stopped or ctx.clock.utcnow()
        return {**answer(plan.op.output_shape if plan.op else None, ctx.params, self._values(ctx)),
                **self._output(plan, record, ctx)}

    def _scope(self, plan: Plan, ctx: RequestContext) -> str:
        """Which instance of a setting or link a request names: its identifying members, each
        checked against the resource type it names (a missing resource is its not-found)."""
        shape = plan.op.input_shape if plan.op else None
        parts = []
        for name in sorted(shape.required_members if shape is not None else ctx.params):
            value = ctx.params.get(name)
            if not isinstance(value, str) or not norm(name).endswith(("name", "id", "arn", "identifier")):
                continue
            parts.append(f"{name}={value}")
            for rtype in self.rtypes.values():
                if rtype.auto or norm(rtype.id_field.rsplit(".", 1)[-1]) != norm(name) or rtype.parent:
                    continue
                if find(self._state(ctx).table(rtype.name), value) is None:
                    raise self._planner.not_found_of(plan.op, rtype).error(
                        self.message(rtype, "not_found", value, ctx))
        return "&".join(parts)

    def _put(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        scope = self._scope(plan, ctx)
        with self.store.lock:
            self._state(ctx).setting(plan.spec.setting or plan.spec.name)[scope] = copy.deepcopy(ctx.params)
        return answer(plan.op.output_shape if plan.op else None, ctx.params, self._values(ctx))

    def _stored(self, plan: Plan, ctx: RequestContext, remove: bool) -> dict[str, Any]:
        setting = plan.spec.setting or plan.spec.name
        scope = self._scope(plan, ctx)
        with self.store.lock:
            table = self._state(ctx).setting(setting)
            stored = table.pop(scope, None) if remove else table.get(scope)
        if stored is None:
            if plan.setting_missing is not None:
                raise plan.setting_missing.error(f"{setting} not found for {scope or 'the account'}")
            stored = copy.deepcopy(self.entry.settings.get(setting, {}))
        return answer(plan.op.output_shape if plan.op else None, {**stored, **ctx.params}, self._values(ctx))

    def _get(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        return self._stored(plan, ctx, remove=False)

    def _unset(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        return self._stored(plan, ctx, remove=True)

    def links(self, ctx: RequestContext, noun: str) -> dict[str, dict[str, Any]]:
        """The links `Associate<noun>`/`Register<noun>`... keep: scope -> what the requests named
        (list members accumulate: `RegisterTargets` twice registers both sets)."""
        return self._state(ctx).setting(noun)

    def _associate(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        scope = self._scope(plan, ctx)
        with self.store.lock:
            table = self._state(ctx).setting(plan.spec.setting or plan.spec.name)
            link = table.setdefault(scope, {})
            for name, value in copy.deepcopy(ctx.params).items():
                if isinstance(value, list) and isinstance(link.get(name), list):
                    link[name] += [v for v in value if v not in link[name]]
                else:
                    link[name] = value
        return answer(plan.op.output_shape if plan.op else None, ctx.params, self._values(ctx))

    def _disassociate(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        scope = self._scope(plan, ctx)
        with self.store.lock:
            table = self._state(ctx).setting(plan.spec.setting or plan.spec.name)
            link = table.get(scope)
            lists = {k: v for k, v in ctx.params.items() if isinstance(v, list)}
            if link is not None and lists:  # `DeregisterTargets`: only the targets named
                for name, value in lists.items():
                    if isinstance(link.get(name), list):
                        link[name] = [v for v in link[name] if v not in value]
                if not any(link.get(name) for name in lists):
                    table.pop(scope, None)
            else:
                table.pop(scope, None)
        return answer(plan.op.output_shape if plan.op else None, ctx.params, self._values(ctx))

    def _answer(self, plan: Plan, ctx: RequestContext) -> dict[str, Any]:
        shape = plan.op.output_shape if plan.op else None
        out = answer(shape, ctx.params, self._values(ctx))
        for name, member in (shape.members.items() if shape is not None else ()):
            if member.type_name == "list" and name not in out and not member.serialization.get("location"):
                out[name] = []  # `List...`/`Describe...` answer an empty page, not a missing member
        return out

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
        raise plan.not_found.error(f"Resource {named} not found")  # AWS wording unknown

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


def set_path(out: dict[str, Any], path: str, value: Any) -> None:
    """`out["A"]["B"] = value` for `path` `A.B`."""
    *parents, leaf = path.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[leaf] = value


def _failure(shape: Shape, ident: Any, code: str, message: str, depth: int = 0) -> Any:
    """One item of a batch operation's failures list: the identifier, a code and a message
    in whatever members the shape has for them."""
    if shape.type_name != "structure":
        return coerce_or(ident, shape)
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        key = norm(name)
        if member.type_name == "structure" and isinstance(ident, dict):
            out[name] = coerce(ident, member)  # the request's own `{imageDigest, imageTag}`
        elif member.type_name == "structure" and depth < 2:
            out[name] = _failure(member, ident, code, message, depth + 1)
        elif "code" in key:
            enum = getattr(member, "enum", None) or []
            out[name] = next((v for w in ("notfound", "missing", "notexist") for v in enum if w in norm(v)),
                             MISSING) if enum and code not in enum else coerce(code, member)
        elif key == "reason":  # ECS's `Failure.reason` is a code word
            out[name] = coerce_or("MISSING", member)
        elif key.endswith(("message", "reason", "detail", "details")):
            out[name] = coerce_or(message, member)
        elif key.endswith(("name", "id", "arn", "identifier", "values", "key", "ids", "names")):
            value = ident.split("/") if member.type_name == "list" and isinstance(ident, str) else ident
            out[name] = coerce_or(value, member)
    return {k: v for k, v in out.items() if v is not MISSING and v != {}}


def coerce_or(value: Any, shape: Shape) -> Any:
    """`value` as the shape's type (a string member of an enum keeps only enum values)."""
    if getattr(shape, "enum", None) and value not in shape.enum:
        return MISSING
    return coerce(value, shape)


def _find(rtype: ResourceType, table: dict[str, Record], key: Any, parent: str | None) -> Record | None:
    """The record a request names: by id, ARN (see `find`), a `lookup` field (an ECR image's
    tag), or a structure of such names (`{imageDigest, imageTag}`)."""
    if isinstance(key, dict):
        names = [v for v in key.values() if isinstance(v, str)]
        return next((r for r in (_find(rtype, table, n, parent) for n in names) if r is not None), None)
    found = find(table, key, parent)
    if found is None and rtype.lookup and isinstance(key, str):
        found = next((r for r in tuple(table.values()) if (parent is None or r.parent == parent)
                      and any(r.fields.get(f) == key for f in rtype.lookup)), None)
    return found


def _rendered(value: Any, base: dict[str, Any]) -> Any:
    """A default with its string templates filled (inside lists and maps too)."""
    if isinstance(value, str):
        return render(value, base)
    if isinstance(value, dict):
        return {k: _rendered(v, base) for k, v in value.items()}
    if isinstance(value, list):  # a template naming a field not given leaves no empty item
        return [v for v in (_rendered(v, base) for v in value) if v != ""]
    return value


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str) else repr(value)


def _ident(rtype: ResourceType, value: Any) -> Any:
    """A list-valued identifier (`id_list`) as one string; a batch of them as a list of strings."""
    if not rtype.id_list:
        return value
    if isinstance(value, dict):
        value = next((v for v in value.values() if isinstance(v, list)), None)
    if isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
        return [_ident(rtype, v) for v in value]
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    return value


def _param(params: dict[str, Any], name: str) -> Any:
    """A member of the input, at the top or one structure down."""
    if name in params:
        return params[name]
    for value in params.values():
        if isinstance(value, dict) and name in value:
            return value[name]
    return None


def _custom(handler: str) -> Any:
    """The function `module:function` in `pytest_cloudmock.stubs.custom`."""
    module, _, function = handler.partition(":")
    return getattr(importlib.import_module(f"{__package__}.custom.{module}"), function)


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
