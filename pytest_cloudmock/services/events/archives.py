"""Archives (events kept as they pass a bus) and replays (archived events sent through the
rules again, on the dispatcher, each carrying `replay-name`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...api import RequestContext
from ...paging import offset_page
from . import errors
from .base import arn, parse_pattern
from .publishing import PublishOperations
from .state import Archive, Replay

if TYPE_CHECKING:
    from ...registry import Registry

_NAME = re.compile(r"^[\.\-_A-Za-z0-9]{1,48}$")
_ACTIVE = ("STARTING", "RUNNING")


def _describe_archive(archive: Archive) -> dict[str, Any]:
    out: dict[str, Any] = {"ArchiveName": archive.name, "ArchiveArn": archive.arn,
                           "EventSourceArn": archive.source_arn, "State": "ENABLED",
                           "RetentionDays": archive.retention_days, "SizeBytes": archive.size,
                           "EventCount": len(archive.events), "CreationTime": archive.created}
    if archive.description:
        out["Description"] = archive.description
    if archive.pattern_text:
        out["EventPattern"] = archive.pattern_text
    if archive.kms_key:
        out["KmsKeyIdentifier"] = archive.kms_key
    return out


def _describe_replay(replay: Replay) -> dict[str, Any]:
    out: dict[str, Any] = {"ReplayName": replay.name, "ReplayArn": replay.arn, "State": replay.state,
                           "EventSourceArn": replay.source_arn, "Destination": replay.destination,
                           "EventStartTime": replay.start, "EventEndTime": replay.end,
                           "ReplayStartTime": replay.started}
    for key, value in (("Description", replay.description), ("StateReason", replay.reason),
                       ("ReplayEndTime", replay.ended), ("EventLastReplayedTime", replay.last_replayed)):
        if value:
            out[key] = value
    return out


class ArchiveOperations(PublishOperations):
    def create_archive(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["ArchiveName"]
        if not _NAME.match(name):
            raise errors.invalid(f"Archive name {name} is not valid.")  # wording not documented
        pattern = parse_pattern(p["EventPattern"]) if p.get("EventPattern") else None
        now = ctx.clock.utcnow()
        with self.store.lock:
            state = self.state(ctx)
            if not any(b.arn == p["EventSourceArn"] for b in state.buses.values()):
                raise errors.not_found(f"Event bus {p['EventSourceArn'].rsplit('/', 1)[-1]} does not exist.")
            if name in state.archives:
                raise errors.exists(f"Archive {name} already exists.")
            archive = Archive(name, arn(ctx.region, ctx.account_id, f"archive/{name}", ctx.partition),
                              p["EventSourceArn"], now, pattern, p.get("EventPattern"), p.get("Description", ""),
                              p.get("RetentionDays", 0), p.get("KmsKeyIdentifier"))
            state.archives[name] = archive
        return {"ArchiveArn": archive.arn, "State": "ENABLED", "CreationTime": now}

    def _archive(self, ctx: RequestContext, name: str) -> Archive:
        archive = self.state(ctx).archives.get(name)
        if archive is None:
            raise errors.not_found(f"Archive {name} does not exist.")
        return archive

    def describe_archive(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return _describe_archive(self._archive(ctx, ctx.params["ArchiveName"]))

    def update_archive(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pattern = parse_pattern(p["EventPattern"]) if p.get("EventPattern") else None
        with self.store.lock:
            archive = self._archive(ctx, p["ArchiveName"])
            if "EventPattern" in p:
                archive.pattern, archive.pattern_text = pattern, p["EventPattern"] or None
            archive.description = p.get("Description", archive.description)
            archive.retention_days = p.get("RetentionDays", archive.retention_days)
            archive.kms_key = p.get("KmsKeyIdentifier", archive.kms_key)
            return {"ArchiveArn": archive.arn, "State": "ENABLED", "CreationTime": archive.created}

    def delete_archive(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._archive(ctx, ctx.params["ArchiveName"])
            del self.state(ctx).archives[ctx.params["ArchiveName"]]
        return {}

    def list_archives(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            archives = [_describe_archive(a) for a in sorted(self.state(ctx).archives.values(), key=lambda a: a.name)
                        if a.name.startswith(p.get("NamePrefix", ""))
                        and a.source_arn == p.get("EventSourceArn", a.source_arn)
                        and p.get("State", "ENABLED") == "ENABLED"]
        for item in archives:
            for key in ("Description", "EventPattern", "KmsKeyIdentifier"):
                item.pop(key, None)
            item.pop("ArchiveArn")
        page, token = offset_page(archives, p.get("NextToken"), p.get("Limit"), bad_token=errors.bad_token,
                                  scope="archives")
        return {"Archives": page, **({"NextToken": token} if token else {})}

    # -- replays -----------------------------------------------------------------------------------
    def start_replay(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["ReplayName"]
        if not _NAME.match(name):
            raise errors.invalid(f"Replay name {name} is not valid.")  # wording not documented
        now = ctx.clock.utcnow()
        if p["EventStartTime"] >= p["EventEndTime"]:
            raise errors.invalid("Parameter EventStartTime must be before EventEndTime.")  # wording not documented
        if p["EventEndTime"] > now:
            raise errors.invalid("Parameter EventEndTime is not valid. Reason: EventEndTime cannot be in the future.")
        with self.store.lock:
            state = self.state(ctx)
            archive = next((a for a in state.archives.values() if a.arn == p["EventSourceArn"]), None)
            if archive is None:
                raise errors.not_found(f"Archive {p['EventSourceArn'].rsplit('/', 1)[-1]} does not exist.")
            if p["Destination"]["Arn"] != archive.source_arn:
                raise errors.invalid("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is "
                                     "not permitted.")  # wording not documented
            if name in state.replays:
                raise errors.exists(f"Replay {name} already exists.")
            replay = Replay(name, arn(ctx.region, ctx.account_id, f"replay/{name}", ctx.partition),
                            archive.arn, dict(p["Destination"]), p["EventStartTime"], p["EventEndTime"], now,
                            p.get("Description", ""))
            state.replays[name] = replay
            events = [e for t, e in archive.events if replay.start <= t < replay.end]
            bus = next(b.name for b in state.buses.values() if b.arn == archive.source_arn)
        registry = ctx.registry
        if registry is not None:
            ctx.dispatch(lambda: self._replay(registry, ctx.account_id, ctx.region, name, bus, events))
        return {"ReplayArn": replay.arn, "State": "STARTING", "ReplayStartTime": now}

    def _replay(self, registry: Registry, account: str, region: str, name: str, bus: str,
                events: list[dict[str, Any]]) -> None:
        with self.store.lock:
            replay = self.store.get(account, region).replays.get(name)
            if replay is None or replay.state not in _ACTIVE:
                return
            replay.state = "RUNNING"
            rules = replay.destination.get("FilterArns") or None
        for event in events:
            with self.store.lock:
                if replay.state != "RUNNING":
                    break
            self.route(registry, account, region, bus, {**event, "replay-name": name}, rules=rules, archive=False)
            with self.store.lock:
                replay.last_replayed = registry.clock.utcnow()
        with self.store.lock:
            replay.state = "CANCELLED" if replay.state == "CANCELLING" else "COMPLETED"
            replay.ended = registry.clock.utcnow()

    def describe_replay(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            replay = self.state(ctx).replays.get(ctx.params["ReplayName"])
            if replay is None:
                raise errors.not_found(f"Replay {ctx.params['ReplayName']} does not exist.")
            return _describe_replay(replay)

    def cancel_replay(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            replay = self.state(ctx).replays.get(ctx.params["ReplayName"])
            if replay is None:
                raise errors.not_found(f"Replay {ctx.params['ReplayName']} does not exist.")
            if replay.state not in _ACTIVE:
                raise errors.illegal_status(f"Replay {replay.name} is not in a valid state for this operation.")
            replay.state = "CANCELLING"
            return {"ReplayArn": replay.arn, "State": replay.state}

    def list_replays(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            replays = [_describe_replay(r) for r in sorted(self.state(ctx).replays.values(), key=lambda r: r.name)
                       if r.name.startswith(p.get("NamePrefix", "")) and r.state == p.get("State", r.state)
                       and r.source_arn == p.get("EventSourceArn", r.source_arn)]
        keep = ("ReplayName", "EventSourceArn", "State", "StateReason", "EventStartTime", "EventEndTime",
                "EventLastReplayedTime", "ReplayStartTime", "ReplayEndTime")
        replays = [{k: v for k, v in r.items() if k in keep} for r in replays]
        page, token = offset_page(replays, p.get("NextToken"), p.get("Limit"), bad_token=errors.bad_token,
                                  scope="replays")
        return {"Replays": page, **({"NextToken": token} if token else {})}
