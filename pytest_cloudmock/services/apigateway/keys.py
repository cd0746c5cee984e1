"""API keys, usage plans, usage plan keys and the usage they count (quota and throttle)."""

from __future__ import annotations

import csv
import io
import secrets
import string
from datetime import datetime, timedelta
from typing import Any

from ...api import AWSError, RequestContext
from .crud import Tables, new_id
from .patch import path_segments
from .stages import StageOps
from .throttle import take_token

API_KEYS = "/apikeys"
PLANS = "/usageplans"
PLAN_KEYS = "/usageplans/{}/keys"
_KEY_ALPHABET = string.ascii_letters + string.digits


def _not_found(what: str) -> AWSError:
    return AWSError("NotFoundException", f"Invalid {what} identifier specified", 404)


def period_start(now: datetime, period: str) -> datetime:
    """The start of the quota period `now` falls in (UTC days, ISO weeks from Monday, months)."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "WEEK":
        return day - timedelta(days=day.weekday())
    if period == "MONTH":
        return day.replace(day=1)
    return day


class KeyOps(StageOps):
    """CreateApiKey ... UpdateUsage, and `admit()` for requests that carry a key."""

    def create_api_key(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            value = p.get("value") or "".join(secrets.choice(_KEY_ALPHABET) for _ in range(40))
            if len(value) < 20:
                raise AWSError("BadRequestException", "API Key value should be at least 20 characters", 400)
            if any(k.get("value") == value for k in state.find(API_KEYS, ()).values()):
                raise AWSError("ConflictException", "API Key already exists", 409)
            return self._new_key(ctx, state, {**p, "value": value})

    def _new_key(self, ctx: RequestContext, state: Tables, params: dict[str, Any]) -> dict[str, Any]:
        key_id, now = new_id(), ctx.clock.utcnow()
        item = {k: v for k, v in params.items() if k not in ("tags", "generateDistinctId")}
        item.update(id=key_id, enabled=bool(params.get("enabled", False)), createdDate=now, lastUpdatedDate=now,
                    stageKeys=[f"{s.get('restApiId', '')}/{s.get('stageName', '')}" for s in params.get("stageKeys") or []
                               if isinstance(s, dict)],
                    _arn=f"arn:{ctx.partition}:apigateway:{ctx.region}::/apikeys/{key_id}")
        state.table(API_KEYS, ())[key_id] = item
        if params.get("tags"):
            state.tags[item["_arn"]] = dict(params["tags"])
        return self.crud.shaped(ctx, item, state)

    def get_api_key(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            key = state.find(API_KEYS, ()).get(ctx.params["apiKey"])
            if key is None:
                raise _not_found("API Key")
            out = self.crud.shaped(ctx, key, state)
        if not ctx.params.get("includeValue"):
            out.pop("value", None)
        return out

    def get_api_keys(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            rows = [k for k in state.find(API_KEYS, ()).values()
                    if (not p.get("nameQuery") or k.get("name", "").startswith(p["nameQuery"]))
                    and (not p.get("customerId") or k.get("customerId") == p["customerId"])]
            out = self.crud.list(ctx, state, (API_KEYS, ()), rows)
        if not p.get("includeValues"):
            for row in out["items"]:
                row.pop("value", None)
        return out

    def update_api_key(self, ctx: RequestContext) -> dict[str, Any] | Any:
        """UpdateApiKey: AWS patches the key's stages as `/stages` with `{restApiId}/{stageName}`
        values (add or remove), which the answer shows as `stageKeys`."""
        operations = []
        for operation in ctx.params.get("patchOperations") or []:
            if operation.get("path") == "/stages" and operation.get("op") in ("add", "remove"):
                value = str(operation.get("value") or "")
                if "/" not in value:
                    raise AWSError("BadRequestException", f"Invalid stage key {value!r}: expected restApiId/stageName",
                                   400)  # AWS's wording unknown
                if operation["op"] == "add":
                    api_id, _, stage = value.partition("/")
                    with self.store.lock:
                        self._check_api_stage(self.state(ctx), {"apiId": api_id, "stage": stage})
                    operation = {"op": "add", "path": "/stageKeys", "value": value}
                else:
                    operation = {"op": "remove", "path": "/stageKeys/" + value.replace("~", "~0").replace("/", "~1")}
            operations.append(operation)
        ctx.params["patchOperations"] = operations
        return self.generic(ctx)

    def import_api_keys(self, ctx: RequestContext) -> dict[str, Any]:
        body = ctx.params.get("body") or b""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        try:
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise AWSError("BadRequestException", f"Invalid API key file: {exc}", 400) from None
        ids = []
        with self.store.lock:
            state = self.state(ctx)
            for row in rows:
                row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                if not row.get("key"):
                    raise AWSError("BadRequestException", "Invalid API key file: a key column is required", 400)
                made = self._new_key(ctx, state, {"name": row.get("name") or row["key"], "value": row["key"],
                                                  "description": row.get("description", ""),
                                                  "enabled": row.get("enabled", "").lower() == "true"})
                ids.append(made["id"])
                for plan_id in filter(None, row.get("usageplanids", "").split(",")):
                    if plan_id in state.find(PLANS, ()):
                        self._attach(state, plan_id, made["id"])
        return {"ids": ids, "warnings": []}

    # -- usage plans ---------------------------------------------------------------------------
    def create_usage_plan(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            for stage in ctx.params.get("apiStages") or []:
                self._check_api_stage(state, stage)
        return self.generic(ctx)

    def _check_api_stage(self, state: Tables, stage: dict[str, Any]) -> None:
        api_id, name = stage.get("apiId", ""), stage.get("stage", "")
        if api_id not in state.find("/restapis", ()):
            raise _not_found("REST API")
        if name not in state.find("/restapis/{}/stages", (api_id,)):
            raise AWSError("NotFoundException", f"Invalid stage identifier specified {api_id}/{name}", 404)

    def get_usage_plans(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            key = ctx.params.get("keyId")
            rows = [p for pid, p in state.find(PLANS, ()).items()
                    if not key or key in state.find(PLAN_KEYS, (pid,))]
            return self.crud.list(ctx, state, (PLANS, ()), rows)

    def update_usage_plan(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            plan = state_plan = self.state(ctx).find(PLANS, ()).get(ctx.params["usagePlanId"])
            if state_plan is None:
                raise _not_found("Usage Plan")
            for op in ctx.params.get("patchOperations") or []:
                segments = path_segments(op.get("path", ""))
                if segments[:1] == ["apiStages"] and op.get("value"):
                    api_id, _, stage = str(op["value"]).partition(":")
                    stages = plan.setdefault("apiStages", [])
                    if op.get("op") == "remove":
                        plan["apiStages"] = [s for s in stages if (s.get("apiId"), s.get("stage")) != (api_id, stage)]
                    else:
                        self._check_api_stage(self.state(ctx), {"apiId": api_id, "stage": stage})
                        stages.append({"apiId": api_id, "stage": stage})
            ctx.params["patchOperations"] = [o for o in ctx.params.get("patchOperations") or []
                                             if path_segments(o.get("path", ""))[:1] != ["apiStages"]]
            return self.generic(ctx)

    def create_usage_plan_key(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p["keyType"] != "API_KEY":
            raise AWSError("BadRequestException", f"Invalid key type {p['keyType']}", 400)
        with self.store.lock:
            state = self.state(ctx)
            if p["usagePlanId"] not in state.find(PLANS, ()):
                raise _not_found("Usage Plan")
            if p["keyId"] not in state.find(API_KEYS, ()):
                raise _not_found("API Key")
            if p["keyId"] in state.find(PLAN_KEYS, (p["usagePlanId"],)):
                raise AWSError("ConflictException", "Usage Plan Key already exists", 409)
            return self.crud.shaped(ctx, self._attach(state, p["usagePlanId"], p["keyId"]))

    def _attach(self, state: Tables, plan_id: str, key_id: str) -> dict[str, Any]:
        key = state.find(API_KEYS, ())[key_id]
        item = {"id": key_id, "type": "API_KEY", "value": key.get("value"), "name": key.get("name")}
        state.table(PLAN_KEYS, (plan_id,))[key_id] = item
        return item

    def get_usage_plan_keys(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            plan_id = ctx.params["usagePlanId"]
            if plan_id not in state.find(PLANS, ()):
                raise _not_found("Usage Plan")
            keys = state.find(API_KEYS, ())
            rows = [{**k, "value": keys.get(kid, {}).get("value"), "name": keys.get(kid, {}).get("name")}
                    for kid, k in state.find(PLAN_KEYS, (plan_id,)).items()
                    if not ctx.params.get("nameQuery") or str(k.get("name", "")).startswith(ctx.params["nameQuery"])]
            return self.crud.list(ctx, state, (PLAN_KEYS, (plan_id,)), rows)

    # -- usage ----------------------------------------------------------------------------------
    def get_usage(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            plan = state.find(PLANS, ()).get(p["usagePlanId"])
            if plan is None:
                raise _not_found("Usage Plan")
            try:
                start = datetime.strptime(p["startDate"], "%Y-%m-%d")
                end = datetime.strptime(p["endDate"], "%Y-%m-%d")
            except ValueError:
                raise AWSError("BadRequestException", "Invalid date format: dates must be yyyy-MM-dd", 400) from None
            limit = (plan.get("quota") or {}).get("limit")
            days = [(start + timedelta(days=i)).strftime("%Y-%m-%d") for i in range((end - start).days + 1)]
            counts = state.extra.setdefault("daily", {})
            items = {}
            for key_id in state.find(PLAN_KEYS, (p["usagePlanId"],)):
                if p.get("keyId") and key_id != p["keyId"]:
                    continue
                used = [counts.get((p["usagePlanId"], key_id, d), 0) for d in days]
                items[key_id] = [[u, (limit - u) if limit is not None else 0] for u in used]
            return {"usagePlanId": p["usagePlanId"], "startDate": p["startDate"], "endDate": p["endDate"],
                    "items": items}

    def update_usage(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            if p["keyId"] not in state.find(PLAN_KEYS, (p["usagePlanId"],)):
                raise _not_found("Usage Plan Key")
            usage = state.extra.setdefault("quota", {})
            for op in p.get("patchOperations") or []:
                if path_segments(op.get("path", ""))[-1:] == ["remaining"]:
                    plan = state.find(PLANS, ())[p["usagePlanId"]]
                    limit = (plan.get("quota") or {}).get("limit", 0)
                    try:
                        remaining = int(op.get("value", "0"))
                    except ValueError:
                        raise AWSError("BadRequestException", "Invalid remaining value", 400) from None
                    usage[(p["usagePlanId"], p["keyId"])] = {"start": None, "used": max(limit - remaining, 0)}
            now = ctx.clock.utcnow().strftime("%Y-%m-%d")
            return {"usagePlanId": p["usagePlanId"], "startDate": now, "endDate": now, "items": {}}

    def admit(self, state: Tables, api_id: str, stage: str, key_value: str | None, now: datetime,
              key_required: bool) -> str:
        """Count a request against its key's usage plan: "" lets it through, else why not
        (`forbidden`: no valid key for this stage, `throttled`, `quota`)."""
        if not key_required:
            return ""
        key = next((k for k in state.find(API_KEYS, ()).values() if key_value and k.get("value") == key_value), None)
        if key is None or not key.get("enabled"):
            return "forbidden"
        plans = [(pid, plan) for pid, plan in state.find(PLANS, ()).items()
                 if key["id"] in state.find(PLAN_KEYS, (pid,))
                 and any(s.get("apiId") == api_id and s.get("stage") == stage for s in plan.get("apiStages") or [])]
        if not plans:
            return "forbidden"
        plan_id, plan = plans[0]
        if not take_token(state.extra.setdefault("buckets", {}), (plan_id, key["id"]), plan.get("throttle") or {}, now):
            return "throttled"
        quota = plan.get("quota") or {}
        usage = state.extra.setdefault("quota", {})
        if quota.get("limit") is not None:
            start = period_start(now, quota.get("period", "DAY"))
            entry = usage.get((plan_id, key["id"]))
            if entry is None or (entry["start"] is not None and entry["start"] != start):
                entry = usage[(plan_id, key["id"])] = {"start": start, "used": 0}
            entry["start"] = start
            if entry["used"] >= quota["limit"]:
                return "quota"
            entry["used"] += 1
        daily = state.extra.setdefault("daily", {})
        day = (plan_id, key["id"], now.strftime("%Y-%m-%d"))
        daily[day] = daily.get(day, 0) + 1
        return ""
