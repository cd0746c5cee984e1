"""IAM tags: merged by key (keys compare case-insensitively), at most 50 per entity.

Lengths and characters of keys and values are the model's constraints (the
gateway's validation step); what is checked here is what the model cannot say.
"""

from __future__ import annotations

from ...api import AWSError

MAX_TAGS = 50
RESERVED_PREFIX = "aws:"


def invalid_input(message: str) -> AWSError:
    return AWSError("InvalidInput", message, 400)


def merge_tags(current: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """`current` with `new` added or replaced (tag keys compare case-insensitively)."""
    keys = [t["Key"].lower() for t in new]
    if len(keys) != len(set(keys)):
        raise invalid_input("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
    for key in keys:
        if key.startswith(RESERVED_PREFIX):
            # The aws: prefix is reserved for AWS (documented); AWS's exact wording is not known.
            raise invalid_input("Tag keys starting with 'aws:' are reserved for AWS use.")
    merged = [t for t in current if t["Key"].lower() not in keys] + [dict(t) for t in new]
    if len(merged) > MAX_TAGS:
        raise AWSError("LimitExceeded", "The number of tags has reached the maximum limit.", 409)
    return merged


def tags_out(tags: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """`{"Tags": [...]}` when there are tags, else nothing (IAM omits an empty list)."""
    return {"Tags": [dict(t) for t in tags]} if tags else {}
