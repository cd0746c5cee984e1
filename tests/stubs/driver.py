"""Drives one catalog resource type through a real boto3 client, the way a user would.

Request params come from the botocore input shapes (required members only, with
minimal valid values) plus the identifier where the entry's plan says it travels;
every answer is parsed by botocore, which is the oracle for the wire.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from botocore.exceptions import ClientError
from botocore.model import Shape

from pytest_cloudmock.stubs.engine import StubService
from pytest_cloudmock.stubs.entry import (
    CREATE,
    DELETE,
    DESCRIBE,
    LIST,
    LIST_TAGS,
    TAG,
    UNTAG,
    UPDATE,
)
from pytest_cloudmock.stubs.plan import tag_members
from pytest_cloudmock.stubs.records import find
from pytest_cloudmock.stubs.shapes import is_tags, norm, tags_from, tags_to

ROLE_ARN = "arn:aws:iam::123456789012:role/cloudmock-test"
NEW_DESCRIPTION = "changed by the cloudmock catalog test"


def minimal(shape: Shape, name: str = "") -> Any:
    """A small valid value: required members only, lengths and ranges respected."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        return {m: minimal(shape.members[m], m) for m in shape.required_members}
    if kind == "list":
        return [minimal(shape.member, name) for _ in range(max(int(meta.get("min", 1)), 1))]
    if kind == "map":
        return {"k": minimal(shape.value, name)} if meta.get("min") else {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        text = ROLE_ARN if norm(name).endswith("arn") else "cloudmock"
        lo, hi = int(meta.get("min", 0)), int(meta.get("max", 1 << 20))
        return (text + "x" * lo)[: max(hi, 1)] if len(text) < lo else text[:hi]
    if kind in ("integer", "long", "short", "byte"):
        return min(max(int(meta.get("min", 1)), 1), int(meta.get("max", 1 << 31)))
    if kind in ("float", "double"):
        return float(max(meta.get("min", 1), 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime.now(timezone.utc)
    if kind == "blob":
        return b"cloudmock"
    raise TypeError(kind)


def put(params: dict[str, Any], path: tuple[str, ...], value: Any, shape: Shape) -> None:
    """Set `value` at `path` (wrapped in a list where the member is a list)."""
    for part in path[:-1]:
        shape = shape.members[part]
        params = params.setdefault(part, {})
    member = shape.members[path[-1]]
    if member.type_name == "list" and member.member.type_name == "structure":  # ECR's `[{imageDigest}]`
        first = next(n for n, m in member.member.members.items() if m.type_name == "string")
        params[path[-1]] = [{first: value}]
    else:
        params[path[-1]] = [value] if member.type_name == "list" else value


def strings(value: Any) -> list[str]:
    """Every string inside a parsed response."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def pairs(value: Any) -> list[tuple[str, Any]]:
    """Every (key, value) inside a parsed response."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((k, v))
            out += pairs(v)
    elif isinstance(value, list):
        for v in value:
            out += pairs(v)
    return out


class Driver:
    """One resource type of one entry, driven over the wire."""

    def __init__(self, client: Any, service: StubService, resource: str, account: str, region: str) -> None:
        self.client = client
        self.service = service
        self.entry = service.entry
        self.rkey = resource
        self.rtype = self.entry.resource_types[resource]
        self.model = client.meta.service_model
        self.account, self.region = account, region
        self.calls: list[str] = []
        self.scope: dict[str, str] = {}  # the parents' identifiers, by the input member naming them

    def child(self, resource: str) -> Driver:
        """A driver for another resource type of the same entry, same client."""
        return Driver(self.client, self.service, resource, self.account, self.region)

    def make_parents(self, name: str) -> dict[str, str]:
        """Create this type's chain of parents (named `name`), and scope every later call to them."""
        if self.rtype.parent is None:
            return {}
        parent = self.child(self.rtype.parent)
        scope = parent.make_parents(name + "p")
        ident = parent.create(name)
        self.scope = {**scope, self.rtype.parent_id: ident}
        return self.scope

    # -- plumbing ----------------------------------------------------------------------------
    def op(self, kind: str) -> str | None:
        spec = self.entry.action(kind, self.rkey)
        return spec.name if spec else None

    def plan(self, op: str):
        return self.service.plan(op)

    def call(self, op: str, params: dict[str, Any], client: Any = None) -> dict[str, Any]:
        self.calls.append(op)
        client = client or self.client
        response = getattr(client, snake(client, op))(**params)
        response.pop("ResponseMetadata", None)
        return response

    def params(self, op: str, ident: str | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        shape = self.model.operation_model(op).input_shape
        params = minimal(shape) if shape is not None else {}
        plan = self.plan(op)
        for name, value in self.scope.items():
            if shape is not None and name in shape.members:
                params[name] = value
        if ident is not None and plan.id_path:
            put(params, plan.id_path, ident, shape)
        params.update(extra or {})
        return params

    def record_named(self, base: str):
        state = self.service.store.get(self.account, self.region)
        return max((r for r in state.table(self.rtype.name).values() if r.base == base), key=lambda r: r.revision)

    def record(self, ident: str):
        state = self.service.store.get(self.account, self.region)
        return find(state.table(self.rtype.name), ident)

    # -- steps ---------------------------------------------------------------------------------
    def create(self, name: str) -> str:
        """Create one resource; returns its identifier as the service reports it."""
        op = self.op(CREATE)
        plan = self.plan(op)
        params = self.params(op, name)
        if plan.id_path is None and self.rtype.unique:
            self.put_unique(params, name)
        response = self.call(op, params)
        if plan.id_path and not self.rtype.versioned:
            return name
        if self.rtype.versioned:
            return f"{name}:{self.record_named(name).revision}"
        leaf = norm(self.rtype.id_field)
        names = {leaf} | ({"id"} if leaf.endswith("id") else set())
        found = [v for k, v in pairs(response) if norm(k) in names and isinstance(v, str)]
        if not found:  # only its ARN names it (ECS tasks, container instances)
            arn = norm(self.rtype.name) + "arn"
            found = [v for k, v in pairs(response) if norm(k) == arn and isinstance(v, str)]
        assert found, f"{op} answered no {self.rtype.id_field}: {response}"
        return found[0]

    def put_unique(self, params: dict[str, Any], value: str) -> None:
        """Set the resource's unique field (inside the create's field container, if any)."""
        op = self.op(CREATE)
        path = (*self.plan(op).fields_path, *self.rtype.unique.split("."))
        put(params, path, value, self.model.operation_model(op).input_shape)

    def describe(self, ident: str) -> dict[str, Any]:
        op = self.op(DESCRIBE)
        return self.call(op, self.params(op, ident))

    def list_all(self, page_size: int, client: Any = None) -> tuple[int, list[Any]]:
        """(pages, items) of the list action (or the plural describe)."""
        op = self.op(LIST) or self.op(DESCRIBE)
        plan = self.plan(op)
        params = self.params(op)
        client = client or self.client
        paging = plan.paging
        if self.limited(op):
            paginator = client.get_paginator(snake(client, op))
            pages = list(paginator.paginate(**params, PaginationConfig={"PageSize": page_size}))
            self.calls += [op] * len(pages)
        elif self.manual_paging(op):  # the model pages, but botocore has no paginator for it
            pages = [self.call(op, {**params, paging.limit: page_size}, client)]
            while pages[-1].get(paging.token_out):
                token = {paging.token_in: pages[-1][paging.token_out]}
                pages.append(self.call(op, {**params, paging.limit: page_size, **token}, client))
        else:
            pages = [self.call(op, params, client)]
        items = []
        for page in pages:
            value: Any = page
            for part in (plan.items or "").split("."):
                value = value.get(part, []) if isinstance(value, dict) else []
            items += value
        return len(pages), items

    def manual_paging(self, op: str) -> bool:
        """Whether the model has a page size and tokens botocore's paginators do not cover."""
        paging = self.plan(op).paging
        model = self.model.operation_model(op)
        return bool(paging and paging.limit and paging.token_in and paging.token_out
                    and paging.limit in model.input_shape.members
                    and paging.token_out in model.output_shape.members)

    def limited(self, op: str) -> bool:
        """Whether the list operation takes a page size (botocore's paginator `limit_key`)."""
        snake_op = snake(self.client, op)
        return self.client.can_paginate(snake_op) and (
            self.client.get_paginator(snake_op)._limit_key is not None  # noqa: SLF001
        )

    def page_size(self) -> int:
        op = self.op(LIST) or self.op(DESCRIBE)
        plan = self.plan(op)
        limit = plan.paging.limit if plan.paging else None
        shape = self.model.operation_model(op).input_shape
        if limit and limit in shape.members:
            return max(2, int(shape.members[limit].metadata.get("min", 2)))
        return 2

    def tag_params(self, op: str, ident: str, tags: dict[str, str] | None, keys: list[str] | None) -> dict:
        shape = self.model.operation_model(op).input_shape
        params = minimal(shape)
        tags_name, keys_name = tag_members(shape)
        record = self.record(ident)
        for name in shape.required_members:
            if name in (tags_name, keys_name):
                continue
            member = shape.members[name]
            if member.type_name in ("string", "list") and not (member.type_name == "string" and member.enum):
                wants_arn = "arn" in norm(name) or norm(name) in ("resource", "resourcename")
                value = record.arn if wants_arn and record.arn else ident
                params[name] = [value] if member.type_name == "list" else value
        if tags is not None:
            params[tags_name] = tags_to(tags, shape.members[tags_name])
        if keys is not None:
            target = keys_name or tags_name
            member = shape.members[target]
            params[target] = keys
            if member.type_name == "list" and member.member.type_name == "structure":
                params[target] = [{k: v for k, v in pair.items() if v}
                                  for pair in tags_to(dict.fromkeys(keys, ""), member)]
            if member.type_name == "structure":
                params[target] = {n: keys for n, m in member.members.items() if m.type_name == "list"}
        return params

    def tags_of(self, ident: str) -> dict[str, str]:
        op = self.op(LIST_TAGS)
        if op:
            response = self.call(op, self.tag_params(op, ident, None, None))
        else:
            response = self.describe(ident)
        found = [v for k, v in pairs(response) if is_tags(k)]
        return tags_from(found[0]) if found else {}

    def expect_error(self, code: str, op: str, params: dict[str, Any]) -> ClientError:
        try:
            self.call(op, params)
        except ClientError as err:
            assert err.response["Error"]["Code"] == code, (op, err.response["Error"])
            return err
        raise AssertionError(f"{op} did not fail with {code}")


def snake(client: Any, op: str) -> str:
    return {v: k for k, v in client.meta.method_to_api_mapping.items()}[op]


__all__ = ["Driver", "NEW_DESCRIPTION", "CREATE", "DELETE", "DESCRIBE", "LIST", "TAG", "UNTAG", "UPDATE"]
