"""Mocked task answers in Step Functions Local's mock configuration format, through the
interception API: a test case maps state names to mocked responses, each a list of
`Return` or `Throw` answers by call number (`"0"`, `"1-2"`)::

    mocks = LocalMocks(config, "HappyPath")           # the parsed MockConfigFile.json
    cloudmock.intercept("stepfunctions", "InvokeTask", before=mocks.before)

A state the test case does not name runs its real integration.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from ...api import AWSError, RequestContext


class LocalMocks:
    """The answers of one test case of a mock configuration (a dict, or a JSON file's path)."""

    def __init__(self, config: dict[str, Any] | str | Path, test_case: str, state_machine: str | None = None) -> None:
        doc = config if isinstance(config, dict) else json.loads(Path(config).read_text())
        machines = doc.get("StateMachines", {})
        names = [state_machine] if state_machine else list(machines)
        cases = [machines[name]["TestCases"][test_case] for name in names
                 if test_case in machines.get(name, {}).get("TestCases", {})]
        if not cases:
            raise KeyError(f"no test case {test_case!r} in the mock configuration")
        responses = doc.get("MockedResponses", {})
        self.states: dict[str, dict[str, Any]] = {state: responses[mocked] for state, mocked in cases[0].items()}
        self.calls: dict[tuple[str, str], int] = {}  # (execution, state) -> calls so far
        self._lock = threading.Lock()

    def before(self, ctx: RequestContext) -> Any:
        """The interceptor hook for `stepfunctions:InvokeTask`."""
        state = ctx.params.get("StateName", "")
        mocked = self.states.get(state)
        if mocked is None:
            return None
        key = (ctx.params.get("ExecutionArn", ""), state)
        with self._lock:
            number = self.calls.get(key, 0)
            self.calls[key] = number + 1
        answer = _answer_for(mocked, number)
        if "Throw" in answer:
            raise AWSError(answer["Throw"].get("Error", "States.TaskFailed"), answer["Throw"].get("Cause", ""))
        return answer.get("Return")


def _answer_for(mocked: dict[str, Any], number: int) -> dict[str, Any]:
    """The answer for call `number` (0-based); past the last range, the last answer again."""
    last: dict[str, Any] = {}
    for calls, answer in sorted(mocked.items(), key=lambda item: int(item[0].split("-")[0])):
        first, _, final = calls.partition("-")
        if int(first) <= number <= int(final or first):
            return answer
        last = answer
    return last
