"""The ASL interpreter: runs a state machine as a generator that yields `Suspend` whenever
it must wait (a `Wait` state, a retry's backoff, a task token, an activity, a child
execution), so an execution parks without holding a thread and resumes when the gateway
clock passes its time or its token completes.

The interpreter knows states and data flow; everything outside the machine (history,
tasks, tokens, the clock) it asks of its `Host`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from . import dataflow, paths
from .choice import evaluate as choose
from .choice import parse_timestamp
from .errors import StatesError, matches

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_INTERVAL = 1
DEFAULT_BACKOFF = 2.0
PAYLOAD_LIMIT = 256 * 1024  # bytes of a state's output


@dataclass(frozen=True)
class Suspend:
    """Park until the clock reaches `until` or one of `tokens` completes."""

    until: float | None = None
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pending:
    """A task's answer that comes later: when `token` completes."""

    token: str
    submitted: Any = None  # the service's answer to the call that started it (TaskSubmitted)


Gen = Generator[Suspend, None, Any]


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


@dataclass
class Lane:
    """One line of control in the history: events chain to the last one recorded on it."""

    last: int = 0


@dataclass
class Scope:
    language: str
    variables: dict[str, Any] = field(default_factory=dict)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
        self.position: tuple[str, Any] | None = None  # the top-level state running now, and its input
        self.registry: Any = None  # set by the host: where tasks are sent
        self.account = ""

    # -- the machine --------------------------------------------------------------------------------
    def start(self, data: Any, start_at: str | None = None) -> Gen:
        scope = Scope(self.definition.get("QueryLanguage", "JSONPath"))
        return self.machine(self.definition, data, Lane(0), scope, start_at, top=True)

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
    def sleep_until(self, until: float) -> Gen:
        while self.host.now() < until:
            yield Suspend(until)

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


class Step:
    """One state's execution: input and output processing and its type's behaviour."""

    def __init__(self, run: Run, name: str, state: dict[str, Any], data: Any, lane: Lane, scope: Scope,
                 extra: dict[str, Any] | None) -> None:
        self.run = run
        self.name = name
        self.state = state
        self.input = data
        self.lane = lane
        self.scope = scope
        self.extra = extra
        self.entered = run.host.now()
        self.retries = 0
        self.assigned: dict[str, Any] = {}
        self.jsonata = scope.language == "JSONata"

    def entered_details(self) -> dict[str, Any]:
        return {"name": self.name, "input": dumps(self.input), "inputDetails": {"truncated": False}}

    @property
    def variables(self) -> dict[str, Any]:
        return self.scope.variables

    def context(self, token: str | None = None) -> dict[str, Any]:
        return self.run.context(self.name, self.entered, self.retries, self.extra, token)

    def states(self, **more: Any) -> dict[str, Any]:
        return {"input": self.input, "context": self.context(more.pop("token", None)), **more}

    def resolve(self, value: Any, **more: Any) -> Any:
        return dataflow.resolve(value, self.states(**more), self.variables)

    def next(self) -> str | None:
        return None if self.state.get("End") else self.state.get("Next")

    # -- JSONPath input and output --------------------------------------------------------------------
    def effective_input(self) -> Any:
        if "InputPath" in self.state and self.state["InputPath"] is None:
            return {}
        return paths.select(self.state.get("InputPath", "$"), self.input, self.context(), self.variables,
                            field="InputPath")

    def parameters(self, data: Any, field: str = "Parameters", token: str | None = None) -> Any:
        if field not in self.state:
            return data
        return dataflow.render(self.state[field], data, self.context(token), self.variables)

    def finish(self, result: Any, selector: bool = True) -> Any:
        """Result through `ResultSelector`, `ResultPath` and `OutputPath` (JSONPath), or `Output` (JSONata)."""
        if self.jsonata:
            output = self.resolve(self.state["Output"], result=result) if "Output" in self.state else result
            self.assign(result=result)
            return output
        if selector and "ResultSelector" in self.state:
            result = dataflow.render(self.state["ResultSelector"], result, self.context(), self.variables)
        self.assign_jsonpath(result)
        placed = paths.put(self.state.get("ResultPath", "$"), self.input, result)
        return self.output_path(placed)

    def output_path(self, data: Any) -> Any:
        if "OutputPath" in self.state and self.state["OutputPath"] is None:
            return {}
        return paths.select(self.state.get("OutputPath", "$"), data, self.context(), self.variables,
                            field="OutputPath")

    def assign(self, **more: Any) -> None:
        if self.jsonata and "Assign" in self.state:
            self.assigned.update(self.resolve(self.state["Assign"], **more))

    def assign_jsonpath(self, result: Any) -> None:
        if not self.jsonata and "Assign" in self.state:
            self.assigned.update(dataflow.render(self.state["Assign"], result, self.context(), self.variables))

    # -- the types ----------------------------------------------------------------------------------
    def pass_(self) -> Gen:
        if self.jsonata:
            output = self.resolve(self.state["Output"]) if "Output" in self.state else self.input
            self.assign()
            return output, self.next()
        data = self.effective_input()
        result = self.state["Result"] if "Result" in self.state else self.parameters(data)
        return self.finish(result, selector=False), self.next()
        yield  # a generator

    def succeed(self) -> Gen:
        if self.jsonata:
            output = self.resolve(self.state["Output"]) if "Output" in self.state else self.input
            return output, None
        return self.output_path(self.effective_input()), None
        yield

    def fail(self) -> Gen:
        if self.jsonata:
            error, cause = self.resolve(self.state.get("Error")), self.resolve(self.state.get("Cause"))
        else:
            error = self._fail_field("Error")
            cause = self._fail_field("Cause")
        raise StatesError(error or "", cause or "")
        yield

    def _fail_field(self, field: str) -> Any:
        path = self.state.get(f"{field}Path")
        if path is None:
            return self.state.get(field)
        return dataflow.render({"v.$": path}, self.input, self.context(), self.variables)["v"]

    def choice(self) -> Gen:
        if self.jsonata:
            for rule in self.state["Choices"]:
                condition = self.resolve(rule["Condition"])
                if not isinstance(condition, bool):
                    raise StatesError("States.QueryEvaluationError",
                                      f"The Condition of a choice rule in state '{self.name}' is not a boolean")
                if condition:
                    output = self.resolve(rule["Output"]) if "Output" in rule else self.input
                    if "Assign" in rule:
                        self.assigned.update(self.resolve(rule["Assign"]))
                    return output, rule["Next"]
            nxt = self._default()
            self.assign()
            output = self.resolve(self.state["Output"]) if "Output" in self.state else self.input
            return output, nxt
        data = self.effective_input()
        for rule in self.state["Choices"]:
            if choose(rule, data, self.context(), self.variables):
                if "Assign" in rule:
                    self.assigned.update(dataflow.render(rule["Assign"], data, self.context(), self.variables))
                return self.output_path(data), rule["Next"]
        nxt = self._default()
        self.assign_jsonpath(data)
        return self.output_path(data), nxt
        yield

    def _default(self) -> str:
        if "Default" not in self.state:
            raise StatesError("States.NoChoiceMatched", f"No Choice Rules matched and no Default was specified "
                              f"in state '{self.name}'")  # wording not documented
        return self.state["Default"]

    def wait(self) -> Gen:
        data = self.input if self.jsonata else self.effective_input()
        now = self.run.host.now()
        if self.jsonata:
            seconds = self.resolve(self.state.get("Seconds"))
            stamp = self.resolve(self.state.get("Timestamp"))
        else:
            seconds = self.state.get("Seconds")
            stamp = self.state.get("Timestamp")
            if "SecondsPath" in self.state:
                seconds = paths.select(self.state["SecondsPath"], data, self.context(), self.variables,
                                       field="SecondsPath")
            if "TimestampPath" in self.state:
                stamp = paths.select(self.state["TimestampPath"], data, self.context(), self.variables,
                                     field="TimestampPath")
        if seconds is not None:
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
                raise StatesError("States.Runtime", f"The value for 'Seconds' in state '{self.name}' must be a "
                                  "non-negative integer")  # wording not documented
            until = now + seconds
        else:
            moment = parse_timestamp(stamp)
            if moment is None:
                raise StatesError("States.Runtime", f"The value for 'Timestamp' in state '{self.name}' is not a "
                                  "valid RFC 3339 timestamp")  # wording not documented
            until = moment.timestamp()
        yield from self.run.sleep_until(until)
        if self.jsonata:
            self.assign()
            return (self.resolve(self.state["Output"]) if "Output" in self.state else self.input), self.next()
        self.assign_jsonpath(data)
        return self.output_path(data), self.next()

    # -- Task ---------------------------------------------------------------------------------------
    def task(self) -> Gen:
        result = yield from self.retrying(self.task_attempt)
        return self.finish(result), self.next()

    def _limit(self, field: str) -> float | None:
        value = self.state.get(field)
        if self.jsonata and dataflow.is_expression(value):
            value = self.resolve(value)
        if f"{field}Path" in self.state:
            value = paths.select(self.state[f"{field}Path"], self.input, self.context(), self.variables)
        if value is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise StatesError("States.Runtime", f"The value for '{field}' in state '{self.name}' must be a "
                              "positive integer")  # wording not documented
        return float(value)

    def task_attempt(self) -> Gen:
        resource = self.state["Resource"]
        if self.jsonata and dataflow.is_expression(resource):
            resource = self.resolve(resource)
        timeout = self._limit("TimeoutSeconds")
        heartbeat = self._limit("HeartbeatSeconds")
        waits = resource.endswith(".waitForTaskToken") or ":activity:" in resource
        token = self.run.host.new_token(self.run, resource) if waits else None
        if self.jsonata:
            payload = self.resolve(self.state["Arguments"], token=token) if "Arguments" in self.state else self.input
        else:
            payload = self.parameters(self.effective_input(), token=token)
        family, short = event_names(resource)
        scheduled: dict[str, Any] = {"resource": resource, "input": dumps(payload),
                                     "inputDetails": {"truncated": False}}
        if family == "Task":
            service, action = task_resource(resource)
            scheduled = {"resourceType": service, "resource": action, "region": self.run.region, "parameters": dumps(payload)}
            if timeout:
                scheduled["timeoutInSeconds"] = int(timeout)
            if heartbeat:
                scheduled["heartbeatInSeconds"] = int(heartbeat)
        elif timeout:
            scheduled["timeoutInSeconds"] = int(timeout)
        ident = {"resourceType": scheduled["resourceType"], "resource": scheduled["resource"]} \
            if family == "Task" else {}
        self.run.record(self.lane, f"{family}Scheduled", scheduled)
        started_at = self.run.host.now()
        deadline = started_at + timeout if timeout else None
        try:
            if family == "Activity" and token:  # started when a worker takes it (GetActivityTask)
                self.run.host.on_take(token, lambda worker: self.run.record(self.lane, "ActivityStarted",
                                                                            {"workerName": worker}))
            else:
                self.run.record(self.lane, f"{family}Started", ident or None)
            answer = self.run.host.run_task(self.run, self.name, resource, payload, token, self.state)
            if isinstance(answer, Pending):
                if family == "Task" and answer.submitted is not None:
                    self.run.record(self.lane, "TaskSubmitted", {**ident, "output": dumps(answer.submitted),
                                                                 "outputDetails": {"truncated": False}})
                answer = yield from self.run.await_token(answer.token, deadline, heartbeat)
        except StatesError as error:
            if error.error in ("States.Timeout", "States.HeartbeatTimeout"):
                self.run.record(self.lane, f"{family}TimedOut", {**ident, "error": error.error,
                                                                 "cause": error.cause})
            else:
                self.run.record(self.lane, f"{family}Failed", {**ident, "error": error.error, "cause": error.cause})
            raise
        self.run.record(self.lane, f"{family}Succeeded", {**ident, "output": dumps(answer),
                                                          "outputDetails": {"truncated": False}})
        return answer

    # -- Retry and Catch ------------------------------------------------------------------------------
    def retrying(self, attempt: Callable[[], Gen]) -> Gen:
        retriers = self.state.get("Retry", [])
        counts = [0] * len(retriers)
        while True:
            try:
                return (yield from attempt())
            except StatesError as error:
                index = next((i for i, r in enumerate(retriers) if matches(r["ErrorEquals"], error.error)), None)
                if index is None:
                    raise
                retrier = retriers[index]
                if counts[index] >= retrier.get("MaxAttempts", DEFAULT_MAX_ATTEMPTS):
                    raise
                delay = retrier.get("IntervalSeconds", DEFAULT_INTERVAL) * \
                    retrier.get("BackoffRate", DEFAULT_BACKOFF) ** counts[index]
                if "MaxDelaySeconds" in retrier:
                    delay = min(delay, retrier["MaxDelaySeconds"])
                if retrier.get("JitterStrategy") == "FULL":
                    delay = self.run.rng.uniform(0, delay)
                counts[index] += 1
                self.retries += 1
                yield from self.run.sleep_until(self.run.host.now() + delay)

    def catch(self, error: StatesError) -> tuple[Any, str] | None:
        for catcher in self.state.get("Catch", []):
            if matches(catcher["ErrorEquals"], error.error):
                if self.jsonata:
                    output = self.resolve(catcher["Output"], errorOutput=error.output()) \
                        if "Output" in catcher else error.output()
                    if "Assign" in catcher:
                        self.assigned.update(self.resolve(catcher["Assign"], errorOutput=error.output()))
                    return output, catcher["Next"]
                return paths.put(catcher.get("ResultPath", "$"), self.input, error.output()), catcher["Next"]
        return None

    # -- Parallel and Map ---------------------------------------------------------------------------
    def parallel(self) -> Gen:
        result = yield from self.retrying(self.parallel_attempt)
        return self.finish(result), self.next()

    def parallel_attempt(self) -> Gen:
        data = self.resolve(self.state["Arguments"]) if self.jsonata and "Arguments" in self.state else (
            self.input if self.jsonata else self.parameters(self.effective_input()))
        self.run.record(self.lane, "ParallelStateStarted")
        fork = self.lane.last

        def branch(doc: dict[str, Any]) -> Callable[[], Gen]:
            scope = Scope(doc.get("QueryLanguage", self.scope.language), dict(self.variables))
            return lambda: self.run.machine(doc, data, Lane(fork), scope)

        try:
            results = yield from self.run.gather([branch(doc) for doc in self.state["Branches"]])
        except StatesError as error:
            self.run.record(self.lane, "ParallelStateFailed", {"error": error.error, "cause": error.cause})
            raise error from None
        self.run.record(self.lane, "ParallelStateSucceeded")
        return results

    def map(self) -> Gen:
        result = yield from self.retrying(self.map_attempt)
        return self.finish(result), self.next()

    def items(self) -> list[Any]:
        if self.jsonata:
            items = self.resolve(self.state["Items"]) if "Items" in self.state else self.input
        else:
            items = paths.select(self.state.get("ItemsPath", "$"), self.effective_input(), self.context(),
                                 self.variables, field="ItemsPath")
        if not isinstance(items, list):
            raise StatesError("States.Runtime", f"The Map state '{self.name}' needs an array of items, got "
                              f"'{dumps(items)}'")  # wording not documented
        return items

    def max_concurrency(self) -> int:
        value = self.state.get("MaxConcurrency", 0)
        if self.jsonata and dataflow.is_expression(value):
            value = self.resolve(value)
        if "MaxConcurrencyPath" in self.state:
            value = paths.select(self.state["MaxConcurrencyPath"], self.input, self.context(), self.variables)
        return int(value or 0)

    def map_attempt(self) -> Gen:
        processor = self.state.get("ItemProcessor", self.state.get("Iterator"))
        mode = (processor.get("ProcessorConfig") or {}).get("Mode", "INLINE")
        if mode == "DISTRIBUTED" or "ItemReader" in self.state:
            return (yield from self.run.host.distributed_map(self))
        items = self.items()
        self.run.record(self.lane, "MapStateStarted", {"length": len(items)})
        fork = self.lane.last
        makers = [self.iteration(processor, index, item, fork) for index, item in enumerate(items)]
        try:
            results = yield from self.run.gather(makers, self.max_concurrency())
        except StatesError as error:
            self.run.record(self.lane, "MapStateFailed")
            raise error from None
        self.run.record(self.lane, "MapStateSucceeded")
        return results

    def item_input(self, index: int, item: Any) -> tuple[Any, dict[str, Any]]:
        """An iteration's input (through `ItemSelector`/`Parameters`) and its `$$.Map` context."""
        extra = {**(self.extra or {}), "Map": {"Item": {"Index": index, "Value": item}}}
        selector = self.state.get("ItemSelector", self.state.get("Parameters"))
        if selector is None:
            return item, extra
        if self.jsonata:
            context = {**self.context(), **extra}
            return dataflow.resolve(selector, {"input": self.input, "context": context}, self.variables), extra
        context = {**self.context(), **extra}
        return dataflow.render(selector, self.effective_input(), context, self.variables), extra

    def iteration(self, processor: dict[str, Any], index: int, item: Any, fork: int) -> Callable[[], Gen]:
        def run() -> Gen:
            lane = Lane(fork)
            data, extra = self.item_input(index, item)
            details = {"name": self.name, "index": index}
            self.run.record(lane, "MapIterationStarted", details)
            scope = Scope(processor.get("QueryLanguage", self.scope.language), dict(self.variables))
            try:
                out = yield from self.run.machine(processor, data, lane, scope, extra=extra)
            except StatesError:
                self.run.record(lane, "MapIterationFailed", details)
                raise
            self.run.record(lane, "MapIterationSucceeded", details)
            return out

        return run


def event_names(resource: str) -> tuple[str, str]:
    """The history event family of a Task's resource: `Task`, `LambdaFunction` or `Activity`."""
    if resource.startswith("arn:") and ":lambda:" in resource and ":function:" in resource:
        return "LambdaFunction", resource
    if ":activity:" in resource:
        return "Activity", resource
    return "Task", resource


def task_resource(resource: str) -> tuple[str, str]:
    """`arn:aws:states:::sqs:sendMessage.waitForTaskToken` -> (`sqs`, `sendMessage.waitForTaskToken`);
    `arn:aws:states:::aws-sdk:s3:getObject` -> (`aws-sdk:s3`, `getObject`)."""
    rest = resource.split(":", 5)[5] if resource.count(":") >= 5 else resource
    if rest.startswith("aws-sdk:"):
        _, service, action = rest.split(":", 2)
        return f"aws-sdk:{service}", action
    service, _, action = rest.partition(":")
    return service, action
