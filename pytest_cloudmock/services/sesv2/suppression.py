"""The account-level suppression list (kept in the shared SES core, where the sender reads it)."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from ..ses.state import Suppression
from .base import checked_address
from .errors import bad_suppression_token, not_found
from .shared import SharedCore


class SuppressionOperations(SharedCore):
    def suppress(self, ctx: RequestContext, address: str, reason: str) -> None:
        """Put (or replace) one address on the list (PutSuppressedDestination, import jobs)."""
        with self.locked(ctx) as core:
            core.suppressed[address.lower()] = Suppression(address, reason, ctx.clock.utcnow())

    def unsuppress(self, ctx: RequestContext, address: str) -> bool:
        """Take an address off the list; whether it was on it."""
        with self.locked(ctx) as core:
            return core.suppressed.pop(address.lower(), None) is not None

    def put_suppressed_destination(self, ctx: RequestContext) -> dict[str, Any]:
        self.suppress(ctx, checked_address(ctx.params["EmailAddress"]), ctx.params["Reason"])
        return {}

    def _missing(self, address: str) -> Exception:
        return not_found(f"Email address {address} does not exist on your suppression list.")  # wording ours

    def get_suppressed_destination(self, ctx: RequestContext) -> dict[str, Any]:
        address = ctx.params["EmailAddress"]
        with self.locked(ctx) as core:
            entry = core.suppressed.get(address.lower())
            if entry is None:
                raise self._missing(address)
            out: dict[str, Any] = {"EmailAddress": entry.email, "Reason": entry.reason, "LastUpdateTime": entry.time}
            attributes = {k: v for k, v in (("MessageId", entry.message_id), ("FeedbackId", entry.feedback_id)) if v}
            if attributes:
                out["Attributes"] = attributes
            return {"SuppressedDestination": out}

    def delete_suppressed_destination(self, ctx: RequestContext) -> dict[str, Any]:
        if not self.unsuppress(ctx, ctx.params["EmailAddress"]):
            raise self._missing(ctx.params["EmailAddress"])
        return {}

    def list_suppressed_destinations(self, ctx: RequestContext) -> dict[str, Any]:
        """Newest first; `Reasons`, `StartDate` and `EndDate` (on the last update time) filter."""
        p = ctx.params
        reasons, start, end = set(p.get("Reasons") or []), p.get("StartDate"), p.get("EndDate")
        with self.locked(ctx) as core:
            entries = sorted(core.suppressed.values(), key=lambda e: (-e.time.timestamp(), e.email.lower()))
        chosen = [{"EmailAddress": e.email, "Reason": e.reason, "LastUpdateTime": e.time} for e in entries
                  if (not reasons or e.reason in reasons) and (start is None or e.time >= start)
                  and (end is None or e.time <= end)]
        page, more = self.page(ctx, chosen, "suppressed", default=1000, bad=bad_suppression_token)
        return {"SuppressedDestinationSummaries": page, **more}
