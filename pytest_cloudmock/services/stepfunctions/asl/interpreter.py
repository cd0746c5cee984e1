"""The ASL interpreter: runs a state machine as a generator that yields `Suspend` whenever
it must wait (a `Wait` state, a retry's backoff, a task token, an activity, a child
execution), so an execution parks without holding a thread and resumes when the gateway
clock passes its time or its token completes.

The interpreter knows states and data flow (`step.py`); everything outside the machine
(history, tasks, tokens, the clock) it asks of its `Host`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from typing import Any, Protocol

from .control import Gen, Lane, Scope, Suspend, dumps, iso
from .errors import StatesError
from .step import Step

PAYLOAD_LIMIT = 256 * 1024  # bytes of a state's output


class Host(Protocol):
    """What the interpreter needs from the service running it."""

    def now(self) -> float: ...

    def record(self, run: Run, kind: str, details: dict[str, Any] | None, previous: int) -> int: ...

    def run_task(self, run: Run, state_name: str, resource: str, payload: Any, token: str | None,
                 state: dict[str, Any]) -> Any: ...

    def new_token(self, run: Run, resource: str) -> str: ...

    def token_outcome(self, token: str) -> tuple[Any, ...] | None: ...

    def token_heartbeat(self, token: str) -> float: ...

    def expire_token(self, token: str) -> None: ...

    def on_take(self, token: str, started: Callable[[str], Any]) -> None: ...

    def distributed_map(self, step: Step) -> Gen: ...


class Run:
    """One execution of one definition (or of one Map run's iteration processor)."""

    def __init__(self, host: Host, definition: dict[str, Any], context: dict[str, Any],
                 execution_arn: str = "", region: str = "") -> None:
        self.host = host
        self.region = region
        self.definition = definition
        self.execution_arn = execution_arn
        self.base_context = context  # Execution and StateMachine members of `$$`
        self.rng = random.Random()
        self.behind = 0.0  # seconds the clock is ahead of this execution's time (see `now`)
        self.position: tuple[str, Any] | None = None  # the top-level state running now, and its input
        self.registry: Any = None  # set by the host: where tasks are sent
        self.account = ""

    # -- the machine --------------------------------------------------------------------------------
    def start(self, data: Any, start_at: str | None = None, after: int = 0) -> Gen:
        """The execution, from `StartAt` (or `start_at`); its first event follows event `after`."""
        scope = Scope(self.definition.get("QueryLanguage", "JSONPath"))
        return self.machine(self.definition, data, Lane(after), scope, start_at, top=True)

    def machine(self, doc: dict[str, Any], data: Any, lane: Lane, scope: Scope,
                start_at: str | None = None, extra: dict[str, Any] | None = None, top: bool = False) -> Gen:
        name = start_at or doc["StartAt"]
        states = doc["States"]
        while True:
            if top:
                self.position = (name, data)
            data, name = yield from self.state(name, states[name], data, lane, scope, extra)
            if name is None:
                return data

    def record(self, lane: Lane, kind: str, details: dict[str, Any] | None = None) -> int:
        lane.last = self.host.record(self, kind, details, lane.last)
        return lane.last

    def context(self, name: str, entered: float, retry: int = 0, extra: dict[str, Any] | None = None,
                token: str | None = None) -> dict[str, Any]:
        out = {**self.base_context, "State": {"EnteredTime": iso(entered), "Name": name, "RetryCount": retry}}
        if extra:
            out.update(extra)
        if token:
            out["Task"] = {"Token": token}
        return out

    def state(self, name: str, state: dict[str, Any], data: Any, lane: Lane, scope: Scope,
              extra: dict[str, Any] | None) -> Generator[Suspend, None, tuple[Any, str | None]]:
        kind = state["Type"]
        language = state.get("QueryLanguage", scope.language)
        step = Step(self, name, state, data, lane, Scope(language, scope.variables), extra)
        if kind == "Fail":
            self.record(lane, "FailStateEntered", step.entered_details())
        else:
            self.record(lane, f"{kind}StateEntered", step.entered_details())
        handler = getattr(step, "pass_" if kind == "Pass" else kind.lower())
        try:
            output, nxt = yield from handler()
        except StatesError as error:
            if error.error == "States.QueryEvaluationError" and not error.reported:
                error.reported = True  # once, by the state that evaluated the expression
                self.record(lane, "EvaluationFailed", {"error": error.error, "cause": error.cause, "state": name})
            if kind not in ("Task", "Parallel", "Map"):
                raise
            caught = step.catch(error)
            if caught is None:
                raise
            output, nxt = caught
        text = dumps(output)
        if len(text.encode()) > PAYLOAD_LIMIT:
            raise StatesError("States.DataLimitExceeded", f"The state/task '{name}' returned a result with a size "
                              "exceeding the maximum number of bytes service limit.")
        scope.variables.update(step.assigned)
        self.record(lane, f"{kind}StateExited", {"name": name, "output": text, "outputDetails": {"truncated": False}})
        return output, nxt

    # -- waiting ------------------------------------------------------------------------------------
    def now(self) -> float:
        """The execution's own time: the clock, less how late its last wait was resumed.

        A wait that ends while the clock jumps far past it ends at its own deadline, so the
        next wait counts from there: one `advance(minutes=5)` runs a loop of 10-second waits
        to its end, as if the time had passed for real.
        """
        return self.host.now() - self.behind

    def sleep_until(self, until: float) -> Gen:
        while self.host.now() < until:
            yield Suspend(until)
        self.behind = max(0.0, self.host.now() - until)

    def await_token(self, token: str, timeout_at: float | None, heartbeat: float | None) -> Gen:
        """The output sent for `token`; raises the failure sent, or `States.Timeout`/`States.HeartbeatTimeout`."""
        while True:
            outcome = self.host.token_outcome(token)
            if outcome is not None:
                if outcome[0] == "success":
                    return outcome[1]
                raise StatesError(outcome[1] or "", outcome[2] or "")
            now = self.host.now()
            deadlines = []
            if timeout_at is not None:
                deadlines.append((timeout_at, "States.Timeout"))
            if heartbeat is not None:
                deadlines.append((self.host.token_heartbeat(token) + heartbeat, "States.HeartbeatTimeout"))
            due = min(deadlines) if deadlines else None
            if due is not None and due[0] <= now:
                self.host.expire_token(token)
                raise StatesError(due[1], "")
            yield Suspend(due[0] if due else None, (token,))

    def gather(self, makers: list[Callable[[], Gen]], limit: int = 0,
               on_failure: Callable[[int, StatesError], bool] | None = None) -> Gen:
        """Run several generators side by side (at most `limit` at once, 0 = all); their results in order.

        A failure ends them all and is raised, unless `on_failure(index, error)` says to go on
        (the result is then the error).
        """
        results: list[Any] = [None] * len(makers)
        active: dict[int, tuple[Gen, Suspend | None]] = {}
        following = 0
        try:
            while active or following < len(makers):
                while following < len(makers) and (not limit or len(active) < limit):
                    active[following] = (makers[following](), None)
                    following += 1
                moved = False
                for index, (gen, waiting) in list(active.items()):
                    if waiting is not None and not self.ready(waiting):
                        continue
                    try:
                        waiting = gen.send(None)
                        while self.ready(waiting):
                            waiting = gen.send(None)
                        active[index] = (gen, waiting)
                    except StopIteration as done:
                        results[index] = done.value
                        del active[index]
                        moved = True
                    except StatesError as error:
                        del active[index]
                        if on_failure is None or not on_failure(index, error):
                            raise
                        results[index] = error
                        moved = True
                if active and not moved and (not limit or len(active) >= limit or following >= len(makers)):
                    waits = [w for _, w in active.values() if w is not None]
                    untils = [w.until for w in waits if w.until is not None]
                    yield Suspend(min(untils) if untils else None, tuple(t for w in waits for t in w.tokens))
        finally:
            for gen, _ in active.values():
                gen.close()
        return results

    def ready(self, waiting: Suspend) -> bool:
        if waiting.until is not None and self.host.now() >= waiting.until:
            return True
        return any(self.host.token_outcome(token) is not None for token in waiting.tokens)
