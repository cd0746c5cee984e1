"""Token buckets for API Gateway throttles (usage plans, stage method settings, HTTP API routes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def take_token(buckets: dict[Any, tuple[float, datetime]], key: Any, throttle: dict[str, Any], now: datetime) -> bool:
    """Take one request's token from `key`'s bucket (`burstLimit` tokens, refilled at `rateLimit`
    a second of gateway time); False when the bucket is empty (the request is throttled)."""
    rate, burst = throttle.get("rateLimit"), throttle.get("burstLimit")
    if rate is None and burst is None:
        return True
    capacity = float(burst if burst is not None else max(rate or 0, 1))
    tokens, at = buckets.get(key, (capacity, now))
    tokens = min(capacity, tokens + max((now - at).total_seconds(), 0) * float(rate or 0))
    if tokens < 1:
        buckets[key] = (tokens, now)
        return False
    buckets[key] = (tokens - 1, now)
    return True
