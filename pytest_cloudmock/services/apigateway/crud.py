"""A model-driven store of API Gateway's REST-shaped resources, shared by v1 and v2.

Both API Gateway models are resource trees addressed by URI templates
(`/restapis/{restapi_id}/authorizers/{authorizer_id}`, `/v2/apis/{apiId}/routes/{routeId}`),
and most operations are `Create`/`Get`/`Get...s`/`List...s`/`Update`/`Delete`/`Put` on one
collection of that tree. `Crud` reads the model once and answers those generically:
a record lives in a table keyed by the collection's template (labels blanked) and the
values of its parent labels; the record itself is a dict shaped like the output shape.
Services override the operations that do more (a REST API's root resource, deployments)
and call the same tables.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ...api import AWSError, RequestContext, Response
from ...paging import offset_page
from .patch import apply_patch

_LABEL = re.compile(r"\{([^}]+)\}")
_VERBS = ("Create", "Get", "Update", "Delete", "Put", "List")
_ID_ALPHABET = string.ascii_lowercase + string.digits
_STAMPED = re.compile(r"^(?i:created|last(updated|modified))")  # the times a new record is stamped with
#: Output members that name an item although the label's member is spelled otherwise.
_ID_ALIASES = {"documentationVersion": "version"}
#: Create parameters that name the item when the label's own member is not one (models by name).
_KEY_PARAMS = {"modelName": "name"}

Table = dict[str, dict[str, Any]]
TableKey = tuple[str, tuple[str, ...]]


def new_id(size: int = 10) -> str:
    """An API Gateway identifier: lower-case letters and digits (`a1b2c3d4e5`)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(size))


@dataclass
class Tables:
    """Every record of one account and region, and the tags of each resource ARN."""

    tables: dict[TableKey, Table] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def table(self, collection: str, parents: tuple[str, ...]) -> Table:
        return self.tables.setdefault((collection, parents), {})

    def find(self, collection: str, parents: tuple[str, ...]) -> Table:
        return self.tables.get((collection, parents), {})

    def drop_under(self, prefix: tuple[str, ...]) -> None:
        """Forget every table whose parents start with `prefix` (a deleted API's children)."""
        for key in [k for k in self.tables if k[1][: len(prefix)] == prefix]:
            del self.tables[key]


@dataclass(frozen=True)
class OpPlan:
    """How one operation maps onto a table."""

    verb: str
    noun: str
    collection: str  # the template of the collection, labels blanked
    labels: tuple[str, ...]  # input member names of the URI labels, in path order
    item_op: bool  # the last label names the item
    uri: str


def _list_member(shape: Shape | None) -> str | None:
    """The member of a list output that holds the records (`items`, `Items`, `RoutingRules`)."""
    members = shape.members if shape is not None else {}
    return next((n for n, m in members.items() if m.type_name == "list" and m.member.type_name == "structure"), None)


def _template(uri: str) -> str:
    return _LABEL.sub("{}", uri.split("?", 1)[0])


class Crud:
    """Generic answers for the collection operations of one API Gateway model."""

    def __init__(self, model: ServiceModel, *, v2: bool, noun_names: dict[str, str] | None = None) -> None:
        self.model = model
        self.v2 = v2
        self.list_member, self.token_member = ("Items", "NextToken") if v2 else ("items", "position")
        self.limit_member = "MaxResults" if v2 else "limit"
        self.noun_names = noun_names or {}

    # -- reading the model ---------------------------------------------------------------------
    @cached_property
    def plans(self) -> dict[str, OpPlan]:
        plans = {}
        for name in self.model.operation_names:
            plan = self._plan(self.model.operation_model(name))
            if plan is not None:
                plans[name] = plan
        return plans

    def _plan(self, op: OperationModel) -> OpPlan | None:
        verb = next((v for v in _VERBS if op.name.startswith(v)), "")
        if not verb:
            return None
        uri = op.http["requestUri"].split("?", 1)[0]
        members = op.input_shape.members if op.input_shape else {}
        by_location = {s.serialization.get("name"): n for n, s in members.items()
                       if s.serialization.get("location") == "uri"}
        labels = tuple(by_location.get(lab.rstrip("+"), lab) for lab in _LABEL.findall(uri))
        item_op = uri.endswith("}")
        noun = op.name[len(verb):]
        if verb in ("Get", "List") and not item_op:
            if _list_member(op.output_shape) is None:
                return None  # a singleton below an item (`/template`, `/sharingpolicy`)
            noun = noun[:-1] if noun.endswith("s") else noun
            verb = "List"
        if verb in ("Create", "List") and item_op:
            return None
        if verb in ("Get", "Update", "Delete", "Put") and not item_op:
            return None
        collection = _template(uri).rsplit("/", 1)[0] if item_op else _template(uri)
        return OpPlan(verb, noun, collection, labels, item_op, uri)

    def handles(self, operation: str) -> bool:
        return operation in self.plans

    def id_member(self, noun: str) -> str:
        """The input member naming one item of `noun` (its Get operation's last label)."""
        get = self.plans.get(f"Get{noun}") or self.plans.get(f"Delete{noun}") or self.plans.get(f"Update{noun}")
        return get.labels[-1] if get is not None and get.labels else "id"

    def output_id_member(self, noun: str, shape: Shape | None) -> str:
        label = self.id_member(noun)
        members = shape.members if shape is not None else {}
        if label in members:
            return label
        if _ID_ALIASES.get(label) in members:
            return _ID_ALIASES[label]
        return "id" if "id" in members or not self.v2 else f"{noun}Id"

    def noun_label(self, noun: str) -> str:
        """How error messages name a noun (`RestApi` -> `API` where AWS says so)."""
        return self.noun_names.get(noun, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", noun))

    # -- answers -----------------------------------------------------------------------------
    def handle(self, ctx: RequestContext, state: Tables) -> dict[str, Any] | Response:
        plan = self.plans[ctx.operation]
        parents = tuple(str(ctx.params.get(m, "")) for m in (plan.labels[:-1] if plan.item_op else plan.labels))
        self.check_parents(state, plan, parents)
        table_key = (plan.collection, parents)
        if plan.verb == "Create":
            return self.create(ctx, state, plan, table_key)
        if plan.verb == "List":
            return self.list(ctx, state, table_key)
        item_id = str(ctx.params.get(plan.labels[-1], ""))
        if plan.verb == "Put":
            return self.put(ctx, state, plan, table_key, item_id)
        item = self.get_item(state, table_key, item_id, plan.noun)
        if plan.verb == "Get":
            return self.shaped(ctx, item, state)
        if plan.verb == "Update":
            self.update(ctx, item, plan)
            return self.shaped(ctx, item, state)
        del state.tables[table_key][item_id]
        state.drop_under((*parents, item_id))
        state.tags.pop(item.get("_arn", ""), None)
        return {}

    def check_parents(self, state: Tables, plan: OpPlan, parents: tuple[str, ...]) -> None:
        """Each parent label names an existing record (`/restapis/{id}/...` needs the API)."""
        segments = plan.collection.split("/")
        template, values = "", []
        for segment in segments[1:]:
            if segment == "{}":
                value = parents[len(values)]
                table = state.find(template, tuple(values))
                noun = self._noun_of(template)
                if value not in table and noun is not None:
                    raise self.not_found(noun, value)
                values.append(value)
            template += "/" + segment

    def _noun_of(self, collection: str) -> str | None:
        return next((p.noun for p in self.plans.values() if p.collection == collection and p.item_op), None)

    def not_found(self, noun: str, value: str) -> AWSError:
        # AWS's wording for v1 is "Invalid <thing> identifier specified"; per-noun text is unknown.
        return AWSError("NotFoundException", f"Invalid {self.noun_label(noun)} identifier specified", 404)

    def get_item(self, state: Tables, table_key: TableKey, item_id: str, noun: str) -> dict[str, Any]:
        item = state.find(*table_key).get(item_id)
        if item is None:
            raise self.not_found(noun, item_id)
        return item

    def create(self, ctx: RequestContext, state: Tables, plan: OpPlan, table_key: TableKey,
               item_id: str | None = None, **extra: Any) -> dict[str, Any]:
        shape = ctx.operation_model.output_shape if ctx.operation_model else None
        label = self.id_member(plan.noun)
        id_member = self.output_id_member(plan.noun, shape)
        given = ctx.params.get(label, ctx.params.get(_KEY_PARAMS.get(label, ""))) if label != "id" else None
        if item_id is None:
            item_id = str(given) if given not in (None, "") else new_id()
        table = state.table(*table_key)
        if item_id in table:
            raise AWSError("ConflictException", f"{self.noun_label(plan.noun)} already exists", 409)
        item = self.new_item(ctx, plan, shape)
        item[id_member] = item_id
        item.update(extra)
        item["_arn"] = self.arn(ctx, plan.uri, table_key[1], item_id, plan.item_op)
        tags = ctx.params.get("tags" if not self.v2 else "Tags")
        if tags:
            state.tags[item["_arn"]] = dict(tags)
        table[item_id] = item
        return self.shaped(ctx, item, state)

    def new_item(self, ctx: RequestContext, plan: OpPlan, shape: Shape | None) -> dict[str, Any]:
        members = shape.members if shape is not None else {}
        item = {k: v for k, v in ctx.params.items() if k in members and k not in plan.labels}
        now = ctx.clock.utcnow()
        for name, member in members.items():
            if member.type_name == "timestamp" and _STAMPED.match(name):
                item[name] = now
        return item

    def put(self, ctx: RequestContext, state: Tables, plan: OpPlan, table_key: TableKey,
            item_id: str) -> dict[str, Any]:
        shape = ctx.operation_model.output_shape if ctx.operation_model else None
        item = self.new_item(ctx, plan, shape)
        item[self.output_id_member(plan.noun, shape)] = item_id
        item["_arn"] = self.arn(ctx, plan.uri, table_key[1], item_id, True)
        state.table(*table_key)[item_id] = item
        return self.shaped(ctx, item, state)

    def update(self, ctx: RequestContext, item: dict[str, Any], plan: OpPlan) -> None:
        shape = ctx.operation_model.output_shape if ctx.operation_model else None
        if self.v2:
            members = shape.members if shape is not None else {}
            item.update({k: v for k, v in ctx.params.items() if k in members and k not in plan.labels})
        else:
            apply_patch(item, ctx.params.get("patchOperations") or [], shape)

    def list(self, ctx: RequestContext, state: Tables, table_key: TableKey,
             items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        rows = list(state.find(*table_key).values()) if items is None else items
        limit = ctx.params.get(self.limit_member)
        try:
            size = int(limit) if limit not in (None, "") else None
        except ValueError:
            raise AWSError("BadRequestException", f"Invalid {self.limit_member}: {limit}", 400) from None
        page, token = offset_page(
            rows, ctx.params.get(self.token_member), size if size and size > 0 else None,
            bad_token=lambda: AWSError("BadRequestException", "Invalid pagination token", 400),
            default_limit=500 if not self.v2 else 100, scope=ctx.operation,
        )
        shape = ctx.operation_model.output_shape if ctx.operation_model else None
        member = _list_member(shape) or self.list_member
        out: dict[str, Any] = {member: [self.shaped(ctx, r, state, list_item=True) for r in page]}
        if token:
            out[self.token_member] = token
        return out

    def shaped(self, ctx: RequestContext, item: dict[str, Any], state: Tables | None = None, *,
               list_item: bool = False) -> dict[str, Any]:
        """The record as the operation's output shape has it (or its list's member shape)."""
        shape = ctx.operation_model.output_shape if ctx.operation_model else None
        if list_item and shape is not None:
            listed = _list_member(shape)
            shape = shape.members[listed].member if listed is not None else shape
        members = shape.members if shape is not None else {}
        out = {k: v for k, v in item.items() if k in members}
        tags_member = "Tags" if self.v2 else "tags"
        arn = item.get("_arn")
        if tags_member in members and arn is not None and state is not None and state.tags.get(arn):
            out[tags_member] = dict(state.tags[arn])
        return out

    def arn(self, ctx: RequestContext, uri: str, parents: tuple[str, ...], item_id: str, item_op: bool) -> str:
        values = iter((*parents, item_id))
        path = _LABEL.sub(lambda _m: next(values, ""), uri)
        if not item_op:
            path = f"{path}/{item_id}"
        return f"arn:{ctx.partition}:apigateway:{ctx.region}::{path.removeprefix('/v2')}"
