"""Policy documents: IAM's validation errors, and the URL-encoding IAM returns them in."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from ...api import AWSError

VERSIONS = ("2008-10-17", "2012-10-17")
_VENDOR = re.compile(r"^[a-zA-Z0-9\-.]+$")
_TOP_KEYS = {"Version", "Id", "Statement"}
_STATEMENT_KEYS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                   "NotResource", "Condition"}
_PRINCIPAL_KINDS = {"AWS", "Service", "Federated", "CanonicalUser"}
_ACCOUNT = re.compile(r"^\d{12}$")
TRUST_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
                 "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext")


def malformed(message: str) -> AWSError:
    return AWSError("MalformedPolicyDocument", message, 400)


def encode(document: str) -> str:
    """The document as IAM returns it (botocore decodes it back to a dict)."""
    return quote(document, safe="")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(document: str) -> list[dict[str, Any]]:
    """The statements of a policy document, after the checks every kind of policy gets."""
    try:
        policy = json.loads(document)
    except ValueError:
        raise malformed("Syntax errors in policy.") from None
    if not isinstance(policy, dict) or "Statement" not in policy or set(policy) - _TOP_KEYS:
        raise malformed("Syntax errors in policy.")
    if "Version" in policy and policy["Version"] not in VERSIONS:
        raise malformed("Policy document must be version 2012-10-17 or greater.")
    items = _as_list(policy["Statement"])
    if not items or not all(isinstance(s, dict) for s in items):
        raise malformed("Syntax errors in policy.")
    sids = [s["Sid"] for s in items if "Sid" in s]
    if not all(isinstance(sid, str) for sid in sids):
        raise malformed("Syntax errors in policy.")
    if len(sids) != len(set(sids)):
        raise malformed("Statement IDs (SID) in a single policy must be unique.")
    for statement in items:
        if statement.get("Effect") not in ("Allow", "Deny") or set(statement) - _STATEMENT_KEYS:
            raise malformed("Syntax errors in policy.")
        if ("Action" in statement and "NotAction" in statement) or (
                "Resource" in statement and "NotResource" in statement):
            raise malformed("Syntax errors in policy.")
        _check_condition(statement.get("Condition"))
        if "Action" not in statement and "NotAction" not in statement:
            raise malformed("Policy statement must contain actions.")
        for action in _as_list(statement.get("Action", statement.get("NotAction"))):
            _check_action(action)
    return items


def _check_action(action: Any) -> None:
    if not isinstance(action, str):
        raise malformed("Syntax errors in policy.")
    parts = action.split(":")
    if len(parts) == 1 and action != "*":
        raise malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
    if len(parts) > 2:
        raise malformed("Actions/Condition can contain only one colon.")
    if parts[0] != "*" and not _VENDOR.match(parts[0]):
        raise malformed(f"Vendor {parts[0]} is not valid")


def _check_condition(condition: Any) -> None:
    if condition is None:
        return
    if not isinstance(condition, dict) or not all(isinstance(v, dict) for v in condition.values()):
        raise malformed("Syntax errors in policy.")


def _check_resources(statement: dict[str, Any]) -> None:
    for resource in _as_list(statement.get("Resource", statement.get("NotResource"))):
        if not isinstance(resource, str):
            raise malformed("Syntax errors in policy.")
        if resource != "*" and not (resource.startswith("arn:") and resource.count(":") >= 5):
            raise malformed(f'Resource {resource} must be in ARN format or "*".')


def _check_principal(principal: Any) -> None:
    if principal == "*":
        return
    if not isinstance(principal, dict) or not principal or set(principal) - _PRINCIPAL_KINDS:
        raise malformed("Syntax errors in policy.")
    for value in _as_list(principal.get("AWS", [])):
        if not isinstance(value, str) or not (
                value == "*" or _ACCOUNT.match(value) or (value.startswith("arn:") and ":iam::" in value
                                                          or value.startswith("arn:") and ":sts::" in value)):
            raise malformed(f'Invalid principal in policy: "AWS":"{value}"')
    for value in _as_list(principal.get("Service", [])):
        if not isinstance(value, str) or not value:
            raise malformed(f'Invalid principal in policy: "SERVICE":"{value}"')


def validate_identity_policy(document: str) -> None:
    """A managed or inline (identity-based) policy."""
    for statement in statements(document):
        if "Principal" in statement or "NotPrincipal" in statement:
            raise malformed("Policy document should not specify a principal.")
        if "Resource" not in statement and "NotResource" not in statement:
            raise malformed("Policy statement must contain resources.")
        _check_resources(statement)


def validate_trust_policy(document: str) -> None:
    """A role's trust (assume-role) policy."""
    for statement in statements(document):
        if "Principal" not in statement and "NotPrincipal" not in statement:
            raise malformed("Missing required field Principal")
        _check_principal(statement.get("Principal", statement.get("NotPrincipal")))
        actions = _as_list(statement.get("Action", []))
        if any(a not in TRUST_ACTIONS for a in actions):
            raise malformed(
                "Trust Policy statement actions can only be sts:AssumeRole, "
                "sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
            )
        if "Resource" in statement or "NotResource" in statement:
            raise malformed("Has prohibited field Resource.")


def check_size(document: str, limit: int, quota: str) -> None:
    """IAM counts policy size without whitespace."""
    if len(re.sub(r"\s", "", document)) > limit:
        raise AWSError("LimitExceeded", f"Cannot exceed quota for {quota}: {limit}", 409)
