"""Checking a state machine definition: the diagnostics `ValidateStateMachineDefinition`
lists and `CreateStateMachine` turns into `InvalidDefinition`.

Codes are AWS's documented diagnostic codes; the message texts are ours (AWS documents
the codes, not the wording, and says the wording may change).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import intrinsics
from .choice import ALL_OPERATORS
from .dataflow import compile_check, is_expression

STATE_TYPES = frozenset({"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"})
JSONPATH_ONLY = ("InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath", "ItemsPath")
JSONATA_ONLY = ("Arguments", "Output")
_TERMINAL_TYPES = ("Choice", "Succeed", "Fail")


@dataclass
class Diagnostic:
    code: str
    message: str
    location: str = ""
    severity: str = "ERROR"

    def as_dict(self) -> dict[str, str]:
        out = {"severity": self.severity, "code": self.code, "message": self.message}
        if self.location:
            out["location"] = self.location
        return out


def load(text: str, kind: str = "STANDARD") -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The parsed definition and its diagnostics (errors first, then warnings) for a
    `kind` (STANDARD or EXPRESS) state machine."""
    if not text or not text.strip():
        return None, [Diagnostic("MISSING_DESCRIPTION", "The definition is empty")]
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return None, [Diagnostic("INVALID_JSON_DESCRIPTION", f"The definition is not valid JSON: {exc}")]
    if not isinstance(doc, dict):
        return None, [Diagnostic("SCHEMA_VALIDATION_FAILED", "The definition must be a JSON object", "/")]
    checker = _Checker(kind)
    checker.machine(doc, "", doc.get("QueryLanguage", "JSONPath"))
    if not checker.has_terminal and not any(d.severity == "ERROR" for d in checker.found):
        checker.found.append(Diagnostic("MISSING_END_STATE", "The workflow has no terminal state"))
    errors = [d for d in checker.found if d.severity == "ERROR"]
    return doc, errors + [d for d in checker.found if d.severity != "ERROR"]


def invalid_definition_message(diagnostics: list[Diagnostic]) -> str:
    """The `InvalidDefinition` message for the errors found (AWS's form: the codes, messages and locations)."""
    parts = [f"{d.code}: {d.message}" + (f" at {d.location}" if d.location else "")
             for d in diagnostics if d.severity == "ERROR"]
    return "Invalid State Machine Definition: '" + ", ".join(parts) + "'"


class _Checker:
    def __init__(self, kind: str = "STANDARD") -> None:
        self.kind = kind
        self.found: list[Diagnostic] = []
        self.names: set[str] = set()
        self.has_terminal = False

    def error(self, code: str, message: str, location: str) -> None:
        self.found.append(Diagnostic(code, message, location))

    def machine(self, doc: dict[str, Any], where: str, language: str) -> None:
        if language not in ("JSONPath", "JSONata"):
            self.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'QueryLanguage' must be one of "
                       "JSONPath, JSONata", f"{where}/QueryLanguage")
            language = "JSONPath"
        states = doc.get("States")
        start = doc.get("StartAt")
        if not isinstance(start, str):
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'StartAt' should be non-null", where or "/")
        if not isinstance(states, dict) or not states:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'States' should be a non-empty object", where or "/")
            return
        if isinstance(start, str) and not _known(start, states):
            self.error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {start}", f"{where}/StartAt")
        for name, state in states.items():
            self.state(name, state, states, f"{where}/States/{name}", language)
        if "TimeoutSeconds" in doc and not _positive_int(doc["TimeoutSeconds"]):
            self.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'TimeoutSeconds' must be a positive "
                       "integer", f"{where}/TimeoutSeconds")

    def state(self, name: str, state: Any, states: dict[str, Any], where: str, language: str) -> None:
        if name in self.names:
            self.error("DUPLICATE_STATE_NAME", f"Duplicate State name: {name}", where)
        self.names.add(name)
        if not 0 < len(name) <= 80 or any(ord(c) < 32 for c in name):
            self.error("INVALID_STATE_NAME", f"The state name '{name}' is invalid", where)
        if not isinstance(state, dict):
            self.error("SCHEMA_VALIDATION_FAILED", "A state must be a JSON object", where)
            return
        kind = state.get("Type")
        if kind not in STATE_TYPES:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'Type' should have one of these values: "
                       "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", f"{where}/Type")
            return
        language = state.get("QueryLanguage", language)
        if language == "JSONata":
            for field in JSONPATH_ONLY:
                if field in state:
                    self.error("SCHEMA_VALIDATION_FAILED", f"The field '{field}' is not supported when the "
                               "query language is JSONata", f"{where}/{field}")
            self.expressions(state, where)
        else:
            for field in JSONATA_ONLY:
                if field in state:
                    self.error("SCHEMA_VALIDATION_FAILED", f"The field '{field}' is supported only when the "
                               "query language is JSONata", f"{where}/{field}")
            for field in ("Parameters", "ResultSelector", "ItemSelector"):
                self.template(state.get(field), f"{where}/{field}")
        if kind in _TERMINAL_TYPES:
            if kind != "Choice":
                self.has_terminal = True
            for field in ("Next", "End"):
                if field in state:
                    self.error("SCHEMA_VALIDATION_FAILED", f"Field '{field}' is not supported for a {kind} "
                               "state", f"{where}/{field}")
        else:
            self.transition(state, states, where)
        getattr(self, f"check_{kind.lower()}")(state, states, where, language)
        if kind in ("Task", "Parallel", "Map"):
            self.errors_handling(state, states, where)

    def transition(self, state: dict[str, Any], states: dict[str, Any], where: str) -> None:
        nxt, end = state.get("Next"), state.get("End")
        if end is True:
            self.has_terminal = True
            if nxt is not None:
                self.error("SCHEMA_VALIDATION_FAILED", "Only one of 'Next' or 'End' may be set", where)
        elif nxt is None:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'Next' or 'End' is required", where)
        elif not _known(nxt, states):
            self.error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {nxt}", f"{where}/Next")

    def template(self, template: Any, where: str) -> None:
        if isinstance(template, dict):
            for key, value in template.items():
                if key.endswith(".$") and isinstance(value, str):
                    if intrinsics.is_intrinsic(value):
                        try:
                            intrinsics.parse(value)
                        except ValueError as exc:
                            self.error("SCHEMA_VALIDATION_FAILED", f"The value for the field '{key}' must be a "
                                       f"valid JSONPath or a valid intrinsic function call: {exc}", f"{where}/{key}")
                    elif not value.startswith("$"):
                        self.error("SCHEMA_VALIDATION_FAILED", f"The value for the field '{key}' must be a valid "
                                   "JSONPath or a valid intrinsic function call", f"{where}/{key}")
                else:
                    if isinstance(value, str) and (value.startswith("$.") or value.startswith("States.")):
                        self.found.append(Diagnostic("NO_DOLLAR", f"The field '{key}' looks like a JSONPath or an "
                                                     "intrinsic function, but its name does not end with '.$'",
                                                     f"{where}/{key}", "WARNING"))
                    self.template(value, f"{where}/{key}")
        elif isinstance(template, list):
            for i, item in enumerate(template):
                self.template(item, f"{where}[{i}]")

    def expressions(self, value: Any, where: str) -> None:
        if is_expression(value):
            problem = compile_check(value)
            if problem:
                self.error("SCHEMA_VALIDATION_FAILED", f"The JSONata expression is invalid: {problem}", where)
        elif isinstance(value, dict):
            for key, sub in value.items():
                if key not in ("Branches", "ItemProcessor", "Iterator", "States"):
                    self.expressions(sub, f"{where}/{key}")
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                self.expressions(sub, f"{where}[{i}]")

    # -- per type ---------------------------------------------------------------------
    def check_pass(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        pass

    def check_succeed(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        pass

    def check_fail(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        for field in ("Error", "Cause"):
            if field in state and f"{field}Path" in state:
                self.error("SCHEMA_VALIDATION_FAILED", f"Only one of '{field}' or '{field}Path' may be set", where)

    def check_task(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        resource = state.get("Resource")
        if not isinstance(resource, str):
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'Resource' should be non-null", where)
        elif not resource.startswith("arn:") or len(resource.split(":")) < 6:
            self.error("INVALID_RESOURCE", f"Invalid Resource ARN: {resource}", f"{where}/Resource")
        elif self.kind == "EXPRESS" and (".sync" in resource or resource.endswith(".waitForTaskToken")
                                         or ":activity:" in resource):
            self.error("SCHEMA_VALIDATION_FAILED", "Express state machine does not support '.sync', "
                       "'.waitForTaskToken' or activity resources", f"{where}/Resource")
        for field in ("TimeoutSeconds", "HeartbeatSeconds"):
            if field in state and not (_positive_int(state[field]) or is_expression(state[field])):
                self.error("SCHEMA_VALIDATION_FAILED", f"The value for the field '{field}' must be a positive "
                           "integer", f"{where}/{field}")

    def check_wait(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        given = [f for f in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath") if f in state]
        if len(given) != 1:
            self.error("SCHEMA_VALIDATION_FAILED", "A Wait state must have exactly one of 'Seconds', 'Timestamp', "
                       "'SecondsPath' or 'TimestampPath'", where)

    def check_choice(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        choices = state.get("Choices")
        if not isinstance(choices, list) or not choices:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'Choices' should be a non-empty array", where)
            return
        for i, choice in enumerate(choices):
            at = f"{where}/Choices[{i}]"
            if not isinstance(choice, dict):
                self.error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an object", at)
                continue
            nxt = choice.get("Next")
            if not _known(nxt, states):
                self.error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {nxt}", f"{at}/Next")
            if language == "JSONata":
                if "Condition" not in choice:
                    self.error("SCHEMA_VALIDATION_FAILED", "The field 'Condition' is required", at)
            else:
                self.rule(choice, at, top=True)
        default = state.get("Default")
        if default is not None and not _known(default, states):
            self.error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {default}", f"{where}/Default")

    def rule(self, rule: Any, where: str, top: bool = False) -> None:
        if not isinstance(rule, dict):
            self.error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an object", where)
            return
        if not top and "Next" in rule:
            self.error("SCHEMA_VALIDATION_FAILED", "A nested choice rule cannot have 'Next'", where)
        for combinator in ("And", "Or"):
            if combinator in rule:
                if not isinstance(rule[combinator], list) or not rule[combinator]:
                    self.error("SCHEMA_VALIDATION_FAILED", f"'{combinator}' must be a non-empty array", where)
                    return
                for i, sub in enumerate(rule[combinator]):
                    self.rule(sub, f"{where}/{combinator}[{i}]")
                return
        if "Not" in rule:
            self.rule(rule["Not"], f"{where}/Not")
            return
        operators = [key for key in rule if key in ALL_OPERATORS]
        if len(operators) != 1:
            self.error("SCHEMA_VALIDATION_FAILED", "A choice rule must have exactly one comparison operator", where)
        if "Variable" not in rule:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'Variable' is required", where)

    def check_parallel(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        branches = state.get("Branches")
        if not isinstance(branches, list) or not branches:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'Branches' should be a non-empty array", where)
            return
        for i, branch in enumerate(branches):
            self.sub_machine(branch, f"{where}/Branches[{i}]", language)

    def check_map(self, state: dict[str, Any], states: dict[str, Any], where: str, language: str) -> None:
        processor = state.get("ItemProcessor", state.get("Iterator"))
        if processor is None:
            self.error("SCHEMA_VALIDATION_FAILED", "The field 'ItemProcessor' should be non-null", where)
            return
        self.sub_machine(processor, f"{where}/ItemProcessor", language)
        if "MaxConcurrency" in state and not (isinstance(state["MaxConcurrency"], int) and state["MaxConcurrency"] >= 0):
            self.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'MaxConcurrency' must be a "
                       "non-negative integer", f"{where}/MaxConcurrency")

    def sub_machine(self, doc: Any, where: str, language: str) -> None:
        if not isinstance(doc, dict):
            self.error("SCHEMA_VALIDATION_FAILED", "A branch must be a JSON object", where)
            return
        saved, self.has_terminal = self.has_terminal, False
        self.machine(doc, where, doc.get("QueryLanguage", language))
        if not self.has_terminal:
            self.error("MISSING_END_STATE", "The branch has no terminal state", where)
        self.has_terminal = saved

    def errors_handling(self, state: dict[str, Any], states: dict[str, Any], where: str) -> None:
        for field in ("Retry", "Catch"):
            entries = state.get(field, [])
            if not isinstance(entries, list):
                self.error("SCHEMA_VALIDATION_FAILED", f"The field '{field}' must be an array", f"{where}/{field}")
                continue
            for i, entry in enumerate(entries):
                at = f"{where}/{field}[{i}]"
                names = entry.get("ErrorEquals") if isinstance(entry, dict) else None
                if not isinstance(names, list) or not names:
                    self.error("SCHEMA_VALIDATION_FAILED", "The field 'ErrorEquals' should be a non-empty array", at)
                    continue
                if "States.ALL" in names and (len(names) > 1 or i != len(entries) - 1):
                    self.error("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone in the last "
                               f"{'retrier' if field == 'Retry' else 'catcher'}", f"{at}/ErrorEquals")
                if field == "Catch" and not _known(entry.get("Next"), states):
                    self.error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {entry.get('Next')}",
                               f"{at}/Next")
                if field == "Retry":
                    if "MaxAttempts" in entry and not (isinstance(entry["MaxAttempts"], int)
                                                       and entry["MaxAttempts"] >= 0):
                        self.error("SCHEMA_VALIDATION_FAILED", "'MaxAttempts' must be a non-negative integer", at)
                    for name in ("IntervalSeconds", "MaxDelaySeconds"):
                        if name in entry and not _positive_int(entry[name]):
                            self.error("SCHEMA_VALIDATION_FAILED", f"'{name}' must be a positive integer", at)
                    if "BackoffRate" in entry and not (isinstance(entry["BackoffRate"], (int, float))
                                                       and entry["BackoffRate"] >= 1):
                        self.error("SCHEMA_VALIDATION_FAILED", "'BackoffRate' must be at least 1.0", at)
                    if entry.get("JitterStrategy", "NONE") not in ("NONE", "FULL"):
                        self.error("SCHEMA_VALIDATION_FAILED", "'JitterStrategy' must be FULL or NONE", at)


def _known(name: Any, states: dict[str, Any]) -> bool:
    return isinstance(name, str) and name in states


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
