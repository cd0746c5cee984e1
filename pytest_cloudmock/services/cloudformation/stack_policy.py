"""Stack policies: which updates to which resources a stack allows.

Once a stack has a policy, every resource is protected unless a statement allows the
update (deny by default, an explicit `Deny` wins). Actions are `Update:Modify`,
`Update:Replace`, `Update:Delete` (`Update:*` for all); resources `LogicalResourceId/<id>`
(wildcards allowed); `Condition` may test `ResourceType` with `StringEquals`/`StringLike`.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any


def denial(policy: str | None, action: str, logical_id: str, resource_type: str) -> str:
    """"" when `policy` allows `action` on the resource, else the failure reason."""
    if not policy:
        return ""
    try:
        statements = json.loads(policy).get("Statement", [])
    except (ValueError, AttributeError):
        return ""
    statements = statements if isinstance(statements, list) else [statements]
    allowed = False
    target = f"LogicalResourceId/{logical_id}"
    for number, statement in enumerate(statements, 1):
        if not isinstance(statement, dict) or not _applies(statement, action, target, resource_type):
            continue
        if statement.get("Effect") == "Deny":
            # AWS's exact event text is not documented; this names the statement and the resource.
            return f"Action denied by stack policy: Statement [#{number}] has a Deny for resource {target}"
        allowed = allowed or statement.get("Effect") == "Allow"
    if allowed:
        return ""
    return f"Action not allowed by stack policy: no Allow statement for {action} on {target}"  # wording approximate


def _applies(statement: dict[str, Any], action: str, target: str, resource_type: str) -> bool:
    if "Action" in statement and not _any(statement["Action"], action):
        return False
    if "NotAction" in statement and _any(statement["NotAction"], action):
        return False
    if "Resource" in statement and not _any(statement["Resource"], target):
        return False
    if "NotResource" in statement and _any(statement["NotResource"], target):
        return False
    for operator, tests in (statement.get("Condition") or {}).items():
        wanted = (tests or {}).get("ResourceType")
        if wanted is None:
            continue
        values = wanted if isinstance(wanted, list) else [wanted]
        if operator == "StringEquals" and resource_type not in values:
            return False
        if operator == "StringLike" and not any(fnmatch.fnmatchcase(resource_type, v) for v in values):
            return False
    return True


def _any(patterns: Any, value: str) -> bool:
    items = patterns if isinstance(patterns, list) else [patterns]
    return any(fnmatch.fnmatchcase(value, str(p)) for p in items)
