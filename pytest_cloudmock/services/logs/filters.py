"""Metric filters, subscription filters and destinations (what `delivery.fan_out` reads)."""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import LogsBase, now_ms
from .events import pattern_of

MAX_SUBSCRIPTION_FILTERS = 2
MAX_METRIC_FILTERS = 100


class FilterOperations(LogsBase):
    # -- metric filters -----------------------------------------------------------------
    def put_metric_filter(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pattern_of(p.get("filterPattern"))
        name = p.get("filterName") or ""
        with self.store.lock:
            group = self.group(ctx, p.get("logGroupName") or "")
            if name not in group.metric_filters and len(group.metric_filters) >= MAX_METRIC_FILTERS:
                raise errors.limit_exceeded("Resource limit exceeded.")
            old = group.metric_filters.get(name)
            group.metric_filters[name] = {
                "filterName": name, "filterPattern": p.get("filterPattern") or "",
                "metricTransformations": [dict(t) for t in p.get("metricTransformations") or []],
                "creationTime": old["creationTime"] if old else now_ms(ctx), "logGroupName": group.name,
                "applyOnTransformedLogs": bool(p.get("applyOnTransformedLogs")),
                **({"fieldSelectionCriteria": p["fieldSelectionCriteria"]} if p.get("fieldSelectionCriteria") else {}),
                **({"emitSystemFieldDimensions": p["emitSystemFieldDimensions"]}
                   if p.get("emitSystemFieldDimensions") else {}),
            }
        return {}

    def delete_metric_filter(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, ctx.params.get("logGroupName") or "")
            if group.metric_filters.pop(ctx.params.get("filterName") or "", None) is None:
                raise errors.not_found("The specified metric filter does not exist.")
        return {}

    def describe_metric_filters(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if bool(p.get("metricName")) != bool(p.get("metricNamespace")):
            # AWS's exact text is not documented.
            raise errors.invalid("metricName and metricNamespace must be specified together.")
        prefix = p.get("filterNamePrefix")
        if prefix and not p.get("logGroupName"):
            raise errors.invalid("logGroupName is required when filterNamePrefix is specified.")  # text unknown
        with self.store.lock:
            groups = ([self.group(ctx, p["logGroupName"])] if p.get("logGroupName")
                      else sorted(self.state(ctx).groups.values(), key=lambda g: g.name))
            rows = [dict(f) for g in groups for _, f in sorted(g.metric_filters.items())
                    if (not prefix or f["filterName"].startswith(prefix))
                    and (not p.get("metricName") or any(
                        t["metricName"] == p["metricName"] and t["metricNamespace"] == p["metricNamespace"]
                        for t in f["metricTransformations"]))]
        page, token = self.page(ctx, rows)
        return self.paged({"metricFilters": page}, token)

    def test_metric_filter(self, ctx: RequestContext) -> dict[str, Any]:
        pattern = pattern_of(ctx.params.get("filterPattern"))
        matches = []
        for number, message in enumerate(ctx.params.get("logEventMessages") or [], start=1):
            found = pattern.match(message)
            if found is not None:
                matches.append({"eventNumber": number, "eventMessage": message, "extractedValues": found})
        return {"matches": matches}

    # -- subscription filters -----------------------------------------------------------
    def put_subscription_filter(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pattern_of(p.get("filterPattern"))
        name, target = p.get("filterName") or "", p.get("destinationArn") or ""
        service = target.split(":")[2] if target.count(":") >= 5 else ""
        if service not in ("lambda", "kinesis", "firehose", "logs"):
            # AWS's exact text is not documented.
            raise errors.invalid(f"Invalid destinationArn: {target}")
        if service == "lambda":
            self._check_function(ctx, target)
        with self.store.lock:
            group = self.group(ctx, p.get("logGroupName") or "")
            if name not in group.subscription_filters and len(group.subscription_filters) >= MAX_SUBSCRIPTION_FILTERS:
                raise errors.limit_exceeded("Resource limit exceeded.")
            resolved = None
            if service == "logs":  # a destination, perhaps in another account (cross-account delivery)
                parts = target.split(":")
                owner = self.store.get(parts[4] or ctx.account_id, parts[3] or ctx.region)
                destination = owner.destinations.get(target.rsplit(":", 1)[-1])
                if destination is None:
                    raise errors.not_found("The specified destination does not exist.")  # exact text unknown
                resolved = destination["targetArn"]
            old = group.subscription_filters.get(name)
            group.subscription_filters[name] = {
                "filterName": name, "logGroupName": group.name, "filterPattern": p.get("filterPattern") or "",
                "destinationArn": target, "distribution": p.get("distribution") or "ByLogStream",
                "applyOnTransformedLogs": bool(p.get("applyOnTransformedLogs")),
                "creationTime": old["creationTime"] if old else now_ms(ctx),
                **({"roleArn": p["roleArn"]} if p.get("roleArn") else {}),
                **({"resolvedTargetArn": resolved} if resolved else {}),
            }
        return {}

    @staticmethod
    def _check_function(ctx: RequestContext, arn: str) -> None:
        """AWS test-invokes the function; here a missing function (when a `lambda` service is
        registered) gets AWS's answer. Lambda's resource policy is not checked."""
        registry = ctx.registry
        if registry is None or "lambda" not in registry:
            return
        parts = arn.split(":")
        try:
            registry.call("lambda", "GetFunction", {"FunctionName": arn}, account_id=parts[4] or ctx.account_id,
                          region=parts[3] or ctx.region, caller=ctx)
        except AWSError as exc:
            if exc.code == "ResourceNotFoundException":
                raise errors.invalid("Could not execute the lambda function. Make sure you have given CloudWatch "
                                     "Logs permission to execute your function.") from None

    def delete_subscription_filter(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, ctx.params.get("logGroupName") or "")
            if group.subscription_filters.pop(ctx.params.get("filterName") or "", None) is None:
                raise errors.not_found("The specified subscription filter does not exist.")
        return {}

    def describe_subscription_filters(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("filterNamePrefix")
        with self.store.lock:
            group = self.group(ctx, ctx.params.get("logGroupName") or "")
            rows = [{k: v for k, v in f.items() if k != "resolvedTargetArn"}
                    for _, f in sorted(group.subscription_filters.items())
                    if not prefix or f["filterName"].startswith(prefix)]
        page, token = self.page(ctx, rows)
        return self.paged({"subscriptionFilters": page}, token)

    # -- destinations -------------------------------------------------------------------
    def put_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p.get("destinationName") or ""
        with self.store.lock:
            state = self.state(ctx)
            old = state.destinations.get(name)
            arn = self.arn(ctx, f"destination:{name}")
            state.destinations[name] = {
                "destinationName": name, "targetArn": p.get("targetArn") or "", "roleArn": p.get("roleArn") or "",
                "arn": arn, "creationTime": old["creationTime"] if old else now_ms(ctx),
                **({"accessPolicy": old["accessPolicy"]} if old and "accessPolicy" in old else {}),
            }
            if p.get("tags"):
                state.tags.setdefault(arn, {}).update(p["tags"])
            return {"destination": dict(state.destinations[name])}

    def put_destination_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            destination = self._destination(ctx)
            destination["accessPolicy"] = ctx.params.get("accessPolicy") or ""
        return {}

    def delete_destination(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            destination = self._destination(ctx)
            state = self.state(ctx)
            del state.destinations[destination["destinationName"]]
            state.tags.pop(destination["arn"], None)
        return {}

    def describe_destinations(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("DestinationNamePrefix")
        with self.store.lock:
            rows = [dict(d) for n, d in sorted(self.state(ctx).destinations.items())
                    if not prefix or n.startswith(prefix)]
        page, token = self.page(ctx, rows)
        return self.paged({"destinations": page}, token)

    def _destination(self, ctx: RequestContext) -> dict[str, Any]:
        destination = self.state(ctx).destinations.get(ctx.params.get("destinationName") or "")
        if destination is None:
            raise errors.not_found("The specified destination does not exist.")  # exact text unknown
        return destination
