"""Replication to other regions: replicas are read-only copies, re-encrypted with a KMS key of
their own region, kept in step with the primary; a replica can be promoted to stand alone."""

from __future__ import annotations

import copy
from typing import Any

from ...api import RequestContext
from . import errors
from .base import SecretsBase
from .state import Secret


class ReplicationOperations(SecretsBase):

    def replicate_secret_to_regions(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.writable(ctx)
        status = self.replicate(ctx, secret, ctx.params["AddReplicaRegions"],
                                bool(ctx.params.get("ForceOverwriteReplicaSecret")))
        return {"ARN": secret.arn, "ReplicationStatus": status}

    def replicate(self, ctx: RequestContext, secret: Secret, regions: list[dict[str, Any]],
                  overwrite: bool) -> list[dict[str, Any]]:
        statuses = []
        for spec in regions:
            region = spec.get("Region")
            if not region:
                raise errors.invalid_parameter("A replica region must be specified.")
            if region == ctx.region:
                raise errors.invalid_parameter("Invalid replica region: the primary region can't be a replica region.")
            key = spec.get("KmsKeyId") or self.kms_key(secret)
            existing = self.find(ctx, secret.name, region)
            if existing is not None and not overwrite and existing.primary_region != ctx.region:
                statuses.append({"Region": region, "KmsKeyId": key, "Status": "Failed",
                                 "StatusMessage": "Replication failed: Secret name simple already exists in region."})
                continue
            with self.store.lock:
                secret.replicas[region] = key
                secret.primary_region = ctx.region
            self._copy_to(ctx, secret, region, key)
            statuses.append({"Region": region, "KmsKeyId": key, "Status": "InSync",
                             "StatusMessage": "Replication succeeded"})
        return statuses

    def _copy_to(self, ctx: RequestContext, secret: Secret, region: str, key: str) -> None:
        replica = copy.deepcopy(secret)
        replica.arn = secret.arn.replace(f":{ctx.region}:", f":{region}:", 1)
        replica.replicas, replica.primary_region, replica.kms_key_id = {}, ctx.region, key
        for version_id, version in replica.versions.items():
            if version.blob is not None:
                plaintext = self.open(ctx, secret, secret.versions[version_id])
                version.blob = self.seal(ctx, replica, version_id, plaintext, region=region, key=key)
                version.kms_key_id = key
        with self.store.lock:
            self.store.get(ctx.account_id, region).put(replica)

    def sync_replicas(self, ctx: RequestContext, secret: Secret) -> None:
        """Bring every replica in step with its primary after a change."""
        for region, key in list(secret.replicas.items()):
            self._copy_to(ctx, secret, region, key)

    def remove_regions_from_replication(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.writable(ctx)
        regions = ctx.params["RemoveReplicaRegions"]
        with self.store.lock:
            for region in regions:
                if region not in secret.replicas:
                    continue
                del secret.replicas[region]
                self.store.get(ctx.account_id, region).remove(secret.name)
        status = [{"Region": r, "KmsKeyId": k, "Status": "InSync", "StatusMessage": "Replication succeeded"}
                  for r, k in secret.replicas.items()]
        return {"ARN": secret.arn, "ReplicationStatus": status}

    def stop_replication_to_replica(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        if not secret.primary_region or secret.primary_region == ctx.region:
            raise errors.invalid_request("This secret is not a replica secret.")
        primary = self.find(ctx, secret.name, secret.primary_region)
        with self.store.lock:
            if primary is not None:
                primary.replicas.pop(ctx.region, None)
                if not primary.replicas:
                    primary.primary_region = None
            secret.primary_region = None
        return {"ARN": secret.arn}


