"""Sending authorization: sending from an identity another account owns.

A delegate sender names the owner's identity by ARN (v1 `SourceArn`, `FromArn`,
`ReturnPathArn`; v2 `FromEmailAddressIdentityArn`, `FeedbackForwardingEmailAddressIdentityArn`).
As AWS does, whatever the gateway's IAM mode: the identity must cover the address it is named
for, exist and be verified in the owner's account and region, and, when the owner is another
account, one of its sending authorization policies must allow the caller the sending action
(`ses:<operation>`), conditions (`ses:FromAddress`, `ses:Recipients`, `ses:FromDisplayName`,
`ses:FeedbackAddress`, `ses:ApiVersion`, the global keys) included. The policies are evaluated
by the IAM engine's resource-policy layer; the caller's own IAM policies are the gateway's IAM
mode's business, as for every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...api import AWSError, RequestContext
from ...iam_policy import context as context_keys
from ...iam_policy.directory import Directory
from ...iam_policy.evaluation import Request, matching, principal_strength
from ...iam_policy.policy import RESOURCE, PolicySyntaxError, parse
from ...iam_policy.principals import Caller, resolve
from ...iam_policy.sessions import Sessions
from ...identities import root_identity
from . import mime
from .errors import invalid_parameter, message_rejected

if TYPE_CHECKING:
    from .base import SesBase


@dataclass(frozen=True)
class Delegation:
    """An address sent as another account's (or region's) identity."""

    arn: str
    account: str
    region: str
    identity: str
    address: str


def parse_arn(arn: str, address: str) -> Delegation:
    """The identity an ARN names, checked to cover `address` (its own address, or its domain)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "ses" or not parts[5].startswith("identity/") or not parts[4]:
        raise invalid_parameter(f"Invalid identity ARN: {arn}")  # AWS's text unknown
    name = parts[5].removeprefix("identity/")
    covered = address == name if "@" in name else mime.domain_of(address).lower() == name.lower()
    if not covered:
        raise invalid_parameter(f"The identity {arn} does not cover the address {address}.")  # AWS's text unknown
    return Delegation(arn, parts[4], parts[3], name, address)


def delegations(ctx: RequestContext, named: list[tuple[str | None, str | None]]) -> list[Delegation]:
    """The (ARN, address) pairs a send names that point outside the caller's account and region."""
    found = []
    for arn, address in named:
        if not arn or not address:
            continue
        delegation = parse_arn(arn, mime.bare_address(address))
        if (delegation.account, delegation.region) != (ctx.account_id, ctx.region):
            found.append(delegation)
    return found


def _caller(ctx: RequestContext) -> Caller:
    identity = ctx.identity or root_identity(ctx.account_id)
    assert ctx.registry is not None
    return resolve(identity, Directory(ctx.registry), Sessions(), None)


def _denied(api: str, caller: Caller, action: str, resource: str) -> AWSError:
    # The form AWS documents for SES sending authorization denials (Knowledge Center, "Access
    # denied" when sending); its exact API wording beyond that form is not documented.
    text = f"User `{caller.principal.arn}' is not authorized to perform `{action}' on resource `{resource}'"
    return AWSError("AccessDeniedException", text, 403) if api == "sesv2" else AWSError("AccessDenied", text, 403)


def authorize(service: SesBase, ctx: RequestContext, api: str, operation: str, found: list[Delegation],
              recipients: list[str], sender: str, display_name: str, feedback: str | None) -> None:
    """Raise unless every delegation may be sent as (see the module's docstring)."""
    action = f"ses:{operation}"
    caller: Caller | None = None
    for delegation in found:
        with service.store.lock:
            state = service.store.find(delegation.account, delegation.region)
            identity = state.identities.get(delegation.identity) if state is not None else None
            verified = identity is not None and identity.verified
            documents = list(identity.policies.values()) if identity is not None else []
        if not verified:
            raise message_rejected("Email address is not verified. The following identities failed the check "
                                   f"in region {delegation.region.upper()}: {delegation.address}")
        if delegation.account == ctx.account_id:
            continue  # the caller's own identity in another region: IAM alone governs it
        caller = caller or _caller(ctx)
        policies = []
        for document in documents:
            try:
                policies.append(parse(document, RESOURCE, delegation.arn, "", "resource"))
            except PolicySyntaxError:
                continue  # PutIdentityPolicy refused malformed ones; nothing else can allow
        values = {"ses:fromaddress": [sender], "ses:recipients": recipients, "ses:apiversion": ["2" if api == "sesv2"
                                                                                              else "1"]}
        if display_name:
            values["ses:fromdisplayname"] = [display_name]
        if feedback:
            values["ses:feedbackaddress"] = [feedback]
        lookup = context_keys.build(caller.context_keys, "ses", operation, {}, ctx.region, ctx.clock.now, True,
                                    {key: values.get for key in values})
        request = Request(action, delegation.arn, lookup, delegation.account)
        hits = [(p, s) for p, s in matching(policies, request) if principal_strength(s, caller.principal)]
        if not hits or any(not s.allows for _p, s in hits):
            raise _denied(api, caller, action, delegation.arn)
