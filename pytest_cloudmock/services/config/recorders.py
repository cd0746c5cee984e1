"""Configuration recorders, delivery channels, retention configurations and snapshots."""

from __future__ import annotations

import gzip
import uuid
from datetime import datetime, timezone
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import ConfigBase, all_types
from .items import history_item, to_json, when
from .state import ConfigState, Recorder

DEFAULT = "default"


def default_group() -> dict[str, Any]:
    return {"allSupported": True, "includeGlobalResourceTypes": False, "resourceTypes": [],
            "exclusionByResourceTypes": {"resourceTypes": []},
            "recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}}


def check_group(group: dict[str, Any]) -> None:
    """AWS's recording group rules (InvalidRecordingGroupException)."""
    every = group.get("allSupported", False)
    types = group.get("resourceTypes") or []
    excluded = (group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or []
    strategy = (group.get("recordingStrategy") or {}).get("useOnly")
    bad = ((every and (types or excluded)) or (group.get("includeGlobalResourceTypes") and not every)
           or (types and excluded)
           or (strategy == "ALL_SUPPORTED_RESOURCE_TYPES" and not every)
           or (strategy == "INCLUSION_BY_RESOURCE_TYPES" and (every or not types))
           or (strategy == "EXCLUSION_BY_RESOURCE_TYPES" and (every or not excluded)))
    if bad:
        raise errors.error("InvalidRecordingGroupException", "The recording group provided is not valid")


class RecorderOperations(ConfigBase):
    """Recorders (customer managed and service-linked), delivery channels, retention."""

    # -- recorders ----------------------------------------------------------------------
    def put_configuration_recorder(self, ctx: RequestContext) -> dict[str, Any]:
        given = ctx.params["ConfigurationRecorder"]
        name = given.get("name") or DEFAULT
        if not name.strip():
            raise errors.error("InvalidConfigurationRecorderNameException",
                               "The configuration recorder name cannot be empty.")  # wording ours
        if not given.get("roleARN"):
            raise errors.error("InvalidRoleException",
                               "You have provided a null or empty Amazon Resource Name (ARN) for the IAM role "
                               "assumed by Config and used by the configuration recorder.")
        group = {**default_group(), **(given.get("recordingGroup") or {})}
        if "recordingStrategy" not in (given.get("recordingGroup") or {}) and not group["allSupported"]:
            group["recordingStrategy"] = {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES" if (
                group["exclusionByResourceTypes"] or {}).get("resourceTypes") else "INCLUSION_BY_RESOURCE_TYPES"}
        check_group(group)
        mode = given.get("recordingMode") or {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []}
        state = self.state(ctx)
        with self.store.lock:
            customer = [r for r in state.recorders.values() if not r.service_principal]
            existing = state.recorders.get(name)
            if existing is not None and existing.service_principal:
                raise unmodifiable(name)
            if existing is None and customer:
                raise errors.error("MaxNumberOfConfigurationRecordersExceededException",
                                   f"Failed to put configuration recorder '{name}' because the maximum number "
                                   "of configuration recorders: 1 is reached.")
            if existing is None:
                existing = state.recorders[name] = Recorder(
                    name, self.arn(ctx, f"configuration-recorder/{name}/{uuid.uuid4().hex[:16]}"), "", {}, {})
            existing.role_arn, existing.recording_group, existing.recording_mode = given["roleARN"], group, mode
            self.put_tags(state, existing.arn, ctx.params.get("Tags"))
        return {}

    def put_service_linked_configuration_recorder(self, ctx: RequestContext) -> dict[str, Any]:
        principal = ctx.params["ServicePrincipal"]
        name = f"AWSConfigurationRecorderFor{principal.split('.', 1)[0]}"  # AWS's naming: wording ours
        state = self.state(ctx)
        with self.store.lock:
            recorder = state.recorders.get(name)
            if recorder is None:
                now = ctx.clock.now()
                recorder = state.recorders[name] = Recorder(
                    name, self.arn(ctx, f"configuration-recorder/{name}/{uuid.uuid4().hex[:16]}"),
                    f"arn:{ctx.partition}:iam::{ctx.account_id}:role/aws-service-role/config.amazonaws.com/"
                    "AWSServiceRoleForConfig", default_group(),
                    {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []},
                    service_principal=principal, recording=True, last_start=now, last_change=now)
            self.put_tags(state, recorder.arn, ctx.params.get("Tags"))
        return {"Arn": recorder.arn, "Name": recorder.name}

    def delete_service_linked_configuration_recorder(self, ctx: RequestContext) -> dict[str, Any]:
        principal = ctx.params["ServicePrincipal"]
        state = self.state(ctx)
        with self.store.lock:
            found = [r for r in state.recorders.values() if r.service_principal == principal]
            if not found:
                raise errors.no_recorder(principal)
            del state.recorders[found[0].name]
            state.tags.pop(found[0].arn, None)
        return {"Arn": found[0].arn, "Name": found[0].name}

    def _selected(self, ctx: RequestContext) -> list[Recorder]:
        p = ctx.params
        state = self.state(ctx)
        with self.store.lock:
            recorders = list(state.recorders.values())
        names = p.get("ConfigurationRecorderNames")
        if names:
            by_name = {r.name: r for r in recorders}
            missing = [n for n in names if n not in by_name]
            if missing:
                raise errors.no_recorder(missing[0])
            recorders = [by_name[n] for n in names]
        if p.get("ServicePrincipal"):
            recorders = [r for r in recorders if r.service_principal == p["ServicePrincipal"]]
        if p.get("Arn"):
            recorders = [r for r in recorders if r.arn == p["Arn"]]
            if not recorders:
                raise errors.no_recorder(p["Arn"])
        return recorders

    def describe_configuration_recorders(self, ctx: RequestContext) -> dict[str, Any]:
        return {"ConfigurationRecorders": [recorder_shape(r) for r in self._selected(ctx)]}

    def describe_configuration_recorder_status(self, ctx: RequestContext) -> dict[str, Any]:
        out = []
        for r in self._selected(ctx):
            status: dict[str, Any] = {"arn": r.arn, "name": r.name, "recording": r.recording}
            if r.service_principal:
                status["servicePrincipal"] = r.service_principal
            if r.last_start is not None:
                status.update(lastStartTime=when(r.last_start), lastStatus="SUCCESS" if r.recording else "PENDING",
                              lastStatusChangeTime=when(r.last_change))
            if r.last_stop is not None:
                status["lastStopTime"] = when(r.last_stop)
            out.append(status)
        return {"ConfigurationRecordersStatus": out}

    def list_configuration_recorders(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            recorders = sorted(self.state(ctx).recorders.values(), key=lambda r: r.name)
        for f in ctx.params.get("Filters") or []:
            if f.get("filterName") == "recordingScope":
                recorders = [r for r in recorders if scope(r) in (f.get("filterValue") or [])]
        page, token = self.page(ctx, recorders, limit="MaxResults", default=100)
        out: dict[str, Any] = {"ConfigurationRecorderSummaries": [
            {"arn": r.arn, "name": r.name, "recordingScope": scope(r),
             **({"servicePrincipal": r.service_principal} if r.service_principal else {})} for r in page]}
        if token:
            out["NextToken"] = token
        return out

    def _recorder(self, state: ConfigState, name: str, *, modify: bool = False) -> Recorder:
        recorder = state.recorders.get(name)
        if recorder is None:
            raise errors.no_recorder(name)
        if modify and recorder.service_principal:
            raise unmodifiable(name)
        return recorder

    def start_configuration_recorder(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        with self.store.lock:
            recorder = self._recorder(state, ctx.params["ConfigurationRecorderName"], modify=True)
            if not state.channels:
                raise errors.error("NoAvailableDeliveryChannelException",
                                   "Delivery channel is not available to start configuration recorder.")
            if not recorder.recording:
                now = ctx.clock.now()
                recorder.recording, recorder.last_start, recorder.last_change = True, now, now
        self.record(ctx, all_types())  # a starting recorder discovers what exists
        return {}

    def stop_configuration_recorder(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            recorder = self._recorder(self.state(ctx), ctx.params["ConfigurationRecorderName"], modify=True)
            if recorder.recording:
                now = ctx.clock.now()
                recorder.recording, recorder.last_stop, recorder.last_change = False, now, now
        return {}

    def delete_configuration_recorder(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        with self.store.lock:
            recorder = self._recorder(state, ctx.params["ConfigurationRecorderName"], modify=True)
            del state.recorders[recorder.name]
            state.tags.pop(recorder.arn, None)
        return {}

    def _by_arn(self, ctx: RequestContext) -> Recorder:
        arn = ctx.params["ConfigurationRecorderArn"]
        with self.store.lock:
            found = [r for r in self.state(ctx).recorders.values() if r.arn == arn]
        if not found:
            raise errors.no_recorder(arn)
        return found[0]

    def associate_resource_types(self, ctx: RequestContext) -> dict[str, Any]:
        return self._change_types(ctx, add=True)

    def disassociate_resource_types(self, ctx: RequestContext) -> dict[str, Any]:
        return self._change_types(ctx, add=False)

    def _change_types(self, ctx: RequestContext, *, add: bool) -> dict[str, Any]:
        recorder = self._by_arn(ctx)
        with self.store.lock:
            group = recorder.recording_group
            if recorder.service_principal or group.get("allSupported") or (
                    group.get("recordingStrategy") or {}).get("useOnly") == "EXCLUSION_BY_RESOURCE_TYPES":
                raise errors.error("ConflictException",
                                   "The configuration recorder does not record an inclusion list of resource "
                                   "types.")  # wording ours
            types = list(group.get("resourceTypes") or [])
            for t in ctx.params["ResourceTypes"]:
                if add and t not in types:
                    types.append(t)
                if not add and t in types:
                    types.remove(t)
            group["resourceTypes"] = types
            group["recordingStrategy"] = {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}
            return {"ConfigurationRecorder": recorder_shape(recorder)}

    # -- delivery channels ----------------------------------------------------------------
    def put_delivery_channel(self, ctx: RequestContext) -> dict[str, Any]:
        given = dict(ctx.params["DeliveryChannel"])
        name = given.get("name") or DEFAULT
        given["name"] = name
        state = self.state(ctx)
        with self.store.lock:
            if not state.recorders:
                raise errors.error("NoAvailableConfigurationRecorderException",
                                   "Configuration recorder is not available to put delivery channel.")
        bucket = given.get("s3BucketName") or ""
        if not bucket:
            raise errors.error("NoSuchBucketException", "Cannot find a S3 bucket with an empty bucket name.")
        prefix = given.get("s3KeyPrefix")
        if prefix is not None and (not prefix or "AWSLogs" in prefix or prefix.startswith("/")):
            raise errors.error("InvalidS3KeyPrefixException",
                               f"The s3 key prefix '{prefix}' is not valid.")  # wording ours
        topic = given.get("snsTopicARN")
        if topic is not None and (len(topic.split(":")) != 6 or topic.split(":")[2] != "sns"):
            raise errors.error("InvalidSNSTopicARNException", f"The sns topic arn '{topic}' is not valid.")
        kms = given.get("s3KmsKeyArn")
        if kms is not None and not kms.startswith("arn:"):
            raise errors.error("InvalidS3KmsKeyArnException", f"The s3 kms key arn '{kms}' is not valid.")
        self._check_bucket(ctx, bucket)
        with self.store.lock:
            if name not in state.channels and state.channels:
                raise errors.error("MaxNumberOfDeliveryChannelsExceededException",
                                   f"Failed to put delivery channel '{name}' because the maximum number of "
                                   "delivery channels: 1 is reached.")
            state.channels[name] = given
            state.channel_status.setdefault(name, {})
        return {}

    def _check_bucket(self, ctx: RequestContext, bucket: str) -> None:
        registry = ctx.registry
        if registry is None or registry.get("s3") is None:
            return
        try:
            registry.call("s3", "HeadBucket", {"Bucket": bucket}, account_id=ctx.account_id, region=ctx.region,
                          caller=ctx)
        except AWSError as exc:
            if exc.status == 404:
                raise errors.error("NoSuchBucketException",
                                   f"Cannot find a S3 bucket with the specified name '{bucket}'.") from None

    def _channels(self, ctx: RequestContext) -> list[dict[str, Any]]:
        with self.store.lock:
            channels = dict(self.state(ctx).channels)
        names = ctx.params.get("DeliveryChannelNames")
        if not names:
            return list(channels.values())
        for name in names:
            if name not in channels:
                raise errors.no_channel(name)
        return [channels[n] for n in names]

    def describe_delivery_channels(self, ctx: RequestContext) -> dict[str, Any]:
        return {"DeliveryChannels": self._channels(ctx)}

    def describe_delivery_channel_status(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        out = []
        for channel in self._channels(ctx):
            snapshot = state.channel_status.get(channel["name"], {}).get("snapshot")
            out.append({"name": channel["name"],
                        "configSnapshotDeliveryInfo": snapshot or {"lastStatus": "NOT_APPLICABLE"},
                        "configHistoryDeliveryInfo": {"lastStatus": "NOT_APPLICABLE"},
                        "configStreamDeliveryInfo": {"lastStatus": "NOT_APPLICABLE"}})
        return {"DeliveryChannelsStatus": out}

    def delete_delivery_channel(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["DeliveryChannelName"]
        state = self.state(ctx)
        with self.store.lock:
            if name not in state.channels:
                raise errors.no_channel(name)
            if any(r.recording and not r.service_principal for r in state.recorders.values()):
                raise errors.error("LastDeliveryChannelDeleteFailedException",
                                   f"Failed to delete last specified delivery channel with name '{name}', "
                                   "because there is a running configuration recorder.")
            del state.channels[name]
            state.channel_status.pop(name, None)
        return {}

    def deliver_config_snapshot(self, ctx: RequestContext) -> dict[str, Any]:
        """Writes the snapshot to the channel's bucket (through S3) as AWS does."""
        name = ctx.params["deliveryChannelName"]
        state = self.state(ctx)
        with self.store.lock:
            channel = state.channels.get(name)
            if channel is None:
                raise errors.no_channel(name)
            if not state.recorders:
                raise errors.error("NoAvailableConfigurationRecorderException",
                                   "There are no configuration recorders available.")  # wording ours
            if not any(r.recording for r in state.recorders.values()):
                raise errors.error("NoRunningConfigurationRecorderException",
                                   "There is no configuration recorder running.")  # wording ours
        snapshot_id = str(uuid.uuid4())
        items = [history_item(i, ctx.account_id) for i in self.latest(ctx, all_types())]
        now = ctx.clock.now()
        body = gzip.compress(to_json({"fileVersion": "1.0", "configSnapshotId": snapshot_id,
                                      "configurationItems": items}).encode())
        day = datetime.fromtimestamp(now, timezone.utc)
        stamp = day.strftime("%Y%m%dT%H%M%SZ")
        key = (f"AWSLogs/{ctx.account_id}/Config/{ctx.region}/{day.year}/{day.month}/{day.day}/ConfigSnapshot/"
               f"{ctx.account_id}_Config_{ctx.region}_ConfigSnapshot_{stamp}_{snapshot_id}.json.gz")
        if channel.get("s3KeyPrefix"):
            key = f"{channel['s3KeyPrefix']}/{key}"
        registry = ctx.registry

        def deliver() -> None:
            status: dict[str, Any] = {"lastAttemptTime": when(now)}
            try:
                if registry is not None:
                    registry.call("s3", "PutObject", {"Bucket": channel["s3BucketName"], "Key": key, "Body": body},
                                  account_id=ctx.account_id, region=ctx.region, caller=ctx)
                status.update(lastStatus="SUCCESS", lastSuccessfulTime=when(now))
            except AWSError as exc:
                status.update(lastStatus="FAILURE", lastErrorCode=exc.code, lastErrorMessage=exc.message)
            with self.store.lock:
                state.channel_status.setdefault(name, {})["snapshot"] = status

        ctx.defer(deliver)
        return {"configSnapshotId": snapshot_id}

    # -- retention ------------------------------------------------------------------------
    def put_retention_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        days = ctx.params["RetentionPeriodInDays"]
        with self.store.lock:
            self.state(ctx).retention[DEFAULT] = days
        return {"RetentionConfiguration": {"Name": DEFAULT, "RetentionPeriodInDays": days}}

    def describe_retention_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            retention = dict(self.state(ctx).retention)
        names = ctx.params.get("RetentionConfigurationNames") or list(retention)
        for name in names:
            if name not in retention:
                raise no_retention(name)
        return {"RetentionConfigurations": [{"Name": n, "RetentionPeriodInDays": retention[n]} for n in names]}

    def delete_retention_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["RetentionConfigurationName"]
        with self.store.lock:
            if self.state(ctx).retention.pop(name, None) is None:
                raise no_retention(name)
        return {}


def scope(recorder: Recorder) -> str:
    return "INTERNAL" if recorder.service_principal else "PAID"


def recorder_shape(r: Recorder) -> dict[str, Any]:
    out = {"arn": r.arn, "name": r.name, "roleARN": r.role_arn, "recordingGroup": r.recording_group,
           "recordingMode": r.recording_mode, "recordingScope": scope(r)}
    if r.service_principal:
        out["servicePrincipal"] = r.service_principal
    return out


def unmodifiable(name: str) -> AWSError:
    return errors.error("UnmodifiableEntityException",
                        f"The configuration recorder '{name}' is service-linked and cannot be modified.")  # ours


def no_retention(name: str) -> AWSError:
    return errors.error("NoSuchRetentionConfigurationException",
                        f"Cannot find retention configuration with the specified name '{name}'.")
