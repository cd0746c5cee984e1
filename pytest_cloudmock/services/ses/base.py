"""The SES service base: its store, identity lookups, verification and the captured mail.

Both SES APIs read and write this one store (`ses.shared.state_for(ctx)`); the helpers here
answer the questions both ask: which identity sends for an address, which addresses fail
the verification check, which recipients are suppressed.
"""

from __future__ import annotations

import base64
import secrets
import string
from typing import Any, ClassVar

from ...api import RequestContext, ServiceProfile
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from . import mime
from .errors import invalid_parameter
from .events import SIMULATOR_DOMAIN
from .state import ConfigurationSet, Identity, SentMessage, SesState

_TOKEN_ALPHABET = string.ascii_lowercase + string.digits


def is_email(identity: str) -> bool:
    return "@" in identity


class SesBase(ModelService):
    """Store and lookups shared by the SES v1 operations (and, through `shared`, by SES v2)."""

    name: ClassVar[str] = "ses"
    profile: ClassVar[ServiceProfile] = ServiceProfile()

    def __init__(self) -> None:
        self.store: Store[SesState] = Store(SesState)
        #: New identities start verified (True) instead of Pending; `verify()` verifies one.
        self.auto_verify = False

    # -- identities -----------------------------------------------------------------------
    def state(self, ctx: RequestContext) -> SesState:
        return self.store.for_ctx(ctx)

    @staticmethod
    def identity_key(name: str) -> str:
        """Domains compare case-insensitively, email addresses as given (AWS: case-sensitive)."""
        return name if is_email(name) else name.lower().rstrip(".")

    def find_identity(self, state: SesState, name: str) -> Identity | None:
        return state.identities.get(self.identity_key(name))

    def add_identity(self, ctx: RequestContext, name: str) -> Identity:
        """The identity `name` (email or domain), made Pending (or verified under `auto_verify`)
        if new; a domain gets a verification token and three DKIM tokens. Call under the lock."""
        state = self.state(ctx)
        key = self.identity_key(name)
        identity = state.identities.get(key)
        if identity is None:
            identity = state.identities[key] = Identity(
                name=key, kind="EmailAddress" if is_email(key) else "Domain", created=ctx.clock.utcnow())
            if identity.kind == "Domain":
                identity.verification_token = base64.b64encode(secrets.token_bytes(32)).decode()
                identity.dkim_tokens = [dkim_token() for _ in range(3)]
            if self.auto_verify or self.settings(ctx).get("auto_verify"):
                self._mark_verified(identity)
        return identity

    @staticmethod
    def settings(ctx: RequestContext) -> dict[str, Any]:
        """The gateway's `ses` settings (`registry.service_settings["ses"]`: `auto_verify`)."""
        return ctx.registry.service_settings.get("ses", {}) if ctx.registry is not None else {}

    @staticmethod
    def _mark_verified(identity: Identity) -> None:
        identity.status = "Success"
        if identity.kind == "Domain" and identity.dkim_enabled:
            identity.dkim_status = "Success"

    def identity_arn(self, ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:ses:{ctx.region}:{ctx.account_id}:identity/{name}"

    def sending_identity(self, state: SesState, sender: str) -> Identity | None:
        """The identity a sender sends as: its email identity, else its domain's."""
        return state.identities.get(sender) or state.identities.get(mime.domain_of(sender))

    def is_verified(self, state: SesState, address: str) -> bool:
        email = state.identities.get(address)
        domain = state.identities.get(mime.domain_of(address))
        return bool((email and email.verified) or (domain and domain.verified))

    def unverified(self, state: SesState, senders: list[str], recipients: list[str]) -> list[str]:
        """The addresses failing the verification check: the senders (Source, From, Return-Path)
        always, the recipients too (pass them while the account is in the sandbox; the mailbox
        simulator's are excepted)."""
        checked = list(senders)
        if not state.account.production_access:
            checked += [r for r in recipients if mime.domain_of(r) != SIMULATOR_DOMAIN]
        return list(dict.fromkeys(a for a in checked if not self.is_verified(state, a)))

    def notification_settings(self, state: SesState, sender: str) -> tuple[dict[str, str], dict[str, bool]]:
        """(event kind -> SNS topic, event kind -> include headers) for a sender: its address's
        settings, else its domain's (AWS: the address's take precedence)."""
        topics: dict[str, str] = {}
        headers: dict[str, bool] = {}
        for identity in (state.identities.get(mime.domain_of(sender)), state.identities.get(sender)):
            if identity is None:
                continue
            for kind, key in (("BOUNCE", "Bounce"), ("COMPLAINT", "Complaint"), ("DELIVERY", "Delivery")):
                if identity.notification_topics.get(key):
                    topics[kind] = identity.notification_topics[key]
                    headers[kind] = identity.headers_in_notifications.get(key, False)
        return topics, headers

    @staticmethod
    def suppressed_for(state: SesState, config_set: ConfigurationSet | None) -> set[str]:
        """Lower-cased addresses the suppression list stops (the configuration set's reasons, if set,
        else the account's)."""
        reasons = config_set.suppressed_reasons if config_set and config_set.suppressed_reasons is not None \
            else state.account.suppressed_reasons
        return {key for key, entry in state.suppressed.items() if entry.reason in reasons}

    def page(self, ctx: RequestContext, items: list[Any], token_key: str = "NextToken",
             limit_key: str = "MaxItems") -> tuple[list[Any], dict[str, str]]:
        """One page of `items` and `{"NextToken": ...}` when more follow."""
        page, token = offset_page(items, ctx.params.get(token_key), ctx.params.get(limit_key),
                                  bad_token=lambda: invalid_parameter("Invalid pagination token"),  # AWS's text unknown
                                  scope=f"ses:{ctx.operation}:{ctx.account_id}:{ctx.region}", default_limit=1000)
        return page, ({"NextToken": token} if token else {})

    # -- for tests (cloudmock.ses) ------------------------------------------------------------
    def verify(self, identity: str, *, account_id: str | None = None, region: str | None = None) -> int:
        """Mark an identity verified (as clicking AWS's link or publishing its DNS records would)
        in every account and region that has it (or only `account_id`/`region`); returns how many.
        Raises LookupError when none has it: create it first (`VerifyEmailIdentity`, ...)."""
        key = self.identity_key(identity)
        found = 0
        with self.store.lock:
            for (account, reg), state in self.store.partitions():
                if key in state.identities and account_id in (None, account) and region in (None, reg):
                    self._mark_verified(state.identities[key])
                    found += 1
        if not found:
            raise LookupError(f"no SES identity {identity!r}: create it first (VerifyEmailIdentity, ...)")
        return found

    def messages(self, destination: str | None = None, source: str | None = None) -> list[SentMessage]:
        """Every message SES accepted (both APIs), oldest first; filtered by a recipient or the source."""
        with self.store.lock:
            found = [m for _key, state in self.store.partitions() for m in state.messages]
        found.sort(key=lambda m: m.time)
        return [m for m in found if (destination is None or destination in m.destinations)
                and (source is None or mime.bare_address(m.source) == source)]

    def messages_json(self, destination: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
        """`messages()` as JSON-able dicts (the admin API's `GET /api/ses/messages`)."""
        return [m.as_dict() for m in self.messages(destination, source)]


def dkim_token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(32))

