"""A bounded in-memory log of the requests the gateway answered."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

KEPT_BYTES = 1024  # a parameter's bytes longer than this are not kept (request bodies)


@dataclass(frozen=True)
class RequestRecord:
    """One answered request."""

    seq: int
    time: float  # epoch seconds on the gateway clock
    request_id: str
    service: str
    operation: str
    protocol: str
    status: int
    error_code: str
    duration_ms: float
    account_id: str
    region: str
    method: str
    path: str
    #: the parsed request parameters, when the log keeps them (`RequestLog.keep_params`)
    params: dict[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["params"]
        return out


class RequestLog:
    """The last `size` requests, with a sequence number to read "what came since"."""

    def __init__(self, size: int = 1000) -> None:
        self._records: deque[tuple[int, dict[str, Any], dict[str, Any] | None]] = deque(maxlen=size)
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        #: keep each request's parameters (set while a test handle is active: `assert_called`)
        self.keep_params = False

    def add(self, params: dict[str, Any] | None = None, **fields: Any) -> None:
        """Log one answered request (`RequestRecord`'s fields but `seq`). The record itself
        is made when it is read: most are never read."""
        kept = _kept(params) if self.keep_params and params is not None else None
        with self._lock:
            self._records.append((next(self._seq), fields, kept))

    @property
    def last_seq(self) -> int:
        """The sequence number of the newest record (0 when empty)."""
        records = self._records
        return records[-1][0] if records else 0

    def since(self, seq: int) -> list[RequestRecord]:
        """Records newer than `seq`, oldest first."""
        with self._lock:
            logged = [entry for entry in self._records if entry[0] > seq]
        return [RequestRecord(seq=n, params=params, **fields) for n, fields, params in logged]

    def query(
        self,
        service: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        since: int = 0,
        limit: int | None = None,
    ) -> list[RequestRecord]:
        """Records matching every given filter, oldest first (the newest `limit`)."""
        out = [
            r for r in self.since(since)
            if (service is None or r.service == service)
            and (operation is None or r.operation == operation)
            and (status is None or r.status == status)
        ]
        return out[-limit:] if limit else out

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def __len__(self) -> int:
        return len(self._records)


def _kept(params: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy without streams and long bytes (the log must not hold request bodies)."""
    return {
        key: value for key, value in params.items()
        if not hasattr(value, "read") and not (isinstance(value, (bytes, bytearray)) and len(value) > KEPT_BYTES)
    }
