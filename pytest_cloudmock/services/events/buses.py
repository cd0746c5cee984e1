"""Event buses, their resource policies (`PutPermission`, `RemovePermission`) and tags."""

from __future__ import annotations

import json
import re
from typing import Any

from ...api import RequestContext
from ...paging import offset_page
from . import errors
from .base import DEFAULT_BUS, EventsBase, arn, name_of
from .state import Bus

_BUS_NAME = re.compile(r"^[/\.\-_A-Za-z0-9]{1,256}$")
_SETTINGS = ("KmsKeyIdentifier", "DeadLetterConfig", "LogConfig")


def policy_allows(policy: dict[str, Any] | None, account: str, action: str = "events:PutEvents") -> bool:
    """Whether a bus policy lets `account` do `action` (conditions other than none are not evaluated: deny)."""
    for statement in (policy or {}).get("Statement", []):
        if statement.get("Effect") != "Allow" or statement.get("Condition"):
            continue
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in (action, "events:*", "*") for a in actions):
            continue
        principal = statement.get("Principal")
        principals = principal.get("AWS", []) if isinstance(principal, dict) else principal
        principals = [principals] if isinstance(principals, str) else principals or []
        if any(p in ("*", account, f"arn:aws:iam::{account}:root") for p in principals):
            return True
    return False


class BusOperations(EventsBase):
    def _describe_bus(self, bus: Bus) -> dict[str, Any]:
        out: dict[str, Any] = {"Name": bus.name, "Arn": bus.arn, "CreationTime": bus.created,
                               "LastModifiedTime": bus.modified, **bus.settings}
        if bus.description:
            out["Description"] = bus.description
        if bus.policy:
            out["Policy"] = json.dumps(bus.policy)
        return out

    def create_event_bus(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["Name"]
        if not _BUS_NAME.match(name):
            raise errors.invalid(f"Event bus name {name} is not valid.")  # wording not documented
        source = p.get("EventSourceName")
        now = ctx.clock.utcnow()
        with self.store.lock:
            state = self.state(ctx)
            if name in state.buses:
                raise errors.exists(f"Event bus {name} already exists.")
            if source:
                offered = state.event_sources.get(source)
                if offered is None:
                    raise errors.not_found(f"Event source {source} does not exist.")
                if name != source:
                    raise errors.invalid("Event bus name must match the event source name.")  # not documented
            elif name.startswith("aws.partner/"):
                raise errors.invalid(f"Event source {name} does not exist.")  # not documented
            elif "/" in name:
                raise errors.invalid(f"Event bus name {name} is not valid.")  # not documented
            bus = Bus(name, arn(ctx.region, ctx.account_id, f"event-bus/{name}", ctx.partition), now, now,
                      description=p.get("Description", ""), event_source=source or "",
                      settings={k: p[k] for k in _SETTINGS if k in p})
            state.buses[name] = bus
            if source:
                state.event_sources[source]["State"] = "ACTIVE"
            if p.get("Tags"):
                state.tags[bus.arn] = {t["Key"]: t["Value"] for t in p["Tags"]}
        return {"EventBusArn": bus.arn, **({"Description": bus.description} if bus.description else {}),
                **bus.settings}

    def update_event_bus(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            bus = self.bus(ctx, p.get("Name"))
            if "Description" in p:
                bus.description = p["Description"]
            bus.settings.update({k: p[k] for k in _SETTINGS if k in p})
            bus.modified = ctx.clock.utcnow()
            return {"Arn": bus.arn, "Name": bus.name, **bus.settings,
                    **({"Description": bus.description} if bus.description else {})}

    def delete_event_bus(self, ctx: RequestContext) -> dict[str, Any]:
        name = name_of(ctx.params["Name"])
        if name == DEFAULT_BUS:
            raise errors.invalid("Cannot delete event bus default.")  # wording not documented
        with self.store.lock:
            state = self.state(ctx)
            bus = state.buses.pop(name, None)
            if bus is not None:
                state.tags.pop(bus.arn, None)
                for rule in list(self.bus_rules(state, name)):
                    state.tags.pop(state.rules.pop((name, rule.name)).arn, None)
                    self.index_rule(state, rule, keep=False)
        return {}

    def describe_event_bus(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self._describe_bus(self.bus(ctx, ctx.params.get("Name")))

    def list_event_buses(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("NamePrefix", "")
        with self.store.lock:
            buses = [self._describe_bus(b) for b in sorted(self.state(ctx).buses.values(), key=lambda b: b.name)
                     if b.name.startswith(prefix)]
        page, token = offset_page(buses, ctx.params.get("NextToken"), ctx.params.get("Limit"),
                                  bad_token=errors.bad_token, scope="buses")
        return {"EventBuses": page, **({"NextToken": token} if token else {})}

    # -- permissions -------------------------------------------------------------------
    def put_permission(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            bus = self.bus(ctx, p.get("EventBusName"))
            if p.get("Policy"):
                bus.policy = self.json_object(p["Policy"], "Policy")
                return {}
            for key in ("Action", "Principal", "StatementId"):
                if not p.get(key):
                    raise errors.invalid(f"Parameter {key} is required.")  # wording not documented
            if p["Action"] not in ("events:PutEvents",):
                raise errors.invalid("Provided value in parameter 'action' is not supported.")
            principal = p["Principal"]
            if principal != "*" and not re.fullmatch(r"\d{12}", principal):
                raise errors.invalid("Parameter principal is not valid.")  # wording not documented
            statement: dict[str, Any] = {
                "Sid": p["StatementId"], "Effect": "Allow",
                "Principal": "*" if principal == "*" else {"AWS": f"arn:aws:iam::{principal}:root"},
                "Action": p["Action"], "Resource": bus.arn,
            }
            if p.get("Condition"):
                c = p["Condition"]
                statement["Condition"] = {c["Type"]: {c["Key"]: c["Value"]}}
            policy = bus.policy or {"Version": "2012-10-17", "Statement": []}
            policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != p["StatementId"]] + [statement]
            bus.policy = policy
        return {}

    def remove_permission(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            bus = self.bus(ctx, p.get("EventBusName"))
            if p.get("RemoveAllPermissions"):
                bus.policy = None
                return {}
            sid = p.get("StatementId")
            statements = (bus.policy or {}).get("Statement", [])
            if not sid or not any(s.get("Sid") == sid for s in statements):
                raise errors.not_found("Statement with the provided id does not exist.")  # wording not documented
            rest = [s for s in statements if s.get("Sid") != sid]
            bus.policy = {**(bus.policy or {}), "Statement": rest} if rest else None
        return {}

    # -- tags --------------------------------------------------------------------------------
    def _tagged(self, ctx: RequestContext, resource: str) -> None:
        state = self.state(ctx)
        bus, _, name = resource.split(":rule/", 1)[-1].rpartition("/")
        rule = state.rules.get((bus or DEFAULT_BUS, name)) if ":rule/" in resource else None
        if (rule is None or rule.arn != resource) and resource not in {b.arn for b in state.buses.values()}:
            kind = resource.rsplit(":", 1)[-1].split("/", 1)
            raise errors.not_found(f"{kind[0].replace('-', ' ').capitalize()} {kind[-1]} does not exist.")

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._tagged(ctx, ctx.params["ResourceARN"])
            tags = self.state(ctx).tags.setdefault(ctx.params["ResourceARN"], {})
            tags.update({t["Key"]: t["Value"] for t in ctx.params["Tags"]})
            if len(tags) > 50:
                raise errors.limit("The requested resource exceeds the maximum number allowed.")
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._tagged(ctx, ctx.params["ResourceARN"])
            tags = self.state(ctx).tags.get(ctx.params["ResourceARN"], {})
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._tagged(ctx, ctx.params["ResourceARN"])
            tags = self.state(ctx).tags.get(ctx.params["ResourceARN"], {})
            return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
