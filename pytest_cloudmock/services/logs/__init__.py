"""Amazon CloudWatch Logs, in-process: log groups and streams with AWS's PutLogEvents
rules, retention on the gateway clock, the filter pattern language, metric and
subscription filters delivered through the registry, Logs Insights queries and Live Tail.

Other services write logs through the registry (`CreateLogGroup`, `CreateLogStream`,
`PutLogEvents`). See `docs/services/logs.md`.
"""

from __future__ import annotations

from .events import EventOperations
from .exports import ExportOperations
from .filters import FilterOperations
from .groups import GroupOperations
from .livetail import LiveTailOperations
from .policies import PolicyOperations
from .queries import QueryOperations
from .records import RecordOperations
from .state import LogGroup, LogsState, LogStream


class LogsService(GroupOperations, EventOperations, FilterOperations, PolicyOperations, QueryOperations,
                  ExportOperations, LiveTailOperations, RecordOperations):
    """The CloudWatch Logs service: every operation of the 2014-03-28 API."""


SERVICE = LogsService

__all__ = ["LogGroup", "LogStream", "LogsService", "LogsState", "SERVICE"]
