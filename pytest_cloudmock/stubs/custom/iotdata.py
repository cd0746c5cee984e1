"""IoT Data: thing shadows by AWS's document rules, `Publish` captured, retained messages.

Shadows (classic and named) follow AWS's Device Shadow documents: an update merges
`state.desired`/`state.reported` (a `null` attribute, or section, is deleted; arrays are
replaced whole), every attribute gets a `metadata` timestamp, `version` goes up by one per
update and a request naming another version is refused (409), `delta` holds the desired
attributes that differ from the reported ones. A deleted shadow keeps its version for 48
hours, as AWS documents. Messages AWS would publish on the shadow's reserved topics
(`update/accepted`, `update/documents`, `update/delta`, `delete/accepted`) are captured with
the ones a client publishes: `published(service, account, region)` lists them.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

from ... import json_depth
from ...api import AWSError
from ...paging import offset_page

MAX_PAYLOAD = 8 * 1024  # AWS IoT's limit on a shadow document
MAX_DEPTH = 6
MAX_WALK = 100
TOO_DEEP = "JSON contains too many levels of nesting; maximum is 6"
MAX_CLIENT_TOKEN = 64
KEEP_VERSION_SECONDS = 48 * 3600
SECTIONS = ("desired", "reported")
_SHADOWS, _PUBLISHED, _RETAINED = "shadows", "published", "retained"


def _bad(message: str) -> AWSError:
    return AWSError("InvalidRequestException", message, 400)


def _epoch(ctx: Any) -> int:
    return int(ctx.clock.utcnow().timestamp())


def _key(thing: str, shadow: str | None) -> str:
    return f"{thing}\x00{shadow or ''}"


def _topic(thing: str, shadow: str | None, suffix: str) -> str:
    named = f"/name/{shadow}" if shadow else ""
    return f"$aws/things/{thing}/shadow{named}/{suffix}"


def _not_found(thing: str, shadow: str | None) -> AWSError:
    # AWS's Device Shadow error messages: "No shadow exists with name: shadowName"
    return AWSError("ResourceNotFoundException", f"No shadow exists with name: '{shadow or thing}'", 404)


def _too_deep(state: dict[str, Any]) -> bool:
    """Objects nested deeper under `state` than AWS allows (arrays do not count), or anything
    nested deeper than MAX_WALK levels (our limit: the merge walks the document recursively)."""
    stack: list[tuple[Any, int, int]] = [(state, 0, 0)]
    while stack:
        value, objects, levels = stack.pop()
        if isinstance(value, dict):
            objects += 1
            children: Any = value.values()
        else:
            children = value if isinstance(value, list) else ()
        if objects - 1 > MAX_DEPTH or levels > MAX_WALK:
            return True
        stack.extend((child, objects, levels + 1) for child in children)
    return False


def _meta(value: Any, ts: int) -> Any:
    """The metadata of a value: a timestamp per attribute (objects and arrays element-wise)."""
    if isinstance(value, dict):
        return {k: _meta(v, ts) for k, v in value.items()}
    if isinstance(value, list):
        return [_meta(v, ts) for v in value]
    return {"timestamp": ts}


def _merge(state: dict[str, Any], meta: dict[str, Any], patch: dict[str, Any], ts: int) -> None:
    """Apply an update's section to the stored section and its metadata (`null` deletes)."""
    for name, value in patch.items():
        if value is None:
            state.pop(name, None)
            meta.pop(name, None)
        elif isinstance(value, dict) and isinstance(state.get(name), dict):
            inner_meta = meta[name] if isinstance(meta.get(name), dict) else {}
            _merge(state[name], inner_meta, value, ts)
            meta[name] = inner_meta
        elif isinstance(value, dict):
            state[name], meta[name] = {}, {}
            _merge(state[name], meta[name], value, ts)
        else:
            state[name], meta[name] = copy.deepcopy(value), _meta(value, ts)


def _delta(desired: dict[str, Any], reported: dict[str, Any]) -> dict[str, Any]:
    """The desired attributes whose reported value differs (objects compared member by member)."""
    out = {}
    for name, value in desired.items():
        if isinstance(value, dict) and isinstance(reported.get(name), dict):
            inner = _delta(value, reported[name])
            if inner:
                out[name] = inner
        elif name not in reported or reported[name] != value:
            out[name] = value
    return out


def _pick(meta: Any, delta: Any) -> Any:
    """The metadata of the attributes in a delta."""
    if isinstance(delta, dict) and isinstance(meta, dict):
        return {k: _pick(meta.get(k), v) for k, v in delta.items()}
    return meta


def _document(shadow: dict[str, Any], ts: int) -> dict[str, Any]:
    """The shadow document GetThingShadow answers."""
    state = {s: shadow[s] for s in SECTIONS if shadow.get(s)}
    meta = {s: shadow["metadata"][s] for s in SECTIONS if shadow["metadata"].get(s)}
    delta = _delta(shadow.get("desired") or {}, shadow.get("reported") or {})
    if delta and shadow.get("desired"):
        state["delta"] = delta
    return {"state": state, "metadata": meta, "version": shadow["version"], "timestamp": ts}


def _payload(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()


def _request(ctx: Any) -> dict[str, Any]:
    """An update's request document, checked as AWS checks it (the documented messages)."""
    raw = ctx.params.get("payload") or b""
    if len(raw) > MAX_PAYLOAD:
        raise AWSError("RequestEntityTooLargeException", "The payload exceeds the maximum size allowed", 413)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise _bad("Invalid JSON") from None
    if json_depth.nesting_depth(text) > MAX_WALK:
        raise _bad(TOO_DEEP)
    try:
        doc = json.loads(text)
    except ValueError:
        raise _bad("Invalid JSON") from None
    if not isinstance(doc, dict):
        raise _bad("Invalid JSON")
    if "state" not in doc:
        raise _bad("Missing required node: state")
    state = doc["state"]
    if not isinstance(state, dict):
        raise _bad("State node must be an object")
    if set(state) - set(SECTIONS):
        raise _bad("State contains an invalid node")
    for section in SECTIONS:
        if state.get(section) is not None and not isinstance(state[section], dict):
            raise _bad(f"{section.capitalize()} node must be an object")
    if _too_deep(state):
        raise _bad(TOO_DEEP)
    version = doc.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 0):
        raise _bad("Invalid version")
    token = doc.get("clientToken")
    if token is not None and (not isinstance(token, str) or len(token.encode()) > MAX_CLIENT_TOKEN):
        raise _bad("Invalid clientToken")
    return doc


def _capture(service: Any, ctx: Any, topic: str, payload: bytes, qos: int = 0, retain: bool = False,
             **extra: Any) -> None:
    """Record a message as published now (lock held by the caller)."""
    messages = service.store.for_ctx(ctx).setting(_PUBLISHED)
    messages[str(len(messages))] = {"topic": topic, "payload": payload, "qos": qos, "retain": retain,
                                    "timestamp": ctx.clock.utcnow(), **extra}


def published(service: Any, account_id: str, region: str) -> list[dict[str, Any]]:
    """Every message published in one account and region, oldest first (shadow topics too)."""
    messages = service.store.get(account_id, region).setting(_PUBLISHED)
    return [messages[k] for k in sorted(messages, key=int)]


# -- shadows -----------------------------------------------------------------------------------
def get_thing_shadow(service: Any, ctx: Any) -> dict[str, Any]:
    thing, name = ctx.params["thingName"], ctx.params.get("shadowName")
    shadow = service.store.for_ctx(ctx).setting(_SHADOWS).get(_key(thing, name))
    if shadow is None or shadow.get("deleted") is not None:
        raise _not_found(thing, name)
    return {"payload": _payload(_document(shadow, _epoch(ctx)))}


def update_thing_shadow(service: Any, ctx: Any) -> dict[str, Any]:
    thing, name = ctx.params["thingName"], ctx.params.get("shadowName")
    doc = _request(ctx)
    ts = _epoch(ctx)
    with service.store.lock:
        shadows = service.store.for_ctx(ctx).setting(_SHADOWS)
        shadow = shadows.get(_key(thing, name))
        if shadow is not None and shadow.get("deleted") is not None:
            kept = ts - shadow["deleted"] <= KEEP_VERSION_SECONDS  # AWS keeps it 48 hours
            shadow = None if not kept else {"version": shadow["version"], "metadata": {}}
        shadow = shadow or {"version": 0, "metadata": {}}
        if doc.get("version") is not None and doc["version"] != shadow["version"]:
            raise AWSError("ConflictException", "Version conflict", 409)
        previous = _document(shadow, ts) if shadow.get("desired") or shadow.get("reported") else None
        for section in SECTIONS:
            if section not in doc["state"]:
                continue
            if doc["state"][section] is None:  # `"desired": null` deletes the section
                shadow.pop(section, None)
                shadow["metadata"].pop(section, None)
                continue
            _merge(shadow.setdefault(section, {}), shadow["metadata"].setdefault(section, {}),
                   doc["state"][section], ts)
        shadow["version"] += 1
        shadow.pop("deleted", None)
        shadows[_key(thing, name)] = shadow
        accepted = {"state": doc["state"], "metadata": {s: _meta(v, ts) for s, v in doc["state"].items()},
                    "version": shadow["version"], "timestamp": ts}
        if doc.get("clientToken") is not None:
            accepted["clientToken"] = doc["clientToken"]
        current = _document(shadow, ts)
        _capture(service, ctx, _topic(thing, name, "update/accepted"), _payload(accepted))
        documents = {"previous": previous, "current": current, "timestamp": ts}
        _capture(service, ctx, _topic(thing, name, "update/documents"), _payload(documents))
        delta = current["state"].get("delta")
        if delta and doc["state"].get("desired"):
            message = {"version": shadow["version"], "timestamp": ts, "state": delta,
                       "metadata": _pick(shadow["metadata"].get("desired"), delta)}
            _capture(service, ctx, _topic(thing, name, "update/delta"), _payload(message))
    return {"payload": _payload(accepted)}


def delete_thing_shadow(service: Any, ctx: Any) -> dict[str, Any]:
    thing, name = ctx.params["thingName"], ctx.params.get("shadowName")
    ts = _epoch(ctx)
    with service.store.lock:
        shadows = service.store.for_ctx(ctx).setting(_SHADOWS)
        shadow = shadows.get(_key(thing, name))
        if shadow is None or shadow.get("deleted") is not None:
            raise _not_found(thing, name)
        shadows[_key(thing, name)] = {"version": shadow["version"], "metadata": {}, "deleted": ts}
        answer = {"version": shadow["version"], "timestamp": ts}
        _capture(service, ctx, _topic(thing, name, "delete/accepted"), _payload(answer))
    return {"payload": _payload(answer)}


def list_named_shadows_for_thing(service: Any, ctx: Any) -> dict[str, Any]:
    thing = ctx.params["thingName"]
    shadows = service.store.for_ctx(ctx).setting(_SHADOWS)
    names = sorted(key.split("\x00", 1)[1] for key, shadow in tuple(shadows.items())
                   if key.startswith(thing + "\x00") and not key.endswith("\x00") and shadow.get("deleted") is None)
    page, token = offset_page(names, ctx.params.get("nextToken"), ctx.params.get("pageSize"),
                              bad_token=lambda: _bad("Invalid nextToken"), scope=f"iot-data:{thing}")
    out: dict[str, Any] = {"results": page, "timestamp": _epoch(ctx)}
    if token:
        out["nextToken"] = token
    return out


# -- messages ----------------------------------------------------------------------------------
def publish(service: Any, ctx: Any) -> dict[str, Any]:
    """Capture the message; `retain` keeps it as the topic's retained message (an empty
    payload clears it, as MQTT defines)."""
    params = ctx.params
    topic, payload = params["topic"], params.get("payload") or b""
    qos, retain = int(params.get("qos") or 0), bool(params.get("retain"))
    props = params.get("userProperties")
    extra = {k: params[k] for k in ("userProperties", "contentType", "responseTopic", "correlationData",
                                    "payloadFormatIndicator", "messageExpiry") if params.get(k) is not None}
    with service.store.lock:
        _capture(service, ctx, topic, payload, qos, retain, **extra)
        if retain:
            retained = service.store.for_ctx(ctx).setting(_RETAINED)
            if payload:
                retained[topic] = {"topic": topic, "payload": payload, "qos": qos,
                                   "lastModifiedTime": _millis(ctx.clock.utcnow()),
                                   **({"userProperties": props.encode() if isinstance(props, str) else props}
                                      if props is not None else {})}
            else:
                retained.pop(topic, None)
    return {}


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def get_retained_message(service: Any, ctx: Any) -> dict[str, Any]:
    topic = ctx.params["topic"]
    found = service.store.for_ctx(ctx).setting(_RETAINED).get(topic)
    if found is None:  # AWS's exact wording is not documented
        raise AWSError("ResourceNotFoundException", f"No retained message exists for topic: {topic}", 404)
    return copy.deepcopy(found)


def list_retained_messages(service: Any, ctx: Any) -> dict[str, Any]:
    retained = service.store.for_ctx(ctx).setting(_RETAINED)
    items = [retained[t] for t in sorted(tuple(retained))]
    page, token = offset_page(items, ctx.params.get("nextToken"), ctx.params.get("maxResults"),
                              bad_token=lambda: _bad("Invalid nextToken"), scope="iot-data:retained")
    out: dict[str, Any] = {"retainedTopics": [
        {"topic": m["topic"], "payloadSize": len(m["payload"]), "qos": m["qos"],
         "lastModifiedTime": m["lastModifiedTime"]} for m in page]}
    if token:
        out["nextToken"] = token
    return out


def delete_connection(service: Any, ctx: Any) -> dict[str, Any]:
    """No MQTT client connects to the stub: every client id names no connection."""
    client_id = ctx.params["clientId"]  # AWS's exact wording is not documented
    raise AWSError("ResourceNotFoundException", f"No connection found for client id: {client_id}", 404)
