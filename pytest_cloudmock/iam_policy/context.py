"""The request context a live request is evaluated in: global condition keys, the
service's keys, and the lazily computed ones (`aws:ResourceTag/*`, `dynamodb:LeadingKeys`).

Keys a local gateway cannot know are absent (`aws:SourceVpc`, `aws:PrincipalOrgID`, ...).
`aws:SourceIp` is the loopback address (both transports are local) unless the request
carries `X-Forwarded-For`; `aws:SecureTransport` follows the endpoint's scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl

from .principals import Caller
from .service_keys import service_keys

Keys = dict[str, list[str]]
Lazy = Callable[[str], "list[str] | None"]


def request_tags(params: dict[str, Any]) -> dict[str, str]:
    """Tags a request sets, in any of the services' shapes."""
    for member in ("Tags", "tags", "TagList"):
        value = params.get(member)
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        if isinstance(value, list):
            return {str(t.get("Key", t.get("key", t.get("TagKey")))): str(t.get("Value", t.get("value", t.get("TagValue"))))
                    for t in value if isinstance(t, dict)}
    tagging = params.get("Tagging")
    if isinstance(tagging, str):
        return dict(parse_qsl(tagging, keep_blank_values=True))
    if isinstance(tagging, dict) and isinstance(tagging.get("TagSet"), list):
        return {t["Key"]: t["Value"] for t in tagging["TagSet"]}
    return {}


def global_keys(caller: Caller, region: str, now: float, secure: bool, source_ip: str) -> Keys:
    """The global keys of a request by `caller` (lower-cased names)."""
    p = caller.principal
    keys: Keys = {
        "aws:currenttime": [datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")],
        "aws:epochtime": [str(int(now))],
        "aws:securetransport": ["true" if secure else "false"],
        "aws:sourceip": [source_ip],
        "aws:principalarn": [p.role_arn or p.arn],
        "aws:principalaccount": [p.account],
        "aws:principaltype": [caller.principal_type],
        "aws:requestedregion": [region],
        "aws:viaawsservice": ["false"],
    }
    if caller.user_id:
        keys["aws:userid"] = [caller.user_id]
    if caller.user_name:
        keys["aws:username"] = [caller.user_name]
    if caller.mfa is not None:
        keys["aws:multifactorauthpresent"] = ["true" if caller.mfa else "false"]
    if caller.source_identity:
        keys["aws:sourceidentity"] = [caller.source_identity]
    for key, value in caller.tags.items():
        keys[f"aws:principaltag/{key.lower()}"] = [value]
    if p.kind == "federated-user":
        keys["aws:federatedprovider"] = ["IAM"]  # our reading; AWS sets it for web identity only
    return keys


class RequestContextKeys:
    """`lookup(key) -> values | None` over eager keys and lazy providers (computed once)."""

    def __init__(self, keys: Keys, lazy: dict[str, Lazy] | None = None) -> None:
        self.keys = keys
        self.lazy = lazy or {}

    def __call__(self, key: str) -> list[str] | None:
        name = key.lower()
        found = self.keys.get(name)
        if found is not None or not self.lazy:
            return found
        for prefix, provider in self.lazy.items():
            if name.startswith(prefix):
                values = provider(name)
                self.keys[name] = values  # type: ignore[assignment]
                return values
        return None


def build(caller: Caller, service: str, operation: str, params: dict[str, Any], region: str, now: float,
          secure: bool, source_ip: str, lazy: dict[str, Lazy] | None = None) -> RequestContextKeys:
    """The lookup for one live request."""
    keys = global_keys(caller, region, now, secure, source_ip)
    tags = request_tags(params)
    if tags:
        for key, value in tags.items():
            keys[f"aws:requesttag/{key.lower()}"] = [value]
        keys["aws:tagkeys"] = list(tags)
    keys.update(service_keys(service, operation, params))
    return RequestContextKeys(keys, lazy)


def from_entries(entries: list[dict[str, Any]]) -> RequestContextKeys:
    """The lookup the simulator builds from `ContextEntries` (`ContextKeyValues` as given)."""
    keys: Keys = {}
    for entry in entries:
        values = [str(v) for v in entry.get("ContextKeyValues") or []]
        keys[str(entry.get("ContextKeyName", "")).lower()] = values
    return RequestContextKeys(keys)
