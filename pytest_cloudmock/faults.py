"""Fault injection: make chosen calls fail, throttle, slow down or partly fail (docs/faults.md).

    fault = gateway.faults.add("s3", "PutObject", times=2)      # S3's SlowDown 503, twice
    gateway.faults.add("dynamodb", probability=0.3, seed=7)      # seeded, reproducible
    gateway.faults.add("sqs", "SendMessage", latency=0.2)        # 0.2 s late, then answers
    gateway.faults.add("sqs", "SendMessageBatch", fail_entries=["b"])  # entry b in `Failed`
    fault.remove()

`Faults` is one interceptor (`interception.Interceptor`) at the front of the
gateway's chain; with no fault added it costs a tuple read per call. A fault
matches a service (and an operation, globs allowed); when it fires (its
probability, drawn from its own seeded RNG) it waits `latency` real seconds,
then answers its error, or lets the call through when it is latency-only, or,
for a partial batch fault, keeps the chosen entries out of the call and reports
them in the answer's `Failed` list. After `times` firings it is spent.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .api import AWSError, RequestContext, Response
from .interception import Interceptor, Outcome

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

# The error a fault answers when it names none: each protocol family's throttling error,
# all of them in botocore's retryable throttling codes (botocore/retries/standard.py
# `ThrottledRetryableChecker`, botocore/data/_retry.json).
THROTTLING: dict[str, tuple[str, int]] = {
    "json": ("ThrottlingException", 400),
    "rest-json": ("ThrottlingException", 400),
    "smithy-rpc-v2-cbor": ("ThrottlingException", 400),
    "query": ("Throttling", 400),
    # EC2's throttling code; its HTTP status is our reading of EC2's docs (503), unverified.
    "ec2": ("RequestLimitExceeded", 503),
    "rest-xml": ("Throttling", 400),
}
SERVICE_THROTTLING: dict[str, tuple[str, int]] = {
    "s3": ("SlowDown", 503),
    "dynamodb": ("ProvisionedThroughputExceededException", 400),
}
# Our own wording (AWS's text for an injected fault does not exist).
DEFAULT_MESSAGE = "Injected fault (cloudmock): {code}"
BATCH_CODE = "InternalError"


@dataclass(frozen=True)
class BatchShape:
    """Where a batch operation's entries are, and how its answer reports failed ones.

    List-style batches only (an entry list with an `Id` in, `Failed` entries out);
    DynamoDB `UnprocessedItems` and Kinesis `FailedRecordCount` need a shape of
    their own when those services arrive.
    """

    entries: str
    failed: str = "Failed"
    successful: str = "Successful"
    id_key: str = "Id"

    def failure(self, entry: dict[str, Any], code: str, message: str, sender_fault: bool) -> dict[str, Any]:
        return {self.id_key: entry.get(self.id_key), "Code": code, "Message": message, "SenderFault": sender_fault}


BATCHES: dict[tuple[str, str], BatchShape] = {
    ("sqs", "SendMessageBatch"): BatchShape("Entries"),
    ("sqs", "DeleteMessageBatch"): BatchShape("Entries"),
    ("sqs", "ChangeMessageVisibilityBatch"): BatchShape("Entries"),
    ("sns", "PublishBatch"): BatchShape("PublishBatchRequestEntries"),
}


@dataclass(eq=False)
class Fault:
    """One fault; `remove()` undoes it. `hits` counts the calls it fired on."""

    id: str
    service: str
    operation: str | None = None
    error: str | None = None
    status: int | None = None
    message: str | None = None
    times: int | None = None
    probability: float = 1.0
    latency: float = 0.0
    seed: int | None = None
    fail_entries: Collection[str] | bool | None = None
    hits: int = 0
    _owner: Faults | None = field(default=None, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    _match: Interceptor = field(default_factory=Interceptor, repr=False)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    @property
    def latency_only(self) -> bool:
        return self.latency > 0 and self.error is None and self.status is None and self.message is None

    def remove(self) -> None:
        if self._owner is not None:
            self._owner.remove(self)

    def matches(self, service: str, operation: str) -> bool:
        return self._match.matches(service, operation)

    def error_for(self, ctx: RequestContext) -> AWSError:
        code, status = SERVICE_THROTTLING.get(ctx.service) or THROTTLING.get(
            _protocol(ctx), ("ThrottlingException", 400)
        )
        code = self.error or code
        status = self.status or status
        return AWSError(code, self.message or DEFAULT_MESSAGE.format(code=code), status)

    def to_dict(self) -> dict[str, Any]:
        entries = self.fail_entries
        return {
            "id": self.id, "service": self.service, "operation": self.operation, "error": self.error,
            "status": self.status, "message": self.message, "times": self.times,
            "probability": self.probability, "latency": self.latency, "seed": self.seed,
            "fail_entries": sorted(entries) if isinstance(entries, Collection) and not isinstance(entries, str)
            else entries,
            "hits": self.hits, "spent": self.spent,
        }


class Faults:
    """The gateway's faults (`gateway.faults`): add, list, remove, clear. Thread-safe."""

    def __init__(self) -> None:
        self._faults: tuple[Fault, ...] = ()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[RequestContext, Fault, list[dict[str, Any]], BatchShape]] = {}
        self.interceptor = Interceptor(before=self._before, after=self._after, name="cloudmock-faults")

    def add(
        self,
        service: str,
        operation: str | None = None,
        error: str | None = None,
        status: int | None = None,
        message: str | None = None,
        times: int | None = None,
        probability: float = 1.0,
        latency: float = 0.0,
        seed: int | None = None,
        fail_entries: Collection[str] | bool | None = None,
    ) -> Fault:
        """Add a fault; returns it (its `remove()` undoes it). `ValueError` on a bad argument.

        `fail_entries` makes a partial batch fault (the operations in `BATCHES`): the entry
        Ids given, or with True each entry with `probability`, fail in `Failed`.
        """
        _check(service, operation, status, times, probability, latency, fail_entries)
        if fail_entries is not None and not any(
            Interceptor(service, operation or "*").matches(s, o) for s, o in BATCHES
        ):
            supported = ", ".join(f"{s}:{o}" for s, o in BATCHES)
            raise ValueError(f"fail_entries works on batch operations ({supported}), not {service}:{operation}")
        if isinstance(fail_entries, str):
            fail_entries = [fail_entries]
        fault = Fault(
            id=f"fault-{next(self._ids)}", service=service, operation=operation, error=error, status=status,
            message=message, times=times, probability=probability, latency=latency, seed=seed,
            fail_entries=frozenset(fail_entries) if isinstance(fail_entries, Collection) else fail_entries,
            _owner=self, _rng=random.Random(seed), _match=Interceptor(service, operation or "*"),
        )
        with self._lock:
            self._faults = (*self._faults, fault)
        return fault

    def add_dict(self, spec: dict[str, Any]) -> Fault:
        """`add(**spec)` for JSON input (the admin API, markers); `ValueError` on unknown keys."""
        known = set(ADD_KEYS)
        unknown = sorted(set(spec) - known)
        if unknown:
            raise ValueError(f"unknown fault key(s) {', '.join(unknown)} (valid: {', '.join(ADD_KEYS)})")
        if "service" not in spec:
            raise ValueError("a fault needs a 'service'")
        return self.add(**spec)

    def remove(self, fault: Fault | str) -> bool:
        """Remove a fault (or its id); False if it was not there."""
        with self._lock:
            kept = tuple(f for f in self._faults if f is not fault and f.id != fault)
            removed = len(kept) != len(self._faults)
            self._faults = kept
        return removed

    def list(self) -> list[Fault]:
        """Every fault added and not removed, spent ones included (their `spent` is True)."""
        return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults = ()
            self._pending.clear()  # batch calls whose service failed before `after` ran

    def __len__(self) -> int:
        return len(self._faults)

    # -- the interceptor ----------------------------------------------------------------------
    def _fire(self, ctx: RequestContext) -> Fault | None:
        """The first live fault for this call that fires now (counted), if any."""
        with self._lock:
            for fault in self._faults:
                if fault.spent or not fault.matches(ctx.service, ctx.operation):
                    continue
                if fault.fail_entries is not None and (ctx.service, ctx.operation) not in BATCHES:
                    continue
                if fault.fail_entries is True or fault.probability >= 1.0 or (
                    fault._rng.random() < fault.probability
                ):
                    fault.hits += 1
                    return fault
        return None

    def _before(self, ctx: RequestContext) -> Any:
        if not self._faults:
            return None
        fault = self._fire(ctx)
        if fault is None:
            return None
        if fault.latency > 0:
            time.sleep(fault.latency)  # real time: the client waits for the answer
        if fault.fail_entries is not None:
            return self._fail_entries(ctx, fault)
        if fault.latency_only:
            return None
        raise fault.error_for(ctx)

    def _fail_entries(self, ctx: RequestContext, fault: Fault) -> Any:
        shape = BATCHES[(ctx.service, ctx.operation)]
        entries = list(ctx.params.get(shape.entries) or [])
        with self._lock:
            if fault.fail_entries is True:
                chosen = [e for e in entries if fault._rng.random() < fault.probability]
            else:
                chosen = [e for e in entries if str(e.get(shape.id_key)) in fault.fail_entries]  # type: ignore[operator]
        if not chosen:
            return None
        code = fault.error or BATCH_CODE
        message = fault.message or DEFAULT_MESSAGE.format(code=code)
        sender_fault = (fault.status or 500) < 500
        failed = [shape.failure(e, code, message, sender_fault) for e in chosen]
        kept = [e for e in entries if e not in chosen]
        if not kept:  # nothing left to perform: the service would call the batch empty
            return {shape.successful: [], shape.failed: failed}
        ctx.params = {**ctx.params, shape.entries: kept}
        with self._lock:
            self._pending[id(ctx)] = (ctx, fault, failed, shape)
        return None

    def _after(self, ctx: RequestContext, outcome: Outcome) -> Any:
        if not self._pending:
            return None
        with self._lock:
            pending = self._pending.pop(id(ctx), None)
        if pending is None or pending[0] is not ctx or not isinstance(outcome, Response):
            return None
        _, _, failed, shape = pending
        if not isinstance(outcome.body, dict):
            return None
        body = dict(outcome.body)
        body[shape.failed] = [*(body.get(shape.failed) or []), *failed]
        body.setdefault(shape.successful, [])
        return Response(body=body, status=outcome.status, headers=outcome.headers)

    # -- admin API ----------------------------------------------------------------------------
    def admin_routes(self) -> list[tuple[str, str, Callable[..., Any], list[str]]]:
        """`AdminApp.add_route` arguments for `GET/POST/DELETE /api/faults[/<id>]`."""
        return [
            ("/api/faults", "faults_list", self._admin_list, ["GET"]),
            ("/api/faults", "faults_add", self._admin_add, ["POST"]),
            ("/api/faults", "faults_clear", self._admin_clear, ["DELETE"]),
            ("/api/faults/<fault_id>", "faults_remove", self._admin_remove, ["DELETE"]),
        ]

    def _admin_list(self, request: Request) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.list()]

    def _admin_add(self, request: Request) -> tuple[dict[str, Any], int]:
        from .gateway.admin import AdminError, json_body

        try:
            return self.add_dict(json_body(request)).to_dict(), 201
        except (TypeError, ValueError) as exc:
            raise AdminError(400, str(exc)) from exc

    def _admin_clear(self, request: Request) -> dict[str, Any]:
        count = len(self)
        self.clear()
        return {"removed": count}

    def _admin_remove(self, request: Request, fault_id: str) -> dict[str, Any]:
        from .gateway.admin import AdminError

        if not self.remove(fault_id):
            raise AdminError(404, f"no fault with id {fault_id!r}")
        return {"removed": fault_id}


ADD_KEYS = ("service", "operation", "error", "status", "message", "times", "probability", "latency",
            "seed", "fail_entries")


def _check(
    service: Any, operation: Any, status: Any, times: Any, probability: Any, latency: Any, fail_entries: Any
) -> None:
    if not isinstance(service, str) or not service:
        raise ValueError(f"service must be a service name (globs allowed), not {service!r}")
    if operation is not None and (not isinstance(operation, str) or not operation):
        raise ValueError(f"operation must be an operation name or None, not {operation!r}")
    if status is not None and not (isinstance(status, int) and 400 <= status <= 599):
        raise ValueError(f"status must be an HTTP error status 400-599, not {status!r}")
    if times is not None and not (isinstance(times, int) and not isinstance(times, bool) and times >= 1):
        raise ValueError(f"times must be a positive integer or None, not {times!r}")
    if not (isinstance(probability, (int, float)) and 0.0 <= probability <= 1.0):
        raise ValueError(f"probability must be between 0 and 1, not {probability!r}")
    if not (isinstance(latency, (int, float)) and 0.0 <= latency <= 300):
        raise ValueError(f"latency must be 0-300 seconds, not {latency!r}")
    if fail_entries is not None and fail_entries is not True and not (
        isinstance(fail_entries, str)
        or (isinstance(fail_entries, Collection) and all(isinstance(e, str) for e in fail_entries))
    ):
        raise ValueError(f"fail_entries must be entry Ids or True, not {fail_entries!r}")


def _protocol(ctx: RequestContext) -> str:
    """The request's protocol family; for an in-process call, its service model's."""
    if ctx.protocol != "internal":
        return ctx.protocol
    model = ctx.service_model
    if model is None:
        from .models import has_model, service_model

        model = service_model(ctx.service) if has_model(ctx.service) else None
    return model.metadata.get("protocol", "json") if model is not None else "json"


__all__ = ["BATCHES", "THROTTLING", "BatchShape", "Fault", "Faults"]
