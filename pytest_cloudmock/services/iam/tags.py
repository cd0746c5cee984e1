"""IAM tags: merged by key (keys compare case-insensitively), at most 50 per entity."""

from __future__ import annotations

from ...api import AWSError

MAX_TAGS = 50


def merge_tags(current: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """`current` with `new` added or replaced (tag keys compare case-insensitively)."""
    keys = [t["Key"].lower() for t in new]
    if len(keys) != len(set(keys)):
        raise AWSError(
            "InvalidInput",
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            400,
        )
    merged = [t for t in current if t["Key"].lower() not in keys] + [dict(t) for t in new]
    if len(merged) > MAX_TAGS:
        raise AWSError("LimitExceeded", "The number of tags has reached the maximum limit.", 409)
    return merged
