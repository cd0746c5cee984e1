"""What STS was asked when it issued temporary credentials: session policies (`Policy`,
`PolicyArns`), session tags, source identity, MFA, and who asked (federation).

An interceptor on STS's issuing operations records them by access key id from the
request and the answer, so STS itself keeps no extra state. It is always installed (it
matches only those operations), so sessions issued while enforcement is off are known
when it is turned on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ..api import RequestContext, Response
from ..interception import Interceptor, Outcome

ISSUING = ("AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken",
           "GetSessionToken")


@dataclass(frozen=True)
class SessionInfo:
    """One issued session's inputs."""

    operation: str
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    source_identity: str = ""
    mfa: bool = False
    parent_arn: str = ""  # the identity that asked (GetFederationToken's user)
    transitive: tuple[str, ...] = ()  # tag keys a chained session inherits

    @property
    def has_session_policies(self) -> bool:
        return self.policy is not None or bool(self.policy_arns)


class Sessions:
    """Access key id -> `SessionInfo`, filled by `interceptor`."""

    def __init__(self) -> None:
        self._sessions: dict[str, SessionInfo] = {}
        self._lock = threading.Lock()
        self.interceptor = Interceptor(service="sts", operation="*", after=self._after, name="cloudmock-iam-sessions")

    def get(self, access_key_id: str) -> SessionInfo | None:
        return self._sessions.get(access_key_id)

    def reset(self) -> None:
        with self._lock:
            self._sessions = {}

    def _after(self, ctx: RequestContext, outcome: Outcome) -> Any:
        if ctx.operation not in ISSUING or not isinstance(outcome, Response) or not isinstance(outcome.body, dict):
            return None
        key = (outcome.body.get("Credentials") or {}).get("AccessKeyId")
        if not key:
            return None
        p = ctx.params
        parent = self.get(ctx.access_key_id)
        info = SessionInfo(
            operation=ctx.operation,
            policy=p.get("Policy"),
            policy_arns=tuple(a["arn"] for a in p.get("PolicyArns") or [] if isinstance(a, dict) and "arn" in a),
            tags={t["Key"]: t["Value"] for t in p.get("Tags") or []} | _transitive(parent, p),
            source_identity=p.get("SourceIdentity") or (parent.source_identity if parent else ""),
            mfa=bool(p.get("TokenCode")) or bool(parent and parent.mfa),
            parent_arn=ctx.identity.arn if ctx.identity is not None else "",
            transitive=tuple(p.get("TransitiveTagKeys") or ()) + (parent.transitive if parent else ()),
        )
        with self._lock:
            self._sessions[key] = info
        return None


def _transitive(parent: SessionInfo | None, params: dict[str, Any]) -> dict[str, str]:
    """The session tags a chained AssumeRole inherits: the parent's transitive ones."""
    if parent is None:
        return {}
    return {k: v for k, v in parent.tags.items() if k in parent.transitive}
