"""Key lifecycle: create, describe, list, enable/disable, deletion, descriptions, tags,
key policies, rotation, multi-Region replicas and last usage."""

from __future__ import annotations

import copy
import json
from typing import Any

from ...api import AWSError, RequestContext
from . import crypto, errors
from .base import DAY, DEFAULT_ROTATION_DAYS, KmsBase, timestamp
from .state import Key, KeyMaterial

MAX_TAGS = 50
MAX_ON_DEMAND_ROTATIONS = 25


class KeyOperations(KmsBase):
    """The key-management half of KMS."""

    def create_key(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        spec = p.get("KeySpec") or p.get("CustomerMasterKeySpec") or crypto.SYMMETRIC
        if p.get("KeySpec") and p.get("CustomerMasterKeySpec"):
            raise errors.validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request.")
        if spec in crypto.UNSUPPORTED_SPECS:
            raise errors.unsupported(f"KeySpec {spec} is not supported in this region.")
        allowed = crypto.usages_for(spec)
        usage = p.get("KeyUsage") or allowed[0]
        if usage not in allowed:
            # AWS's exact wording is not documented.
            raise errors.validation(f"KeyUsage {usage} is not compatible with KeySpec {spec}")
        origin = p.get("Origin") or "AWS_KMS"
        store_id = p.get("CustomKeyStoreId")
        if origin == "EXTERNAL" and spec != crypto.SYMMETRIC and spec not in crypto.HMAC_SPECS:
            raise errors.unsupported(f"Origin EXTERNAL is not supported for KeySpec {spec} in cloudmock.")
        if origin in ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE") or store_id:
            if not store_id:
                raise errors.validation(f"A CustomKeyStoreId is required when Origin is {origin}.")
            if spec != crypto.SYMMETRIC:
                raise errors.unsupported("Keys in a custom key store must be symmetric encryption keys.")
            cks = self.store.for_ctx(ctx).custom_key_stores.get(store_id)
            if cks is None:
                raise AWSError("CustomKeyStoreNotFoundException", f"Custom key store {store_id} does not exist.")
            if cks.state != "CONNECTED":
                raise AWSError("CustomKeyStoreInvalidStateException",
                               f"Custom key store {store_id} is not connected.")
        policy = p.get("Policy")
        if policy is not None:
            _check_policy(policy)
        tags = _tags(p.get("Tags") or [])
        key = self.new_key(ctx, spec, usage, description=p.get("Description") or "", origin=origin,
                           multi_region=bool(p.get("MultiRegion")))
        key.custom_key_store_id = store_id
        if policy is not None:
            key.policy = policy
        key.tags = tags
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            state.put(key)
        return {"KeyMetadata": self.metadata(ctx, key)}

    def describe_key(self, ctx: RequestContext) -> dict[str, Any]:
        return {"KeyMetadata": self.metadata(ctx, self.key(ctx))}

    def list_keys(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.store.for_ctx(ctx)
        now = ctx.clock.now()
        with self.store.lock:  # only the keys the clock may change are ticked (in order of arrival)
            for key in sorted(filter(None, map(state.keys.get, state.timed)), key=lambda k: k.seq):
                if self.tick(state, key, now) is not None and not key.timed:
                    state.timed.discard(key.key_id)
            ids, more = self.page(ctx, state.by_created.values(), "keys")  # created order, ties by arrival
            keys = [state.keys[i] for i in ids]
        return {"Keys": [{"KeyId": k.key_id, "KeyArn": k.arn} for k in keys], **more}

    def enable_key(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_enabled(ctx, True)

    def disable_key(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_enabled(ctx, False)

    def _set_enabled(self, ctx: RequestContext, enabled: bool) -> dict[str, Any]:
        key = self.customer_key(ctx)
        with self.store.lock:
            if key.state not in ("Enabled", "Disabled"):
                raise errors.invalid_state(key.arn, key.state)
            key.state = "Enabled" if enabled else "Disabled"
        return {}

    def customer_key(self, ctx: RequestContext) -> Key:
        key = self.key(ctx)
        if key.key_manager == "AWS":
            raise AWSError("AccessDeniedException", f"You cannot modify the AWS managed key {key.arn}.")
        return key

    def schedule_key_deletion(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.customer_key(ctx)
        days = ctx.params.get("PendingWindowInDays") or 30
        if not 7 <= days <= 30:
            raise errors.validation("PendingWindowInDays should be between 7 and 30, but it is " + str(days))
        with self.store.lock:
            if key.state == "PendingDeletion":
                raise errors.invalid_state(key.arn, key.state)
            key.state, key.pending_window = "PendingDeletion", days
            key.deletion_date = ctx.clock.now() + days * DAY
            self.watch(key)
        return {"KeyId": key.arn, "DeletionDate": timestamp(key.deletion_date), "KeyState": key.state,
                "PendingWindowInDays": days}

    def cancel_key_deletion(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.customer_key(ctx)
        with self.store.lock:
            if key.state != "PendingDeletion":
                raise errors.not_pending_deletion(key.arn)
            key.state = "Disabled" if key.materials or key.origin != "EXTERNAL" else "PendingImport"
            key.deletion_date = key.pending_window = None
        return {"KeyId": key.arn}

    def update_key_description(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.not_pending_deletion(self.customer_key(ctx))
        key.description = ctx.params.get("Description") or ""
        return {}

    # -- tags -------------------------------------------------------------------------------
    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.not_pending_deletion(self.customer_key(ctx))
        with self.store.lock:
            merged = {**key.tags, **_tags(ctx.params.get("Tags") or [])}
            if len(merged) > MAX_TAGS:
                raise AWSError("TagException", f"A KMS key can have at most {MAX_TAGS} tags.")
            key.tags = merged
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.not_pending_deletion(self.customer_key(ctx))
        with self.store.lock:
            for name in ctx.params.get("TagKeys") or []:
                key.tags.pop(name, None)
        return {}

    def list_resource_tags(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        tags = [{"TagKey": k, "TagValue": v} for k, v in sorted(key.tags.items())]
        page, more = self.page(ctx, tags, f"tags:{key.key_id}")
        return {"Tags": page, **more}

    # -- key policies -----------------------------------------------------------------------
    def get_key_policy(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        name = ctx.params.get("PolicyName") or "default"
        if name != "default":
            raise errors.not_found(f"Key policy {name} does not exist.")  # exact wording unknown
        return {"Policy": key.policy, "PolicyName": "default"}

    def put_key_policy(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.not_pending_deletion(self.customer_key(ctx))
        if (ctx.params.get("PolicyName") or "default") != "default":
            raise errors.not_found(f"Key policy {ctx.params['PolicyName']} does not exist.")
        _check_policy(ctx.params["Policy"])
        key.policy = ctx.params["Policy"]
        return {}

    def list_key_policies(self, ctx: RequestContext) -> dict[str, Any]:
        self.key(ctx)
        return {"PolicyNames": ["default"], "Truncated": False}

    # -- rotation ---------------------------------------------------------------------------
    def _rotatable(self, ctx: RequestContext) -> Key:
        key = self.customer_key(ctx)
        if key.state in ("PendingDeletion", "PendingImport", "Disabled"):
            raise errors.invalid_state(key.arn, key.state) if key.state != "Disabled" else errors.disabled(key.arn)
        if key.key_spec != crypto.SYMMETRIC or key.custom_key_store_id:
            raise errors.unsupported(f"{key.arn} does not support automatic or on-demand rotation.")
        return key

    def enable_key_rotation(self, ctx: RequestContext) -> dict[str, Any]:
        key = self._rotatable(ctx)
        if key.origin == "EXTERNAL":
            raise errors.unsupported(f"{key.arn} origin is EXTERNAL which is not valid for this operation.")
        period = ctx.params.get("RotationPeriodInDays") or DEFAULT_ROTATION_DAYS
        if not 90 <= period <= 2560:
            raise errors.validation("RotationPeriodInDays must be between 90 and 2560.")
        with self.store.lock:
            key.rotation_enabled, key.rotation_period = True, period
            key.next_rotation = ctx.clock.now() + period * DAY
            self.watch(key)
        return {}

    def disable_key_rotation(self, ctx: RequestContext) -> dict[str, Any]:
        key = self._rotatable(ctx)
        with self.store.lock:
            key.rotation_enabled, key.next_rotation = False, None
        return {}

    def get_key_rotation_status(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        out: dict[str, Any] = {"KeyRotationEnabled": key.rotation_enabled, "KeyId": key.arn}
        if key.rotation_enabled:
            out.update(RotationPeriodInDays=key.rotation_period, NextRotationDate=timestamp(key.next_rotation))
        if key.on_demand_started is not None:
            out["OnDemandRotationStartDate"] = timestamp(key.on_demand_started)
        return out

    def rotate_key_on_demand(self, ctx: RequestContext) -> dict[str, Any]:
        key = self._rotatable(ctx)
        with self.store.lock:
            if sum(1 for m in key.materials if m.rotation_type == "ON_DEMAND") >= MAX_ON_DEMAND_ROTATIONS:
                raise AWSError("LimitExceededException",
                               f"{key.arn} has reached the limit of {MAX_ON_DEMAND_ROTATIONS} on-demand rotations.")
            now = ctx.clock.now()
            if key.origin == "EXTERNAL":
                raise errors.unsupported("Import new key material before rotating a key with imported material.")
            secret = crypto.new_material(key.key_spec)
            key.materials.append(KeyMaterial(crypto.material_id(secret), secret, now, "ON_DEMAND"))
            key.on_demand_started = now
            self._sync_replicas(key)
        return {"KeyId": key.key_id}

    def list_key_rotations(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        if key.key_spec != crypto.SYMMETRIC:
            raise errors.unsupported(f"{key.arn} does not support rotation.")
        everything = ctx.params.get("IncludeKeyMaterial") == "ALL_KEY_MATERIAL"
        entries = []
        for material in key.materials:
            if material.rotation_type is None and not everything:
                continue
            entry: dict[str, Any] = {"KeyId": key.key_id, "KeyMaterialId": material.material_id,
                                     "KeyMaterialState": "CURRENT" if material is key.current else "NON_CURRENT"}
            if material.rotation_type:
                entry.update(RotationDate=timestamp(material.created), RotationType=material.rotation_type)
            if material.imported:
                entry.update(ImportState="IMPORTED", ExpirationModel=key.expiration_model or "KEY_MATERIAL_DOES_NOT_EXPIRE")
            entries.append(entry)
        page, more = self.page(ctx, entries, f"rotations:{key.key_id}")
        return {"Rotations": page, **more}

    # -- multi-Region keys --------------------------------------------------------------------
    def replicate_key(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        region = ctx.params["ReplicaRegion"]
        if not key.multi_region or key.primary_region != key.region:
            raise errors.unsupported(f"{key.arn} is not a multi-Region primary key.")
        if region == key.region:
            raise errors.validation(f"The replica region {region} is the region of the primary key.")
        target = self.store.get(key.account_id, region)
        with self.store.lock:
            if key.key_id in target.keys:
                raise AWSError("AlreadyExistsException", f"Replica key {key.key_id} already exists in {region}.")
            replica = copy.deepcopy(key)
            replica.region, replica.arn = region, self.key_arn(ctx, key.key_id, region, key.account_id)
            replica.replica_regions, replica.created = [], ctx.clock.now()
            replica.rotation_enabled, replica.next_rotation = False, None  # the primary rotates; replicas follow
            if ctx.params.get("Description") is not None:
                replica.description = ctx.params["Description"]
            if ctx.params.get("Policy") is not None:
                _check_policy(ctx.params["Policy"])
                replica.policy = ctx.params["Policy"]
            replica.tags = _tags(ctx.params.get("Tags") or [])
            if replica.state not in ("Enabled", "Disabled", "PendingImport"):
                replica.state = "Enabled"
            target.put(replica)
            key.replica_regions.append(region)
        return {"ReplicaKeyMetadata": self.metadata(ctx, replica), "ReplicaPolicy": replica.policy,
                "ReplicaTags": [{"TagKey": k, "TagValue": v} for k, v in replica.tags.items()]}

    def update_primary_region(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        new_primary = ctx.params["PrimaryRegion"]
        if not key.multi_region:
            raise errors.unsupported(f"{key.arn} is not a multi-Region key.")
        old_region = key.primary_region or key.region
        primary = self.store.get(key.account_id, old_region).keys.get(key.key_id)
        if primary is None or new_primary not in primary.replica_regions:
            raise errors.not_found(f"There is no replica of {key.key_id} in {new_primary}.")
        with self.store.lock:
            regions = [old_region, *primary.replica_regions]
            for region in regions:
                member = self.store.get(key.account_id, region).keys.get(key.key_id)
                if member is not None:
                    member.primary_region = new_primary
                    member.replica_regions = [r for r in regions if r != new_primary] if region == new_primary else []
        return {}

    # -- last usage --------------------------------------------------------------------------
    def get_key_last_usage(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        out: dict[str, Any] = {"KeyId": key.key_id, "KeyCreationDate": timestamp(key.created),
                               "TrackingStartDate": timestamp(key.created)}
        if key.last_used is not None:
            out["KeyLastUsage"] = {"Operation": key.last_used[1], "Timestamp": timestamp(key.last_used[0])}
        return out


def _tags(tags: list[dict[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in tags:
        out[tag["TagKey"]] = tag.get("TagValue", "")
    if len(out) > MAX_TAGS:
        raise AWSError("TagException", f"A KMS key can have at most {MAX_TAGS} tags.")
    return out


def _check_policy(policy: str) -> None:
    try:
        doc = json.loads(policy)
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("Statement"), (list, dict)):
        # AWS's exact wording for a syntax error is not documented.
        raise AWSError("MalformedPolicyDocumentException", "The key policy is not a valid JSON policy document.")
