"""SMS settings: account attributes, opted-out numbers, the SMS sandbox, origination numbers.

Sandbox verification codes are "texted" into the store's `outbox` (protocol `sms`,
type `Verification`), where a test reads them to call `VerifySMSSandboxPhoneNumber`.
Where AWS's exact wording of an error is not documented, a comment says so.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from .base import E164, PHONE, SnsBase, invalid, page
from .state import Delivery, SandboxNumber

SMS_TYPES = ("Promotional", "Transactional")
SMS_ATTRIBUTES = {
    "MonthlySpendLimit", "DeliveryStatusIAMRole", "DeliveryStatusSuccessSamplingRate",
    "DefaultSenderID", "DefaultSMSType", "UsageReportS3Bucket",
}
_SENDER_ID = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$")


def check_sms_attribute(name: str, value: str) -> None:
    """AWS's checks on one `SetSMSAttributes` entry (its wording is not documented: ours)."""
    if name not in SMS_ATTRIBUTES:
        raise invalid(f"{name} Reason: is not a valid SMS attribute")
    if name == "MonthlySpendLimit" and not value.isdigit():
        raise invalid("MonthlySpendLimit Reason: must be a whole number of USD")
    if name == "DeliveryStatusSuccessSamplingRate" and not (value.isdigit() and 0 <= int(value) <= 100):
        raise invalid("DeliveryStatusSuccessSamplingRate Reason: must be an integer from 0 to 100")
    if name == "DefaultSMSType" and value not in SMS_TYPES:
        raise invalid("DefaultSMSType Reason: must be Promotional or Transactional")
    if name == "DefaultSenderID" and not _SENDER_ID.match(value):
        raise invalid("DefaultSenderID Reason: 1 to 11 alphanumeric characters, at least one letter")


def check_phone(phone: str, e164: bool = False) -> str:
    """A phone number SNS accepts (`e164`: `+` and country code required)."""
    if not (E164 if e164 else PHONE).match(phone or ""):
        # AWS's text for a malformed number here is not documented.
        raise invalid("PhoneNumber Reason: input incorrectly formatted")
    return phone


class SmsOperations(SnsBase):
    """SMS account settings and phone number lists."""

    def set_sms_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        attributes = dict(ctx.params["attributes"])
        for name, value in attributes.items():
            check_sms_attribute(name, value)
        with self.store.lock:
            self.store.for_ctx(ctx).sms_attributes.update(attributes)
        return {}

    def get_sms_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stored = dict(self.store.for_ctx(ctx).sms_attributes)
        wanted = ctx.params.get("attributes") or list(stored)
        return {"attributes": {k: stored[k] for k in wanted if k in stored}}

    # -- opting out ----------------------------------------------------------------------------
    def check_if_phone_number_is_opted_out(self, ctx: RequestContext) -> dict[str, Any]:
        phone = check_phone(ctx.params["phoneNumber"])
        with self.store.lock:
            return {"isOptedOut": phone in self.store.for_ctx(ctx).opted_out}

    def list_phone_numbers_opted_out(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            numbers = sorted(self.store.for_ctx(ctx).opted_out)
        return page(numbers, ctx.params.get("nextToken"), "phoneNumbers",
                    f"ListPhoneNumbersOptedOut:{ctx.account_id}:{ctx.region}", token_key="nextToken")

    def opt_in_phone_number(self, ctx: RequestContext) -> dict[str, Any]:
        phone = check_phone(ctx.params["phoneNumber"])
        with self.store.lock:
            self.store.for_ctx(ctx).opted_out.discard(phone)
        return {}

    # -- the SMS sandbox -------------------------------------------------------------------------
    def get_sms_sandbox_account_status(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"IsInSandbox": self.store.for_ctx(ctx).in_sms_sandbox}

    def create_sms_sandbox_phone_number(self, ctx: RequestContext) -> dict[str, Any]:
        phone = check_phone(ctx.params["PhoneNumber"], e164=True)
        language = ctx.params.get("LanguageCode") or "en-US"
        otp = f"{secrets.randbelow(10**6):06d}"
        with self.store.lock:
            state = self.store.for_ctx(ctx)
            if phone in state.opted_out:
                # AWS's text is not documented.
                raise AWSError("OptedOut", "Phone number is opted out.", 400)
            known = state.sandbox_numbers.get(phone)
            if known is not None and known.status == "Verified":
                raise AWSError("UserError", "Phone number is already verified.", 400)  # wording not documented
            state.sandbox_numbers[phone] = SandboxNumber(phone, "Pending", otp, language)
            # The text of AWS's verification SMS is not documented; the code is what matters.
            text = f"Your Amazon SNS verification code is: {otp}"
            state.outbox.append(Delivery(protocol="sms", endpoint=phone, topic_arn="", subscription_arn="",
                                         message_id=str(uuid.uuid4()), type="Verification", message=text,
                                         body=text, token=otp))
        return {}

    def verify_sms_sandbox_phone_number(self, ctx: RequestContext) -> dict[str, Any]:
        phone, otp = ctx.params["PhoneNumber"], ctx.params["OneTimePassword"]
        with self.store.lock:
            known = self._sandbox_number(ctx, phone)
            if known.status != "Verified":
                if known.otp != otp:
                    # AWS's text is not documented; `Status` is the modelled field.
                    raise AWSError("VerificationException", "Invalid one-time password.", 400, Status="Pending")
                known.status = "Verified"
        return {}

    def delete_sms_sandbox_phone_number(self, ctx: RequestContext) -> dict[str, Any]:
        phone = ctx.params["PhoneNumber"]
        with self.store.lock:
            self._sandbox_number(ctx, phone)
            del self.store.for_ctx(ctx).sandbox_numbers[phone]
        return {}

    def list_sms_sandbox_phone_numbers(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            numbers = [{"PhoneNumber": n.phone, "Status": n.status}
                       for n in sorted(self.store.for_ctx(ctx).sandbox_numbers.values(), key=lambda n: n.phone)]
        return page(numbers, ctx.params.get("NextToken"), "PhoneNumbers",
                    f"ListSMSSandboxPhoneNumbers:{ctx.account_id}:{ctx.region}", ctx.params.get("MaxResults"))

    def _sandbox_number(self, ctx: RequestContext, phone: str) -> SandboxNumber:
        known = self.store.for_ctx(ctx).sandbox_numbers.get(phone)
        if known is None:
            # AWS's text is not documented.
            raise AWSError("ResourceNotFound", "Phone number does not exist in the SMS sandbox.", 404)
        return known

    def list_origination_numbers(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            numbers = [dict(n) for n in self.store.for_ctx(ctx).origination_numbers]
        return page(numbers, ctx.params.get("NextToken"), "PhoneNumbers",
                    f"ListOriginationNumbers:{ctx.account_id}:{ctx.region}", ctx.params.get("MaxResults"))
