"""Amazon EventBridge Scheduler, in-process: schedule groups and schedules (`at`, `rate`, `cron`
with time zones) invoked when the gateway clock passes them. See `docs/services/scheduler.md`."""

from __future__ import annotations

from .firing import FiringOperations


class SchedulerService(FiringOperations):
    """The EventBridge Scheduler service: every operation of the model."""

    def reset(self) -> None:
        super().reset()
        self.failed_invocations.clear()


SERVICE = SchedulerService

__all__ = ["SERVICE", "SchedulerService"]
