"""Delivering a matched event to a rule's targets: input shaping, the target call, retries
and the dead-letter queue. Runs on the gateway's dispatcher, never under the store lock."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from ...api import AWSError
from ...iam_policy.acting import AsService, for_target
from ...targets import Arn, Delivery, dead_letter, with_retries
from ...targets import deliver as deliver_to_resource
from .base import EventsBase, name_of
from .buses import policy_allows
from .state import Rule
from .transform import json_path, target_input

if TYPE_CHECKING:
    from ...registry import Registry

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class DeliveryOperations(EventsBase):
    def __init__(self) -> None:
        super().__init__()
        #: deliveries that failed and had no dead-letter queue (for tests to inspect)
        self.failed_deliveries: list[dict[str, Any]] = []

    def route(self, registry: Registry, account: str, region: str, bus: str, event: dict[str, Any]) -> None:
        """Deliver `event` (already on bus `bus`) to every enabled rule of that bus it matches."""
        raise NotImplementedError  # publishing.py

    def deliver(self, registry: Registry, account: str, region: str, rule: Rule, target: dict[str, Any],
                event: dict[str, Any], ingestion_ms: int) -> None:
        """One target's delivery with its retry policy; failures end in its dead-letter queue."""
        outcome = with_retries(lambda _: self._send(registry, account, region, rule, target, event, ingestion_ms),
                               target.get("RetryPolicy"), ingestion_ms, registry.clock.now_ms)
        if outcome.error is None:
            return
        record = {"rule": rule.arn, "target": target["Arn"], "error": outcome.error.code,
                  "message": outcome.error.message, "event": event}
        dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
        try:
            if dlq:
                # as events.amazonaws.com for the rule: the queue policy must allow it (AWS's DLQ docs)
                dead_letter(registry, dlq, json.dumps(event), outcome, target["Arn"],
                            AsService("events.amazonaws.com", rule.arn, account), RULE_ARN=rule.arn)
                return
        except AWSError as exc:
            record["dead_letter_error"] = exc.code
        self.failed_deliveries.append(record)
        del self.failed_deliveries[:-100]

    def _send(self, registry: Registry, account: str, region: str, rule: Rule, target: dict[str, Any],
              event: dict[str, Any], ingestion_ms: int) -> None:
        arn = target["Arn"]
        parsed = Arn.parse(arn)
        acting = for_target(parsed.service, "events.amazonaws.com", rule.arn, account, target.get("RoleArn"), rule.name)
        if parsed.service == "events" and acting is not None:  # another bus, an API destination: as the role
            operation = "PutEvents" if parsed.resource.startswith("event-bus/") else "InvokeApiDestination"
            registry.authorize("events", operation, {"Entries": [{"EventBusName": arn}], "ResourceARN": arn},
                               account_id=parsed.account, region=parsed.region, acting_as=acting)
        if parsed.service == "events" and parsed.resource.startswith("event-bus/"):
            self._to_bus(registry, account, parsed, event)
            return
        payload = target_input(target, event, rule.name, rule.arn, ingestion_ms)
        if parsed.service == "events" and parsed.resource.startswith("api-destination/"):
            self._to_api_destination(parsed, target, payload)
            return
        kinesis = target.get("KinesisParameters") or {}
        key = json_path(event, kinesis["PartitionKeyPath"]) if kinesis.get("PartitionKeyPath") else None
        deliver_to_resource(registry, arn, payload, Delivery(
            message_group_id=(target.get("SqsParameters") or {}).get("MessageGroupId"),
            deduplication_id=event["id"], partition_key=key if isinstance(key, str) else None,
            log_stream=event["id"], time_ms=ingestion_ms,
        ), acting)

    def _to_bus(self, registry: Registry, account: str, target: Arn, event: dict[str, Any]) -> None:
        name = name_of(target.resource.split("/", 1)[1])
        with self.store.lock:
            state = self.store.find(target.account, target.region)
            bus = state.buses.get(name) if state else None
            if bus is None and not (name == "default" and state is not None):
                raise AWSError("ResourceNotFoundException", f"Event bus {name} does not exist.")
            if target.account != account and not policy_allows(bus.policy if bus else None, account):
                raise AWSError("AccessDeniedException", f"Account {account} is not authorized to put events "
                               f"on event bus {name}.")  # wording not documented
        self.route(registry, target.account, target.region, name, event)

    def _to_api_destination(self, target: Arn, spec: dict[str, Any], payload: str) -> None:
        with self.store.lock:
            state = self.store.find(target.account, target.region)
            name = target.resource.split("/")[1]
            destination = dict(state.destinations.get(name) or {}) if state else {}
            connection_name = destination.get("ConnectionArn", "connection//").split("/")[1]
            connection = dict(state.connections.get(connection_name) or {}) if state else {}
        if not destination:
            raise AWSError("ResourceNotFoundException", f"Api destination {name} does not exist.")
        http = spec.get("HttpParameters") or {}
        url = destination["InvocationEndpoint"]
        for value in http.get("PathParameterValues") or []:
            url = url.replace("*", urllib.parse.quote(value, safe=""), 1)
        auth = connection.get("_secret") or {}
        invocation = auth.get("InvocationHttpParameters") or {}
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Amazon/EventBridge/ApiDestinations"}
        headers.update({p["Key"]: p["Value"] for p in invocation.get("HeaderParameters") or []})
        headers.update(http.get("HeaderParameters") or {})
        query = {p["Key"]: p["Value"] for p in invocation.get("QueryStringParameters") or []}
        query.update(http.get("QueryStringParameters") or {})
        headers.update(_auth_headers(connection.get("AuthorizationType", ""), auth))
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        _http(destination["HttpMethod"], url, payload.encode(), headers)


def _auth_headers(kind: str, auth: dict[str, Any]) -> dict[str, str]:
    if kind == "API_KEY":
        key = auth.get("ApiKeyAuthParameters") or {}
        return {key.get("ApiKeyName", ""): key.get("ApiKeyValue", "")} if key else {}
    if kind == "BASIC":
        basic = auth.get("BasicAuthParameters") or {}
        token = base64.b64encode(f"{basic.get('Username', '')}:{basic.get('Password', '')}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    if kind == "OAUTH_CLIENT_CREDENTIALS":
        oauth = auth.get("OAuthParameters") or {}
        client = oauth.get("ClientParameters") or {}
        body = json.dumps({"client_id": client.get("ClientID"), "client_secret": client.get("ClientSecret")})
        answer = _http(oauth.get("HttpMethod", "POST"), oauth.get("AuthorizationEndpoint", ""), body.encode(),
                       {"Content-Type": "application/json"})
        try:
            token = json.loads(answer).get("access_token", "")
        except (ValueError, AttributeError):
            raise AWSError("InternalException", "OAuth token response was not valid.", 500) from None
        return {"Authorization": f"Bearer {token}"}
    return {}


def _http(method: str, url: str, body: bytes, headers: dict[str, str]) -> bytes:
    """One HTTP call to this machine; an error status or a refused host is an `AWSError`."""
    host = urllib.parse.urlsplit(url).hostname
    if host not in _LOCAL_HOSTS:
        raise AWSError("AccessDeniedException", f"cloudmock calls API destinations on 127.0.0.1 only, not {host}.")
    request = urllib.request.Request(url, data=body if method not in ("GET", "HEAD") else None,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return response.read()
    except urllib.error.HTTPError as exc:
        status = exc.code
        code = "Throttled" if status == 429 else f"HTTP{status}"
        raise AWSError(code, f"The API destination answered {status}.", status if status >= 500 else 400) from None
    except OSError as exc:
        raise AWSError("ConnectionFailure", str(exc), 502) from None
