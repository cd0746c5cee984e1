"""`TestState`: one state tried on its own, without waiting or retrying: its output and next
state, the error it raised (`FAILED`, `RETRIABLE`, `CAUGHT_ERROR`), a mocked task answer
(`mock`) and, at `DEBUG`/`TRACE` level, the data after each processing step."""

from __future__ import annotations

import json
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .asl import dataflow, paths
from .asl.control import Lane, Scope, dumps, iso
from .asl.errors import StatesError, matches
from .asl.interpreter import Run
from .asl.step import DEFAULT_MAX_ATTEMPTS, Step
from .distributed import DistributedMap

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")


class _Mocked:
    """The service as the interpreter's host, with the task's answer taken from `mock`."""

    def __init__(self, host: Any, mock: dict[str, Any]) -> None:
        self._host, self._mock = host, mock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._host, name)

    def run_task(self, run: Run, state_name: str, resource: str, payload: Any, token: str | None,
                 state: dict[str, Any]) -> Any:
        failure = self._mock.get("errorOutput")
        if failure is not None:
            raise StatesError(failure.get("error", ""), failure.get("cause", ""))
        try:
            return json.loads(self._mock.get("result", "null"))
        except ValueError as exc:
            raise errors.validation(f"The mock result is not valid JSON: {exc}") from None


def _parse(text: str | None, what: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError as exc:
        raise errors.validation(f"The {what} is not valid JSON: {exc}") from None


class TrialOperations(DistributedMap):
    def test_state(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, state, language = self._state_to_test(p)
        data = self._input(p.get("input"))
        registry = self.registry_of(ctx)
        context = {"Execution": {"Id": "", "Input": data, "Name": "TestState", "RoleArn": p.get("roleArn", ""),
                                 "StartTime": iso(ctx.clock.now())},
                   "StateMachine": {"Id": "", "Name": "TestState"}}
        context.update(_parse(p.get("context"), "context") or {})
        host = _Mocked(self, p["mock"]) if p.get("mock") else self
        run = Run(host, {"StartAt": name, "States": {name: state}}, context, "", ctx.region)  # type: ignore[arg-type]
        run.registry, run.account = registry, ctx.account_id
        variables = _parse(p.get("variables"), "variables") or {}
        step = Step(run, name, state, data, Lane(), Scope(state.get("QueryLanguage", language), dict(variables)), None)
        debug = p.get("inspectionLevel", "INFO") in ("DEBUG", "TRACE")
        kind = state["Type"]
        attempt = {"Task": step.task_attempt, "Parallel": step.parallel_attempt, "Map": step.map_attempt}.get(kind)
        out: dict[str, Any] = {}
        try:
            if attempt is not None:
                result = _finish(attempt())
                output, nxt = step.finish(result), step.next()
                if debug and not step.jsonata:
                    out["inspectionData"] = self._inspection(step, result)
            else:
                output, nxt = _finish(getattr(step, "pass_" if kind == "Pass" else kind.lower())())
        except StatesError as error:
            return self._failed(step, error, p.get("stateConfiguration") or {}, attempt is not None)
        out.update(status="SUCCEEDED", output=dumps(output))
        if nxt:
            out["nextState"] = nxt
        return out

    @staticmethod
    def _state_to_test(p: dict[str, Any]) -> tuple[str, dict[str, Any], str]:
        try:
            doc = json.loads(p["definition"])
        except ValueError as exc:
            raise AWSError("InvalidDefinition", f"Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: "
                           f"{exc}'") from None
        if not isinstance(doc, dict):
            raise AWSError("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
                           "The definition must be a JSON object'")
        if isinstance(doc.get("States"), dict):
            name = p.get("stateName") or doc.get("StartAt")
            if not isinstance(name, str) or name not in doc["States"]:
                raise errors.validation(f"State '{name}' does not exist in the definition")
            state, language = doc["States"][name], doc.get("QueryLanguage", "JSONPath")
        else:
            name, state, language = p.get("stateName") or "TestState", doc, "JSONPath"
        if not isinstance(state, dict) or state.get("Type") not in STATE_TYPES:
            raise AWSError("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
                           "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, "
                           "Choice, Parallel, Map]'")
        return name, state, language

    @staticmethod
    def _failed(step: Step, error: StatesError, config: dict[str, Any], handles: bool) -> dict[str, Any]:
        if handles:
            retrier = next((r for r in step.state.get("Retry", []) if matches(r.get("ErrorEquals", []), error.error)),
                           None)
            if retrier is not None and config.get("retrierRetryCount", 0) < retrier.get("MaxAttempts",
                                                                                       DEFAULT_MAX_ATTEMPTS):
                return {"status": "RETRIABLE", "error": error.error, "cause": error.cause}
            caught = step.catch(error)
            if caught is not None:
                return {"status": "CAUGHT_ERROR", "output": dumps(caught[0]), "nextState": caught[1],
                        "error": error.error, "cause": error.cause}
        return {"status": "FAILED", "error": error.error, "cause": error.cause}

    @staticmethod
    def _inspection(step: Step, result: Any) -> dict[str, str]:
        """The data after each JSONPath processing step of a Task, Parallel or Map."""
        after_input = step.effective_input()
        selected = dataflow.render(step.state["ResultSelector"], result, step.context(), step.variables) \
            if "ResultSelector" in step.state else result
        return {"input": dumps(step.input), "afterInputPath": dumps(after_input),
                "afterParameters": dumps(step.parameters(after_input)), "result": dumps(result),
                "afterResultSelector": dumps(selected),
                "afterResultPath": dumps(paths.put(step.state.get("ResultPath", "$"), step.input, selected))}


def _finish(gen: Any) -> Any:
    """Run a state's generator to its end without waiting."""
    for _ in range(10000):
        try:
            gen.send(None)
        except StopIteration as done:
            return done.value
    raise StatesError("States.Runtime", "The state did not finish")
