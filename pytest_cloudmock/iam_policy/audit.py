"""What the enforcer saw: denials (would-be denials in `audit`) with their reasons, and the
actions and resources each principal used, turned into a minimal policy to paste."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Denial:
    """One denied (or, in audit, would-be denied) authorization."""

    principal: str
    action: str
    resource: str
    decision: str  # explicitDeny, implicitDeny
    denied_by: str  # identity, resource, boundary, session, scp
    message: str
    service: str
    operation: str
    enforced: bool  # False in audit mode: the call went on

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AuditLog:
    """Denials and per-principal usage; thread-safe, cleared per test by the plugin."""

    def __init__(self) -> None:
        self._denials: list[Denial] = []
        self._used: dict[str, dict[str, set[str]]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._denials = []
            self._used = {}

    def denied(self, denial: Denial) -> None:
        with self._lock:
            self._denials.append(denial)

    def use(self, principals: tuple[str, ...], action: str, resource: str) -> None:
        with self._lock:
            for principal in principals:
                self._used.setdefault(principal, {}).setdefault(action, set()).add(resource)

    def denials(self) -> list[Denial]:
        with self._lock:
            return list(self._denials)

    def used(self, principal: str) -> dict[str, list[str]]:
        """Action -> the resources `principal` (an ARN; a role's ARN covers its sessions) used."""
        with self._lock:
            found = self._used.get(principal, {})
            return {action: sorted(resources) for action, resources in sorted(found.items())}

    def principals(self) -> list[str]:
        with self._lock:
            return sorted(self._used)

    def policy_for(self, principal: str) -> dict[str, Any]:
        """A minimal policy allowing exactly what `principal` used: one statement per set of
        resources, its actions together. For a user or a role (its ARN covers its sessions, a
        state machine's or a function's), an identity policy; for a service principal
        (`events.amazonaws.com`), the statements its targets' resource policies need."""
        by_resources: dict[tuple[str, ...], list[str]] = {}
        for action, resources in self.used(principal).items():
            by_resources.setdefault(tuple(resources), []).append(action)
        service = {"Principal": {"Service": principal}} if principal.endswith(".amazonaws.com") else {}
        statements = [
            {"Effect": "Allow", **service, "Action": actions if len(actions) > 1 else actions[0],
             "Resource": list(resources) if len(resources) > 1 else resources[0]}
            for resources, actions in sorted(by_resources.items(), key=lambda item: item[1])
        ]
        return {"Version": "2012-10-17", "Statement": statements}


def format_denials(denials: list[Denial]) -> str:
    """The report section of a failing test."""
    lines = []
    for d in denials:
        mode = "denied" if d.enforced else "would deny (audit)"
        lines.append(f"{mode}: {d.service}.{d.operation}: {d.message}")
    return "\n".join(lines) or "(no IAM denials)"
