"""The account: `GetAccount` and the `PutAccount*` settings, kept in the shared SES core.

`PutAccountDetails` with `ProductionAccessEnabled` is a request for production access that
AWS reviews; here the review grants it at once (the account leaves the sandbox: any
recipient, the production quota), so a test can move out of the sandbox the way a user does.
"""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from ..ses.sending import sent_last_24h
from ..ses.state import PRODUCTION_MAX_24H, PRODUCTION_MAX_RATE
from .shared import SharedCore


class AccountOperations(SharedCore):
    def get_account(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            account = core.account
            out: dict[str, Any] = {
                "DedicatedIpAutoWarmupEnabled": account.extras.get("DedicatedIpAutoWarmupEnabled", False),
                "EnforcementStatus": "HEALTHY",
                "ProductionAccessEnabled": account.production_access,
                "SendQuota": {"Max24HourSend": account.max_24h, "MaxSendRate": account.max_rate,
                              "SentLast24Hours": float(sent_last_24h(core, ctx.clock.utcnow()))},
                "SendingEnabled": account.sending_enabled,
                "SuppressionAttributes": {"SuppressedReasons": list(account.suppressed_reasons)},
                "VdmAttributes": account.extras.get("VdmAttributes", {"VdmEnabled": "DISABLED"}),
            }
            if "SuppressionValidationAttributes" in account.extras:
                out["SuppressionAttributes"]["ValidationAttributes"] = account.extras["SuppressionValidationAttributes"]
            if account.details:
                out["Details"] = dict(account.details)
            return out

    def put_account_details(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        details = {k: p[k] for k in ("MailType", "WebsiteURL", "ContactLanguage", "UseCaseDescription",
                                     "AdditionalContactEmailAddresses") if k in p}
        with self.locked(ctx) as core:
            account = core.account
            if p.get("ProductionAccessEnabled"):
                account.production_access = True
                account.max_24h, account.max_rate = max(account.max_24h, PRODUCTION_MAX_24H), \
                    max(account.max_rate, PRODUCTION_MAX_RATE)
            account.details = dict(details)
            if p.get("ProductionAccessEnabled"):  # a review case is opened (and granted) only when asked
                account.details["ReviewDetails"] = {"Status": "GRANTED", "CaseId": uuid.uuid4().hex[:16]}
        return {}

    def put_account_sending_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            core.account.sending_enabled = bool(ctx.params.get("SendingEnabled", False))
        return {}

    def put_account_suppression_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            core.account.suppressed_reasons = list(dict.fromkeys(ctx.params.get("SuppressedReasons") or []))
            if "ValidationAttributes" in ctx.params:
                core.account.extras["SuppressionValidationAttributes"] = ctx.params["ValidationAttributes"]
        return {}

    def put_account_vdm_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            core.account.extras["VdmAttributes"] = ctx.params["VdmAttributes"]
        return {}

    def put_account_dedicated_ip_warmup_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            core.account.extras["DedicatedIpAutoWarmupEnabled"] = bool(ctx.params.get("AutoWarmupEnabled", False))
        return {}
