"""Log groups and streams: create, describe, delete, retention, KMS keys, tags,
deletion protection, and the per-group policies (index policy, transformer)."""

from __future__ import annotations

import json
import re
from typing import Any

from ...api import RequestContext
from . import errors
from .base import RETENTION_DAYS, LogsBase, group_name_of, now_ms, visible
from .state import LogGroup, LogStream

MAX_TAGS = 50


class GroupOperations(LogsBase):
    # -- log groups ---------------------------------------------------------------------
    def create_log_group(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p.get("logGroupName") or ""
        if not name:
            raise errors.invalid("logGroupName is required.")  # the validation step answers first over the wire
        state = self.state(ctx)
        with self.store.lock:
            if name in state.groups:
                raise errors.group_exists()
            state.groups[name] = LogGroup(
                name=name, arn=self.group_arn(ctx, name), creation_time=now_ms(ctx),
                log_group_class=p.get("logGroupClass") or "STANDARD", kms_key_id=p.get("kmsKeyId"),
                tags=dict(p.get("tags") or {}), deletion_protection=bool(p.get("deletionProtectionEnabled")))
        return {}

    def delete_log_group(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        with self.store.lock:
            group = self.group(ctx)
            if group.deletion_protection:
                # AWS's exact text is not documented.
                raise errors.operation_aborted("Log group deletion protection is enabled; disable it to delete "
                                               "the log group.")
            del state.groups[group.name]
        return {}

    def describe_log_groups(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        prefix, pattern = p.get("logGroupNamePrefix"), p.get("logGroupNamePattern")
        if prefix and pattern:
            raise errors.invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
        wanted = {group_name_of(i) for i in p.get("logGroupIdentifiers") or []}
        groups = self._groups(ctx)
        chosen = [g for g in groups
                  if (not prefix or g.name.startswith(prefix))
                  and (not pattern or pattern.lower() in g.name.lower())
                  and (not p.get("logGroupClass") or g.log_group_class == p["logGroupClass"])
                  and (not wanted or g.name in wanted)]
        page, token = self.page(ctx, chosen)
        now = now_ms(ctx)
        return self.paged({"logGroups": [self.describe_group(g, now) for g in page]}, token)

    def list_log_groups(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        regex = _compile(p.get("logGroupNamePattern"))
        chosen = [g for g in self._groups(ctx)
                  if (regex is None or regex.search(g.name))
                  and (not p.get("logGroupClass") or g.log_group_class == p["logGroupClass"])]
        page, token = self.page(ctx, chosen)
        return self.paged({"logGroups": [{"logGroupName": g.name, "logGroupArn": g.arn,
                                          "logGroupClass": g.log_group_class} for g in page]}, token)

    def list_aggregate_log_group_summaries(self, ctx: RequestContext) -> dict[str, Any]:
        """Groups counted by class (`groupBy` LOG_GROUP_CLASS) or by data source."""
        regex = _compile(ctx.params.get("logGroupNamePattern"))
        counts: dict[str, int] = {}
        for group in self._groups(ctx):
            if regex is None or regex.search(group.name):
                counts[group.log_group_class] = counts.get(group.log_group_class, 0) + 1
        by_class = ctx.params.get("groupBy") == "LOG_GROUP_CLASS"
        summaries = [{"logGroupCount": count,
                      "groupingIdentifiers": [{"key": "logGroupClass" if by_class else "dataSource",
                                               "value": cls if by_class else "unknown"}]}
                     for cls, count in sorted(counts.items())]
        page, token = self.page(ctx, summaries)
        return self.paged({"aggregateLogGroupSummaries": page}, token)

    def _groups(self, ctx: RequestContext) -> list[LogGroup]:
        with self.store.lock:
            return sorted(self.state(ctx).groups.values(), key=lambda g: g.name)

    def describe_group(self, group: LogGroup, now: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "logGroupName": group.name, "creationTime": group.creation_time, "metricFilterCount":
            len(group.metric_filters), "arn": f"{group.arn}:*", "logGroupArn": group.arn,
            "storedBytes": sum(s.stored_bytes for s in group.streams.values()),
            "logGroupClass": group.log_group_class, "deletionProtectionEnabled": group.deletion_protection,
            "bearerTokenAuthenticationEnabled": group.bearer_token_authentication,
        }
        if group.retention_days is not None:
            out["retentionInDays"] = group.retention_days
        if group.kms_key_id:
            out["kmsKeyId"] = group.kms_key_id
        if group.data_protection_policy is not None:
            out["dataProtectionStatus"] = "ACTIVATED"
        return out

    # -- retention, keys, protection ----------------------------------------------------
    def put_retention_policy(self, ctx: RequestContext) -> dict[str, Any]:
        days = ctx.params.get("retentionInDays")
        if days not in RETENTION_DAYS:
            # The validation step answers this first over the wire; text as AWS's Coral style.
            raise errors.invalid(f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to "
                                 "satisfy constraint: Member must satisfy enum value set: "
                                 f"[{', '.join(str(d) for d in sorted(RETENTION_DAYS))}]")
        with self.store.lock:
            self.group(ctx).retention_days = days
        return {}

    def delete_retention_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.group(ctx).retention_days = None
        return {}

    def associate_kms_key(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._kms_target(ctx).kms_key_id = ctx.params.get("kmsKeyId")
        return {}

    def disassociate_kms_key(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._kms_target(ctx).kms_key_id = None
        return {}

    def _kms_target(self, ctx: RequestContext) -> LogGroup:
        name, resource = ctx.params.get("logGroupName"), ctx.params.get("resourceIdentifier")
        if bool(name) == bool(resource):
            raise errors.invalid("Specify exactly one of logGroupName and resourceIdentifier.")  # exact text unknown
        if resource and ":query-result:" in resource:
            raise errors.invalid("Query results are not kept encrypted by cloudmock; only log groups take a key.")
        return self.group(ctx, name or group_name_of(resource))

    def put_log_group_deletion_protection(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.group(ctx).deletion_protection = bool(ctx.params.get("deletionProtectionEnabled"))
        return {}

    def put_bearer_token_authentication(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.group(ctx).bearer_token_authentication = bool(ctx.params.get("bearerTokenAuthenticationEnabled"))
        return {}

    # -- streams ------------------------------------------------------------------------
    def create_log_stream(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("logStreamName") or ""
        with self.store.lock:
            group = self.group(ctx)
            if name in group.streams:
                raise errors.stream_exists()
            group.streams[name] = LogStream(name, f"{group.arn}:log-stream:{name}", now_ms(ctx))
        return {}

    def delete_log_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx)
            del group.streams[self.stream(ctx, group).name]
        return {}

    def describe_log_streams(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        prefix, order = p.get("logStreamNamePrefix"), p.get("orderBy") or "LogStreamName"
        if prefix and order == "LastEventTime":
            raise errors.invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
        now = now_ms(ctx)
        with self.store.lock:
            group = self.group(ctx)
            rows = [self.describe_stream(group, s, now) for s in group.streams.values()
                    if not prefix or s.name.startswith(prefix)]
        if order == "LastEventTime":
            rows.sort(key=lambda r: (r.get("lastEventTimestamp", 0), r["logStreamName"]))
        else:
            rows.sort(key=lambda r: r["logStreamName"])
        if p.get("descending"):
            rows.reverse()
        page, token = self.page(ctx, rows)
        return self.paged({"logStreams": page}, token)

    @staticmethod
    def describe_stream(group: LogGroup, stream: LogStream, now: int) -> dict[str, Any]:
        out: dict[str, Any] = {"logStreamName": stream.name, "creationTime": stream.creation_time,
                               "arn": stream.arn, "storedBytes": stream.stored_bytes}
        events = visible(group, stream, now)
        if events:
            out["firstEventTimestamp"] = events[0].timestamp
            out["lastEventTimestamp"] = max(e.timestamp for e in events)
        if stream.last_ingestion_time is not None:
            out["lastIngestionTime"] = stream.last_ingestion_time
            out["uploadSequenceToken"] = f"{stream.last_ingestion_time:056d}"
        return out

    # -- tags ---------------------------------------------------------------------------
    def tag_log_group(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx)
            self._add_tags(group.tags, ctx.params.get("tags") or {})
        return {}

    def untag_log_group(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx)
            for key in ctx.params.get("tags") or []:
                group.tags.pop(key, None)
        return {}

    def list_tags_log_group(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"tags": dict(self.group(ctx).tags)}

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._add_tags(self._tags_of(ctx, ctx.params.get("resourceArn") or ""), ctx.params.get("tags") or {})
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tags_of(ctx, ctx.params.get("resourceArn") or "")
            for key in ctx.params.get("tagKeys") or []:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"tags": dict(self._tags_of(ctx, ctx.params.get("resourceArn") or ""))}

    def _tags_of(self, ctx: RequestContext, arn: str) -> dict[str, str]:
        """The tag map of a log group, destination or other Logs resource, by ARN."""
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "logs":
            raise errors.invalid(f"Invalid resource ARN: {arn}")  # exact text unknown
        state = self.state(ctx)
        resource = parts[5]
        if resource.startswith("log-group:"):
            return self.group(ctx, group_name_of(arn)).tags
        if resource.startswith("destination:"):
            if resource.split(":", 1)[1] not in state.destinations:
                raise errors.not_found("The specified destination does not exist.")
            return state.tags.setdefault(arn, {})
        if not any(arn in (r.get("arn"), r.get("anomalyDetectorArn"), r.get("lookupTableArn"),
                           r.get("scheduledQueryArn")) for records in state.records.values() for r in records.values()):
            raise errors.not_found("The specified resource does not exist.")  # exact text unknown
        return state.tags.setdefault(arn, {})

    @staticmethod
    def _add_tags(tags: dict[str, str], new: dict[str, str]) -> None:
        if len({**tags, **new}) > MAX_TAGS:
            raise errors.too_many_tags(MAX_TAGS)
        tags.update(new)

    # -- per-group policies -------------------------------------------------------------
    def put_index_policy(self, ctx: RequestContext) -> dict[str, Any]:
        now = now_ms(ctx)
        with self.store.lock:
            group = self.group(ctx, group_name_of(ctx.params.get("logGroupIdentifier") or ""))
            group.index_policy = {"logGroupIdentifier": group.arn, "lastUpdateTime": now,
                                  "policyDocument": ctx.params.get("policyDocument") or "",
                                  "policyName": "default", "source": "LOG_GROUP"}
            return {"indexPolicy": dict(group.index_policy)}

    def delete_index_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, group_name_of(ctx.params.get("logGroupIdentifier") or ""))
            if group.index_policy is None:
                raise errors.not_found("The specified index policy does not exist.")  # exact text unknown
            group.index_policy = None
        return {}

    def describe_index_policies(self, ctx: RequestContext) -> dict[str, Any]:
        policies = []
        with self.store.lock:
            for identifier in ctx.params.get("logGroupIdentifiers") or []:
                group = self.group(ctx, group_name_of(identifier))
                if group.index_policy is not None:
                    policies.append(dict(group.index_policy))
        return {"indexPolicies": policies}

    def describe_field_indexes(self, ctx: RequestContext) -> dict[str, Any]:
        """The fields the groups' index policies name (`{"Fields": [...]}` documents)."""
        indexes = []
        now = now_ms(ctx)
        with self.store.lock:
            for identifier in ctx.params.get("logGroupIdentifiers") or []:
                group = self.group(ctx, group_name_of(identifier))
                if group.index_policy is None:
                    continue
                try:
                    fields = json.loads(group.index_policy["policyDocument"]).get("Fields") or []
                except (ValueError, AttributeError):
                    fields = []
                indexes += [{"logGroupIdentifier": group.arn, "fieldIndexName": str(f),
                             "lastScanTime": now, "firstEventTime": now, "lastEventTime": now}
                            for f in fields]
        return {"fieldIndexes": indexes}

    def put_transformer(self, ctx: RequestContext) -> dict[str, Any]:
        now = now_ms(ctx)
        with self.store.lock:
            group = self.group(ctx, group_name_of(ctx.params.get("logGroupIdentifier") or ""))
            created = group.transformer["creationTime"] if group.transformer else now
            group.transformer = {"logGroupIdentifier": ctx.params["logGroupIdentifier"], "creationTime": created,
                                 "lastModifiedTime": now, "transformerConfig": ctx.params.get("transformerConfig")}
        return {}

    def get_transformer(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, group_name_of(ctx.params.get("logGroupIdentifier") or ""))
            if group.transformer is None:
                raise errors.not_found("The specified transformer does not exist.")  # exact text unknown
            return dict(group.transformer)

    def delete_transformer(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, group_name_of(ctx.params.get("logGroupIdentifier") or ""))
            if group.transformer is None:
                raise errors.not_found("The specified transformer does not exist.")  # exact text unknown
            group.transformer = None
        return {}

    def test_transformer(self, ctx: RequestContext) -> dict[str, Any]:
        """Transformers are stored, not run: each event comes back unchanged (see the docs page)."""
        return {"transformedLogs": [{"eventNumber": i + 1, "eventMessage": m, "transformedEventMessage": m}
                                    for i, m in enumerate(ctx.params.get("logEventMessages") or [])]}


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error:
        raise errors.invalid(f"Invalid log group name pattern: {pattern}") from None  # exact text unknown
