"""State machines, versions, aliases, tags and definition validation."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any, ClassVar

from sortedcontainers import SortedDict

from ...api import AWSError, RequestContext
from ...iam_policy.acting import may_assume
from ...paging import offset_page, offset_page_of
from ...store import Store
from ..base import ModelService
from . import errors
from .asl.definition import invalid_definition_message, load
from .state import Alias, Machine, StepFunctionsState, Version

MAX_TAGS = 50


def creation_page(ordered: SortedDict, ctx: RequestContext, scope: str) -> tuple[list[Any], str | None]:
    """A ListStateMachines or ListActivities page read from the resources kept in creation order."""
    return offset_page_of(lambda offset: (ordered[k] for k in ordered.islice(offset)), ctx.params.get("nextToken"),
                          ctx.params.get("maxResults") or None, bad_token=bad_page_token, scope=scope)


def bad_page_token() -> AWSError:
    return AWSError("InvalidToken", "Invalid Token: 'The pagination token is not valid'")  # wording not documented


def split_machine_arn(arn: str) -> tuple[str, str | None]:
    """(unqualified machine ARN, qualifier: a version number, an alias name or None)."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[0] != "arn" or parts[2] != "states" or parts[5] != "stateMachine":
        raise errors.invalid_arn(arn)
    if len(parts) == 7:
        return arn, None
    if len(parts) == 8:
        return ":".join(parts[:7]), parts[7]
    raise errors.invalid_arn(arn)


class MachineOperations(ModelService):
    name: ClassVar[str] = "stepfunctions"

    def __init__(self) -> None:
        self.store: Store[StepFunctionsState] = Store(StepFunctionsState)

    # -- helpers --------------------------------------------------------------------------------------
    @staticmethod
    def arn(ctx: RequestContext, kind: str, rest: str, account: str = "", region: str = "") -> str:
        return f"arn:{ctx.partition}:states:{region or ctx.region}:{account or ctx.account_id}:{kind}:{rest}"

    def state_of(self, ctx: RequestContext, arn: str | None = None) -> StepFunctionsState:
        """The partition of `arn` (its account and region), or of the request."""
        if arn:
            parts = arn.split(":")
            if len(parts) > 4 and parts[3] and parts[4]:
                return self.store.get(parts[4], parts[3])
        return self.store.for_ctx(ctx)

    def machine(self, ctx: RequestContext, arn: str) -> Machine:
        base, _ = split_machine_arn(arn)
        found = self.state_of(ctx, arn).machines.get(base)
        if found is None:
            raise errors.machine_missing(arn)
        return found

    def version(self, ctx: RequestContext, arn: str) -> tuple[Machine, Version]:
        machine = self.machine(ctx, arn)
        _, qualifier = split_machine_arn(arn)
        if qualifier is None or not qualifier.isdigit() or int(qualifier) not in machine.versions:
            raise errors.resource_missing(arn, "State Machine Version")
        return machine, machine.versions[int(qualifier)]

    def alias(self, ctx: RequestContext, arn: str) -> Alias:
        _, qualifier = split_machine_arn(arn)
        found = self.state_of(ctx, arn).aliases.get(arn)
        if qualifier is None or qualifier.isdigit() or found is None:
            raise errors.resource_missing(arn, "State Machine Alias")
        return found

    def resolve_target(self, ctx: RequestContext, arn: str) -> tuple[Machine, str, str, str | None, str | None]:
        """What `StartExecution` runs for a machine, version or alias ARN:
        (machine, definition, role, version ARN, alias ARN)."""
        machine = self.machine(ctx, arn)
        _, qualifier = split_machine_arn(arn)
        if qualifier is None:
            return machine, machine.definition, machine.role_arn, None, None
        if qualifier.isdigit():
            _, version = self.version(ctx, arn)
            return machine, version.definition, version.role_arn, version.arn, None
        alias = self.alias(ctx, arn)
        weights = [route["weight"] for route in alias.routing]
        chosen = random.choices(alias.routing, weights=weights)[0] if sum(weights) else alias.routing[0]
        _, version = self.version(ctx, chosen["stateMachineVersionArn"])
        return machine, version.definition, version.role_arn, version.arn, alias.arn

    @staticmethod
    def check_definition(text: str, kind: str = "STANDARD") -> dict[str, Any]:
        doc, diagnostics = load(text, kind)
        if doc is None or any(d.severity == "ERROR" for d in diagnostics):
            raise AWSError("InvalidDefinition", invalid_definition_message(diagnostics))
        return doc

    @staticmethod
    def check_role(ctx: RequestContext, arn: str) -> None:
        parts = arn.split(":")
        if len(parts) < 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[5].startswith("role/"):
            raise errors.invalid_arn(arn, "Resource type not valid in this context")
        if not may_assume(ctx.registry, arn, "states.amazonaws.com", ctx.account_id, ctx.region):
            raise AWSError("AccessDeniedException", "Neither the global service principal states.amazonaws.com, nor "
                           "the regional one is authorized to assume the provided role.")

    @staticmethod
    def check_logging(config: dict[str, Any] | None) -> None:
        if not config:
            return
        level = config.get("level", "OFF")
        destinations = config.get("destinations") or []
        if level != "OFF" and not destinations:
            raise AWSError("InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one "
                           "Log Destination.")
        if len(destinations) > 1:
            raise AWSError("InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one "
                           "Log Destination.")

    # -- state machines --------------------------------------------------------------------------------
    def create_state_machine(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        errors.check_name(p["name"])
        kind = p.get("type", "STANDARD")
        self.check_definition(p["definition"], kind)
        self.check_role(ctx, p["roleArn"])
        self.check_logging(p.get("loggingConfiguration"))
        if p.get("versionDescription") and not p.get("publish"):
            raise errors.validation("Version description can only be set when publish is true")
        tags = {t.get("key", ""): t.get("value", "") for t in p.get("tags", [])}
        if len(tags) > MAX_TAGS:
            raise AWSError("TooManyTags", f"Too many tags: the limit is {MAX_TAGS}", resourceName=p["name"])
        arn = self.arn(ctx, "stateMachine", p["name"])
        now = ctx.clock.utcnow()
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            existing = state.machines.get(arn)
            if existing is not None:
                same = (existing.definition == p["definition"] and existing.role_arn == p["roleArn"]
                        and existing.type == kind)
                if not same:
                    raise AWSError("StateMachineAlreadyExists", f"State Machine Already Exists: '{arn}'")
                return {"stateMachineArn": arn, "creationDate": existing.created}
            machine = Machine(arn, p["name"], p["definition"], p["roleArn"], kind, now, now, str(uuid.uuid4()),
                              logging=p.get("loggingConfiguration") or {"level": "OFF", "includeExecutionData": False},
                              tracing=p.get("tracingConfiguration") or {"enabled": False},
                              encryption=p.get("encryptionConfiguration") or {"type": "AWS_OWNED_KEY"}, tags=tags)
            state.machines[arn] = state.by_creation[(now, machine.name)] = machine
            out: dict[str, Any] = {"stateMachineArn": arn, "creationDate": now}
            if p.get("publish"):
                out["stateMachineVersionArn"] = self._publish(ctx, machine, p.get("versionDescription", "")).arn
        return out

    def _publish(self, ctx: RequestContext, machine: Machine, description: str) -> Version:
        latest = machine.versions[max(machine.versions)] if machine.versions else None
        if latest is not None and latest.revision_id == machine.revision_id:
            return latest
        number = machine.next_version
        machine.next_version += 1
        version = Version(f"{machine.arn}:{number}", number, machine.definition, machine.role_arn,
                          ctx.clock.utcnow(), machine.revision_id, description)
        machine.versions[number] = version
        return version

    def describe_state_machine(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineArn"]
        machine = self.machine(ctx, arn)
        out = self._describe(machine)
        _, qualifier = split_machine_arn(arn)
        if qualifier is not None:
            if not qualifier.isdigit():
                raise errors.invalid_arn(arn, "Resource type not valid in this context")
            version = machine.versions.get(int(qualifier))
            if version is None:
                raise errors.machine_missing(arn)
            out.update(stateMachineArn=version.arn, definition=version.definition, roleArn=version.role_arn,
                       creationDate=version.created, revisionId=version.revision_id)
            if version.description:
                out["description"] = version.description
        return out

    @staticmethod
    def _describe(machine: Machine) -> dict[str, Any]:
        return {"stateMachineArn": machine.arn, "name": machine.name, "status": "ACTIVE",
                "definition": machine.definition, "roleArn": machine.role_arn, "type": machine.type,
                "creationDate": machine.created, "loggingConfiguration": machine.logging,
                "tracingConfiguration": machine.tracing, "revisionId": machine.revision_id,
                "encryptionConfiguration": machine.encryption}

    def update_state_machine(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        changes = [k for k in ("definition", "roleArn", "loggingConfiguration", "tracingConfiguration",
                               "encryptionConfiguration") if k in p]
        if not changes:
            raise AWSError("MissingRequiredParameter", "Either the definition, the role ARN, the "
                           "LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be "
                           "specified")
        if "definition" in p:
            self.check_definition(p["definition"], self.machine(ctx, p["stateMachineArn"]).type)
        if "roleArn" in p:
            self.check_role(ctx, p["roleArn"])
        self.check_logging(p.get("loggingConfiguration"))
        if p.get("versionDescription") and not p.get("publish"):
            raise errors.validation("Version description can only be set when publish is true")
        with self.store.lock:
            machine = self.machine(ctx, p["stateMachineArn"])
            if split_machine_arn(p["stateMachineArn"])[1] is not None:
                raise errors.invalid_arn(p["stateMachineArn"], "Resource type not valid in this context")
            machine.definition = p.get("definition", machine.definition)
            machine.role_arn = p.get("roleArn", machine.role_arn)
            machine.logging = p.get("loggingConfiguration", machine.logging)
            machine.tracing = p.get("tracingConfiguration", machine.tracing)
            machine.encryption = p.get("encryptionConfiguration", machine.encryption)
            machine.updated = ctx.clock.utcnow()
            machine.revision_id = str(uuid.uuid4())
            out: dict[str, Any] = {"updateDate": machine.updated, "revisionId": machine.revision_id}
            if p.get("publish"):
                out["stateMachineVersionArn"] = self._publish(ctx, machine, p.get("versionDescription", "")).arn
        return out

    def delete_state_machine(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineArn"]
        base, qualifier = split_machine_arn(arn)
        if qualifier is not None:
            raise errors.validation(f"Service does not support deleting a qualified state machine ARN: '{arn}'."
                                    " Use DeleteStateMachineVersion or DeleteStateMachineAlias.")  # wording approx.
        state = self.state_of(ctx, arn)
        with self.store.lock:
            machine = state.machines.pop(base, None)
            if machine is not None:
                del state.by_creation[(machine.created, machine.name)]
            for alias_arn in [a for a, alias in state.aliases.items() if alias.machine_arn == base]:
                del state.aliases[alias_arn]
        return {}

    def list_state_machines(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            page, token = creation_page(state.by_creation, ctx, "machines")
        out: dict[str, Any] = {"stateMachines": [{"stateMachineArn": m.arn, "name": m.name, "type": m.type,
                                                  "creationDate": m.created} for m in page]}
        if token:
            out["nextToken"] = token
        return out

    def validate_state_machine_definition(self, ctx: RequestContext) -> dict[str, Any]:
        _, diagnostics = load(ctx.params["definition"], ctx.params.get("type", "STANDARD"))
        if ctx.params.get("severity", "ERROR") == "ERROR":
            diagnostics = [d for d in diagnostics if d.severity == "ERROR"]
        limit = ctx.params.get("maxResults") or 100
        failed = any(d.severity == "ERROR" for d in diagnostics)
        return {"result": "FAIL" if failed else "OK", "diagnostics": [d.as_dict() for d in diagnostics[:limit]],
                "truncated": len(diagnostics) > limit}

    # -- versions --------------------------------------------------------------------------------------
    def publish_state_machine_version(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineArn"]
        if split_machine_arn(arn)[1] is not None:
            raise errors.invalid_arn(arn, "Resource type not valid in this context")
        with self.store.lock:
            machine = self.machine(ctx, arn)
            revision = ctx.params.get("revisionId")
            if revision and revision != machine.revision_id:
                raise AWSError("ConflictException", f"Failed to publish the State Machine version for revision "
                               f"{revision}. The current State Machine revision is {machine.revision_id}.")
            version = self._publish(ctx, machine, ctx.params.get("description", ""))
        return {"creationDate": version.created, "stateMachineVersionArn": version.arn}

    def list_state_machine_versions(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineArn"]
        if split_machine_arn(arn)[1] is not None:
            raise errors.invalid_arn(arn, "Resource type not valid in this context")
        machine = self.machine(ctx, arn)
        versions = sorted(machine.versions.values(), key=lambda v: -v.number)
        page, token = offset_page(versions, ctx.params.get("nextToken"), ctx.params.get("maxResults") or None,
                                  bad_token=bad_page_token, scope="versions")
        out: dict[str, Any] = {"stateMachineVersions": [{"stateMachineVersionArn": v.arn, "creationDate": v.created}
                                                        for v in page]}
        if token:
            out["nextToken"] = token
        return out

    def delete_state_machine_version(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineVersionArn"]
        _, qualifier = split_machine_arn(arn)
        if qualifier is None or not qualifier.isdigit():
            raise errors.invalid_arn(arn, "Resource type not valid in this context")
        state = self.state_of(ctx, arn)
        with self.store.lock:
            try:
                machine = self.machine(ctx, arn)
            except AWSError:
                return {}
            for alias in state.aliases.values():
                if any(route["stateMachineVersionArn"] == arn for route in alias.routing):
                    raise AWSError("ConflictException", f"Version to be deleted must not be referenced by an "
                                   f"alias. Current list of aliases referencing this version: [{alias.arn}]")
            machine.versions.pop(int(qualifier), None)
        return {}

    # -- aliases ---------------------------------------------------------------------------------------
    def _routing(self, ctx: RequestContext, routing: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
        if not 1 <= len(routing) <= 2:
            raise errors.validation("Routing configuration must contain one or two versions")  # wording approx.
        if sum(route["weight"] for route in routing) != 100:
            raise errors.validation("Sum of routing configuration weights must be equal to 100")
        machines = set()
        seen = set()
        for route in routing:
            version_arn = route["stateMachineVersionArn"]
            base, qualifier = split_machine_arn(version_arn)
            if qualifier is None or not qualifier.isdigit():
                raise errors.invalid_arn(version_arn, "Resource type not valid in this context")
            self.version(ctx, version_arn)
            if version_arn in seen:
                raise errors.validation("Routing configuration must contain distinct state machine versions")
            seen.add(version_arn)
            machines.add(base)
        if len(machines) != 1:
            raise errors.validation("Routing configuration must contain state machine versions of the same state "
                                    "machine")
        return machines.pop(), [{"stateMachineVersionArn": r["stateMachineVersionArn"], "weight": r["weight"]}
                                for r in routing]

    def create_state_machine_alias(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["name"]
        errors.check_name(name)
        if name.isdigit():
            raise AWSError("InvalidName", f"Invalid Name: '{name}'")
        base, routing = self._routing(ctx, p["routingConfiguration"])
        arn = f"{base}:{name}"
        state = self.state_of(ctx, base)
        now = ctx.clock.utcnow()
        with self.store.lock:
            existing = state.aliases.get(arn)
            if existing is not None:
                if existing.routing == routing and existing.description == p.get("description", ""):
                    return {"stateMachineAliasArn": arn, "creationDate": existing.created}
                raise AWSError("ConflictException", f"Failed to create alias because an alias with the same name "
                               f"and a different routing configuration already exists: '{arn}'")
            state.aliases[arn] = Alias(arn, name, base, routing, now, now, p.get("description", ""))
        return {"stateMachineAliasArn": arn, "creationDate": now}

    def describe_state_machine_alias(self, ctx: RequestContext) -> dict[str, Any]:
        alias = self.alias(ctx, ctx.params["stateMachineAliasArn"])
        out = {"stateMachineAliasArn": alias.arn, "name": alias.name, "routingConfiguration": alias.routing,
               "creationDate": alias.created, "updateDate": alias.updated}
        if alias.description:
            out["description"] = alias.description
        return out

    def update_state_machine_alias(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if "description" not in p and "routingConfiguration" not in p:
            raise errors.validation("Either the description or the RoutingConfiguration must be specified")
        with self.store.lock:
            alias = self.alias(ctx, p["stateMachineAliasArn"])
            if "routingConfiguration" in p:
                base, routing = self._routing(ctx, p["routingConfiguration"])
                if base != alias.machine_arn:
                    raise errors.validation("Routing configuration must contain versions of the alias' state "
                                            "machine")
                alias.routing = routing
            alias.description = p.get("description", alias.description)
            alias.updated = ctx.clock.utcnow()
        return {"updateDate": alias.updated}

    def delete_state_machine_alias(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineAliasArn"]
        with self.store.lock:
            self.alias(ctx, arn)
            self.state_of(ctx, arn).aliases.pop(arn, None)
        return {}

    def list_state_machine_aliases(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["stateMachineArn"]
        machine = self.machine(ctx, arn)
        state = self.state_of(ctx, arn)
        with self.store.lock:
            aliases = sorted((a for a in state.aliases.values() if a.machine_arn == machine.arn),
                             key=lambda a: a.name)
        page, token = offset_page(aliases, ctx.params.get("nextToken"), ctx.params.get("maxResults") or None,
                                  bad_token=bad_page_token, scope="aliases")
        out: dict[str, Any] = {"stateMachineAliases": [{"stateMachineAliasArn": a.arn, "creationDate": a.created}
                                                       for a in page]}
        if token:
            out["nextToken"] = token
        return out

    # -- tags ------------------------------------------------------------------------------------------
    def _tagged(self, ctx: RequestContext, arn: str) -> dict[str, str]:
        state = self.state_of(ctx, arn)
        parts = arn.split(":")
        if len(parts) < 7 or parts[0] != "arn" or parts[2] != "states":
            raise errors.invalid_arn(arn)
        if parts[5] == "stateMachine" and len(parts) == 7 and arn in state.machines:
            return state.machines[arn].tags
        if parts[5] == "activity" and arn in state.activities:
            return state.activities[arn].tags
        raise errors.resource_missing(arn)

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["resourceArn"]
        with self.store.lock:
            tags = self._tagged(ctx, arn)
            merged = {**tags, **{t.get("key", ""): t.get("value", "") for t in ctx.params["tags"]}}
            if len(merged) > MAX_TAGS:
                raise AWSError("TooManyTags", f"Too many tags: the limit is {MAX_TAGS}", resourceName=arn)
            tags.update(merged)
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tagged(ctx, ctx.params["resourceArn"])
            for key in ctx.params["tagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        tags = self._tagged(ctx, ctx.params["resourceArn"])
        return {"tags": [{"key": k, "value": v} for k, v in tags.items()]}


def definition_of(text: str) -> dict[str, Any]:
    """A stored (already checked) definition, parsed."""
    return json.loads(text)
