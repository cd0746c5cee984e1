"""Lifecycle rules applied on the gateway clock.

S3 runs lifecycle asynchronously, once a day; here the rules are applied whenever
the gateway clock moves, so a test that advances the clock sees the result at once,
and at requests: to every object when time alone may have changed what the rules do
since the last pass (a midnight, a rule's date or a retention's end passed) or the
bucket itself changed, and after a write to the keys it named, so a request costs
the same however many objects the bucket holds. What is applied:

- `Expiration` (`Days` or `Date`) of current versions: removed (unversioned
  buckets) or hidden behind a delete marker (versioned);
  `ExpiredObjectDeleteMarker` removes a delete marker that is the only version left;
- `NoncurrentVersionExpiration` (`NoncurrentDays`, `NewerNoncurrentVersions`);
- `Transitions` / `NoncurrentVersionTransitions`: the storage class changes;
- `AbortIncompleteMultipartUpload` (`DaysAfterInitiation`).

Day counts run, as in S3, from the object's creation (or when it became
noncurrent) rounded up to the next midnight UTC. Filters: prefix, tags, object
size, `And`, and the legacy top-level `Prefix`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from ...api import RequestContext, new_request_id
from ...registry import Registry
from . import errors
from .common import S3Base
from .notifications import notify
from .store import Bucket, ObjectVersion, new_version_id

ACTIONS = ("Expiration", "Transitions", "Transition", "NoncurrentVersionExpiration",
           "NoncurrentVersionTransitions", "NoncurrentVersionTransition", "AbortIncompleteMultipartUpload")


def validate(config: dict[str, Any]) -> None:
    """S3's checks on a lifecycle configuration (messages as far as we know AWS's)."""
    rules = config.get("Rules") or []
    if not rules or len(rules) > 1000:
        raise errors.malformed_xml()
    ids = [r["ID"] for r in rules if r.get("ID")]
    if len(ids) != len(set(ids)):
        raise errors.invalid_argument("Rule ID must be unique. Found same ID for more than one rule",
                                      "ID", ids[0])
    for rule in rules:
        if rule.get("Status") not in ("Enabled", "Disabled") or ("Filter" in rule and "Prefix" in rule):
            raise errors.malformed_xml()
        if len(rule.get("ID") or "") > 255:
            raise errors.invalid_argument("ID length should not exceed allowed limit of 255", "ID", rule["ID"])
        if not any(rule.get(action) for action in ACTIONS):
            raise errors.invalid_request("At least one action needs to be specified in a rule")
        days = (rule.get("Expiration") or {}).get("Days")
        if days is not None and days <= 0:
            raise errors.invalid_argument("'Days' for Expiration action must be a positive integer",
                                          "Days", days)
        noncurrent = (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays")
        if noncurrent is not None and noncurrent <= 0:
            raise errors.invalid_argument("'NoncurrentDays' for NoncurrentVersionExpiration action must "
                                          "be a positive integer", "NoncurrentDays", noncurrent)


def _due(start: datetime, days: int) -> datetime:
    """`start` + `days`, rounded up to the next midnight UTC (S3's rule)."""
    start = start if start.tzinfo else start.replace(tzinfo=timezone.utc)
    moment = start.astimezone(timezone.utc) + timedelta(days=days)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if midnight == moment else midnight + timedelta(days=1)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _matches(rule: dict[str, Any], obj: ObjectVersion) -> bool:
    if "Filter" not in rule:
        return obj.key.startswith(rule.get("Prefix") or "")
    rule_filter = rule.get("Filter") or {}
    conditions = rule_filter.get("And") or rule_filter
    tags = list(conditions.get("Tags") or []) + ([conditions["Tag"]] if "Tag" in conditions else [])
    if not obj.key.startswith(conditions.get("Prefix") or ""):
        return False
    if any(obj.tags.get(t.get("Key")) != t.get("Value") for t in tags):
        return False
    greater, less = conditions.get("ObjectSizeGreaterThan"), conditions.get("ObjectSizeLessThan")
    if not obj.delete_marker and greater is not None and not obj.size > greater:
        return False
    return obj.delete_marker or less is None or obj.size < less


def _rules(bucket: Bucket) -> list[dict[str, Any]]:
    config = bucket.configs.get("LifecycleConfiguration") or {}
    return [r for r in config.get("Rules") or [] if r.get("Status") == "Enabled"]


def _expired(rule: dict[str, Any], obj: ObjectVersion, now: datetime) -> bool:
    expiration = rule.get("Expiration") or {}
    if expiration.get("Date") is not None:
        return now >= _aware(expiration["Date"])
    if expiration.get("Days") is not None:
        return now >= _due(obj.last_modified, expiration["Days"])
    return False


def apply(bucket: Bucket, now: datetime, keys: Iterable[str] | None = None) -> list[tuple[str, ObjectVersion]]:
    """Apply the bucket's lifecycle rules at `now` to every object and upload, or only to `keys`
    (caller holds the store lock); then note in `bucket.lifecycle_next` when time alone can next
    change what they do.

    Returns the (event name, version) pairs S3 would report (`LifecycleExpiration:*`).
    Versions under Object Lock are left alone, as S3 does.
    """
    rules = _rules(bucket)
    if not rules:
        return []
    now = _aware(now)
    wake = [_next_change(rules, now) if keys is None else bucket.lifecycle_next]
    events: list[tuple[str, ObjectVersion]] = []
    for key in list(bucket.objects) if keys is None else keys:
        versions = bucket.objects.get(key, [])
        for rule in rules:
            if not versions:
                break
            current = versions[-1]
            if not _matches(rule, current):
                continue
            _transition(rule.get("Transitions") or [], current, current.last_modified, now)
            if not current.delete_marker and _expired(rule, current, now) and not _locked(current, now, wake):
                if bucket.versioning is None:
                    versions.pop()
                    events.append(("LifecycleExpiration:Delete", current))
                else:
                    marker = ObjectVersion(key=key, owner=current.owner, delete_marker=True,
                                           last_modified=now)
                    marker.version_id = new_version_id() if bucket.versioning == "Enabled" else "null"
                    if marker.version_id == "null":
                        versions[:] = [v for v in versions if v.version_id != "null"]
                    versions.append(marker)
                    events.append(("LifecycleExpiration:DeleteMarkerCreated", marker))
            _noncurrent(rule, versions, now, events, wake)
            if (rule.get("Expiration") or {}).get("ExpiredObjectDeleteMarker") and len(versions) == 1 and (
                versions[0].delete_marker
            ):
                events.append(("LifecycleExpiration:Delete", versions.pop()))
        if not versions:
            bucket.objects.pop(key, None)
    if keys is None:
        _abort_uploads(bucket, rules, now)
    known = [moment for moment in wake if moment is not None]
    bucket.lifecycle_next = min(known) if known and (keys is None or bucket.lifecycle_next) else None
    return events


def _next_change(rules: list[dict[str, Any]], now: datetime) -> datetime:
    """The next moment time alone can change what `rules` do: the next midnight UTC (S3 rounds
    day counts up to midnights) or a rule's own date before it."""
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    dates = [_aware(action["Date"]) for rule in rules
             for action in (rule.get("Expiration") or {}, *(rule.get("Transitions") or []))
             if action.get("Date") is not None]
    return min([midnight, *(date for date in dates if date > now)])


def _locked(obj: ObjectVersion, now: datetime, wake: list[datetime | None]) -> bool:
    """Whether Object Lock keeps `obj` now; a retention that ends is a moment to look again (`wake`)."""
    until = obj.lock.get("RetainUntilDate")
    if until is not None and _aware(until) > now:
        wake.append(_aware(until))
        return True
    return obj.lock.get("LegalHold") == "ON"


def _transition(transitions: list[dict[str, Any]], obj: ObjectVersion, since: datetime, now: datetime) -> None:
    if obj.delete_marker:
        return
    for transition in transitions:
        days, date = transition.get("Days", transition.get("NoncurrentDays")), transition.get("Date")
        reached = now >= _aware(date) if date is not None else days is not None and now >= _due(since, days)
        if reached and transition.get("StorageClass"):
            obj.storage_class = transition["StorageClass"]


def _noncurrent(rule: dict[str, Any], versions: list[ObjectVersion], now: datetime,
                events: list[tuple[str, ObjectVersion]], wake: list[datetime | None]) -> None:
    """Noncurrent versions: transitions, then expiry (newest `NewerNoncurrentVersions` kept)."""
    expiration = rule.get("NoncurrentVersionExpiration") or {}
    transitions = rule.get("NoncurrentVersionTransitions") or []
    if not expiration and not transitions:
        return
    keep = expiration.get("NewerNoncurrentVersions") or 0
    days = expiration.get("NoncurrentDays")
    expired: list[ObjectVersion] = []
    noncurrent = list(enumerate(versions[:-1]))
    for rank, (index, version) in enumerate(reversed(noncurrent)):
        became_noncurrent = versions[index + 1].last_modified
        if not _matches(rule, version):
            continue
        _transition(transitions, version, became_noncurrent, now)
        if days is not None and rank >= keep and now >= _due(became_noncurrent, days) and not _locked(version, now, wake):
            expired.append(version)
    if expired:
        versions[:] = [v for v in versions if all(v is not e for e in expired)]
        events.extend(("LifecycleExpiration:Delete", v) for v in expired)


def _abort_uploads(bucket: Bucket, rules: list[dict[str, Any]], now: datetime) -> None:
    for upload_id, upload in list(bucket.uploads.items()):
        for rule in rules:
            days = (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation")
            prefix = rule.get("Prefix") if "Filter" not in rule else ((rule.get("Filter") or {}).get(
                "And") or rule.get("Filter") or {}).get("Prefix")
            if days is not None and upload.key.startswith(prefix or "") and now >= _due(upload.initiated, days):
                del bucket.uploads[upload_id]
                break


READ_ONLY = ("Get", "Head", "List", "Select")


def _keys_named(params: dict[str, Any]) -> list[str] | None:
    """The object keys a request names (None: it names none, it acts on the bucket)."""
    if params.get("Key") is not None:
        return [params["Key"]]
    objects = (params.get("Delete") or {}).get("Objects")
    return [o["Key"] for o in objects if o.get("Key") is not None] if objects else None


class LifecycleOps(S3Base):
    """Applies lifecycle rules before a request touches a bucket, and when the clock moves."""

    def apply_lifecycle(self, ctx: RequestContext, bucket: Bucket, keys: Iterable[str] | None = None) -> None:
        with self.store.lock:
            events = apply(bucket, ctx.clock.utcnow(), keys)
            for event, obj in events:
                notify(ctx, bucket, event, obj)

    def lifecycle_around(self, ctx: RequestContext, bucket: Bucket | None) -> Callable[[], None] | None:
        """Before a request reaches a bucket with lifecycle rules: apply them to every object if time
        alone may have changed what they do (a midnight, a rule's date, a retention's end passed) or
        the bucket changed in a way only a full pass sees. Returns what to run after a request that
        may change objects: the rules applied to the objects it named (a bucket-wide change: a full
        pass at the next request), so a request costs the same however many objects the bucket holds.
        """
        if bucket is None or "LifecycleConfiguration" not in bucket.configs:
            return None
        due = bucket.lifecycle_next
        if due is None or _aware(ctx.clock.utcnow()) >= due:
            self.apply_lifecycle(ctx, bucket)
        if ctx.operation.startswith(READ_ONLY):
            return None
        keys = _keys_named(ctx.params)
        if keys is None:
            return lambda: setattr(bucket, "lifecycle_next", None)
        return lambda: self.apply_lifecycle(ctx, bucket, keys)

    def sweep(self, registry: Registry) -> None:
        """Apply every bucket's rules at the clock's new time; deliver the events after."""
        for (account, _), state in self.store.partitions():
            for bucket in list(state.buckets.values()):
                if not _rules(bucket):
                    continue
                ctx = RequestContext(service="s3", operation="LifecycleSweep", params={},
                                     region=bucket.region, account_id=account, access_key_id="",
                                     request_id=new_request_id(), protocol="internal", registry=registry)
                self.apply_lifecycle(ctx, bucket)
                for effect in ctx.deferred:
                    effect()
