"""Drift detection: each resource's configuration, read back from its service, against the
properties the template set (DetectStackDrift, DetectStackResourceDrift, DescribeStackResourceDrifts,
DescribeStackDriftDetectionStatus, and the stack's and resources' DriftInformation).

AWS's rules, as documented for drift detection: only properties the template (or its
parameters) set explicitly are compared, so a default is never drift; a property the
resource no longer has is REMOVE, a value changed NOT_EQUAL, an element added to a list
ADD; lists whose order does not matter (tags, lists of plain values) are compared as sets.
A type whose provider cannot read its resources back is NOT_CHECKED.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CloudFormationBase
from .providers.base import ProviderContext
from .state import Stack, StackResource

_GONE = object()  # a property or element the other side lacks
_DRIFTED = ("MODIFIED", "DELETED")


def _scalar(value: Any) -> Any:
    """A template scalar and a read-back one compare as text (`30` is `"30"`, `true` is `"true"`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, (dict, list)) else str(value)


def _as_json(value: Any, other: Any) -> Any:
    """A JSON document given as text on one side and as an object on the other (a policy) is parsed."""
    if isinstance(value, str) and isinstance(other, (dict, list)):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _text(value: Any) -> str:
    if value is _GONE:
        return "null"  # AWS's text for the missing side is not documented
    value = _scalar(value)
    return value if isinstance(value, str) else json.dumps(value)


def differences(expected: Any, actual: Any, path: str = "") -> list[dict[str, str]]:
    """The PropertyDifferences between an expected value and the actual one, at `path`."""
    if actual is _GONE:
        return [_difference(path, expected, actual, "REMOVE")]
    expected, actual = _as_json(expected, actual), _as_json(actual, expected)
    if isinstance(expected, dict) and isinstance(actual, dict):
        found: list[dict[str, str]] = []
        for key, value in expected.items():  # keys the resource adds itself are defaults, not drift
            found += differences(value, actual.get(key, _GONE), f"{path}/{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        return _list_differences(expected, actual, path)
    if _scalar(expected) != _scalar(actual):
        return [_difference(path, expected, actual, "NOT_EQUAL")]
    return []


def _list_differences(expected: list[Any], actual: list[Any], path: str) -> list[dict[str, str]]:
    if all(isinstance(v, dict) and "Key" in v for v in expected + actual):  # tags: matched by key
        by_key = {str(v["Key"]): (i, v) for i, v in enumerate(actual)}
        found: list[dict[str, str]] = []
        for i, item in enumerate(expected):
            match = by_key.pop(str(item["Key"]), None)
            found += differences(item, _GONE if match is None else match[1], f"{path}/{i}")
        return found + [_difference(f"{path}/{i}", _GONE, v, "ADD") for i, v in sorted(by_key.values(),
                                                                                     key=lambda p: p[0])]
    if not any(isinstance(v, (dict, list)) for v in expected + actual):  # plain values: a set
        left = [_scalar(v) for v in actual]
        found = []
        for i, value in enumerate(expected):
            if _scalar(value) in left:
                left.remove(_scalar(value))
            else:
                found.append(_difference(f"{path}/{i}", value, _GONE, "REMOVE"))
        extra = [v for v in actual if _scalar(v) in left]
        return found + [_difference(f"{path}/{actual.index(v)}", _GONE, v, "ADD") for v in extra]
    found = []
    for i, value in enumerate(expected):
        found += differences(value, actual[i] if i < len(actual) else _GONE, f"{path}/{i}")
    return found + [_difference(f"{path}/{i}", _GONE, actual[i], "ADD") for i in range(len(expected), len(actual))]


def _difference(path: str, expected: Any, actual: Any, kind: str) -> dict[str, str]:
    return {"PropertyPath": path, "ExpectedValue": _text(expected), "ActualValue": _text(actual),
            "DifferenceType": kind}


def drift_information(resource: StackResource) -> dict[str, Any]:
    """A resource's `DriftInformation` (DescribeStackResources, ListStackResources)."""
    drift = resource.drift
    if drift is None or drift["StackResourceDriftStatus"] == "NOT_CHECKED":
        return {"StackResourceDriftStatus": "NOT_CHECKED"}
    return {"StackResourceDriftStatus": drift["StackResourceDriftStatus"], "LastCheckTimestamp": drift["Timestamp"]}


class DriftOperations(CloudFormationBase):
    """Drift detection on stacks, resources and stack sets' instances."""

    def detect_stack_drift(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        self._check_detectable(stack)
        wanted = ctx.params.get("LogicalResourceIds") or None
        if wanted:
            missing = [n for n in wanted if n not in stack.resources]
            if missing:
                raise errors.validation(f"Resource {missing[0]} does not exist for stack {stack.name}")  # approx.
        detection_id = str(uuid.uuid4())
        record = {"StackId": stack.stack_id, "StackDriftDetectionId": detection_id,
                  "DetectionStatus": "DETECTION_IN_PROGRESS", "Timestamp": ctx.clock.utcnow()}
        with self.store.lock:
            self.state(ctx).drift_detections[detection_id] = record
            stack.drift_detection_id = detection_id
        ctx.dispatch(lambda: self.detect(ctx, stack, record, wanted))
        return {"StackDriftDetectionId": detection_id}

    def detect(self, ctx: RequestContext, stack: Stack, record: dict[str, Any] | None = None,
               wanted: list[str] | None = None) -> str:
        """Check the stack's resources (or `wanted` of them); the stack's drift status."""
        drifted, failed = 0, ""
        for resource in list(stack.resources.values()):
            if wanted and resource.logical_id not in wanted:
                continue
            try:
                drift = self.check(ctx, stack, resource)
            except AWSError as exc:
                failed = failed or f"Failed to detect drift on resource [{resource.logical_id}]: {exc.message}"
                continue
            drifted += drift["StackResourceDriftStatus"] in _DRIFTED
        status = "DRIFTED" if drifted else "IN_SYNC"
        with self.store.lock:
            stack.drift_status, stack.drift_checked = status, ctx.clock.utcnow()
            if record is not None:
                record.update({"StackDriftStatus": status, "DriftedStackResourceCount": drifted,
                               "DetectionStatus": "DETECTION_FAILED" if failed else "DETECTION_COMPLETE",
                               "Timestamp": stack.drift_checked})
                if failed:
                    record["DetectionStatusReason"] = failed  # AWS's wording for this is not documented
        return status

    def check(self, ctx: RequestContext, stack: Stack, resource: StackResource) -> dict[str, Any]:
        """Detect one resource's drift and keep it on the resource (its StackResourceDrift)."""
        provider = self.provider(resource.type)
        read = getattr(provider, "read", None)
        out: dict[str, Any] = {"StackId": stack.stack_id, "LogicalResourceId": resource.logical_id,
                               "PhysicalResourceId": resource.physical_id, "ResourceType": resource.type,
                               "ExpectedProperties": json.dumps(resource.properties, default=str),
                               "Timestamp": ctx.clock.utcnow()}
        if read is None or not resource.physical_id or resource.status.endswith("FAILED"):
            out["StackResourceDriftStatus"] = "NOT_CHECKED"
        else:
            where = ProviderContext(self.registry_of(ctx), stack.account_id, stack.region, stack.name,
                                    stack.stack_id, resource.logical_id, ctx, list(stack.tags))
            actual = read(where, resource.physical_id)
            if actual is None:
                out["StackResourceDriftStatus"] = "DELETED"
            else:
                seen = self._actual_view(stack, resource.properties, actual, getattr(provider, "readable", ()))
                found = differences(resource.properties, seen)
                out.update(ActualProperties=json.dumps(seen, default=str), PropertyDifferences=found,
                           StackResourceDriftStatus="MODIFIED" if found else "IN_SYNC")
        with self.store.lock:
            resource.drift = out
        return out

    @staticmethod
    def _actual_view(stack: Stack, expected: dict[str, Any], actual: dict[str, Any],
                     readable: frozenset[str] | tuple[()]) -> dict[str, Any]:
        """The actual values of the properties the template set; one the type cannot read back
        counts as its expected value. Tags CloudFormation adds (the stack's, `aws:`) are left out."""
        view: dict[str, Any] = {}
        for key, value in expected.items():
            if key not in readable:
                view[key] = value
            elif key in actual:
                view[key] = actual[key]
        if isinstance(view.get("Tags"), list) and isinstance(expected.get("Tags"), list):
            own = {str(t.get("Key")) for t in expected["Tags"] if isinstance(t, dict)}
            added = {t["Key"] for t in stack.tags}
            view["Tags"] = [t for t in view["Tags"] if t["Key"] in own or not (
                t["Key"] in added or t["Key"].startswith("aws:"))]
        return view

    @staticmethod
    def _check_detectable(stack: Stack) -> None:
        if stack.status.endswith("_IN_PROGRESS") or stack.status in ("CREATE_FAILED", "DELETE_COMPLETE"):
            # AWS refuses drift detection while a stack operation runs; the exact text is not documented
            raise errors.validation(f"Drift detection is not supported for stack {stack.name} in status "
                                    f"{stack.status}")

    def describe_stack_drift_detection_status(self, ctx: RequestContext) -> dict[str, Any]:
        detection_id = ctx.params["StackDriftDetectionId"]
        with self.store.lock:
            record = self.state(ctx).drift_detections.get(detection_id)
            if record is None:
                raise errors.validation(f"Drift detection {detection_id} does not exist")  # wording approximate
            return dict(record)

    def detect_stack_resource_drift(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        resource = stack.resources.get(ctx.params["LogicalResourceId"])
        if resource is None:
            raise errors.validation(f"Resource {ctx.params['LogicalResourceId']} does not exist for stack "
                                    f"{stack.name}")
        self._check_detectable(stack)
        return {"StackResourceDrift": dict(self.check(ctx, stack, resource))}

    def describe_stack_resource_drifts(self, ctx: RequestContext) -> dict[str, Any]:
        """The last drift result of each checked resource (unchecked types are not listed, as on AWS)."""
        stack = self.stack(ctx)
        wanted = set(ctx.params.get("StackResourceDriftStatusFilters") or [])
        with self.store.lock:
            drifts = [dict(r.drift) for r in stack.resources.values()
                      if r.drift is not None and r.drift["StackResourceDriftStatus"] != "NOT_CHECKED"]
        drifts = [d for d in drifts if not wanted or d["StackResourceDriftStatus"] in wanted]
        return self.page(ctx, drifts, "StackResourceDrifts")
