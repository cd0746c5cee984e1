"""Connections, API destinations, global endpoints and partner event sources (stored and
described; API destinations are called by `delivery.py`)."""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from ...api import RequestContext
from ...paging import offset_page
from . import errors
from .archives import ArchiveOperations
from .base import arn

_NAME = re.compile(r"^[\.\-_A-Za-z0-9]{1,64}$")
_SECRET_KEYS = ("ApiKeyValue", "Password", "ClientSecret")
_CONNECTION_KEYS = ("ConnectionArn", "Name", "ConnectionState", "StateReason", "AuthorizationType",
                    "CreationTime", "LastModifiedTime", "LastAuthorizedTime")
_DESTINATION_KEYS = ("ApiDestinationArn", "Name", "ApiDestinationState", "ConnectionArn", "InvocationEndpoint",
                     "HttpMethod", "InvocationRateLimitPerSecond", "CreationTime", "LastModifiedTime")


def _without_secrets(value: Any) -> Any:
    """AuthParameters as Describe shows them: secret values left out."""
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _SECRET_KEYS}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value


def _check_name(name: str, what: str) -> None:
    if not _NAME.match(name):
        raise errors.invalid(f"{what} name {name} is not valid.")  # wording not documented


def _page(ctx: RequestContext, items: list[dict[str, Any]], key: str, scope: str) -> dict[str, Any]:
    page, token = offset_page(items, ctx.params.get("NextToken"), ctx.params.get("Limit"),
                              bad_token=errors.bad_token, scope=scope)
    return {key: page, **({"NextToken": token} if token else {})}


class ConnectionOperations(ArchiveOperations):
    # -- connections ----------------------------------------------------------------------------------
    def create_connection(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        _check_name(p["Name"], "Connection")
        now = ctx.clock.utcnow()
        with self.store.lock:
            state = self.state(ctx)
            if p["Name"] in state.connections:
                raise errors.exists(f"Connection {p['Name']} already exists.")
            suffix = uuid.uuid4()
            connection = {
                "ConnectionArn": arn(ctx.region, ctx.account_id, f"connection/{p['Name']}/{suffix}", ctx.partition),
                "Name": p["Name"], "ConnectionState": "AUTHORIZED", "AuthorizationType": p["AuthorizationType"],
                "SecretArn": f"arn:{ctx.partition}:secretsmanager:{ctx.region}:{ctx.account_id}:secret:"
                             f"events!connection/{p['Name']}/{suffix}",
                "CreationTime": now, "LastModifiedTime": now, "LastAuthorizedTime": now,
                "_secret": copy.deepcopy(p["AuthParameters"]),
                **{k: p[k] for k in ("Description", "InvocationConnectivityParameters", "KmsKeyIdentifier") if k in p},
            }
            state.connections[p["Name"]] = connection
        return {k: connection[k] for k in ("ConnectionArn", "ConnectionState", "CreationTime", "LastModifiedTime")}

    def _connection(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        connection = self.state(ctx).connections.get(name)
        if connection is None:
            raise errors.not_found(f"Connection '{name}' does not exist.")
        return connection

    def describe_connection(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            connection = self._connection(ctx, ctx.params["Name"])
            out = {k: v for k, v in connection.items() if not k.startswith("_")}
            out["AuthParameters"] = _without_secrets(connection["_secret"])
            return out

    def update_connection(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            connection = self._connection(ctx, p["Name"])
            for key in ("Description", "AuthorizationType", "InvocationConnectivityParameters", "KmsKeyIdentifier"):
                if key in p:
                    connection[key] = p[key]
            if "AuthParameters" in p:
                _merge(connection["_secret"], p["AuthParameters"])
            connection["LastModifiedTime"] = connection["LastAuthorizedTime"] = ctx.clock.utcnow()
            connection["ConnectionState"] = "AUTHORIZED"
            return {k: connection[k] for k in ("ConnectionArn", "ConnectionState", "CreationTime",
                                               "LastModifiedTime", "LastAuthorizedTime")}

    def deauthorize_connection(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            connection = self._connection(ctx, ctx.params["Name"])
            connection["ConnectionState"] = "DEAUTHORIZED"
            connection["LastModifiedTime"] = ctx.clock.utcnow()
            return {k: connection[k] for k in _CONNECTION_KEYS if k in connection and k not in
                    ("Name", "AuthorizationType", "StateReason")}

    def delete_connection(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            connection = self._connection(ctx, ctx.params["Name"])
            del self.state(ctx).connections[ctx.params["Name"]]
            return {"ConnectionArn": connection["ConnectionArn"], "ConnectionState": "DELETING",
                    "CreationTime": connection["CreationTime"], "LastModifiedTime": ctx.clock.utcnow(),
                    "LastAuthorizedTime": connection["LastAuthorizedTime"]}

    def list_connections(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            items = [{k: c[k] for k in _CONNECTION_KEYS if k in c}
                     for name, c in sorted(self.state(ctx).connections.items())
                     if name.startswith(p.get("NamePrefix", ""))
                     and c["ConnectionState"] == p.get("ConnectionState", c["ConnectionState"])]
        return _page(ctx, items, "Connections", "connections")

    # -- API destinations -------------------------------------------------------------------------------
    def create_api_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        _check_name(p["Name"], "ApiDestination")
        now = ctx.clock.utcnow()
        with self.store.lock:
            state = self.state(ctx)
            if p["Name"] in state.destinations:
                raise errors.exists(f"An api-destination '{p['Name']}' already exists.")  # wording not documented
            connection_name = p["ConnectionArn"].split("/")[1] if "/" in p["ConnectionArn"] else ""
            if connection_name not in state.connections:
                raise errors.not_found(f"Connection '{connection_name}' does not exist.")
            destination = {
                "ApiDestinationArn": arn(ctx.region, ctx.account_id, f"api-destination/{p['Name']}/{uuid.uuid4()}",
                                         ctx.partition),
                "Name": p["Name"], "ApiDestinationState": "ACTIVE", "ConnectionArn": p["ConnectionArn"],
                "InvocationEndpoint": p["InvocationEndpoint"], "HttpMethod": p["HttpMethod"],
                "InvocationRateLimitPerSecond": p.get("InvocationRateLimitPerSecond", 300),
                "CreationTime": now, "LastModifiedTime": now,
                **({"Description": p["Description"]} if "Description" in p else {}),
            }
            state.destinations[p["Name"]] = destination
        return {k: destination[k] for k in ("ApiDestinationArn", "ApiDestinationState", "CreationTime",
                                            "LastModifiedTime")}

    def _destination(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        destination = self.state(ctx).destinations.get(name)
        if destination is None:
            raise errors.not_found(f"An api-destination '{name}' does not exist.")  # wording not documented
        return destination

    def describe_api_destination(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return dict(self._destination(ctx, ctx.params["Name"]))

    def update_api_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            destination = self._destination(ctx, p["Name"])
            for key in ("Description", "ConnectionArn", "InvocationEndpoint", "HttpMethod",
                        "InvocationRateLimitPerSecond"):
                if key in p:
                    destination[key] = p[key]
            destination["LastModifiedTime"] = ctx.clock.utcnow()
            return {k: destination[k] for k in ("ApiDestinationArn", "ApiDestinationState", "CreationTime",
                                                "LastModifiedTime")}

    def delete_api_destination(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._destination(ctx, ctx.params["Name"])
            del self.state(ctx).destinations[ctx.params["Name"]]
        return {}

    def list_api_destinations(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            items = [{k: d[k] for k in _DESTINATION_KEYS if k in d}
                     for name, d in sorted(self.state(ctx).destinations.items())
                     if name.startswith(p.get("NamePrefix", ""))
                     and d["ConnectionArn"] == p.get("ConnectionArn", d["ConnectionArn"])]
        return _page(ctx, items, "ApiDestinations", "destinations")

    # -- global endpoints ---------------------------------------------------------------------------
    def create_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        _check_name(p["Name"], "Endpoint")
        with self.store.lock:
            state = self.state(ctx)
            if p["Name"] in state.endpoints:
                raise errors.exists(f"Endpoint {p['Name']} already exists.")  # wording not documented
            endpoint_id = f"{uuid.uuid4().hex[:8]}.{uuid.uuid4().hex[:4]}"
            now = ctx.clock.utcnow()
            endpoint = {
                "Name": p["Name"], "Arn": arn(ctx.region, ctx.account_id, f"endpoint/{p['Name']}", ctx.partition),
                "RoutingConfig": p["RoutingConfig"], "EventBuses": p["EventBuses"],
                "ReplicationConfig": p.get("ReplicationConfig", {"State": "ENABLED"}),
                "EndpointId": endpoint_id, "EndpointUrl": f"https://{endpoint_id}.endpoint.events.amazonaws.com",
                "State": "ACTIVE", "CreationTime": now, "LastModifiedTime": now,
                **{k: p[k] for k in ("Description", "RoleArn") if k in p},
            }
            state.endpoints[p["Name"]] = endpoint
        return {k: endpoint[k] for k in ("Name", "Arn", "RoutingConfig", "ReplicationConfig", "EventBuses", "State")
                if k in endpoint} | ({"RoleArn": endpoint["RoleArn"]} if "RoleArn" in endpoint else {})

    def _endpoint(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        endpoint = self.state(ctx).endpoints.get(name)
        if endpoint is None:
            raise errors.not_found(f"Endpoint {name} does not exist.")  # wording not documented
        return endpoint

    def describe_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return dict(self._endpoint(ctx, ctx.params["Name"]))

    def update_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            endpoint = self._endpoint(ctx, p["Name"])
            for key in ("Description", "RoutingConfig", "ReplicationConfig", "EventBuses", "RoleArn"):
                if key in p:
                    endpoint[key] = p[key]
            endpoint["LastModifiedTime"] = ctx.clock.utcnow()
            return {k: endpoint[k] for k in ("Name", "Arn", "RoutingConfig", "ReplicationConfig", "EventBuses",
                                             "RoleArn", "EndpointId", "EndpointUrl", "State") if k in endpoint}

    def delete_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._endpoint(ctx, ctx.params["Name"])
            del self.state(ctx).endpoints[ctx.params["Name"]]
        return {}

    def list_endpoints(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            items = [dict(e) for name, e in sorted(self.state(ctx).endpoints.items())
                     if name.startswith(p.get("NamePrefix", ""))]
        page, token = offset_page(items, p.get("NextToken"), p.get("MaxResults"), bad_token=errors.bad_token,
                                  scope="endpoints")
        return {"Endpoints": page, **({"NextToken": token} if token else {})}

    # -- partner event sources ------------------------------------------------------------------------
    def create_partner_event_source(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, account = p["Name"], p["Account"]
        if not name.startswith("aws.partner/"):
            raise errors.invalid(f"Event source name {name} is not valid.")  # wording not documented
        source_arn = f"arn:{ctx.partition}:events:{ctx.region}::event-source/{name}"
        now = ctx.clock.utcnow()
        with self.store.lock:
            sources = self.state(ctx).partner_sources
            if name in sources:
                raise errors.exists(f"Event source {name} already exists.")  # wording not documented
            sources[name] = {"Arn": source_arn, "Name": name, "Account": account, "CreationTime": now}
            consumer = self.store.get(account, ctx.region)
            consumer.event_sources[name] = {"Arn": source_arn, "CreatedBy": ctx.account_id, "CreationTime": now,
                                            "Name": name, "State": "PENDING"}
        return {"EventSourceArn": source_arn}

    def delete_partner_event_source(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            source = self.state(ctx).partner_sources.pop(ctx.params["Name"], None)
            if source is not None:
                self.store.get(source["Account"], ctx.region).event_sources.pop(source["Name"], None)
        return {}

    def describe_partner_event_source(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            source = self.state(ctx).partner_sources.get(ctx.params["Name"])
            if source is None:
                raise errors.not_found(f"Event source {ctx.params['Name']} does not exist.")
            return {"Arn": source["Arn"], "Name": source["Name"]}

    def list_partner_event_sources(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = [{"Arn": s["Arn"], "Name": s["Name"]} for name, s in sorted(self.state(ctx).partner_sources.items())
                     if name.startswith(ctx.params["NamePrefix"])]
        return _page(ctx, items, "PartnerEventSources", "partner-sources")

    def list_partner_event_source_accounts(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            source = self.state(ctx).partner_sources.get(ctx.params["EventSourceName"])
            if source is None:
                raise errors.not_found(f"Event source {ctx.params['EventSourceName']} does not exist.")
            consumer = self.store.get(source["Account"], ctx.region).event_sources.get(source["Name"], {})
            items = [{"Account": source["Account"], "CreationTime": source["CreationTime"],
                      "State": consumer.get("State", "DELETED")}]
        return _page(ctx, items, "PartnerEventSourceAccounts", "partner-accounts")

    def _event_source(self, ctx: RequestContext) -> dict[str, Any]:
        source = self.state(ctx).event_sources.get(ctx.params["Name"])
        if source is None:
            raise errors.not_found(f"Event source {ctx.params['Name']} does not exist.")
        return source

    def describe_event_source(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return dict(self._event_source(ctx))

    def activate_event_source(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._event_source(ctx)["State"] = "ACTIVE"
        return {}

    def deactivate_event_source(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._event_source(ctx)["State"] = "PENDING"
        return {}

    def list_event_sources(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = [dict(s) for name, s in sorted(self.state(ctx).event_sources.items())
                     if name.startswith(ctx.params.get("NamePrefix", ""))]
        return _page(ctx, items, "EventSources", "event-sources")


def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
