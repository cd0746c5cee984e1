"""Server-side encryption with KMS: the key is verified through the gateway's `kms` service."""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from ..kms import api as kms_api
from .base import KinesisBase

_KMS_CODES = {
    "NotFoundException": "KMSNotFoundException",
    "DisabledException": "KMSDisabledException",
    "KMSInvalidStateException": "KMSInvalidStateException",
    "AccessDeniedException": "KMSAccessDeniedException",
    "ThrottlingException": "KMSThrottlingException",
}


class EncryptionOperations(KinesisBase):
    @staticmethod
    def check_key(ctx: RequestContext, key_id: str) -> dict[str, Any]:
        """KMS's metadata of a usable key; else Kinesis's `KMS...Exception` for what KMS says."""
        try:
            meta = kms_api.describe_key(ctx, key_id)
        except AWSError as exc:
            raise AWSError(_KMS_CODES.get(exc.code, "KMSAccessDeniedException"), exc.message) from None
        state = meta.get("KeyState")
        if state == "Disabled":
            raise AWSError("KMSDisabledException", f"The KMS key {meta['Arn']} is disabled.")  # ours
        if state != "Enabled":
            raise AWSError("KMSInvalidStateException", f"The KMS key {meta['Arn']} is {state}.")  # ours
        return meta

    def start_stream_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        key_id = ctx.params["KeyId"]
        with self.store.lock:
            self.stream(ctx)
        self.check_key(ctx, key_id)
        with self.store.lock:
            stream = self.stream(ctx)
            stream.encryption, stream.key_id = "KMS", key_id
        return {}

    def stop_stream_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            stream.encryption, stream.key_id = "NONE", None
        return {}
