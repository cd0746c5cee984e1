"""Amazon Location trackers' device positions: stored per tracker and device, read back as
the latest position, a history in a time range, or a batch (with per-device errors).

A tracker's `PositionFiltering` is applied as AWS documents it for the default, `TimeBased`:
at most one update per device is stored every 30 seconds (of sample time); other filterings
store every update. `ListDevicePositions` ignores `FilterGeometry`.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from ...api import AWSError
from ...paging import offset_page
from ..records import find

TIME_BASED_SECONDS = 30
_POSITIONS = "DevicePositions"


def _history(service: Any, ctx: Any) -> tuple[dict[str, list[dict[str, Any]]], str, str]:
    """The tracker's device histories (the tracker must exist), its name and filtering."""
    name = ctx.params["TrackerName"]
    state = service.store.for_ctx(ctx)
    tracker = find(state.table("Tracker"), name)
    if tracker is None:  # AWS's exact wording is not documented
        raise AWSError("ResourceNotFoundException", f"Tracker {name} not found", 404)
    return state.setting(_POSITIONS).setdefault(name, {}), name, str(tracker.fields.get("PositionFiltering"))


def _stamp(moment: Any) -> datetime:
    return moment if isinstance(moment, datetime) else datetime.fromtimestamp(float(moment))


def batch_update_device_position(service: Any, ctx: Any) -> dict[str, Any]:
    received = ctx.clock.utcnow()
    with service.store.lock:
        devices, _, filtering = _history(service, ctx)
        for update in ctx.params["Updates"]:
            history = devices.setdefault(update["DeviceId"], [])
            sample = _stamp(update["SampleTime"])
            if filtering == "TimeBased" and history and abs(
                    (sample - history[-1]["SampleTime"]).total_seconds()) < TIME_BASED_SECONDS:
                continue
            history.append({**copy.deepcopy(update), "SampleTime": sample, "ReceivedTime": received})
            history.sort(key=lambda p: p["SampleTime"])
    return {"Errors": []}


def get_device_position(service: Any, ctx: Any) -> dict[str, Any]:
    devices, tracker, _ = _history(service, ctx)
    device = ctx.params["DeviceId"]
    history = devices.get(device)
    if not history:  # AWS's exact wording is not documented
        raise AWSError("ResourceNotFoundException", f"No position found for device {device} in tracker {tracker}", 404)
    return copy.deepcopy(history[-1])


def get_device_position_history(service: Any, ctx: Any) -> dict[str, Any]:
    devices, tracker, _ = _history(service, ctx)
    start, end = ctx.params.get("StartTimeInclusive"), ctx.params.get("EndTimeExclusive")
    positions = [p for p in devices.get(ctx.params["DeviceId"], [])
                 if (start is None or p["SampleTime"] >= _stamp(start)) and (end is None or p["SampleTime"] < _stamp(end))]
    page, token = _page(positions, ctx, f"location:{tracker}:history")
    return {"DevicePositions": copy.deepcopy(page), **({"NextToken": token} if token else {})}


def list_device_positions(service: Any, ctx: Any) -> dict[str, Any]:
    devices, tracker, _ = _history(service, ctx)
    latest = [history[-1] for _, history in sorted(devices.items()) if history]
    page, token = _page(latest, ctx, f"location:{tracker}:devices")
    entries = [{k: v for k, v in p.items() if k != "ReceivedTime"} for p in copy.deepcopy(page)]
    return {"Entries": entries, **({"NextToken": token} if token else {})}


def batch_get_device_position(service: Any, ctx: Any) -> dict[str, Any]:
    devices, tracker, _ = _history(service, ctx)
    found, errors = [], []
    for device in ctx.params["DeviceIds"]:
        if devices.get(device):
            found.append(copy.deepcopy(devices[device][-1]))
        else:  # AWS's exact wording is not documented
            errors.append({"DeviceId": device, "Error": {
                "Code": "ResourceNotFoundError", "Message": f"No position found for device {device} in tracker {tracker}"}})
    return {"DevicePositions": found, "Errors": errors}


def batch_delete_device_position_history(service: Any, ctx: Any) -> dict[str, Any]:
    with service.store.lock:
        devices, _, _ = _history(service, ctx)
        for device in ctx.params["DeviceIds"]:
            devices.pop(device, None)
    return {"Errors": []}


def _page(items: list[dict[str, Any]], ctx: Any, scope: str) -> tuple[list[dict[str, Any]], str | None]:
    return offset_page(items, ctx.params.get("NextToken"), ctx.params.get("MaxResults"),
                       bad_token=lambda: AWSError("ValidationException", "Invalid NextToken"), scope=scope)
