"""One state's execution: input and output processing (JSONPath and JSONata), each state
type's behaviour, tasks with their history events, Retry and Catch, Parallel branches and
Map iterations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import dataflow, paths
from .choice import evaluate as choose
from .choice import parse_timestamp
from .control import Gen, Lane, Pending, Scope, dumps, event_names, task_resource
from .errors import StatesError, matches

if TYPE_CHECKING:
    from .interpreter import Run

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_INTERVAL = 1
DEFAULT_BACKOFF = 2.0


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
        for field, value in (("Error", error), ("Cause", cause)):
            if value is not None and not isinstance(value, str):
                raise StatesError("States.Runtime", f"The {field} of Fail state '{self.name}' must be a string, got "
                                  f"'{dumps(value)}'")  # wording not documented
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
        now = self.run.now()
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
                yield from self.run.sleep_until(self.run.now() + delay)

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
