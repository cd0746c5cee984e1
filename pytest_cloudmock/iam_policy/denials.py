"""A denial as the service answers it: its error code, HTTP status and AWS's message.

Messages follow AWS's current form (IAM User Guide, "Troubleshoot access denied error
messages"): `User: <arn> is not authorized to perform: <action> on resource: <arn> because
no identity-based policy allows the <action> action`, or `... with an explicit deny in a
<policy type>`. S3 quotes the resource ARN, the others do not (as their documented
examples show); an action on no particular resource (`*`) leaves "on resource" out.
EC2 answers `UnauthorizedOperation` with an encoded message that
`sts:DecodeAuthorizationMessage` decodes (base64 of the JSON document; AWS encrypts it).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from ..api import AWSError
from .evaluation import EXPLICIT_DENY, Decision
from .policy import BOUNDARY, IDENTITY, RESOURCE, SCP, SESSION

_EXPLICIT = {IDENTITY: "an identity-based policy", RESOURCE: "a resource-based policy",
             BOUNDARY: "a permissions boundary", SESSION: "a session policy", SCP: "a service control policy"}
_IMPLICIT = {IDENTITY: "identity-based policy", RESOURCE: "resource-based policy",
             BOUNDARY: "permissions boundary", SESSION: "session policy", SCP: "service control policy"}

# service -> (code, status); else by protocol family
_SERVICE_ERRORS: dict[str, tuple[str, int]] = {
    "s3": ("AccessDenied", 403),
    "sns": ("AuthorizationError", 403),
    "sqs": ("AccessDenied", 403),
    "iam": ("AccessDenied", 403),
    "sts": ("AccessDenied", 403),
    "lambda": ("AccessDeniedException", 403),
    "ec2": ("UnauthorizedOperation", 403),
}
_FAMILY_ERRORS: dict[str, tuple[str, int]] = {
    "json": ("AccessDeniedException", 400),
    "rest-json": ("AccessDeniedException", 403),
    "smithy-rpc-v2-cbor": ("AccessDeniedException", 400),
    "query": ("AccessDenied", 403),
    "rest-xml": ("AccessDenied", 403),
    "ec2": ("UnauthorizedOperation", 403),
}


def reason(action: str, decision: Decision) -> str:
    """The part after the resource: `because no ... allows ...` / `with an explicit deny in ...`."""
    if decision.decision == EXPLICIT_DENY:
        return f"with an explicit deny in {_EXPLICIT[decision.denied_by]}"
    return f"because no {_IMPLICIT[decision.denied_by]} allows the {action} action"


def message(principal_arn: str, action: str, resource: str, decision: Decision, service: str = "") -> str:
    text = f"User: {principal_arn} is not authorized to perform: {action}"
    if resource != "*":
        text += f' on resource: "{resource}"' if service == "s3" else f" on resource: {resource}"
    return f"{text} {reason(action, decision)}"


def encoded_message(principal_arn: str, user_id: str, action: str, resource: str, decision: Decision) -> str:
    """The EC2 encoded authorization message (what DecodeAuthorizationMessage returns)."""
    document: dict[str, Any] = {
        "allowed": False,
        "explicitDeny": decision.decision == EXPLICIT_DENY,
        "matchedStatements": {"items": [{"statementId": s.sid, "effect": s.effect} for _, s in decision.matched
                                        if not s.allows]},
        "failures": {"items": []},
        "context": {"principal": {"id": user_id, "arn": principal_arn}, "action": action, "resource": resource,
                    "conditions": {"items": []}},
    }
    return base64.b64encode(json.dumps(document).encode()).decode()


def error_for(service: str, protocol: str, text: str) -> AWSError:
    code, status = _SERVICE_ERRORS.get(service) or _FAMILY_ERRORS.get(protocol, ("AccessDeniedException", 400))
    return AWSError(code, text, status)


def denial_error(service: str, protocol: str, principal_arn: str, user_id: str, action: str, resource: str,
                 decision: Decision) -> AWSError:
    """The error a denied request gets."""
    if service == "ec2" or protocol == "ec2":
        encoded = encoded_message(principal_arn, user_id, action, resource, decision)
        return AWSError("UnauthorizedOperation",
                        f"You are not authorized to perform this operation. Encoded authorization failure "
                        f"message: {encoded}", 403)
    return error_for(service, protocol, message(principal_arn, action, resource, decision, service))
