"""Stored resources: insight rules, anomaly detectors, metric streams, alarm mute rules,
OTel enrichment, tags, and GetMetricWidgetImage (a small valid PNG)."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from ...api import RequestContext
from ...paging import offset_page
from . import errors, metric_streams
from .base import CloudWatchBase, metric_key, shaped, stamp


def png(width: int, height: int) -> bytes:
    """A white RGB PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _failure(name: str, code: str, description: str) -> dict[str, Any]:
    return {"FailureResource": name, "ExceptionType": code, "FailureCode": code, "FailureDescription": description}


class ResourceOperations(CloudWatchBase):
    # -- insight rules --------------------------------------------------------------------------------
    def put_insight_rule(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        try:
            definition = json.loads(p["RuleDefinition"])
        except ValueError:
            definition = None
        if not isinstance(definition, dict):
            raise errors.invalid("The rule definition is not valid JSON.")  # wording ours
        arn = self.arn(ctx, f"insight-rule/{p['RuleName']}")
        with self.store.lock:
            state = self.state(ctx)
            state.insight_rules[p["RuleName"]] = {
                "Name": p["RuleName"], "State": p.get("RuleState") or "ENABLED",
                "Schema": definition.get("Schema", {}).get("Name", "CloudWatchLogRule") + "/"
                + str(definition.get("Schema", {}).get("Version", 1)),
                "Definition": p["RuleDefinition"], "ManagedRule": False,
                "ApplyOnTransformedLogs": bool(p.get("ApplyOnTransformedLogs")), "Arn": arn}
            if p.get("Tags"):
                state.tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in p["Tags"]})
        return {}

    def describe_insight_rules(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rules = sorted(self.state(ctx).insight_rules.values(), key=lambda r: r["Name"])
        page, token = offset_page(rules, ctx.params.get("NextToken"), ctx.params.get("MaxResults"),
                                  bad_token=errors.bad_token, default_limit=500, scope="DescribeInsightRules")
        shape = self.model.shape_for("InsightRule")
        out: dict[str, Any] = {"InsightRules": [shaped(shape, r) for r in page]}
        if token:
            out["NextToken"] = token
        return out

    def _rules_each(self, ctx: RequestContext, change: Any) -> dict[str, Any]:
        failures = []
        with self.store.lock:
            rules = self.state(ctx).insight_rules
            for name in ctx.params["RuleNames"]:
                if name in rules:
                    change(rules, name)
                else:
                    failures.append(_failure(name, "ResourceNotFound", f"Rule {name} does not exist."))
        return {"Failures": failures}

    def delete_insight_rules(self, ctx: RequestContext) -> dict[str, Any]:
        return self._rules_each(ctx, lambda rules, name: rules.pop(name))

    def enable_insight_rules(self, ctx: RequestContext) -> dict[str, Any]:
        return self._rules_each(ctx, lambda rules, name: rules[name].update(State="ENABLED"))

    def disable_insight_rules(self, ctx: RequestContext) -> dict[str, Any]:
        return self._rules_each(ctx, lambda rules, name: rules[name].update(State="DISABLED"))

    def get_insight_rule_report(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["RuleName"]
        if name not in self.state(ctx).insight_rules:
            raise errors.resource_not_found("InsightRule", name)
        return {"KeyLabels": [], "AggregationStatistic": "Sum", "AggregateValue": 0.0, "ApproximateUniqueCount": 0,
                "Contributors": [], "MetricDatapoints": []}  # no log events feed the rules here

    def put_managed_insight_rules(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            for rule in ctx.params["ManagedRules"]:
                name = f"{rule['TemplateName']}-{rule['ResourceARN'].rsplit(':', 1)[-1].rsplit('/', 1)[-1]}"
                state.insight_rules[name] = {
                    "Name": name, "State": "ENABLED", "Schema": "CloudWatchLogRule/1", "Definition": "{}",
                    "ManagedRule": True, "TemplateName": rule["TemplateName"], "ResourceARN": rule["ResourceARN"],
                    "Arn": self.arn(ctx, f"insight-rule/{name}")}
        return {"Failures": []}

    def list_managed_insight_rules(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["ResourceARN"]
        with self.store.lock:
            rules = [r for r in self.state(ctx).insight_rules.values() if r.get("ResourceARN") == arn]
        page, token = offset_page(rules, ctx.params.get("NextToken"), ctx.params.get("MaxResults"),
                                  bad_token=errors.bad_token, scope="ListManagedInsightRules")
        out: dict[str, Any] = {"ManagedRules": [
            {"TemplateName": r["TemplateName"], "ResourceARN": arn,
             "RuleState": {"RuleName": r["Name"], "State": r["State"]}} for r in page]}
        if token:
            out["NextToken"] = token
        return out

    # -- anomaly detectors ----------------------------------------------------------------------------
    @staticmethod
    def _detector(p: dict[str, Any]) -> dict[str, Any]:
        single = p.get("SingleMetricAnomalyDetector")
        legacy = {k: p[k] for k in ("Namespace", "MetricName", "Dimensions", "Stat") if p.get(k) is not None}
        if single and legacy:
            raise errors.combination("The parameters SingleMetricAnomalyDetector and "
                                     f"{next(iter(legacy))} are mutually exclusive and you have specified both.")
        if single is None and legacy:
            single = legacy
        if single and p.get("MetricMathAnomalyDetector"):
            raise errors.combination("The parameters SingleMetricAnomalyDetector and MetricMathAnomalyDetector are "
                                     "mutually exclusive and you have specified both.")
        if single:
            for name in ("Namespace", "MetricName", "Stat"):
                if not single.get(name):
                    raise errors.missing(name)
            return {"SingleMetricAnomalyDetector": {**single, "Dimensions": single.get("Dimensions") or []}}
        if p.get("MetricMathAnomalyDetector"):
            return {"MetricMathAnomalyDetector": p["MetricMathAnomalyDetector"]}
        raise errors.missing("SingleMetricAnomalyDetector")

    @staticmethod
    def _identity(detector: dict[str, Any]) -> str:
        single = detector.get("SingleMetricAnomalyDetector")
        if single:
            key = metric_key(single["Namespace"], single["MetricName"], single.get("Dimensions"))
            return json.dumps([list(key[:2]), [list(d) for d in key[2]], single["Stat"]])
        return json.dumps(detector["MetricMathAnomalyDetector"], sort_keys=True, default=str)

    def put_anomaly_detector(self, ctx: RequestContext) -> dict[str, Any]:
        detector = self._detector(ctx.params)
        detector.update({k: ctx.params[k] for k in ("Configuration", "MetricCharacteristics") if ctx.params.get(k)})
        detector["StateValue"] = "PENDING_TRAINING"
        identity = self._identity(detector)
        with self.store.lock:
            state = self.state(ctx)
            state.anomaly_detectors = [d for d in state.anomaly_detectors if self._identity(d) != identity]
            state.anomaly_detectors.append(detector)
        return {}

    def describe_anomaly_detectors(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        types = p.get("AnomalyDetectorTypes") or ["SINGLE_METRIC", "METRIC_MATH"]
        with self.store.lock:
            found = []
            for d in self.state(ctx).anomaly_detectors:
                single = d.get("SingleMetricAnomalyDetector")
                if ("SINGLE_METRIC" if single else "METRIC_MATH") not in types:
                    continue
                if single and not all(p.get(k) is None or single.get(k) == p[k] for k in ("Namespace", "MetricName")):
                    continue
                if p.get("Dimensions") and (not single or metric_key("", "", single.get("Dimensions"))
                                            != metric_key("", "", p["Dimensions"])):
                    continue
                if not single and (p.get("Namespace") or p.get("MetricName")):
                    continue
                found.append(d)
        page, token = offset_page(found, p.get("NextToken"), p.get("MaxResults"), bad_token=errors.bad_token,
                                  scope="DescribeAnomalyDetectors")
        shape = self.model.shape_for("AnomalyDetector")
        described = []
        for d in page:
            single = d.get("SingleMetricAnomalyDetector") or {}
            described.append(shaped(shape, {**{k: single[k] for k in ("Namespace", "MetricName", "Dimensions", "Stat")
                                               if k in single}, **d}))
        out: dict[str, Any] = {"AnomalyDetectors": described}
        if token:
            out["NextToken"] = token
        return out

    def delete_anomaly_detector(self, ctx: RequestContext) -> dict[str, Any]:
        identity = self._identity(self._detector(ctx.params))
        with self.store.lock:
            state = self.state(ctx)
            kept = [d for d in state.anomaly_detectors if self._identity(d) != identity]
            if len(kept) == len(state.anomaly_detectors):
                raise errors.not_found("This anomaly detection model does not exist")  # wording ours
            state.anomaly_detectors = kept
        return {}

    # -- metric streams -------------------------------------------------------------------------------
    def put_metric_stream(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p.get("IncludeFilters") and p.get("ExcludeFilters"):
            raise errors.combination("The parameters IncludeFilters and ExcludeFilters are mutually exclusive and "
                                     "you have specified both.")
        now = ctx.clock.now()
        arn = self.arn(ctx, f"metric-stream/{p['Name']}")
        with self.store.lock:
            state = self.state(ctx)
            old = state.metric_streams.get(p["Name"])
            state.metric_streams[p["Name"]] = {
                **{k: v for k, v in p.items() if k != "Tags"}, "Arn": arn,
                "State": old["State"] if old else "running",
                "CreationDate": old["CreationDate"] if old else now, "LastUpdateDate": now,
                "DeliveredUntil": old["DeliveredUntil"] if old else metric_streams.start_minute(now)}
            if p.get("Tags"):
                state.tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in p["Tags"]})
        return {"Arn": arn}

    def _stream(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        stream = self.state(ctx).metric_streams.get(name)
        if stream is None:
            raise errors.resource_not_found("MetricStream", name)
        return stream

    def get_metric_stream(self, ctx: RequestContext) -> dict[str, Any]:
        stream = self._stream(ctx, ctx.params["Name"])
        out = {**stream, "CreationDate": stamp(stream["CreationDate"]),
               "LastUpdateDate": stamp(stream["LastUpdateDate"])}
        return shaped(self.model.shape_for("GetMetricStreamOutput"), out)

    def list_metric_streams(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            streams = sorted(self.state(ctx).metric_streams.values(), key=lambda s: s["Name"])
        page, token = offset_page(streams, ctx.params.get("NextToken"), ctx.params.get("MaxResults"),
                                  bad_token=errors.bad_token, scope="ListMetricStreams")
        shape = self.model.shape_for("MetricStreamEntry")
        out: dict[str, Any] = {"Entries": [shaped(shape, {**s, "CreationDate": stamp(s["CreationDate"]),
                                                          "LastUpdateDate": stamp(s["LastUpdateDate"])})
                                           for s in page]}
        if token:
            out["NextToken"] = token
        return out

    def delete_metric_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.state(ctx).metric_streams.pop(ctx.params["Name"], None)
            if stream is not None:
                self.state(ctx).tags.pop(stream["Arn"], None)
        return {}

    def _stream_states(self, ctx: RequestContext, value: str) -> dict[str, Any]:
        with self.store.lock:
            for name in ctx.params["Names"]:
                self._stream(ctx, name)
            for name in ctx.params["Names"]:
                self._stream(ctx, name).update(State=value, LastUpdateDate=ctx.clock.now())
        return {}

    def start_metric_streams(self, ctx: RequestContext) -> dict[str, Any]:
        return self._stream_states(ctx, "running")

    def stop_metric_streams(self, ctx: RequestContext) -> dict[str, Any]:
        return self._stream_states(ctx, "stopped")

    # -- alarm mute rules -----------------------------------------------------------------------------
    def put_alarm_mute_rule(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        arn = self.arn(ctx, f"alarm-mute-rule:{p['Name']}")
        with self.store.lock:
            state = self.state(ctx)
            state.mute_rules[p["Name"]] = {**{k: v for k, v in p.items() if k != "Tags"}, "AlarmMuteRuleArn": arn,
                                           "LastUpdatedTimestamp": ctx.clock.now()}
            if p.get("Tags"):
                state.tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in p["Tags"]})
        return {}

    def _mute_rule(self, rule: dict[str, Any], now: float) -> dict[str, Any]:
        start = rule.get("StartDate")
        expire = rule.get("ExpireDate")
        status = "EXPIRED" if expire is not None and expire.timestamp() <= now else \
            "SCHEDULED" if start is not None and start.timestamp() > now else "ACTIVE"
        return {**rule, "Status": status, "LastUpdatedTimestamp": stamp(rule["LastUpdatedTimestamp"]),
                "MuteType": "ONE_TIME" if (rule.get("Rule") or {}).get("Schedule", {}).get("Expression", "")
                .startswith("at(") else "RECURRING"}

    def get_alarm_mute_rule(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self.state(ctx).mute_rules.get(ctx.params["AlarmMuteRuleName"])
        if rule is None:
            raise errors.resource_not_found("AlarmMuteRule", ctx.params["AlarmMuteRuleName"])
        return shaped(self.model.shape_for("GetAlarmMuteRuleOutput"), self._mute_rule(rule, ctx.clock.now()))

    def list_alarm_mute_rules(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        now = ctx.clock.now()
        with self.store.lock:
            rules = [self._mute_rule(r, now) for _, r in sorted(self.state(ctx).mute_rules.items())]
        rules = [r for r in rules if (not p.get("AlarmName") or p["AlarmName"] in
                                      (r.get("MuteTargets") or {}).get("AlarmNames", []))
                 and (not p.get("Statuses") or r["Status"] in p["Statuses"])]
        page, token = offset_page(rules, p.get("NextToken"), p.get("MaxRecords"), bad_token=errors.bad_token,
                                  scope="ListAlarmMuteRules")
        shape = self.model.shape_for("AlarmMuteRuleSummary")
        out: dict[str, Any] = {"AlarmMuteRuleSummaries": [shaped(shape, r) for r in page]}
        if token:
            out["NextToken"] = token
        return out

    def delete_alarm_mute_rule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rule = self.state(ctx).mute_rules.pop(ctx.params["AlarmMuteRuleName"], None)
            if rule is not None:
                self.state(ctx).tags.pop(rule["AlarmMuteRuleArn"], None)
        return {}

    # -- OTel enrichment ------------------------------------------------------------------------------
    def get_o_tel_enrichment(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Status": self.state(ctx).otel_enrichment}

    def start_o_tel_enrichment(self, ctx: RequestContext) -> dict[str, Any]:
        self.state(ctx).otel_enrichment = "Running"
        return {}

    def stop_o_tel_enrichment(self, ctx: RequestContext) -> dict[str, Any]:
        self.state(ctx).otel_enrichment = "Stopped"
        return {}

    # -- tags -----------------------------------------------------------------------------------------
    def _tagged(self, ctx: RequestContext, arn: str) -> dict[str, str]:
        state = self.state(ctx)
        alarm = state.alarms.get(arn.split(":alarm:", 1)[-1]) if ":alarm:" in arn else None
        known = {r["Arn"] for r in state.insight_rules.values()} \
            | {s["Arn"] for s in state.metric_streams.values()} | {d.arn for d in state.dashboards.values()} \
            | {r["AlarmMuteRuleArn"] for r in state.mute_rules.values()}
        if (alarm is None or alarm.arn != arn) and arn not in known:
            kind = arn.split(":")[5].split("/")[0] if arn.count(":") >= 5 else "Resource"
            raise errors.resource_not_found(kind, arn)
        return state.tags.setdefault(arn, {})

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = dict(self._tagged(ctx, ctx.params["ResourceARN"]))
        return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tagged(ctx, ctx.params["ResourceARN"])
            new = {t["Key"]: t["Value"] for t in ctx.params["Tags"]}
            if len(tags.keys() | new.keys()) > 50:
                raise errors.limit("A resource can have at most 50 tags.")  # wording ours
            tags.update(new)
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tagged(ctx, ctx.params["ResourceARN"])
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    # -- images ---------------------------------------------------------------------------------------
    def get_metric_widget_image(self, ctx: RequestContext) -> dict[str, Any]:
        try:
            widget = json.loads(ctx.params["MetricWidget"])
        except ValueError:
            widget = None
        if not isinstance(widget, dict):
            raise errors.invalid("The parameter MetricWidget must be a valid JSON object.")  # wording ours
        fmt = ctx.params.get("OutputFormat") or "png"
        if fmt != "png":
            raise errors.invalid_value("OutputFormat", fmt)  # only PNG is drawn here
        width = widget.get("width", 600)
        height = widget.get("height", 395)
        if not (isinstance(width, int) and isinstance(height, int) and 1 <= width <= 2000 and 1 <= height <= 2000):
            raise errors.invalid("The widget width and height must be between 1 and 2000.")  # wording ours
        return {"MetricWidgetImage": png(width, height)}
