"""Service control policies: which apply to an account.

The Organizations stub stores policies but not where they are attached, so SCPs are given
here: `attach(document, accounts=[...] or None for every account)`. With none attached no
organization applies (as for a standalone account). `provider` may be replaced by any
callable `account_id -> documents | None` (a plugin reading a real organization model).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from .policy import SCP, Policy, parse

Provider = Callable[[str], "tuple[Policy, ...] | None"]


class Scps:
    """SCPs by account (`*` for all)."""

    def __init__(self, on_change: Callable[[], None] = lambda: None) -> None:
        self.on_change = on_change  # the enforcer forgets the principals it resolved
        self._attached: list[tuple[str, frozenset[str] | None, Policy]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.provider: Provider = self._attached_to

    def attach(self, document: str | dict[str, Any], accounts: Iterable[str] | None = None, name: str = "") -> str:
        """Attach an SCP to `accounts` (every account when None); returns its id."""
        policy_id = name or f"scp-{next(self._ids)}"
        policy = parse(document, SCP, policy_id, "", "scp")
        with self._lock:
            self._attached.append((policy_id, frozenset(accounts) if accounts is not None else None, policy))
        self.on_change()
        return policy_id

    def detach(self, policy_id: str) -> None:
        with self._lock:
            self._attached = [a for a in self._attached if a[0] != policy_id]
        self.on_change()

    def clear(self) -> None:
        with self._lock:
            self._attached = []
        self.on_change()

    def for_account(self, account_id: str) -> tuple[Policy, ...] | None:
        return self.provider(account_id)

    def _attached_to(self, account_id: str) -> tuple[Policy, ...] | None:
        found = tuple(p for _, accounts, p in self._attached if accounts is None or account_id in accounts)
        return found or None
