"""Running executions: the interpreter's host (history, tasks, tokens, the clock) and the
driver that steps an execution's generator on the gateway's dispatcher, parks it while it
waits and resumes it when the clock passes its time or its token completes."""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...api import AWSError, RequestContext
from .asl.control import Gen, Pending, Suspend, dumps
from .asl.errors import StatesError
from .asl.interpreter import Run
from .asl.step import Step
from .history import CLOSING, append
from .integrations import invoke_task
from .machines import MachineOperations
from .state import Execution

if TYPE_CHECKING:
    from ...registry import Registry

EXPRESS_LIMIT = 300.0  # seconds an Express execution may run
HISTORY_LIMIT = 25_000  # events in one execution's history (AWS's quota)


@dataclass
class Token:
    """A task token handed out (`.waitForTaskToken`, an activity task) and what came back for it."""

    execution_arn: str
    heartbeat: float
    outcome: tuple[Any, ...] | None = None
    activity: str | None = None
    taken: Callable[[str], Any] | None = None  # records ActivityStarted when a worker takes the task


@dataclass(eq=False)
class Runtime:
    """An execution being run (service memory, never in the store)."""

    arn: str
    account: str
    region: str
    registry: Registry
    run: Run
    gen: Gen
    deadline: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    dirty: bool = False
    waiting: Suspend | None = None
    finished: bool = False
    abort: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    timer: threading.Timer | None = None
    origin: float | None = None  # when it was started, until its first step


def child_outcome(child: Execution, parsed: bool) -> tuple[Any, ...]:
    """What a `.sync` (output as text) or `.sync:2` (output as JSON) Task gets from a child execution."""
    out: dict[str, Any] = {
        "ExecutionArn": child.arn, "StateMachineArn": child.machine_arn, "Name": child.name,
        "Status": child.status, "StartDate": int(child.started.timestamp() * 1000),
        "StopDate": int(child.stopped.timestamp() * 1000) if child.stopped else None,
        "Input": json.loads(child.input) if parsed else child.input, "InputDetails": {"Included": True},
    }
    if child.status == "SUCCEEDED":
        out["Output"] = json.loads(child.output or "null") if parsed else child.output
        out["OutputDetails"] = {"Included": True}
        return ("success", out)
    out.update(Error=child.error, Cause=child.cause)
    return ("failure", "States.TaskFailed", dumps(out))


class Runner(MachineOperations):
    def __init__(self) -> None:
        super().__init__()
        self.runtimes: dict[str, Runtime] = {}
        self.tokens: dict[str, Token] = {}
        self.watchers: dict[str, list[str]] = {}  # child execution ARN -> parents waiting on it (.sync)
        self.activity_tasks: dict[str, deque[tuple[str, str]]] = {}  # activity ARN -> (token, input)
        self.activity_cond = threading.Condition()
        self.runtime_lock = threading.RLock()
        self.clock_source: Registry | None = None
        self._bare: Registry | None = None

    def registry_of(self, ctx: RequestContext) -> Registry:
        """The request's registry (a registry of this service alone outside any gateway); the
        clock executions read from then on."""
        registry = ctx.registry
        if registry is None:
            from ...registry import Registry

            if self._bare is None:
                self._bare = Registry()
                self._bare.register(self)  # type: ignore[arg-type]
            registry = self._bare
        self.clock_source = registry
        return registry

    def reset(self) -> None:
        with self.runtime_lock:
            self.tokens = {}
            self.watchers = {}
        self.stop_timers()
        with self.activity_cond:
            self.activity_tasks = {}
            self.activity_cond.notify_all()
        super().reset()

    def stop_timers(self) -> None:
        """Forget the running executions and cancel their real-time timers (reset, gateway stop)."""
        with self.runtime_lock:
            runtimes, self.runtimes = self.runtimes, {}
        for rt in runtimes.values():
            rt.abort = True
            if rt.timer is not None:
                rt.timer.cancel()

    # -- Host -------------------------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock_source.clock.now() if self.clock_source is not None else 0.0

    def execution_of(self, arn: str) -> Execution | None:
        parts = arn.split(":")
        state = self.store.find(parts[4], parts[3]) if len(parts) > 4 else None
        return state.executions.get(arn) if state is not None else None

    def record(self, run: Run, kind: str, details: dict[str, Any] | None, previous: int) -> int:
        execution = self.execution_of(run.execution_arn)
        if execution is None or (execution.status != "RUNNING" and kind not in CLOSING) or (
                execution.events and execution.events[-1]["type"] in CLOSING):
            return previous
        if len(execution.events) >= HISTORY_LIMIT:
            raise StatesError("States.Runtime", f"The execution reached the limit of {HISTORY_LIMIT} history "
                              "events")  # AWS fails such an execution; the wording is ours
        with self.store.lock:
            return append(execution, kind, details, previous, self.clock_source.clock.utcnow())

    def run_task(self, run: Run, state_name: str, resource: str, payload: Any, token: str | None,
                 state: dict[str, Any]) -> Any:
        if ":activity:" in resource and resource.startswith("arn:"):
            return self.schedule_activity(run, resource, payload, token or "")
        return invoke_task(self, run.registry, run.account, run.region, run, state_name, resource, payload, token)

    def new_token(self, run: Run, resource: str) -> str:
        token = "AQ" + secrets.token_urlsafe(96)
        with self.runtime_lock:
            self.tokens[token] = Token(run.execution_arn, self.now())
        return token

    def token_outcome(self, token: str) -> tuple[Any, ...] | None:
        if token.startswith("execution:"):  # a child execution started with .sync / .sync:2
            _, form, arn = token.split(":", 2)
            child = self.execution_of(arn)
            if child is None or child.status == "RUNNING":
                return None
            return child_outcome(child, parsed=form == "2")
        found = self.tokens.get(token)
        return found.outcome if found is not None else None

    def token_heartbeat(self, token: str) -> float:
        found = self.tokens.get(token)
        return found.heartbeat if found is not None else self.now()

    def on_take(self, token: str, started: Callable[[str], Any]) -> None:
        self.tokens[token].taken = started

    def expire_token(self, token: str) -> None:
        found = self.tokens.get(token)
        if found is not None and found.outcome is None:
            found.outcome = ("expired",)

    def distributed_map(self, step: Step) -> Gen:
        raise NotImplementedError  # distributed.py

    def schedule_activity(self, run: Run, resource: str, payload: Any, token: str) -> Pending:
        parts = resource.split(":")
        state = self.store.find(parts[4], parts[3]) if len(parts) > 4 else None
        if state is None or resource not in state.activities:
            raise StatesError("States.Runtime", f"Activity Does Not Exist: '{resource}'")
        with self.runtime_lock:
            self.tokens[token].activity = resource
        with self.activity_cond:
            self.activity_tasks.setdefault(resource, deque()).append((token, dumps(payload)))
            self.activity_cond.notify_all()
        if run.registry is not None:
            run.registry.clock.notify()
        return Pending(token)

    def complete_token(self, token: str, outcome: tuple[Any, ...]) -> None:
        """Record what came back for a task token and wake its execution."""
        with self.runtime_lock:
            found = self.tokens[token]
            found.outcome = outcome
            rt = self.runtimes.get(found.execution_arn)
        if rt is not None:
            self.wake(rt)

    # -- the driver -------------------------------------------------------------------------------------
    def launch(self, ctx: RequestContext, execution: Execution, run: Run, data: Any, timeout: float | None,
               start_at: str | None = None, after: int = 0) -> Runtime:
        registry = self.registry_of(ctx)
        deadline = self.now() + timeout if timeout else None
        rt = Runtime(execution.arn, ctx.account_id, ctx.region, registry, run, run.start(data, start_at, after),
                     deadline, origin=self.now())
        with self.runtime_lock:
            self.runtimes[execution.arn] = rt
        return rt

    def wake(self, rt: Runtime) -> None:
        """Resume `rt` on the dispatcher."""
        dispatcher = rt.registry.dispatcher
        if dispatcher is None:
            self.drive(rt)
        else:
            dispatcher.submit(lambda: self.drive(rt))

    def on_clock(self, registry: Registry) -> None:
        """The clock moved: resume the executions whose wait it passed."""
        with self.runtime_lock:
            runtimes = list(self.runtimes.values())
        for rt in runtimes:
            if not rt.finished and rt.waiting is not None and self.due(rt):
                self.wake(rt)

    def due(self, rt: Runtime) -> bool:
        if rt.abort or (rt.deadline is not None and self.now() >= rt.deadline):
            return True
        return rt.waiting is None or rt.run.ready(rt.waiting)

    def drive(self, rt: Runtime) -> None:
        """Step the execution until it waits or ends (one stepper at a time; a busy one is told to look again)."""
        while True:
            rt.dirty = True
            if not rt.lock.acquire(blocking=False):
                return
            try:
                rt.dirty = False
                self._step(rt)
            finally:
                rt.lock.release()
            if not rt.dirty or rt.finished:
                return

    def _step(self, rt: Runtime) -> None:
        execution = self.execution_of(rt.arn)
        if rt.origin is not None:  # its time starts when it was started, however late the dispatcher runs it
            rt.run.behind, rt.origin = max(0.0, self.now() - rt.origin), None
        while not rt.finished:
            if rt.abort or execution is None or execution.status != "RUNNING":
                self._end(rt, None)
                return
            if rt.deadline is not None and self.now() >= rt.deadline:
                self._end(rt, ("TIMED_OUT", "States.Timeout", "The execution timed out"))  # wording not documented
                return
            if rt.waiting is not None and not rt.run.ready(rt.waiting):
                self._park(rt)
                return
            try:
                rt.waiting = rt.gen.send(None)
            except StopIteration as done:
                self._end(rt, ("SUCCEEDED", done.value))
            except StatesError as error:
                self._end(rt, ("FAILED", error.error, error.cause))
            except Exception as exc:  # noqa: BLE001 - a bug must fail the execution, not hang it
                self._end(rt, ("FAILED", "States.Runtime", f"{type(exc).__name__}: {exc}"))

    def _park(self, rt: Runtime) -> None:
        assert rt.waiting is not None
        until = rt.waiting.until
        if rt.deadline is not None:
            until = rt.deadline if until is None else min(until, rt.deadline)
        if until is None or rt.registry.clock.frozen:
            return  # a token, or the test's next clock move, wakes it
        if rt.timer is not None:
            rt.timer.cancel()
        rt.timer = threading.Timer(max(0.0, until - self.now()) + 0.001, lambda: self.wake(rt))
        rt.timer.daemon = True
        rt.timer.start()

    def _end(self, rt: Runtime, outcome: tuple[Any, ...] | None) -> None:
        rt.finished = True
        rt.gen.close()
        if rt.timer is not None:
            rt.timer.cancel()
        with self.runtime_lock:
            if self.runtimes.get(rt.arn) is rt:  # a redrive may have put a new runtime there
                del self.runtimes[rt.arn]
            parents = self.watchers.pop(rt.arn, [])
            for token in self.tokens.values():  # its open tasks are gone: answers to them time out
                if token.execution_arn == rt.arn and token.outcome is None:
                    token.outcome = ("expired",)
        if outcome is not None:
            self.close_execution(rt.arn, outcome, rt.registry)
        rt.done.set()
        rt.registry.clock.notify()  # a StartSyncExecution waiting on the clock sees it at once
        for parent in parents:
            found = self.runtimes.get(parent)
            if found is not None:
                self.wake(found)

    def close_execution(self, arn: str, outcome: tuple[Any, ...], registry: Registry) -> None:
        """Mark an execution ended (SUCCEEDED with output, or FAILED / TIMED_OUT / ABORTED with error, cause)."""
        execution = self.execution_of(arn)
        if execution is None:
            return
        with self.store.lock:
            if execution.status != "RUNNING":
                return
            status = outcome[0]
            execution.status = status
            execution.stopped = registry.clock.utcnow()
            previous = execution.events[-1]["id"] if execution.events else 0
            if status == "SUCCEEDED":
                execution.output = dumps(outcome[1])
                append(execution, "ExecutionSucceeded", {"output": execution.output,
                                                         "outputDetails": {"truncated": False}}, previous,
                       execution.stopped)
            else:
                execution.error, execution.cause = outcome[1], outcome[2]
                kind = {"FAILED": "ExecutionFailed", "TIMED_OUT": "ExecutionTimedOut",
                        "ABORTED": "ExecutionAborted"}[status]
                details = {k: v for k, v in (("error", outcome[1]), ("cause", outcome[2])) if v}
                append(execution, kind, details, previous, execution.stopped)
        self.status_event(registry, execution)

    def status_event(self, registry: Registry, execution: Execution) -> None:
        """`Step Functions Execution Status Change` on the account's default event bus."""
        if execution.machine_type != "STANDARD" or execution.map_run_arn or "events" not in registry:
            return
        parts = execution.arn.split(":")
        detail = {
            "executionArn": execution.arn, "stateMachineArn": execution.machine_arn, "name": execution.name,
            "status": execution.status, "startDate": int(execution.started.timestamp() * 1000),
            "stopDate": int(execution.stopped.timestamp() * 1000) if execution.stopped else None,
            "input": execution.input, "output": execution.output, "inputDetails": {"included": True},
            "outputDetails": {"included": True} if execution.output is not None else None,
            "error": execution.error, "cause": execution.cause,
        }
        with contextlib.suppress(AWSError):  # delivery to EventBridge is best effort, as in AWS
            registry.call("events", "PutEvents", {"Entries": [{
                "Source": "aws.states", "DetailType": "Step Functions Execution Status Change",
                "Detail": json.dumps(detail), "Resources": [execution.arn]}]},
                account_id=parts[4], region=parts[3])

