"""StartLiveTail: an event stream of a `sessionStart` event, then `sessionUpdate` events
carrying the matching events stored when the call is made (up to 500 per update, as
AWS batches them), then the end of the stream. Events written later are not pushed:
a test reads the stream after writing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from ...api import RequestContext
from . import errors
from .base import LogsBase, group_name_of, now_ms, visible
from .events import pattern_of

UPDATE_SIZE = 500


class LiveTailOperations(LogsBase):
    def start_live_tail(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        identifiers = list(p.get("logGroupIdentifiers") or [])
        names, prefixes = p.get("logStreamNames") or [], p.get("logStreamNamePrefixes") or []
        if names and prefixes:
            # AWS's exact text is not documented.
            raise errors.invalid("logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.")
        if (names or prefixes) and len(identifiers) != 1:
            raise errors.invalid("logStreamNames and logStreamNamePrefixes need exactly one log group.")
        pattern = pattern_of(p.get("logEventFilterPattern"))
        now = now_ms(ctx)
        found = []
        with self.store.lock:
            for identifier in identifiers:
                group = self.group(ctx, group_name_of(identifier))
                for stream in group.streams.values():
                    if (names and stream.name not in names) or (prefixes and not any(
                            stream.name.startswith(x) for x in prefixes)):
                        continue
                    found += [{"logStreamName": stream.name, "logGroupIdentifier": identifier,
                               "message": e.message, "timestamp": e.timestamp, "ingestionTime": e.ingestion_time}
                              for e in visible(group, stream, now) if pattern.match(e.message) is not None]
        found.sort(key=lambda e: e["timestamp"])
        start = {"requestId": ctx.request_id, "sessionId": str(uuid.uuid4()), "logGroupIdentifiers": identifiers,
                 **({"logStreamNames": names} if names else {}),
                 **({"logStreamNamePrefixes": prefixes} if prefixes else {}),
                 **({"logEventFilterPattern": p["logEventFilterPattern"]} if p.get("logEventFilterPattern") else {})}

        def events() -> Iterator[dict[str, Any]]:
            yield {"sessionStart": start}
            for i in range(0, max(len(found), 1), UPDATE_SIZE):
                yield {"sessionUpdate": {"sessionMetadata": {"sampled": False},
                                         "sessionResults": found[i:i + UPDATE_SIZE]}}

        return {"responseStream": events()}
