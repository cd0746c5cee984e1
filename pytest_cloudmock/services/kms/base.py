"""What every KMS operation needs: the store, key lookup by id, ARN or alias, the clock
events a key lives through (deletion, rotation, material expiry) and key metadata."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timezone
from typing import Any, ClassVar

from ...api import RequestContext
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from . import crypto, errors
from .state import Alias, Key, KeyMaterial, KmsState

DAY = 86400.0
DEFAULT_ROTATION_DAYS = 365
#: Operations that accept an alias name or alias ARN as `KeyId` (AWS's list).
ALIAS_OPERATIONS = frozenset({
    "DescribeKey", "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "Sign",
    "Verify", "GetPublicKey", "DeriveSharedSecret",
})


def timestamp(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)


def default_policy(account_id: str, partition: str = "aws") -> str:
    """The default key policy: the account's root has full access (IAM policies then apply)."""
    return json.dumps({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }],
    }, indent=2)


class KmsBase(ModelService):
    """Store, lookups and metadata shared by the KMS operation groups."""

    name: ClassVar[str] = "kms"

    def __init__(self) -> None:
        self.store: Store[KmsState] = Store(KmsState)

    # -- addresses ----------------------------------------------------------------------
    @staticmethod
    def key_arn(ctx: RequestContext, key_id: str, region: str | None = None, account: str | None = None) -> str:
        return f"arn:{ctx.partition}:kms:{region or ctx.region}:{account or ctx.account_id}:key/{key_id}"

    @staticmethod
    def alias_arn(ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:kms:{ctx.region}:{ctx.account_id}:{name}"

    # -- lookup -------------------------------------------------------------------------
    def key(self, ctx: RequestContext, key_id: str | None = None, *, operation: str | None = None) -> Key:
        """The key `KeyId` names (id, key ARN, and for some operations alias name or ARN),
        after the clock events due on it; `NotFoundException` if there is none."""
        key_id = key_id if key_id is not None else ctx.params.get("KeyId") or ""
        operation = operation or ctx.operation
        account, region, ref = ctx.account_id, ctx.region, key_id
        if key_id.startswith("arn:"):
            parts = key_id.split(":", 5)
            if len(parts) != 6 or parts[2] != "kms" or not (parts[5].startswith("key/") or parts[5].startswith("alias/")):
                raise errors.invalid_key_id(key_id)
            region, account, ref = parts[3], parts[4], parts[5]
        state = self.store.get(account, region)
        if ref.startswith("alias/"):
            if operation not in ALIAS_OPERATIONS:
                raise errors.invalid_key_id(key_id)
            target = self.alias_target(ctx, state, ref, account, region)
            ref = target
        elif ref.startswith("key/"):
            ref = ref[4:]
        now = ctx.clock.now()
        with self.store.lock:
            key = state.keys.get(ref)
            if key is not None:
                key = self.tick(state, key, now)
        if key is None:
            raise errors.key_not_found(self.key_arn(ctx, ref, region, account))
        return key

    def alias_target(self, ctx: RequestContext, state: KmsState, name: str, account: str, region: str) -> str:
        """The key id an alias points to; AWS managed aliases make their key on first use."""
        alias = state.aliases.get(name)
        if alias is None and name.startswith("alias/aws/") and account == ctx.account_id:
            return self.managed_key(ctx, state, name).key_id
        if alias is None:
            raise errors.alias_not_found(f"arn:{ctx.partition}:kms:{region}:{account}:{name}")
        return alias.target_key_id

    def managed_key(self, ctx: RequestContext, state: KmsState, alias_name: str) -> Key:
        """The AWS managed key behind `alias/aws/<service>`, created the first time it is used."""
        with self.store.lock:
            alias = state.aliases.get(alias_name)
            if alias is not None and alias.target_key_id in state.keys:
                return state.keys[alias.target_key_id]
            service = alias_name.split("/", 2)[2]
            key = self.new_key(ctx, crypto.SYMMETRIC, "ENCRYPT_DECRYPT", key_manager="AWS",
                               # AWS's exact description text varies by service.
                               description=f"Default key that protects my {service} data when no other key is defined")
            now = ctx.clock.now()
            state.put(key)
            state.put_alias(Alias(alias_name, key.key_id, now, now))
            return key

    def new_key(self, ctx: RequestContext, spec: str, usage: str, *, key_manager: str = "CUSTOMER",
                description: str = "", origin: str = "AWS_KMS", multi_region: bool = False) -> Key:
        key_id = f"mrk-{uuid.uuid4().hex}" if multi_region else str(uuid.uuid4())
        now = ctx.clock.now()
        key = Key(key_id=key_id, arn=self.key_arn(ctx, key_id), account_id=ctx.account_id, region=ctx.region,
                  created=now, key_spec=spec, key_usage=usage, description=description, origin=origin,
                  key_manager=key_manager, policy=default_policy(ctx.account_id, ctx.partition),
                  state="PendingImport" if origin == "EXTERNAL" else "Enabled", multi_region=multi_region,
                  primary_region=ctx.region if multi_region else None)
        if origin != "EXTERNAL":
            secret = crypto.new_material(spec)
            key.materials.append(KeyMaterial(crypto.material_id(secret), secret, now))
        if key_manager == "AWS":  # AWS managed keys rotate every year, always
            key.rotation_enabled, key.rotation_period = True, DEFAULT_ROTATION_DAYS
            key.next_rotation = now + DEFAULT_ROTATION_DAYS * DAY
        return key

    # -- the clock ----------------------------------------------------------------------
    def watch(self, key: Key) -> None:
        """Note that the clock may change `key` (ListKeys ticks such keys only)."""
        self.store.get(key.account_id, key.region).timed.add(key.key_id)

    def tick(self, state: KmsState, key: Key, now: float) -> Key | None:
        """Apply what the clock has made due (call with the store lock held): a key past
        its deletion date is gone, rotations happen, imported material expires."""
        if key.state == "PendingDeletion" and key.deletion_date is not None and now >= key.deletion_date:
            state.remove(key.key_id)  # its aliases too
            for grant_id in [g for g, grant in state.grants.items() if grant.key_id == key.key_id]:
                del state.grants[grant_id]
            return None
        while key.rotation_enabled and key.next_rotation is not None and now >= key.next_rotation and key.materials:
            when = key.next_rotation
            secret = crypto.new_material(key.key_spec)
            key.materials.append(KeyMaterial(crypto.material_id(secret), secret, when, "AUTOMATIC"))
            key.next_rotation = when + (key.rotation_period or DEFAULT_ROTATION_DAYS) * DAY
            self._sync_replicas(key)
        if key.valid_to is not None and now >= key.valid_to and key.origin == "EXTERNAL":
            key.materials.clear()
            key.valid_to = None
            if key.state in ("Enabled", "Disabled"):
                key.state = "PendingImport"
        return key

    def _sync_replicas(self, key: Key) -> None:
        """Give every replica of a multi-Region primary the primary's material (lock held)."""
        for region in key.replica_regions if key.multi_region else []:
            replica = self.store.get(key.account_id, region).keys.get(key.key_id)
            if replica is not None:
                replica.materials = copy.deepcopy(key.materials)

    def usable(self, key: Key) -> Key:
        """The key, if its state allows cryptographic operations; AWS's error otherwise."""
        if key.state == "Enabled":
            return key
        if key.state == "Disabled":
            raise errors.disabled(key.arn)
        raise errors.invalid_state(key.arn, key.state)

    def for_usage(self, key: Key, usage: str, operation: str) -> Key:
        self.usable(key)
        if key.key_usage != usage:
            raise errors.invalid_usage(key.arn, key.key_usage, operation)
        return key

    @staticmethod
    def mark_used(ctx: RequestContext, key: Key) -> None:
        key.last_used = (ctx.clock.now(), ctx.operation)

    def not_pending_deletion(self, key: Key) -> Key:
        if key.state == "PendingDeletion":
            raise errors.invalid_state(key.arn, key.state)
        return key

    @staticmethod
    def check_dry_run(ctx: RequestContext) -> None:
        if ctx.params.get("DryRun"):
            raise errors.dry_run()

    # -- rendering ----------------------------------------------------------------------
    def metadata(self, ctx: RequestContext, key: Key) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "AWSAccountId": key.account_id,
            "KeyId": key.key_id,
            "Arn": key.arn,
            "CreationDate": timestamp(key.created),
            "Enabled": key.state == "Enabled",
            "Description": key.description,
            "KeyUsage": key.key_usage,
            "KeyState": key.state,
            "Origin": key.origin,
            "KeyManager": key.key_manager,
            "CustomerMasterKeySpec": key.key_spec,
            "KeySpec": key.key_spec,
            "MultiRegion": key.multi_region,
        }
        optional = {
            "EncryptionAlgorithms": crypto.encryption_algorithms(key.key_spec, key.key_usage),
            "SigningAlgorithms": crypto.signing_algorithms(key.key_spec, key.key_usage),
            "MacAlgorithms": crypto.mac_algorithms(key.key_spec),
            "KeyAgreementAlgorithms": crypto.key_agreement_algorithms(key.key_usage),
            "DeletionDate": timestamp(key.deletion_date),
            "PendingDeletionWindowInDays": key.pending_window,
            "ValidTo": timestamp(key.valid_to),
            "ExpirationModel": key.expiration_model,
            "CustomKeyStoreId": key.custom_key_store_id,
            "CurrentKeyMaterialId": key.current.material_id if key.current and key.key_spec == crypto.SYMMETRIC else None,
        }
        meta.update({k: v for k, v in optional.items() if v not in (None, [])})
        if key.multi_region:
            meta["MultiRegionConfiguration"] = self.multi_region_configuration(ctx, key)
        return meta

    def multi_region_configuration(self, ctx: RequestContext, key: Key) -> dict[str, Any]:
        primary_region = key.primary_region or key.region
        primary = self.store.get(key.account_id, primary_region).keys.get(key.key_id)
        replicas = primary.replica_regions if primary is not None else []
        arn = lambda region: self.key_arn(ctx, key.key_id, region, key.account_id)  # noqa: E731
        return {
            "MultiRegionKeyType": "PRIMARY" if primary_region == key.region else "REPLICA",
            "PrimaryKey": {"Arn": arn(primary_region), "Region": primary_region},
            "ReplicaKeys": [{"Arn": arn(r), "Region": r} for r in replicas],
        }

    @staticmethod
    def page(ctx: RequestContext, items: list[Any], scope: str) -> tuple[list[Any], dict[str, Any]]:
        """A `Limit`/`Marker` page and the `NextMarker`/`Truncated` members."""
        page, marker = offset_page(items, ctx.params.get("Marker"), ctx.params.get("Limit"),
                                   bad_token=errors.invalid_marker, default_limit=100, scope=scope)
        return page, ({"NextMarker": marker, "Truncated": True} if marker else {"Truncated": False})

