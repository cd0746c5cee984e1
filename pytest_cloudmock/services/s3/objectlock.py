"""Object Lock: retention (GOVERNANCE, COMPLIANCE), legal holds, and the deletes they refuse.

Locks protect object *versions*: a locked version cannot be deleted (by version id)
while its retain-until date (on the gateway clock) is ahead or a legal hold is ON;
a GOVERNANCE lock yields to `x-amz-bypass-governance-retention: true`. Writing
the key again makes a new version and is always allowed, as in S3.

AWS documents the codes; the messages below are the ones S3 answers as far as we
know them ("Access Denied because object protected by object lock.", "Bucket is
missing Object Lock Configuration"); where unsure, a comment says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from ...api import AWSError, RequestContext
from ...clock import Clock
from . import errors
from .common import S3Base
from .store import Bucket, ObjectVersion

MODES = ("GOVERNANCE", "COMPLIANCE")
HOLDS = ("ON", "OFF")


def protected() -> AWSError:
    return errors.access_denied("Access Denied because object protected by object lock.")


def missing_lock_configuration() -> AWSError:
    return errors.invalid_request("Bucket is missing Object Lock Configuration")


def no_lock_on_object() -> AWSError:
    return AWSError("NoSuchObjectLockConfiguration",
                    "The specified object does not have a ObjectLock configuration", 404)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _check_retention(mode: Any, until: Any, now: datetime) -> None:
    if mode not in MODES:
        raise errors.malformed_xml()
    if until is None:
        raise errors.malformed_xml()
    if _aware(until) <= _aware(now):
        raise errors.invalid_argument("The retain until date must be in the future!",
                                      "RetainUntilDate", until)


def lock_from_params(params: dict[str, Any], bucket: Bucket, clock: Clock) -> dict[str, Any]:
    """The lock a write asks for (`x-amz-object-lock-*` headers), checked against the bucket."""
    mode, until = params.get("ObjectLockMode"), params.get("ObjectLockRetainUntilDate")
    hold = params.get("ObjectLockLegalHoldStatus")
    if mode is None and until is None and hold is None:
        return {}
    now = clock.utcnow()
    if not bucket.object_lock:
        raise missing_lock_configuration()
    lock: dict[str, Any] = {}
    if (mode is None) != (until is None):
        # AWS's wording for a half-given retention (our best knowledge)
        raise errors.invalid_argument(
            "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
            "x-amz-object-lock-mode" if mode is None else "x-amz-object-lock-retain-until-date",
            mode or until)
    if mode is not None:
        if mode not in MODES:
            raise errors.invalid_argument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode)
        _check_retention(mode, until, now)
        lock.update(Mode=mode, RetainUntilDate=_aware(until))
    if hold is not None:
        if hold not in HOLDS:
            raise errors.invalid_argument("Unknown legal hold status", "x-amz-object-lock-legal-hold", hold)
        lock["LegalHold"] = hold
    return lock


def apply_default_retention(bucket: Bucket, obj: ObjectVersion, clock: Clock) -> None:
    """Give a new version the bucket's default retention unless the write set its own."""
    if not bucket.object_lock or obj.lock.get("Mode"):
        return
    rule = (bucket.configs.get("ObjectLockConfiguration") or {}).get("Rule") or {}
    default = rule.get("DefaultRetention") or {}
    if not default.get("Mode"):
        return
    days = default.get("Days") or 365 * (default.get("Years") or 0)
    obj.lock = {**obj.lock, "Mode": default["Mode"],
                "RetainUntilDate": _aware(clock.utcnow()) + timedelta(days=days)}


def check_default_retention(config: dict[str, Any]) -> None:
    """S3's checks on `PutObjectLockConfiguration`'s rule."""
    if config.get("ObjectLockEnabled") not in (None, "Enabled"):
        raise errors.malformed_xml()
    default = (config.get("Rule") or {}).get("DefaultRetention")
    if default is None:
        return
    days, years = default.get("Days"), default.get("Years")
    if default.get("Mode") not in MODES or (days is None) == (years is None):
        raise errors.malformed_xml()
    if (days if days is not None else years) <= 0:
        raise errors.invalid_argument("Default retention period must be a positive integer value",
                                      "Days" if days is not None else "Years", days or years)


def check_delete(obj: ObjectVersion, bypass: bool, now: datetime) -> None:
    """Refuse deleting a locked version: legal hold ON, or retention not yet over."""
    if obj.lock.get("LegalHold") == "ON":
        raise protected()
    until = obj.lock.get("RetainUntilDate")
    retained = until is not None and _aware(until) > _aware(now)
    if retained and (obj.lock.get("Mode") == "COMPLIANCE" or not bypass):
        raise protected()


def lock_headers(obj: ObjectVersion) -> dict[str, Any]:
    """The `ObjectLock*` members GetObject and HeadObject answer."""
    out: dict[str, Any] = {}
    if obj.lock.get("Mode"):
        out["ObjectLockMode"] = obj.lock["Mode"]
        out["ObjectLockRetainUntilDate"] = obj.lock["RetainUntilDate"]
    if obj.lock.get("LegalHold"):
        out["ObjectLockLegalHoldStatus"] = obj.lock["LegalHold"]
    return out


class ObjectLockOps(S3Base):
    """Get/PutObjectRetention and Get/PutObjectLegalHold."""

    def _locked_object(self, ctx: RequestContext) -> tuple[Bucket, ObjectVersion]:
        bucket = self.bucket(ctx)
        if not bucket.object_lock:
            raise missing_lock_configuration()
        return bucket, self.current(bucket, ctx.params["Key"], ctx.params.get("VersionId"))

    def put_object_retention(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        retention = params.get("Retention") or {}
        now = ctx.clock.utcnow()
        with self.store.lock:
            bucket, obj = self._locked_object(ctx)
            mode, until = retention.get("Mode"), retention.get("RetainUntilDate")
            current_until = obj.lock.get("RetainUntilDate")
            active = current_until is not None and _aware(current_until) > _aware(now)
            if mode is None and until is None:  # removing retention
                if active and (obj.lock.get("Mode") == "COMPLIANCE" or not params.get("BypassGovernanceRetention")):
                    raise protected()
                obj.lock = {k: v for k, v in obj.lock.items() if k == "LegalHold"}
                return {}
            _check_retention(mode, until, now)
            if active:
                shortened = _aware(until) < _aware(current_until)
                weakened = obj.lock.get("Mode") == "COMPLIANCE" and mode == "GOVERNANCE"
                if obj.lock.get("Mode") == "COMPLIANCE" and (shortened or weakened):
                    raise protected()
                if obj.lock.get("Mode") == "GOVERNANCE" and (shortened or mode != "GOVERNANCE") and not (
                    params.get("BypassGovernanceRetention")
                ):
                    raise protected()
            obj.lock = {**obj.lock, "Mode": mode, "RetainUntilDate": _aware(until)}
        return {}

    def get_object_retention(self, ctx: RequestContext) -> dict[str, Any]:
        _, obj = self._locked_object(ctx)
        if not obj.lock.get("Mode"):
            raise no_lock_on_object()
        return {"Retention": {"Mode": obj.lock["Mode"], "RetainUntilDate": obj.lock["RetainUntilDate"]}}

    def put_object_legal_hold(self, ctx: RequestContext) -> dict[str, Any]:
        status = (ctx.params.get("LegalHold") or {}).get("Status")
        if status not in HOLDS:
            raise errors.malformed_xml()
        with self.store.lock:
            _, obj = self._locked_object(ctx)
            obj.lock = {**obj.lock, "LegalHold": status}
        return {}

    def get_object_legal_hold(self, ctx: RequestContext) -> dict[str, Any]:
        _, obj = self._locked_object(ctx)
        if not obj.lock.get("LegalHold"):
            raise no_lock_on_object()
        return {"LegalHold": {"Status": obj.lock["LegalHold"]}}

