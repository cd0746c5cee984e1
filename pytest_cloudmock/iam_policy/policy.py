"""Policy documents parsed once into `Policy` / `Statement` objects (cached by text).

A `Policy` also carries where it came from (`kind`: identity, resource, boundary,
session, scp) and an id the simulator reports as `SourcePolicyId`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from .conditions import Condition, compile_conditions
from .matching import glob_match, resource_match
from .variables import has_variables, substitute

IDENTITY = "identity"
RESOURCE = "resource"
BOUNDARY = "boundary"
SESSION = "session"
SCP = "scp"


class PolicySyntaxError(ValueError):
    """A document that is not a policy."""


def _list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in items)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (parsed once, cached)
class Statement:
    """One statement; exactly one of each pair (Action/NotAction, ...) is set."""

    effect: str
    sid: str = ""
    index: int = 0
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principals: dict[str, tuple[str, ...]] | None = None
    not_principals: dict[str, tuple[str, ...]] | None = None
    conditions: dict[str, dict[str, Any]] = field(default_factory=dict)
    variables: bool = False  # a Resource/NotResource entry holds a policy variable
    compiled: tuple[Condition, ...] | None = ()  # `conditions`, parsed (None: an operator IAM lacks)

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def matches_action(self, action: str) -> bool:
        if self.actions is not None:
            return any(glob_match(a, action, ignore_case=True) for a in self.actions)
        return not any(glob_match(a, action, ignore_case=True) for a in self.not_actions or ())

    def matches_resource(self, resource: str, lookup: Any) -> bool:
        patterns = self.resources if self.resources is not None else self.not_resources
        if patterns is None:  # resource policies may leave Resource out: the resource itself
            return True
        if self.variables:
            resolved = [substitute(p, lookup, True) if has_variables(p) else p for p in patterns]
            patterns = tuple(p for p in resolved if p is not None)
        hit = any(resource_match(p, resource) for p in patterns)
        return hit if self.resources is not None else not hit


@dataclass(frozen=True, eq=False)
class Policy:
    """A parsed policy and its origin."""

    statements: tuple[Statement, ...]
    kind: str = IDENTITY
    id: str = ""  # the name or ARN the simulator reports (`SourcePolicyId`)
    arn: str = ""  # a managed policy's ARN
    text: str = ""
    source_type: str = ""  # the simulator's `SourcePolicyType` (user, group, role, aws-managed, ...)

    def with_origin(self, kind: str, policy_id: str, arn: str = "", source_type: str = "") -> Policy:
        return Policy(self.statements, kind, policy_id, arn, self.text, source_type)


def _principals(value: Any) -> dict[str, tuple[str, ...]]:
    if value == "*":
        return {"AWS": ("*",)}
    if not isinstance(value, dict):
        raise PolicySyntaxError("Principal must be \"*\" or a mapping")
    return {str(kind): _list(names) for kind, names in value.items()}


def _statement(raw: Any, index: int) -> Statement:
    if not isinstance(raw, dict) or raw.get("Effect") not in ("Allow", "Deny"):
        raise PolicySyntaxError("each statement needs an Effect of Allow or Deny")
    if ("Action" in raw) == ("NotAction" in raw):
        raise PolicySyntaxError("a statement needs exactly one of Action and NotAction")
    if "Resource" in raw and "NotResource" in raw:
        raise PolicySyntaxError("a statement has at most one of Resource and NotResource")
    conditions = raw.get("Condition") or {}
    if not isinstance(conditions, dict) or not all(isinstance(v, dict) for v in conditions.values()):
        raise PolicySyntaxError("Condition must map operators to {key: values}")
    resources = _list(raw["Resource"]) if "Resource" in raw else None
    not_resources = _list(raw["NotResource"]) if "NotResource" in raw else None
    return Statement(
        effect=raw["Effect"],
        sid=str(raw.get("Sid", "")),
        index=index,
        actions=_list(raw["Action"]) if "Action" in raw else None,
        not_actions=_list(raw["NotAction"]) if "NotAction" in raw else None,
        resources=resources,
        not_resources=not_resources,
        principals=_principals(raw["Principal"]) if "Principal" in raw else None,
        not_principals=_principals(raw["NotPrincipal"]) if "NotPrincipal" in raw else None,
        conditions={str(k): dict(v) for k, v in conditions.items()},
        variables=any(has_variables(p) for p in (resources or not_resources or ())),
        compiled=compile_conditions({str(k): dict(v) for k, v in conditions.items()}),
    )


@lru_cache(maxsize=2048)
def _parse_text(text: str) -> tuple[Statement, ...]:
    try:
        document = json.loads(text)
    except ValueError:
        try:
            document = json.loads(unquote(text))  # IAM hands documents out URL-encoded
        except ValueError:
            raise PolicySyntaxError("not JSON") from None
    return _parse_dict(document)


def _parse_dict(document: Any) -> tuple[Statement, ...]:
    if not isinstance(document, dict) or "Statement" not in document:
        raise PolicySyntaxError("a policy is a JSON object with a Statement")
    raw = document["Statement"]
    items = raw if isinstance(raw, list) else [raw]
    return tuple(_statement(s, i) for i, s in enumerate(items))


def parse(
    document: str | dict[str, Any], kind: str = IDENTITY, policy_id: str = "", arn: str = "", source_type: str = ""
) -> Policy:
    """A `Policy` from its JSON text (or URL-encoded text, or a dict); `PolicySyntaxError`."""
    if isinstance(document, dict):
        return Policy(_parse_dict(document), kind, policy_id, arn, json.dumps(document), source_type)
    return Policy(_parse_text(document), kind, policy_id, arn, document, source_type)
