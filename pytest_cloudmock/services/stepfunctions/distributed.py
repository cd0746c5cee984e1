"""Distributed Map: Map runs whose iterations are child executions, items read from S3
(`ItemReader`: JSON, JSON Lines, CSV objects, or an object listing), `ItemBatcher`,
tolerated failures and `ResultWriter` to S3; and the Map run operations."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import offset_page
from . import errors
from .asl import dataflow, paths
from .asl.control import Gen, dumps, iso
from .asl.errors import StatesError
from .asl.interpreter import Run
from .asl.step import Step
from .history import append
from .integrations import _bytes, acting, jsonable
from .machines import bad_page_token
from .state import Execution, MapRun, record_execution
from .tasks import TaskOperations

DEFAULT_CONCURRENCY = 1000


class DistributedMap(TaskOperations):
    def distributed_map(self, step: Step) -> Gen:
        run, state = step.run, step.state
        items = self._read_items(step) if "ItemReader" in state else step.items()
        inputs = [step.item_input(i, item)[0] for i, item in enumerate(items)]
        batches = _batch(step, inputs)
        parent = self.execution_of(run.execution_arn)
        machine_name = run.base_context["StateMachine"]["Name"]
        label = state.get("Label", step.name)
        run_id = str(uuid.uuid4())
        parts = run.execution_arn.split(":")
        prefix = f"arn:aws:states:{parts[3]}:{parts[4]}"
        map_run_arn = f"{prefix}:mapRun:{machine_name}/{label}:{run_id}"
        tolerated_pct = float(_setting(step, state, "ToleratedFailurePercentage"))
        tolerated_count = int(_setting(step, state, "ToleratedFailureCount"))
        limit = step.max_concurrency() or DEFAULT_CONCURRENCY
        map_run = MapRun(map_run_arn, run.execution_arn, self.clock_source.clock.utcnow(), limit,  # type: ignore[union-attr]
                         tolerated_pct, tolerated_count, counts={"total": len(batches)})
        if parent is not None:
            with self.store.lock:
                self.store.get(parts[4], parts[3]).map_runs[map_run_arn] = map_run
        run.record(step.lane, "MapRunStarted", {"mapRunArn": map_run_arn})
        processor = state.get("ItemProcessor", state.get("Iterator"))
        children: list[Execution] = []

        def child(index: int, data: Any) -> Any:
            def gen() -> Gen:
                arn = f"{prefix}:execution:{machine_name}/{label}:{uuid.uuid4()}"
                now = self.clock_source.clock.utcnow()  # type: ignore[union-attr]
                execution = Execution(arn, arn.rsplit(":", 1)[1], run.base_context["StateMachine"]["Id"], "STANDARD",
                                      json.dumps(processor), "", dumps(data), now, map_run_arn=map_run_arn)
                with self.store.lock:
                    record_execution(self.store.get(parts[4], parts[3]), execution)
                    append(execution, "ExecutionStarted", {"input": execution.input,
                                                           "inputDetails": {"truncated": False}}, 0, now)
                children.append(execution)
                context = {**run.base_context, "Execution": {**run.base_context["Execution"], "Id": arn,
                                                             "Input": data, "Name": execution.name,
                                                             "StartTime": iso(now.timestamp())}}
                child_run = Run(self, processor, context, arn, run.region)
                child_run.registry, child_run.account = run.registry, run.account
                try:
                    out = yield from child_run.start(data)
                except StatesError as error:
                    self.close_execution(arn, ("FAILED", error.error, error.cause), run.registry)
                    raise
                except GeneratorExit:  # the Map run ended early (a failure elsewhere, the parent stopped)
                    self.close_execution(arn, ("ABORTED", None, None), run.registry)
                    raise
                self.close_execution(arn, ("SUCCEEDED", out), run.registry)
                return out
            return gen

        failures = 0

        def tolerate(index: int, error: StatesError) -> bool:
            nonlocal failures
            failures += 1
            return True

        try:
            results = yield from run.gather([child(i, b) for i, b in enumerate(batches)], limit, tolerate)
        except GeneratorExit:
            map_run.status, map_run.stopped = "ABORTED", self.clock_source.clock.utcnow()  # type: ignore[union-attr]
            raise
        succeeded = len(batches) - failures
        map_run.counts.update(succeeded=succeeded, failed=failures, resultsWritten=0)
        map_run.stopped = self.clock_source.clock.utcnow()  # type: ignore[union-attr]
        exceeded = failures > tolerated_count and (not batches or failures * 100.0 / len(batches) > tolerated_pct)
        output: Any = [r.output() if isinstance(r, StatesError) else r for r in results]
        if "ResultWriter" in state:
            output = self._write_results(step, map_run, children)
            map_run.counts["resultsWritten"] = len(children)
        if exceeded:
            map_run.status = "FAILED"
            run.record(step.lane, "MapRunFailed", {"error": "States.ExceedToleratedFailureThreshold",
                                                   "cause": "The specified tolerated failure threshold was exceeded"})
            raise StatesError("States.ExceedToleratedFailureThreshold",
                              "The specified tolerated failure threshold was exceeded")
        map_run.status = "SUCCEEDED"
        run.record(step.lane, "MapRunSucceeded")
        return output

    # -- S3 ----------------------------------------------------------------------------------------------
    def _s3(self, run: Run, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            return run.registry.call("s3", operation, params, account_id=run.account, region=run.region,
                                     acting_as=acting(run))
        except AWSError as error:
            raise StatesError(f"S3.{error.code}" if error.code.endswith("Exception") else
                              f"S3.{error.code}Exception", error.message) from None

    def _read_items(self, step: Step) -> list[Any]:
        reader = step.state["ItemReader"]
        params = reader.get("Parameters", reader.get("Arguments", {}))
        params = step.resolve(params) if step.jsonata else dataflow.render(params, step.input, step.context(),
                                                                          step.variables)
        config = reader.get("ReaderConfig", {})
        resource = reader.get("Resource", "")
        if resource.endswith("s3:listObjectsV2"):
            listing = self._s3(step.run, "ListObjectsV2", {k: v for k, v in params.items()
                                                          if k in ("Bucket", "Prefix")})
            items: list[Any] = jsonable(listing.get("Contents", []))
        elif resource.endswith("s3:getObject"):
            body = _bytes(self._s3(step.run, "GetObject", {"Bucket": params["Bucket"],
                                                           "Key": params["Key"]}).get("Body", b"")).decode()
            items = _parse_items(body, config)
        else:
            raise StatesError("States.Runtime", f"The ItemReader resource '{resource}' is not supported")
        if "MaxItems" in config:
            items = items[: int(config["MaxItems"])]
        return items

    def _write_results(self, step: Step, map_run: MapRun, children: list[Execution]) -> dict[str, Any]:
        writer = step.state["ResultWriter"]
        params = writer.get("Parameters", writer.get("Arguments", {}))
        params = step.resolve(params) if step.jsonata else dataflow.render(params, step.input, step.context(),
                                                                          step.variables)
        bucket, prefix = params["Bucket"], params.get("Prefix", "").rstrip("/")
        base = f"{prefix}/{map_run.arn.rsplit(':', 1)[1]}" if prefix else map_run.arn.rsplit(":", 1)[1]
        files: dict[str, list[dict[str, Any]]] = {"FAILED": [], "PENDING": [], "SUCCEEDED": []}
        for status in ("SUCCEEDED", "FAILED"):
            chosen = [_result_entry(c) for c in children if c.status == status]
            if not chosen:
                continue
            key = f"{base}/{status}_0.json"
            body = json.dumps(chosen).encode()
            self._s3(step.run, "PutObject", {"Bucket": bucket, "Key": key, "Body": body})
            files[status].append({"Key": key, "Size": len(body)})
        manifest_key = f"{base}/manifest.json"
        manifest = {"DestinationBucket": bucket, "MapRunArn": map_run.arn, "ResultFiles": files}
        self._s3(step.run, "PutObject", {"Bucket": bucket, "Key": manifest_key, "Body": json.dumps(manifest).encode()})
        return {"MapRunArn": map_run.arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}

    # -- Map run operations ------------------------------------------------------------------------------
    def _map_run(self, ctx: RequestContext, arn: str) -> MapRun:
        parts = arn.split(":")
        if len(parts) < 7 or parts[0] != "arn" or parts[2] != "states" or parts[5] != "mapRun":
            raise errors.invalid_arn(arn)
        found = self.state_of(ctx, arn).map_runs.get(arn)
        if found is None:
            raise errors.resource_missing(arn, "Map Run")
        return found

    def describe_map_run(self, ctx: RequestContext) -> dict[str, Any]:
        found = self._map_run(ctx, ctx.params["mapRunArn"])
        total = found.counts.get("total", 0)
        counts = {"pending": 0, "running": total - found.counts.get("succeeded", 0) - found.counts.get("failed", 0)
                  if found.status == "RUNNING" else 0, "succeeded": found.counts.get("succeeded", 0),
                  "failed": found.counts.get("failed", 0), "timedOut": 0, "aborted": 0, "total": total,
                  "resultsWritten": found.counts.get("resultsWritten", 0)}
        out: dict[str, Any] = {
            "mapRunArn": found.arn, "executionArn": found.execution_arn, "status": found.status,
            "startDate": found.started, "maxConcurrency": found.max_concurrency,
            "toleratedFailurePercentage": found.tolerated_percentage,
            "toleratedFailureCount": found.tolerated_count, "itemCounts": counts,
            "executionCounts": {k: v for k, v in counts.items()}, "redriveCount": 0,
        }
        if found.stopped:
            out["stopDate"] = found.stopped
        return out

    def list_map_runs(self, ctx: RequestContext) -> dict[str, Any]:
        execution = self.execution(ctx, ctx.params["executionArn"])
        state = self.state_of(ctx, execution.arn)
        runs = sorted((r for r in list(state.map_runs.values()) if r.execution_arn == execution.arn),
                      key=lambda r: r.started)
        page, token = offset_page(runs, ctx.params.get("nextToken"), ctx.params.get("maxResults") or None,
                                  bad_token=bad_page_token, scope=f"mapruns:{execution.arn}")
        out: dict[str, Any] = {"mapRuns": [
            {"executionArn": r.execution_arn, "mapRunArn": r.arn, "stateMachineArn": execution.machine_arn,
             "startDate": r.started, **({"stopDate": r.stopped} if r.stopped else {})} for r in page]}
        if token:
            out["nextToken"] = token
        return out

    def update_map_run(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if not any(k in p for k in ("maxConcurrency", "toleratedFailurePercentage", "toleratedFailureCount")):
            raise errors.validation("Must provide at least one of maxConcurrency, toleratedFailurePercentage or "
                                    "toleratedFailureCount")  # wording not documented
        with self.store.lock:
            found = self._map_run(ctx, p["mapRunArn"])
            found.max_concurrency = p.get("maxConcurrency", found.max_concurrency)
            found.tolerated_percentage = p.get("toleratedFailurePercentage", found.tolerated_percentage)
            found.tolerated_count = p.get("toleratedFailureCount", found.tolerated_count)
        return {}


def _parse_items(body: str, config: dict[str, Any]) -> list[Any]:
    kind = config.get("InputType", "JSON")
    try:
        if kind == "JSON":
            items = json.loads(body)
            if not isinstance(items, list):
                raise StatesError("States.ItemReaderFailed", "The JSON object read is not an array")
            return items
        if kind == "JSONL":
            return [json.loads(line) for line in body.splitlines() if line.strip()]
    except ValueError as exc:
        raise StatesError("States.ItemReaderFailed", f"The object is not valid JSON: {exc}") from None
    if kind == "CSV":
        rows = list(csv.reader(io.StringIO(body), delimiter=config.get("CSVDelimiter", "COMMA") == "COMMA" and ","
                               or {"PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}.get(
                                   config.get("CSVDelimiter", ""), ",")))
        if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
            headers = config.get("CSVHeaders", [])
        else:
            headers, rows = (rows[0] if rows else []), rows[1:]
        return [dict(zip(headers, row, strict=False)) for row in rows]
    raise StatesError("States.ItemReaderFailed", f"The InputType '{kind}' is not supported")


def _setting(step: Step, fields: dict[str, Any], name: str) -> Any:
    """A number given as `name`, `namePath` (JSONPath) or a JSONata expression; 0 when absent."""
    value = fields.get(name, 0)
    if f"{name}Path" in fields:
        value = paths.select(fields[f"{name}Path"], step.input, step.context(), step.variables, field=f"{name}Path")
    elif step.jsonata and dataflow.is_expression(value):
        value = step.resolve(value)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise StatesError("States.Runtime", f"The value of '{name}' in state '{step.name}' must be a non-negative "
                          "number")  # wording not documented
    return value


def _batch(step: Step, items: list[Any]) -> list[Any]:
    batcher = step.state.get("ItemBatcher")
    if not batcher:
        return items
    size = int(_setting(step, batcher, "MaxItemsPerBatch") or len(items) or 1)
    extra = batcher.get("BatchInput")
    if extra is not None and not step.jsonata:
        extra = dataflow.render(extra, step.input, step.context(), step.variables)
    batches = []
    for i in range(0, len(items), size):
        batch: dict[str, Any] = {"Items": items[i:i + size]}
        if extra is not None:
            batch["BatchInput"] = extra
        batches.append(batch)
    return batches


def _result_entry(execution: Execution) -> dict[str, Any]:
    out = {"ExecutionArn": execution.arn, "Input": execution.input, "InputDetails": {"Included": True},
           "Name": execution.name, "StateMachineArn": execution.machine_arn, "Status": execution.status,
           "StartDate": execution.started.isoformat(), "StopDate": execution.stopped.isoformat()
           if execution.stopped else None, "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE"}
    if execution.output is not None:
        out.update(Output=execution.output, OutputDetails={"Included": True})
    if execution.error is not None:
        out.update(Error=execution.error, Cause=execution.cause)
    return out
