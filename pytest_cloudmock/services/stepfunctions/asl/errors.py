"""The error an ASL state raises: an error name and a cause, as `Catch` and `Retry` see them."""

from __future__ import annotations

import json


class StatesError(Exception):
    """A state failed with `error` (`States.TaskFailed`, `Lambda.ServiceException`, ...)."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error if isinstance(error, str) else json.dumps(error)  # names from payloads may be any JSON
        self.cause = cause if isinstance(cause, str) else json.dumps(cause)
        self.reported = False  # an EvaluationFailed event was recorded for it

    def output(self) -> dict[str, str]:
        """The error output a `Catch` hands on (`{"Error", "Cause"}`)."""
        return {"Error": self.error, "Cause": self.cause}


def runtime(cause: str) -> StatesError:
    return StatesError("States.Runtime", cause)


def intrinsic_failure(cause: str) -> StatesError:
    return StatesError("States.IntrinsicFailure", cause)


#: Errors `States.ALL` does not catch (AWS: terminal errors).
TERMINAL = frozenset({"States.Runtime", "States.DataLimitExceeded"})


def matches(names: list[str], error: str) -> bool:
    """Whether a retrier's or catcher's `ErrorEquals` covers `error`."""
    for name in names:
        if name == error:
            return True
        if name == "States.ALL" and error not in TERMINAL:
            return True
        if name == "States.TaskFailed" and error not in TERMINAL and error != "States.Timeout":
            return True  # AWS: matches any known error name except States.Timeout
    return False
