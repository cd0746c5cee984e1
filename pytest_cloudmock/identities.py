"""Who a request runs as: access key id -> account and principal.

Resolution order: credentials issued at run time (STS temporary credentials,
IAM access keys) -> the configured access-key map -> an access key id that is
12 digits (it *is* the account, so tests isolate accounts without config) ->
the default account. Credentials issued with an expiration are refused
(`ExpiredToken`) once the gateway clock passes it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from .api import AWSError
from .clock import REAL_CLOCK, Clock

DEFAULT_ACCOUNT = "123456789012"


def expired_token() -> AWSError:
    """AWS's error for a request signed with expired temporary credentials.

    The query services' (STS, IAM, SNS, SQS) code and wording; the signature
    check (`verify_signatures`) answers with each protocol family's own.
    """
    return AWSError("ExpiredToken", "The security token included in the request is expired", 403)


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
    active: bool = True  # False: known but refused (an IAM access key made Inactive)


@lru_cache(maxsize=4096)
def root_identity(account_id: str, access_key_id: str = "") -> Identity:
    """An account's root principal signing with `access_key_id` (frozen, so made once per pair:
    most requests run as one)."""
    return Identity(
        account_id=account_id,
        arn=f"arn:aws:iam::{account_id}:root",
        access_key_id=access_key_id,
        user_id=account_id,
    )


class Identities:
    """Thread-safe table of credentials known to the gateway."""

    def __init__(
        self,
        default_account: str = DEFAULT_ACCOUNT,
        access_keys: dict[str, str] | None = None,
        clock: Clock = REAL_CLOCK,
    ) -> None:
        self.default_account = default_account
        self.clock = clock  # the gateway clock: when issued credentials expire
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
        """The identity a request signed with `access_key_id` runs as (`ExpiredToken` once expired)."""
        identity = self.lookup(access_key_id)
        if self.expired(identity):
            raise expired_token()
        return identity

    def expired(self, identity: Identity) -> bool:
        """Whether `identity`'s credentials have expired on the gateway clock."""
        return identity.expiration is not None and self.clock.now() > identity.expiration

    def lookup(self, access_key_id: str) -> Identity:
        """Whose `access_key_id` is, expired or not (STS `GetAccessKeyInfo`)."""
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
