"""The request context a live request is evaluated in: global condition keys, the
service's keys, and the lazily computed ones (`aws:ResourceTag/*`, `dynamodb:LeadingKeys`).

Keys a local gateway cannot know are absent (`aws:SourceVpc`, `aws:PrincipalOrgID`, ...).
`aws:SourceIp` is `IamPolicies.source_ip` (the loopback address unless a test sets
another); `aws:SecureTransport` follows the endpoint's scheme.
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


def principal_keys(caller: Caller) -> Keys:
    """The global keys that depend only on the caller (computed once per caller)."""
    p = caller.principal
    if p.kind == "service":  # a service principal: its name and whom it acts for, no principal ARN
        return {"aws:principalservicename": [p.service], "aws:sourcearn": [caller.source_arn],
                "aws:sourceaccount": [caller.source_account]} if caller.source_arn else {
                "aws:principalservicename": [p.service]}
    keys: Keys = {
        "aws:principalarn": [p.role_arn or p.arn],
        "aws:principalaccount": [p.account],
        "aws:principaltype": [caller.principal_type],
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
    return keys


class RequestContextKeys:
    """`lookup(key) -> values | None` over eager keys and lazy providers (each computed once).

    A provider is found by the longest prefix of the (lower-cased) key it serves."""

    def __init__(self, keys: Keys, lazy: dict[str, Lazy] | None = None) -> None:
        self.keys = keys
        self.lazy = lazy or {}

    def __call__(self, key: str) -> list[str] | None:
        name = key.lower()
        if name in self.keys:
            return self.keys[name]
        values = None
        for prefix, provider in self.lazy.items():
            if name.startswith(prefix):
                values = provider(name)
                break
        self.keys[name] = values  # type: ignore[assignment]
        return values


def build(caller_keys: Keys, service: str, operation: str, params: dict[str, Any], region: str,
          now: Callable[[], float], secure: bool, lazy: dict[str, Lazy] | None = None) -> RequestContextKeys:
    """The lookup for one live request: cheap keys now, the rest when a condition asks."""
    keys = dict(caller_keys)
    keys["aws:requestedregion"] = [region]
    keys["aws:securetransport"] = ["true" if secure else "false"]
    derived: Keys | None = None

    def from_params(name: str) -> list[str] | None:
        nonlocal derived
        if derived is None:
            derived = dict(service_keys(service, operation, params))
            tags = request_tags(params)
            for key, value in tags.items():
                derived[f"aws:requesttag/{key.lower()}"] = [value]
            if tags:
                derived["aws:tagkeys"] = list(tags)
        return derived.get(name)

    providers: dict[str, Lazy] = {
        "aws:currenttime": lambda _: [datetime.fromtimestamp(now(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")],
        "aws:epochtime": lambda _: [str(int(now()))],
        **(lazy or {}),
        "aws:requesttag/": from_params,
        "aws:tagkeys": from_params,
        f"{service}:": from_params,
    }
    return RequestContextKeys(keys, providers)


def from_entries(entries: list[dict[str, Any]]) -> RequestContextKeys:
    """The lookup the simulator builds from `ContextEntries` (`ContextKeyValues` as given)."""
    keys: Keys = {}
    for entry in entries:
        values = [str(v) for v in entry.get("ContextKeyValues") or []]
        keys[str(entry.get("ContextKeyName", "")).lower()] = values
    return RequestContextKeys(keys)
