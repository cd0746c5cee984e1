"""Who a request runs as, with every policy that applies: `Caller` from an `Identity`.

Identity ARNs: `...:root` (the account root), `...:user/path/name` (an IAM user, also with
`GetSessionToken` credentials), `arn:aws:sts::<acct>:assumed-role/<role>/<session>` (a role
session: the role's policies, its boundary, the session's policies and tags),
`...:federated-user/<name>` (`GetFederationToken`: the user's policies limited by the
session policy, as AWS does).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .directory import AccountDirectory, Directory, managed_policy
from .evaluation import Principal
from .policy import SESSION, Policy, PolicySyntaxError, parse
from .sessions import SessionInfo, Sessions

if TYPE_CHECKING:
    from ..identities import Identity


@dataclass(frozen=True)
class Caller:
    """A principal and what the request context says about it (`aws:username`, tags, ...)."""

    principal: Principal
    principal_type: str  # Account, User, AssumedRole, FederatedUser
    user_name: str = ""
    user_id: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    mfa: bool | None = None
    source_identity: str = ""
    source_arn: str = ""  # a service principal's `aws:SourceArn` (the rule, topic or bucket it acts for)
    source_account: str = ""
    context_keys: dict[str, list[str]] = field(default_factory=dict)  # its global keys (context.principal_keys)

    def __post_init__(self) -> None:
        from .context import principal_keys

        object.__setattr__(self, "context_keys", principal_keys(self))


def _session_policies(info: SessionInfo | None, directory: AccountDirectory) -> tuple[Policy, ...] | None:
    if info is None or not info.has_session_policies:
        return None
    found: list[Policy] = []
    if info.policy is not None:
        with contextlib.suppress(PolicySyntaxError):  # STS refused a malformed one already
            found.append(parse(info.policy, SESSION, "session policy", "", "session"))
    for arn in info.policy_arns:
        policy = managed_policy(arn, directory, SESSION)
        if policy is not None:
            found.append(policy)
    return tuple(found)


def resolve(identity: Identity, directory: Directory, sessions: Sessions, scps: tuple[Policy, ...] | None) -> Caller:
    """The `Caller` for a request signed by `identity`."""
    arn, account = identity.arn, identity.account_id
    resource = arn.split(":", 5)[-1]
    info = sessions.get(identity.access_key_id) if identity.session_token else None
    if resource == "root":
        return Caller(Principal(arn, account, "root", scps=scps), "Account", user_id=account)
    accounts = directory.account(account)
    if resource.startswith("user/"):
        name = resource.rsplit("/", 1)[-1]
        user = accounts.users.get(name.lower())
        if user is None or user.arn != arn:
            return Caller(Principal(arn, account, "user", scps=scps), "User", name, identity.user_id)
        principal = Principal(arn, account, "user", identity_policies=tuple(accounts.policies_of(user)),
                              boundary=directory.boundary(user, accounts), scps=scps)
        return Caller(principal, "User", user.name, user.id, user.tags, mfa=info.mfa if info else None)
    if resource.startswith("assumed-role/"):
        _, role_name, _session = resource.split("/", 2)
        role = accounts.roles.get(role_name.lower())
        role_arn = role.arn if role is not None else f"arn:aws:iam::{account}:role/{role_name}"
        principal = Principal(
            arn, account, "role-session", role_arn=role_arn,
            identity_policies=tuple(role.policies) if role is not None else (),
            boundary=directory.boundary(role, accounts) if role is not None else None,
            session_policies=_session_policies(info, accounts), scps=scps,
        )
        tags = {**(role.tags if role is not None else {}), **(info.tags if info else {})}
        return Caller(principal, "AssumedRole", "", identity.user_id, tags, mfa=info.mfa if info else False,
                      source_identity=info.source_identity if info else "")
    if resource.startswith("federated-user/"):
        parent_name = (info.parent_arn.rsplit("/", 1)[-1] if info and info.parent_arn else "")
        user = accounts.users.get(parent_name.lower())
        policies = tuple(accounts.policies_of(user)) if user is not None else ()
        session = _session_policies(info, accounts) or ()  # none passed: the session may do nothing
        principal = Principal(arn, account, "federated-user", identity_policies=policies,
                              boundary=directory.boundary(user, accounts) if user is not None else None,
                              session_policies=session, scps=scps)
        return Caller(principal, "FederatedUser", "", identity.user_id, info.tags if info else {},
                      mfa=info.mfa if info else False)
    return Caller(Principal(arn, account, "user", scps=scps), "User", "", identity.user_id)


def service_caller(principal: str, source_arn: str, source_account: str, account: str) -> Caller:
    """A service principal (`events.amazonaws.com`) acting for `source_arn`: no policies of its
    own, only resource-based policies can allow it."""
    return Caller(Principal(principal, source_account or account, "service", service=principal), "Service",
                  source_arn=source_arn, source_account=source_account or account)


def role_session_identity(session_arn: str, account: str, directory: Directory) -> Identity:
    """The identity of a role session a service opened for itself (no credentials issued)."""
    from ..identities import Identity

    _, role_name, session = session_arn.split(":", 5)[-1].split("/", 2)
    role = directory.account(account).roles.get(role_name.lower())
    return Identity(account, session_arn, user_id=f"{role.id if role is not None else role_name}:{session}")
