"""CORS: preflight (`OPTIONS`) answers and the headers of actual cross-origin requests,
from the bucket's CORS rules, as S3 evaluates them (first matching rule wins)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...api import AWSError
from .store import Bucket

NOT_ENABLED = "CORS is not enabled for this bucket."
NOT_ALLOWED = (
    "This CORS request is not allowed. This is usually because the evalution of Origin, request "
    "method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted "
    "by the resource's CORS spec."
)


@lru_cache(maxsize=256)
def _pattern(wildcard: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(p) for p in wildcard.split("*")) + "$", re.IGNORECASE)


def _matches(value: str, patterns: list[str]) -> bool:
    return any(_pattern(p).match(value) for p in patterns)


def matching_rule(
    bucket: Bucket, origin: str, method: str, headers: list[str] = ()  # type: ignore[assignment]
) -> dict[str, Any] | None:
    """The first CORS rule allowing this origin, method and request headers, or None."""
    for rule in (bucket.configs.get("CORSConfiguration") or {}).get("CORSRules", []):
        if not _matches(origin, rule.get("AllowedOrigins", [])):
            continue
        if method.upper() not in rule.get("AllowedMethods", []):
            continue
        allowed = rule.get("AllowedHeaders", [])
        if all(_matches(h, allowed) for h in headers):
            return rule
    return None


def response_headers(rule: dict[str, Any], origin: str, requested_headers: list[str]) -> dict[str, str]:
    """The `Access-Control-*` headers S3 answers for a matching rule."""
    wildcard = "*" in rule.get("AllowedOrigins", [])
    out = {
        "Access-Control-Allow-Origin": "*" if wildcard else origin,
        "Access-Control-Allow-Methods": ", ".join(rule.get("AllowedMethods", [])),
        "Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    }
    if not wildcard:
        out["Access-Control-Allow-Credentials"] = "true"
    if requested_headers:
        out["Access-Control-Allow-Headers"] = ", ".join(requested_headers)
    if rule.get("ExposeHeaders"):
        out["Access-Control-Expose-Headers"] = ", ".join(rule["ExposeHeaders"])
    if rule.get("MaxAgeSeconds") is not None:
        out["Access-Control-Max-Age"] = str(rule["MaxAgeSeconds"])
    return out


def preflight(bucket: Bucket, headers: Any) -> dict[str, str]:
    """The headers of a successful preflight, or S3's 400/403 error."""
    origin = headers.get("Origin")
    method = headers.get("Access-Control-Request-Method")
    if not origin or not method:
        raise AWSError(
            "BadRequest",
            "Insufficient information. Origin request header needed." if not origin
            else "Invalid Access-Control-Request-Method: null",
        )
    if not bucket.configs.get("CORSConfiguration"):
        raise AWSError("CORSResponse", NOT_ENABLED, 403)
    requested = [h.strip() for h in headers.get("Access-Control-Request-Headers", "").split(",")
                 if h.strip()]
    rule = matching_rule(bucket, origin, method, requested)
    if rule is None:
        raise AWSError("CORSResponse", NOT_ALLOWED, 403)
    return response_headers(rule, origin, requested)


def actual_request_headers(bucket: Bucket, headers: Any, method: str) -> dict[str, str]:
    """CORS headers for a non-preflight request carrying `Origin` (empty if none apply)."""
    origin = headers.get("Origin")
    if not origin or not bucket.configs.get("CORSConfiguration"):
        return {}
    rule = matching_rule(bucket, origin, method)
    return response_headers(rule, origin, []) if rule else {}
