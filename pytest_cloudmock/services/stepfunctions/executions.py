"""Executions: start (asynchronous and synchronous), describe, stop, list, history, redrive."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from itertools import islice
from typing import Any

from sortedcontainers import SortedDict

from ...api import AWSError, RequestContext
from ...paging import offset_page, offset_page_of
from . import errors
from .asl.control import iso
from .asl.interpreter import Run
from .history import append, without_data
from .machines import bad_page_token, definition_of, split_machine_arn
from .runner import EXPRESS_LIMIT, Runner
from .state import Execution, record_execution

SYNC_REAL_LIMIT = 60.0  # real seconds a StartSyncExecution request may block on a frozen clock


def split_execution_arn(arn: str) -> list[str]:
    parts = arn.split(":")
    if len(parts) < 8 or parts[0] != "arn" or parts[2] != "states" or parts[5] not in ("execution", "express"):
        raise errors.invalid_arn(arn)
    return parts


class ExecutionOperations(Runner):
    def execution(self, ctx: RequestContext, arn: str) -> Execution:
        split_execution_arn(arn)
        found = self.state_of(ctx, arn).executions.get(arn)
        if found is None:
            raise errors.execution_missing(arn)
        return found

    def _input(self, text: str | None) -> Any:
        text = "{}" if text is None else text
        try:
            return json.loads(text)
        except ValueError as exc:
            raise AWSError("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{exc}'") from None

    def _start(self, ctx: RequestContext, express_only: bool = False) -> tuple[Execution, Any, bool]:
        """The new execution (recorded, not yet running), its input, and False when an identical
        running execution answers instead."""
        p = ctx.params
        machine, definition, role, version_arn, alias_arn = self.resolve_target(ctx, p["stateMachineArn"])
        if express_only and machine.type != "EXPRESS":
            raise AWSError("StateMachineTypeNotSupported", "This operation is not supported by this type of state "
                           "machine")  # wording not documented
        name = p.get("name") or str(uuid.uuid4())
        errors.check_name(name)
        text = p.get("input", "{}")
        data = self._input(text)
        base = split_machine_arn(machine.arn)[0]
        state = self.state_of(ctx, base)
        if machine.type == "EXPRESS":
            arn = f"{base.replace(':stateMachine:', ':express:')}:{name}:{uuid.uuid4()}"
        else:
            arn = f"{base.replace(':stateMachine:', ':execution:')}:{name}"
        now = ctx.clock.utcnow()
        with self.store.lock:
            existing = state.executions.get(arn)
            if existing is not None:
                if existing.status == "RUNNING" and existing.input == text:
                    return existing, None, False  # AWS: same name and input as a running execution is idempotent
                raise AWSError("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
            execution = Execution(arn, name, base, machine.type, definition, role, text, now,
                                  trace_header=p.get("traceHeader"), version_arn=version_arn, alias_arn=alias_arn)
            record_execution(state, execution)
            details: dict[str, Any] = {"input": text, "inputDetails": {"truncated": False}, "roleArn": role}
            if version_arn:
                details["stateMachineVersionArn"] = version_arn
            if alias_arn:
                details["stateMachineAliasArn"] = alias_arn
            append(execution, "ExecutionStarted", details, 0, now)
        return execution, data, True

    def _run_for(self, ctx: RequestContext, execution: Execution, doc: dict[str, Any]) -> Run:
        context = {
            "Execution": {"Id": execution.arn, "Input": json.loads(execution.input), "Name": execution.name,
                          "RoleArn": execution.role_arn, "StartTime": iso(execution.started.timestamp()),
                          "RedriveCount": execution.redrive_count},
            "StateMachine": {"Id": execution.machine_arn, "Name": execution.machine_arn.split(":")[6]},
        }
        run = Run(self, doc, context, execution.arn, ctx.region)
        run.registry, run.account = self.registry_of(ctx), ctx.account_id
        return run

    def _timeout(self, execution: Execution, doc: dict[str, Any]) -> float | None:
        limit = doc.get("TimeoutSeconds")
        if execution.machine_type == "EXPRESS":
            return min(limit, EXPRESS_LIMIT) if limit else EXPRESS_LIMIT
        return limit

    def start_execution(self, ctx: RequestContext) -> dict[str, Any]:
        execution, data, fresh = self._start(ctx)
        if fresh:
            doc = definition_of(execution.definition)
            rt = self.launch(ctx, execution, self._run_for(ctx, execution, doc), data, self._timeout(execution, doc))
            def begin() -> None:
                self.status_event(rt.registry, execution)
                self.drive(rt)

            ctx.dispatch(begin)
        return {"executionArn": execution.arn, "startDate": execution.started}

    def start_sync_execution(self, ctx: RequestContext) -> dict[str, Any]:
        execution, data, _ = self._start(ctx, express_only=True)
        doc = definition_of(execution.definition)
        rt = self.launch(ctx, execution, self._run_for(ctx, execution, doc), data, self._timeout(execution, doc))
        self.drive(rt)
        if not rt.done.is_set():
            clock = ctx.clock
            began = time.monotonic()
            clock.wait_until(clock.now() + EXPRESS_LIMIT,
                             lambda: rt.done.is_set() or time.monotonic() - began > SYNC_REAL_LIMIT)
            if not rt.done.is_set():
                self.close_execution(execution.arn, ("TIMED_OUT", "States.Timeout", "The execution timed out"),
                                     self.registry_of(ctx))
                rt.abort = True
                self.wake(rt)
        out = self._describe_execution(execution, ctx.params.get("includedData", "ALL_DATA") == "ALL_DATA")
        out.pop("redriveCount", None)
        out.pop("redriveStatus", None)
        out.pop("redriveStatusReason", None)
        stopped = execution.stopped or ctx.clock.utcnow()
        out["billingDetails"] = {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": max(
            100, int((stopped - execution.started).total_seconds() * 1000))}
        return out

    def _describe_execution(self, execution: Execution, data: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "executionArn": execution.arn, "stateMachineArn": execution.machine_arn, "name": execution.name,
            "status": execution.status, "startDate": execution.started,
            "inputDetails": {"included": data}, "redriveCount": execution.redrive_count,
        }
        if data:
            out["input"] = execution.input
        if execution.stopped:
            out["stopDate"] = execution.stopped
        if execution.output is not None:
            out["outputDetails"] = {"included": data}
            if data:
                out["output"] = execution.output
        for key, value in (("error", execution.error), ("cause", execution.cause),
                           ("traceHeader", execution.trace_header), ("stateMachineVersionArn", execution.version_arn),
                           ("stateMachineAliasArn", execution.alias_arn), ("mapRunArn", execution.map_run_arn),
                           ("redriveDate", execution.redrive_date)):
            if value is not None:
                out[key] = value
        if execution.machine_type == "STANDARD":
            redrivable = execution.status in ("FAILED", "TIMED_OUT", "ABORTED") and not execution.map_run_arn
            out["redriveStatus"] = "REDRIVABLE" if redrivable else "NOT_REDRIVABLE"
            if not redrivable:
                out["redriveStatusReason"] = "Execution is RUNNING and cannot be redriven" \
                    if execution.status == "RUNNING" else f"Execution is {execution.status} and cannot be redriven"
        return out

    def describe_execution(self, ctx: RequestContext) -> dict[str, Any]:
        execution = self.execution(ctx, ctx.params["executionArn"])
        return self._describe_execution(execution, ctx.params.get("includedData", "ALL_DATA") == "ALL_DATA")

    def describe_state_machine_for_execution(self, ctx: RequestContext) -> dict[str, Any]:
        execution = self.execution(ctx, ctx.params["executionArn"])
        machine = self.state_of(ctx, execution.machine_arn).machines.get(execution.machine_arn)
        out: dict[str, Any] = {"stateMachineArn": execution.version_arn or execution.machine_arn,
                               "name": execution.machine_arn.split(":")[6], "definition": execution.definition,
                               "roleArn": execution.role_arn,
                               "updateDate": machine.updated if machine else execution.started}
        if machine is not None:
            out.update(loggingConfiguration=machine.logging, tracingConfiguration=machine.tracing,
                       revisionId=machine.revision_id, encryptionConfiguration=machine.encryption)
        if execution.map_run_arn:
            out["mapRunArn"] = execution.map_run_arn
        return out

    def stop_execution(self, ctx: RequestContext) -> dict[str, Any]:
        execution = self.execution(ctx, ctx.params["executionArn"])
        if execution.status == "RUNNING":
            self.close_execution(execution.arn, ("ABORTED", ctx.params.get("error"), ctx.params.get("cause")),
                                 self.registry_of(ctx))
            rt = self.runtimes.get(execution.arn)
            if rt is not None:
                rt.abort = True
                ctx.dispatch(lambda: self.drive(rt))
        return {"stopDate": execution.stopped or ctx.clock.utcnow()}

    def list_executions(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if bool(p.get("stateMachineArn")) == bool(p.get("mapRunArn")):
            raise errors.validation("Must provide a StateMachine ARN or MapRun ARN")
        if p.get("mapRunArn"):
            arn = p["mapRunArn"]
            if arn not in self.state_of(ctx, arn).map_runs:
                raise errors.resource_missing(arn, "Map Run")
            owner, qualified = arn, False
        else:
            arn = p["stateMachineArn"]
            machine = self.machine(ctx, arn)
            if machine.type == "EXPRESS":
                raise AWSError("StateMachineTypeNotSupported", "This operation is not supported by this type of "
                               "state machine")  # wording not documented
            owner, qualified = machine.arn, split_machine_arn(arn)[1] is not None
        status, redriven = p.get("statusFilter"), p.get("redriveFilter")

        def wanted(e: Execution) -> bool:
            return (not qualified or arn in (e.version_arn, e.alias_arn)) and (not status or e.status == status) \
                and (redriven != "REDRIVEN" or bool(e.redrive_count)) \
                and (redriven != "NOT_REDRIVEN" or not e.redrive_count)

        with self.store.lock:
            listed = self.state_of(ctx, arn).listed.get(owner) or SortedDict()
            filtered = qualified or status or redriven in ("REDRIVEN", "NOT_REDRIVEN")

            def newest_first(offset: int) -> Iterator[Execution]:
                if not filtered:  # every one is listed: an offset is a seek
                    return (listed[k] for k in listed.islice(offset))
                return islice(filter(wanted, listed.values()), offset, None)

            page, token = offset_page_of(newest_first, p.get("nextToken"), p.get("maxResults") or None,
                                         bad_token=bad_page_token, scope=f"executions:{arn}")
        items = []
        for e in page:
            item: dict[str, Any] = {"executionArn": e.arn, "stateMachineArn": e.machine_arn, "name": e.name,
                                    "status": e.status, "startDate": e.started, "redriveCount": e.redrive_count}
            for key, value in (("stopDate", e.stopped), ("mapRunArn", e.map_run_arn), ("redriveDate", e.redrive_date),
                               ("stateMachineVersionArn", e.version_arn), ("stateMachineAliasArn", e.alias_arn)):
                if value is not None:
                    item[key] = value
            items.append(item)
        out: dict[str, Any] = {"executions": items}
        if token:
            out["nextToken"] = token
        return out

    def get_execution_history(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        execution = self.execution(ctx, p["executionArn"])
        with self.store.lock:
            events = list(execution.events)
        if p.get("reverseOrder"):
            events.reverse()
        page, token = offset_page(events, p.get("nextToken"), p.get("maxResults") or None,
                                  bad_token=bad_page_token, scope=f"history:{execution.arn}:{bool(p.get('reverseOrder'))}")
        if not p.get("includeExecutionData", True):
            page = [without_data(e) for e in page]
        out: dict[str, Any] = {"events": page}
        if token:
            out["nextToken"] = token
        return out

    def redrive_execution(self, ctx: RequestContext) -> dict[str, Any]:
        execution = self.execution(ctx, ctx.params["executionArn"])
        if execution.machine_type != "STANDARD" or execution.status not in ("FAILED", "TIMED_OUT", "ABORTED") \
                or execution.map_run_arn:
            raise AWSError("ExecutionNotRedrivable", f"Execution with arn {execution.arn} cannot be redriven: it is "
                           f"{execution.status}")  # wording not documented
        doc = definition_of(execution.definition)
        start_at, data = execution.failed_state or doc["StartAt"], execution.failed_input
        if execution.failed_state is None:
            data = json.loads(execution.input)
        now = ctx.clock.utcnow()
        with self.store.lock:
            execution.status = "RUNNING"
            execution.stopped = None
            execution.error = execution.cause = execution.output = None
            execution.redrive_count += 1
            execution.redrive_date = now
            append(execution, "ExecutionRedriven", {"redriveCount": execution.redrive_count},
                   execution.events[-1]["id"], now)
        run = self._run_for(ctx, execution, doc)
        rt = self.launch(ctx, execution, run, data, self._timeout(execution, doc), start_at,
                         after=execution.events[-1]["id"])
        rt.run.base_context["Execution"]["RedriveCount"] = execution.redrive_count
        ctx.dispatch(lambda: self.drive(rt))
        return {"redriveDate": now}

    def close_execution(self, arn: str, outcome: tuple[Any, ...], registry: Any) -> None:
        """Also remember where a failed execution stopped, for `RedriveExecution`."""
        rt = self.runtimes.get(arn)
        execution = self.execution_of(arn)
        if execution is not None and rt is not None and rt.run.position is not None and outcome[0] != "SUCCEEDED":
            execution.failed_state, execution.failed_input = rt.run.position
        super().close_execution(arn, outcome, registry)
