"""One provider for every resource type of the stub catalog (`AWS::ECS::Cluster` -> ecs's `Cluster`).

The CloudFormation service namespace names the stub service (`ECS` -> `ecs`,
`ElasticLoadBalancingV2` -> `elbv2`), the type names the entry's resource type (by its
key or name, loosely: `DBInstance`, `Cluster`). Properties become the create action's
input by loose member-name matching (`ClusterName` -> `clusterName`); tags take the
member's own form. Updates go through the entry's update action, tags through its tag
actions (the tagging interface's stub adapter); a resource type without an update
action is replaced on every change.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from ....api import AWSError
from ....stubs.catalog import builtin_entry, builtin_entry_names
from ....stubs.engine import StubService
from ....stubs.entry import CREATE, DELETE, DESCRIBE, UPDATE, Entry, ResourceType
from ....stubs.shapes import MISSING, is_tags, norm, tags_to
from ....tagging.stubs import StubAdapter
from .base import BaseProvider, Created, ProviderContext, generated_name, tag_changes, tag_map

#: CloudFormation service namespaces whose botocore name is not the lowercased namespace.
NAMESPACES = {
    "elasticloadbalancingv2": "elbv2", "elasticloadbalancing": "elb", "certificatemanager": "acm",
    "cognito": "cognito-identity", "msk": "kafka", "amazonmq": "mq", "emrcontainers": "emr-containers",
    "emrserverless": "emr-serverless", "applicationautoscaling": "application-autoscaling",
    "resourcegroups": "resource-groups", "ses": "sesv2", "elasticsearch": "es", "opensearchservice": "opensearch",
    "networkfirewall": "network-firewall", "identitystore": "identitystore", "datasync": "datasync",
    "dms": "dms", "directoryservice": "ds", "mediaconvert": "mediaconvert", "medialive": "medialive",
    "mediapackage": "mediapackage", "redshiftdata": "redshift-data", "appconfig": "appconfig",
    "eventschemas": "schemas", "ssmincidents": "ssm-incidents", "wafregional": "waf-regional",
    "servicecatalogappregistry": "servicecatalog-appregistry", "lex": "lexv2-models",
}


def stub_target(type_name: str) -> tuple[str, str] | None:
    """(stub service, resource type key) of a CloudFormation type the built-in catalog serves.

    The namespace names the service: through `NAMESPACES`, else the catalog entries whose
    name is the namespace or starts with it (`Bedrock` -> `bedrock`, `bedrock-agent`), the
    first that declares the type winning.
    """
    parts = type_name.split("::")
    if len(parts) != 3 or parts[0] != "AWS":
        return None
    namespace = parts[1].lower()
    names = builtin_entry_names()
    candidates = [NAMESPACES[namespace]] if namespace in NAMESPACES else []
    candidates += sorted((n for n in names if norm(n).startswith(namespace)), key=lambda n: (norm(n) != namespace, n))
    for service in candidates:
        if service in names:
            key = resource_key(builtin_entry(service), parts[2])
            if key:
                return service, key
    return None


def resource_key(entry: Entry, name: str) -> str | None:
    """The entry's resource type called `name` (exactly, then loosely: `DBCluster` ~ `dbcluster`)."""
    found = entry.resource_key(name)
    if found:
        return found
    wanted = norm(name)
    return next((k for k, r in entry.resource_types.items() if wanted in (norm(k), norm(r.name))), None)


def _find(value: Any, wanted: str) -> Any:
    """The first value under a key loosely equal to `wanted`, searching nested dicts."""
    if isinstance(value, dict):
        for key, item in value.items():
            if norm(key) == wanted and not isinstance(item, (dict, list)):
                return item
        for item in value.values():
            found = _find(item, wanted)
            if found is not None:
                return found
    return None


def _holder(value: Any, wanted: str) -> dict[str, Any] | None:
    """The dict that holds the member `wanted` (the resource structure of an output)."""
    if isinstance(value, dict):
        if any(norm(k) == wanted for k in value):
            return value
        for item in value.values():
            found = _holder(item[0] if isinstance(item, list) and item else item, wanted)
            if found is not None:
                return found
    return None


class StubProvider(BaseProvider):
    """AWS::<Service>::<Type> for a stub-catalog resource type."""

    def __init__(self, type_name: str, service: str, key: str) -> None:
        self.type_name = type_name
        self.service, self.key = service, key

    # -- what the entry declares -----------------------------------------------------------
    def _stub(self, ctx: ProviderContext) -> StubService:
        found = ctx.registry.get(self.service)
        if not isinstance(found, StubService):
            raise AWSError("InvalidRequest", f"{self.service} is not served by a stub", 400)
        return found

    @cached_property
    def _entry(self) -> Entry:
        return builtin_entry(self.service)

    @property
    def _rtype(self) -> ResourceType:
        return self._entry.resource_types[self.key]

    def _action(self, kind: str) -> str | None:
        action = self._entry.action(kind, self.key)
        return action.name if action else None

    @cached_property
    def replaces(self) -> frozenset[str]:  # type: ignore[override]
        """Every property when there is no update action; else the create-only ones (the
        create input's members the update input lacks), named as templates name them."""
        update = self._action(UPDATE)
        create = self._action(CREATE)
        if update is None:
            return frozenset({"*"})
        stub = StubService(self._entry)
        model = stub.service_model
        if model is None or create is None:
            return frozenset()
        updatable = {norm(n) for n in model.operation_model(update).input_shape.members}
        members = model.operation_model(create).input_shape.members
        return frozenset(n[:1].upper() + n[1:] for n in members if norm(n) not in updatable and not is_tags(n))

    # -- the calls -------------------------------------------------------------------------------
    def _params(self, stub: StubService, operation: str, properties: dict[str, Any],
                tags: dict[str, str]) -> dict[str, Any]:
        """Properties as the operation's input: loose member names, tags in the member's form."""
        model = stub.service_model
        shape = model.operation_model(operation).input_shape if model and operation in model.operation_names else None
        if shape is None:
            return {**properties, **({"Tags": tags} if tags else {})}
        members = {norm(n): n for n in shape.members}
        params: dict[str, Any] = {}
        for key, value in properties.items():
            member = members.get(norm(key))
            if member is not None and not is_tags(member):
                params[member] = value
        tags_member = next((n for n in shape.members if is_tags(n)), None)
        if tags and tags_member:
            form = tags_to(tags, shape.members[tags_member])
            if form is not MISSING:
                params[tags_member] = form
        return params

    def _id_member(self, stub: StubService, operation: str) -> str:
        plan = stub.plan(operation)
        return ".".join(plan.id_path) if plan.id_path else self._rtype.id_field

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        stub = self._stub(ctx)
        operation = self._action(CREATE)
        if operation is None:
            raise AWSError("InvalidRequest", f"{self.type_name} cannot be created: the stub has no create action", 400)
        tags = {**tag_map(ctx.stack_tags), **tag_map(properties.get("Tags"))}
        params = self._params(stub, operation, properties, tags)
        id_member = self._id_member(stub, operation)
        if "." not in id_member and not params.get(id_member) and id_member in self._input_members(stub, operation):
            params[id_member] = self._name(ctx, stub, operation, id_member)
        found = ctx.call(self.service, operation, params)
        physical_id = params.get(id_member) or _find(found, norm(self._rtype.id_field)) or _find(found, "arn")
        if physical_id is None:
            raise AWSError("InternalFailure", f"{self.type_name}: the create answer names no identifier", 500)
        return Created(str(physical_id), self._attributes(found))

    @staticmethod
    def _name(ctx: ProviderContext, stub: StubService, operation: str, member: str) -> str:
        """A generated name fitting the member's length and pattern (lowercase where it must be)."""
        model = stub.service_model
        shape = model.operation_model(operation).input_shape.members[member] if model else None
        metadata = shape.metadata if shape is not None else {}
        name = generated_name(ctx, max_length=min(int(metadata.get("max", 63)), 63))
        pattern = metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, name) and re.fullmatch(pattern, name.lower()):
            return name.lower()
        return name

    @staticmethod
    def _input_members(stub: StubService, operation: str) -> set[str]:
        model = stub.service_model
        if model is None or operation not in model.operation_names:
            return set()
        return set(model.operation_model(operation).input_shape.members)

    def _attributes(self, answer: dict[str, Any]) -> dict[str, Any]:
        """The scalar members of the resource in an answer (nested ones dotted), plus `Arn`."""
        holder = _holder(answer, norm(self._rtype.id_field)) or answer
        attributes: dict[str, Any] = {}
        for key, value in holder.items():
            name = key[:1].upper() + key[1:]
            if isinstance(value, dict):  # `Endpoint.Address`, as CloudFormation names nested attributes
                attributes.update({f"{name}.{k[:1].upper() + k[1:]}": v for k, v in value.items()
                                   if not isinstance(v, (dict, list))})
            elif not isinstance(value, list):
                attributes[name] = value
        arns = {norm(k): v for k, v in holder.items() if norm(k).endswith("arn") and isinstance(v, str)}
        own = ("arn", norm(self._rtype.name) + "arn", norm(self.type_name.rsplit("::", 1)[1]) + "arn")
        arn = next((arns[k] for k in own if k in arns), None) or next(iter(arns.values()), None)
        if arn:
            attributes["Arn"] = arn
        return attributes

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        stub = self._stub(ctx)
        operation = self._action(UPDATE)
        if operation is not None:
            changed = {k: v for k, v in new.items() if old.get(k) != v and k != "Tags"}
            if changed:
                params = self._params(stub, operation, {**self._scope(new), **changed}, {})
                params[self._id_member(stub, operation)] = physical_id
                ctx.call(self.service, operation, params)
        to_set, to_remove = tag_changes(old, new)
        if to_set or to_remove:
            arn = self.describe(ctx, physical_id, new).attributes.get("Arn") or physical_id
            adapter = StubAdapter(self.service, stub, ctx.account_id, ctx.region)
            call = self._caller(ctx)
            if to_set:
                adapter.tag(call, arn, to_set)
            if to_remove:
                adapter.untag(call, arn, to_remove)
        return self.describe(ctx, physical_id, new)

    def _caller(self, ctx: ProviderContext) -> Any:
        return lambda operation, params: ctx.call(self.service, operation, params)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        stub = self._stub(ctx)
        operation = self._action(DESCRIBE)
        if operation is None:
            return Created(physical_id)
        id_member = self._id_member(stub, operation)
        shape_members = self._input_members(stub, operation)
        value: Any = [physical_id] if id_member in shape_members and self._is_list(stub, operation, id_member) \
            else physical_id
        params = self._params(stub, operation, self._scope(properties), {})
        if "." not in id_member:
            params[id_member] = value
        found = ctx.call(self.service, operation, params)
        return Created(physical_id, self._attributes(found))

    @staticmethod
    def _is_list(stub: StubService, operation: str, member: str) -> bool:
        model = stub.service_model
        assert model is not None
        return model.operation_model(operation).input_shape.members[member].type_name == "list"

    def _scope(self, properties: dict[str, Any]) -> dict[str, Any]:
        """The properties naming where the resource lives (its parent: `Cluster`), for lookups."""
        parent = self._rtype.parent_id
        return {k: v for k, v in properties.items() if parent and norm(k) == norm(parent)}

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        stub = self._stub(ctx)
        operation = self._action(DELETE)
        if operation is None:
            return  # nothing can remove it: CloudFormation leaves what the service cannot delete
        try:
            params = self._params(stub, operation, self._scope(properties), {})
            ctx.call(self.service, operation, {**params, self._id_member(stub, operation): physical_id})
        except AWSError as error:
            if error.status != 404 and "notfound" not in norm(error.code) and "nosuch" not in norm(error.code):
                raise
