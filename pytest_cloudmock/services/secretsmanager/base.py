"""What every Secrets Manager operation needs: lookup by name or (partial) ARN, the clock
(recovery windows, rotation schedules), KMS envelope encryption and staging-label moves."""

from __future__ import annotations

import secrets as random_source
import string
import uuid
from datetime import datetime, timezone
from typing import Any, ClassVar

from ...api import AWSError, RequestContext
from ...store import Store
from ..base import ModelService
from ..kms import api as kms_api
from . import errors
from .state import Secret, SecretsState, Version

DAY = 86400.0
CURRENT, PREVIOUS, PENDING = "AWSCURRENT", "AWSPREVIOUS", "AWSPENDING"


def timestamp(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)


class SecretsBase(ModelService):
    name: ClassVar[str] = "secretsmanager"

    def __init__(self) -> None:
        self.store: Store[SecretsState] = Store(SecretsState)

    # -- lookup ---------------------------------------------------------------------------
    def find(self, ctx: RequestContext, secret_id: str, region: str | None = None) -> Secret | None:
        state = self.store.get(ctx.account_id, region or ctx.region)
        name = secret_id
        if secret_id.startswith("arn:"):
            parts = secret_id.split(":", 6)
            if len(parts) != 7 or parts[5] != "secret":
                return None
            name = parts[6]
            found = state.secrets.get(name[:-7])  # a full ARN: the name, "-" and 6 random characters
            if found is None or found.arn != secret_id:  # a partial ARN: the name without its random suffix
                found = state.secrets.get(name)
            if found is None:
                return None
            name = found.name
        now = ctx.clock.now()
        with self.store.lock:
            secret = state.secrets.get(name)
            if secret is not None and secret.deleted_date is not None and now >= secret.deleted_date:
                state.remove(name)
                return None
        if secret is not None:
            self.rotation_due(ctx, secret, now)
        return secret

    def secret(self, ctx: RequestContext, *, allow_deleted: bool = False) -> Secret:
        secret = self.find(ctx, ctx.params["SecretId"])
        if secret is None:
            raise errors.not_found()
        if secret.deleted_date is not None and not allow_deleted:
            raise errors.marked_for_deletion()
        return secret

    def writable(self, ctx: RequestContext) -> Secret:
        secret = self.secret(ctx)
        if secret.primary_region and secret.primary_region != ctx.region:
            raise errors.replica_read_only()
        return secret

    def rotation_due(self, ctx: RequestContext, secret: Secret, now: float) -> None:
        """Start a scheduled rotation whose time has come (rotation.py implements it)."""

    def arn(self, ctx: RequestContext, name: str, region: str | None = None) -> str:
        suffix = "".join(random_source.choice(string.ascii_letters + string.digits) for _ in range(6))
        return f"arn:{ctx.partition}:secretsmanager:{region or ctx.region}:{ctx.account_id}:secret:{name}-{suffix}"

    # -- values ---------------------------------------------------------------------------
    @staticmethod
    def kms_key(secret: Secret) -> str:
        return secret.kms_key_id or kms_api.default_key("secretsmanager")

    def seal(self, ctx: RequestContext, secret: Secret, version_id: str, value: str | bytes,
             region: str | None = None, key: str | None = None) -> bytes:
        payload = value if isinstance(value, bytes) else value.encode()
        context = {"SecretARN": secret.arn, "SecretVersionId": version_id}
        try:
            return kms_api.encrypt_for(ctx, key or self.kms_key(secret), payload, context, region)
        except AWSError as exc:
            raise errors.kms_failure("EncryptionFailure", exc) from None

    def open(self, ctx: RequestContext, secret: Secret, version: Version, region: str | None = None) -> bytes:
        assert version.blob is not None
        context = {"SecretARN": secret.arn, "SecretVersionId": version.version_id}
        try:
            return kms_api.decrypt_for(ctx, version.blob, context, region)
        except AWSError as exc:
            raise errors.kms_failure("DecryptionFailure", exc) from None

    def value_fields(self, ctx: RequestContext, secret: Secret, version: Version) -> dict[str, Any]:
        if version.blob is None:
            return {}
        plaintext = self.open(ctx, secret, version)
        return {"SecretBinary": plaintext} if version.binary else {"SecretString": plaintext.decode()}

    @staticmethod
    def check_value(params: dict[str, Any]) -> None:
        if params.get("SecretString") is not None and params.get("SecretBinary") is not None:
            raise errors.invalid_parameter(
                "You can't specify both a binary secret value and a string secret value in the same secret.")

    def new_version(self, ctx: RequestContext, secret: Secret, params: dict[str, Any],
                    stages: list[str]) -> tuple[Version, bool]:
        """A version from `SecretString`/`SecretBinary` and `ClientRequestToken` (sealed before
        any lock is taken); (version, True) when the token names an identical existing one."""
        version_id = params.get("ClientRequestToken") or str(uuid.uuid4())
        value = params.get("SecretBinary") if params.get("SecretBinary") is not None else params.get("SecretString")
        existing = secret.versions.get(version_id)
        if existing is not None:
            same = existing.blob is not None and value is not None and self.open(ctx, secret, existing) == (
                value if isinstance(value, bytes) else value.encode())
            if not same:
                raise AWSError("ResourceExistsException",
                               "You can't modify an existing version, you can only create a new version.")
            return existing, True
        blob = self.seal(ctx, secret, version_id, value) if value is not None else None
        return Version(version_id, blob, isinstance(value, bytes), ctx.clock.now(), [], self.kms_key(secret)), False

    @staticmethod
    def attach(secret: Secret, version: Version, stages: list[str]) -> None:
        """Add a version with `stages`, moving each label off any other version; moving
        `AWSCURRENT` leaves `AWSPREVIOUS` on the version that had it (lock held)."""
        secret.versions[version.version_id] = version
        for stage in stages:
            move_stage(secret, stage, version)


def move_stage(secret: Secret, stage: str, target: Version | None) -> None:
    """Put `stage` on `target` (None: take it off), keeping labels unique per secret."""
    holder = secret.version_with(stage)
    if holder is target:
        return
    if holder is not None:
        holder.stages.remove(stage)
    if target is not None:
        target.stages.append(stage)
    if stage == CURRENT and holder is not None and target is not None:
        move_stage(secret, PREVIOUS, holder)
    # versions left without any label are deprecated; AWS keeps a bounded number of them
    for version_id in [v for v, ver in secret.versions.items() if not ver.stages][:-100 or None]:
        del secret.versions[version_id]
