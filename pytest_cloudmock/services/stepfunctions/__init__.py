"""AWS Step Functions, in-process: state machines (STANDARD and EXPRESS, versions, aliases),
executions run by an Amazon States Language interpreter on the gateway's dispatcher and
clock, activities and task tokens. See `docs/services/stepfunctions.md`."""

from __future__ import annotations

from ...api import ServiceProfile
from .trial import TrialOperations


class StepFunctionsService(TrialOperations):
    """The Step Functions service: every operation of the model."""

    def __init__(self) -> None:
        super().__init__()
        # waits resume as the clock passes them; the gateway's stop cancels the real-time timers
        self.profile = ServiceProfile(on_clock=self.on_clock, on_stop=self.stop_timers)


SERVICE = StepFunctionsService

__all__ = ["SERVICE", "StepFunctionsService"]
