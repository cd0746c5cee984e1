"""Who a request runs as: access key id -> account and principal.

Resolution order: credentials issued at run time (STS temporary credentials,
IAM access keys) -> the configured access-key map -> an access key id that is
12 digits (it *is* the account, so tests isolate accounts without config) ->
the default account.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Identity:
    """A principal: its account, ARN, and the credentials that prove it."""

    account_id: str
    arn: str
    access_key_id: str = ""
    secret_access_key: str = ""
    session_token: str = ""
    user_id: str = ""
    expiration: float | None = None
    issuer: str = ""  # the service that issued these credentials (its reset forgets them)


def root_identity(account_id: str, access_key_id: str = "") -> Identity:
    return Identity(
        account_id=account_id,
        arn=f"arn:aws:iam::{account_id}:root",
        access_key_id=access_key_id,
        user_id=account_id,
    )


class Identities:
    """Thread-safe table of credentials known to the gateway."""

    def __init__(
        self, default_account: str = DEFAULT_ACCOUNT, access_keys: dict[str, str] | None = None
    ) -> None:
        self.default_account = default_account
        self.access_keys = dict(access_keys or {})
        self._issued: dict[str, Identity] = {}
        self._lock = threading.Lock()

    def add(self, identity: Identity) -> None:
        """Recognise credentials issued at run time (by STS or IAM)."""
        with self._lock:
            self._issued[identity.access_key_id] = identity

    def remove(self, access_key_id: str) -> None:
        with self._lock:
            self._issued.pop(access_key_id, None)

    def forget_issued_by(self, service: str) -> None:
        """Forget every credential `service` issued (that service's state was reset)."""
        with self._lock:
            self._issued = {k: i for k, i in self._issued.items() if i.issuer != service}

    def issued(self, access_key_id: str) -> Identity | None:
        return self._issued.get(access_key_id)

    def resolve(self, access_key_id: str) -> Identity:
        """The identity a request signed with `access_key_id` runs as."""
        found = self._issued.get(access_key_id)
        if found is not None:
            return found
        account = self.access_keys.get(access_key_id)
        if account is None:
            account = access_key_id if len(access_key_id) == 12 and access_key_id.isdigit() else (
                self.default_account
            )
        return root_identity(account, access_key_id)

    def reset(self) -> None:
        """Forget credentials issued at run time."""
        with self._lock:
            self._issued = {}

    def snapshot(self) -> dict[str, Identity]:
        """The credentials issued so far (identities are immutable: a shallow copy is enough)."""
        with self._lock:
            return dict(self._issued)

    def restore(self, issued: dict[str, Identity]) -> None:
        with self._lock:
            self._issued = dict(issued)
