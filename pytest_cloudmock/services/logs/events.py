"""Log events: PutLogEvents (AWS's batch rules and rejections), GetLogEvents (forward and
backward tokens), FilterLogEvents (the pattern language across streams), GetLogRecord and
the fields a group's events carry."""

from __future__ import annotations

import bisect
import heapq
import re
from itertools import islice
from typing import Any

from ...api import RequestContext
from ...paging import decode_token, encode_token
from . import delivery, errors, fields
from .base import DAY_MS, LogsBase, now_ms, retention_cutoff, visible
from .patterns import PatternError, compile_pattern
from .state import Event, LogGroup

MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD = 26
MAX_SPAN_MS = DAY_MS
TOO_OLD_MS = 14 * DAY_MS
TOO_NEW_MS = 2 * 3_600_000
MAX_EVENTS = 10_000
_TOKEN = re.compile(r"([fb])/(\d{19})(\d{37})/s")


def pattern_of(text: str | None) -> Any:
    """A compiled filter pattern, or AWS's `InvalidParameterException` for a bad one."""
    try:
        return compile_pattern(text)
    except PatternError as exc:
        raise errors.invalid(str(exc)) from None


def _timestamp(event: Event) -> int:
    return event.timestamp


def _key(event: Event) -> tuple[int, int]:
    return event.key


def _pair_key(pair: tuple[Event, str]) -> tuple[int, int]:
    return pair[0].key


def _after_key(token: str | None, scope: str) -> tuple[Any, ...] | None:
    """The event key a FilterLogEvents token resumes after (None: from the start)."""
    if not token:
        return None
    value = decode_token(token, errors.bad_token, scope)
    if not isinstance(value, list) or len(value) != 2 or not all(type(v) is int for v in value):
        raise errors.bad_token()
    return tuple(value)


def _window(events: list[Event], oldest: int | None, newest: int | None, after: tuple[Any, ...] | None) -> list[Event]:
    """The events stamped in [oldest, newest] (None: unbounded) with keys after `after`, in order."""
    lo = 0 if oldest is None else bisect.bisect_left(events, oldest, key=_timestamp)
    if after is not None:
        lo = max(lo, bisect.bisect_right(events, after, key=_key))
    hi = len(events) if newest is None else bisect.bisect_right(events, newest, lo, key=_timestamp)
    return events[lo:hi]


class EventOperations(LogsBase):
    # -- writing ------------------------------------------------------------------------
    def put_log_events(self, ctx: RequestContext) -> dict[str, Any]:
        batch = list(ctx.params.get("logEvents") or [])
        if not batch:
            raise errors.invalid("logEvents must not be empty.")  # the validation step answers first over the wire
        stamps = [int(e.get("timestamp") or 0) for e in batch]
        if any(b < a for a, b in zip(stamps, stamps[1:], strict=False)):
            raise errors.invalid("Log events in a single PutLogEvents request must be in chronological order.")
        size = sum(len(str(e.get("message") or "").encode()) + EVENT_OVERHEAD for e in batch)
        if size > MAX_BATCH_BYTES:
            # AWS's exact text is not documented.
            raise errors.invalid(f"Upload too large: {size} bytes exceeds limit of {MAX_BATCH_BYTES}")
        now = now_ms(ctx)
        state = self.state(ctx)
        with self.store.lock:
            group = self.group(ctx, ctx.params.get("logGroupName") or "")
            stream = self.stream(ctx, group)
            too_old = bisect.bisect_left(stamps, now - TOO_OLD_MS)
            cutoff = retention_cutoff(group, now)
            expired = bisect.bisect_left(stamps, cutoff) if cutoff is not None else 0
            too_new = bisect.bisect_right(stamps, now + TOO_NEW_MS)
            first = max(too_old, expired)
            if first < too_new and stamps[too_new - 1] - stamps[first] > MAX_SPAN_MS:  # among the valid events
                raise errors.invalid("The batch of log events in a single PutLogEvents request cannot span more "
                                     "than 24 hours.")
            accepted: list[Event] = []
            for raw, stamp in list(zip(batch, stamps, strict=True))[first:too_new]:
                state.next_seq += 1
                event = Event(stamp, str(raw.get("message") or ""), now, state.next_seq)
                bisect.insort(stream.events, event, key=_key)
                stream.stored_bytes += len(event.message.encode())
                accepted.append(event)
            if accepted:
                stream.last_ingestion_time = now
            delivery.fan_out(ctx, group, stream.name, accepted)
        result: dict[str, Any] = {"nextSequenceToken": f"{state.next_seq:056d}"}
        rejected: dict[str, int] = {}
        if too_old:
            rejected["tooOldLogEventEndIndex"] = too_old
        if expired:
            rejected["expiredLogEventEndIndex"] = expired
        if too_new < len(batch):
            rejected["tooNewLogEventStartIndex"] = too_new
        if rejected:
            result["rejectedLogEventsInfo"] = rejected
        return result

    # -- reading one stream -------------------------------------------------------------
    def get_log_events(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        limit = p.get("limit") or MAX_EVENTS
        start, end = p.get("startTime"), p.get("endTime")
        now = now_ms(ctx)
        token = p.get("nextToken")
        direction, key = _read_token(token) if token else ("f", (0, 0))
        with self.store.lock:
            group = self.group(ctx)
            events = self.stream(ctx, group).events
            # the events a read may return are one run of the stream (kept in time order): from the
            # retention cutoff and startTime to endTime; a page is found in it by bisection
            bounds = [t for t in (start, retention_cutoff(group, now)) if t is not None]
            lo = bisect.bisect_left(events, max(bounds), key=_timestamp) if bounds else 0
            hi = len(events) if end is None else bisect.bisect_left(events, end, lo, key=_timestamp)
            if not token:
                page = events[lo:min(lo + limit, hi)] if p.get("startFromHead") else events[max(lo, hi - limit):hi]
            elif direction == "f":
                cut = bisect.bisect_right(events, key, lo, hi, key=_key)
                page = events[cut:min(cut + limit, hi)]
            else:
                cut = bisect.bisect_left(events, key, lo, hi, key=_key)
                page = events[max(lo, cut - limit):cut]
        page = _within_bytes(page, from_end=direction == "b" or not (token or p.get("startFromHead")))
        if page:
            forward, backward = _token("f", page[-1].key), _token("b", page[0].key)
        elif token:  # at the end (or start) of the stream: the same token comes back
            forward = token if direction == "f" else _token("f", key)
            backward = token if direction == "b" else _token("b", key)
        else:
            forward, backward = _token("f", key), _token("b", key)
        return {"events": [{"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion_time}
                           for e in page],
                "nextForwardToken": forward, "nextBackwardToken": backward}

    # -- searching a group --------------------------------------------------------------
    def filter_log_events(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        names, prefix = p.get("logStreamNames"), p.get("logStreamNamePrefix")
        if names and prefix:
            # AWS's exact text is not documented.
            raise errors.invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
        pattern = pattern_of(p.get("filterPattern"))
        start, end = p.get("startTime"), p.get("endTime")
        now = now_ms(ctx)
        with self.store.lock:
            group = self.group(ctx)
            scope = f"filter:{group.name}"
            after = _after_key(p.get("nextToken"), scope)
            streams = [s for s in group.streams.values()
                       if (not names or s.name in names) and (not prefix or s.name.startswith(prefix))]
            bounds = [t for t in (start, retention_cutoff(group, now)) if t is not None]
            oldest = max(bounds) if bounds else None
            # each stream's events in the time window after the token: one run found by bisection
            windows = [(_window(s.events, oldest, end, after), s.name) for s in streams]
        merged = heapq.merge(*(((e, name) for e in events) for events, name in windows), key=_pair_key)
        hits = (pair for pair in merged if pattern.match(pair[0].message) is not None)
        page = list(islice(hits, p.get("limit") or MAX_EVENTS))
        more = next(hits, None) is not None
        token = encode_token(page[-1][0].key, scope) if more and page else None
        kept = _within_bytes([e for e, _ in page], from_end=False)
        if len(kept) < len(page):  # at most 1 MB per page, like GetLogEvents
            page, token = page[:len(kept)], encode_token(kept[-1].key, scope)
        return self.paged({
            "events": [{"logStreamName": name, "timestamp": e.timestamp, "message": e.message,
                        "ingestionTime": e.ingestion_time, "eventId": e.event_id} for e, name in page],
            "searchedLogStreams": [{"logStreamName": s.name, "searchedCompletely": True}
                                   for s in sorted(streams, key=lambda s: s.name)],
        }, token)

    # -- one record, and fields ---------------------------------------------------------
    def get_log_record(self, ctx: RequestContext) -> dict[str, Any]:
        group_name, stream_name, key = fields.parse_pointer(ctx.params.get("logRecordPointer") or "")
        with self.store.lock:
            group = self.group(ctx, group_name)
            stream = group.streams.get(stream_name)
            event = next((e for e in stream.events if e.key == key), None) if stream else None
            if event is None or event not in visible(group, stream, now_ms(ctx)):  # type: ignore[arg-type]
                raise errors.not_found("The specified log record does not exist.")  # exact text unknown
        record = fields.record(ctx.account_id, group.name, stream_name, event)
        record.pop("@ptr")
        return {"logRecord": {k: fields.text(v) for k, v in record.items()}}

    def get_log_group_fields(self, ctx: RequestContext) -> dict[str, Any]:
        """Fields of the events within 8 minutes either side of `time` (default: the last 15
        minutes), with the percentage of events that have each."""
        center, now = ctx.params.get("time"), now_ms(ctx)
        if center is None:
            low, high = now - 15 * 60_000, now
        else:
            center_ms = int(center) * 1000 if center < 10**11 else int(center)  # seconds, as documented
            low, high = center_ms - 8 * 60_000, center_ms + 8 * 60_000
        with self.store.lock:
            group = self.group(ctx)
            events = [(s.name, e) for s in group.streams.values() for e in visible(group, s, now)
                      if low <= e.timestamp <= high]
        return {"logGroupFields": _field_percentages(ctx, group, events)}

    def get_log_fields(self, ctx: RequestContext) -> dict[str, Any]:
        """Fields of a data source: the built-in ones (cloudmock keeps no data sources)."""
        return {"logFields": [{"logFieldName": name, "logFieldType": {"type": kind}}
                              for name, kind in (("@timestamp", "timestamp"), ("@message", "string"),
                                                 ("@logStream", "string"), ("@log", "string"))]}

    def get_log_object(self, ctx: RequestContext) -> dict[str, Any]:
        # cloudmock's Insights results carry no log object pointers; AWS's text is not documented.
        raise errors.not_found("The specified log object does not exist.")


def _field_percentages(ctx: RequestContext, group: LogGroup, events: list[tuple[str, Event]]) -> list[dict[str, Any]]:
    if not events:
        return []
    counts: dict[str, int] = {}
    for stream, event in events:
        for name in fields.record(ctx.account_id, group.name, stream, event):
            if name != "@ptr":
                counts[name] = counts.get(name, 0) + 1
    return [{"name": name, "percent": round(100 * count / len(events))} for name, count in counts.items()]


def _within_bytes(page: list[Event], *, from_end: bool) -> list[Event]:
    """At most 1 MB of events (GetLogEvents' cap), counted from the end being read toward."""
    total, kept = 0, 0
    for event in reversed(page) if from_end else page:
        total += len(event.message.encode()) + EVENT_OVERHEAD
        if total > MAX_BATCH_BYTES and kept:
            break
        kept += 1
    return page[len(page) - kept:] if from_end else page[:kept]


def _token(direction: str, key: tuple[int, int]) -> str:
    """A GetLogEvents token in AWS's shape (`f/<56 digits>/s`), opaque to clients."""
    return f"{direction}/{max(key[0], 0):019d}{max(key[1], 0):037d}/s"


def _read_token(token: str) -> tuple[str, tuple[int, int]]:
    m = _TOKEN.fullmatch(token)
    if m is None:
        raise errors.bad_token()
    return m.group(1), (int(m.group(2)), int(m.group(3)))
