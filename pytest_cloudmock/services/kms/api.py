"""How other services use KMS: envelope encryption through the registry, never KMS's internals.

    blob = kms_api.encrypt_for(ctx, key_id, plaintext, {"SecretARN": arn})
    plaintext = kms_api.decrypt_for(ctx, blob, {"SecretARN": arn})

A data key comes from KMS `GenerateDataKey` and is kept only encrypted inside the blob;
decrypting asks KMS `Decrypt` for it again, so a disabled, pending-deletion or deleted key
makes the calling service fail at that moment, as on AWS. KMS's own `AWSError` is raised
as it is; each caller turns it into its service's code (`EncryptionFailure`, `InvalidKeyId`).
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ...api import AWSError, RequestContext
from .crypto import canonical_context

_MAGIC = b"\x02cme"


def default_key(service: str) -> str:
    """The alias of a service's AWS managed key (`alias/aws/secretsmanager`), made on first use."""
    return f"alias/aws/{service}"


def _call(ctx: RequestContext, operation: str, params: dict, region: str | None) -> dict:
    if ctx.registry is None:
        raise AWSError("ServiceUnavailable", "KMS is not reachable outside a gateway", 503)
    return ctx.registry.call("kms", operation, params, account_id=ctx.account_id, region=region or ctx.region,
                             caller=ctx)


def describe_key(ctx: RequestContext, key_id: str, region: str | None = None) -> dict:
    """KMS's `KeyMetadata` of a key (id, ARN or alias)."""
    return _call(ctx, "DescribeKey", {"KeyId": key_id}, region)["KeyMetadata"]


# KMS error code -> the condition services name in their own Kms*/KMS* codes
_CONDITIONS = {
    "NotFoundException": "NotFound", "AccessDeniedException": "AccessDenied",
    "DisabledException": "Disabled", "KMSInvalidStateException": "InvalidState",
    "InvalidKeyUsageException": "InvalidKeyUsage", "ThrottlingException": "Throttling",
}


def key_problem(ctx: RequestContext, key_id: str, account_id: str, region: str) -> tuple[str, str] | None:
    """Why a symmetric encryption key cannot seal data now, as (condition, message), or None.

    Conditions: `NotFound`, `AccessDenied`, `Disabled`, `InvalidState`, `InvalidKeyUsage`,
    `Throttling`; each service names them in its own codes (SQS `KmsDisabled`, SNS
    `KMSDisabled`). Services that take any key id at configuration and find out when they
    need a data key (SQS, SNS) ask this at that moment. No KMS in the gateway: no problem.
    """
    if ctx.registry is None or ctx.registry.get("kms") is None:
        return None
    try:
        metadata = ctx.registry.call("kms", "DescribeKey", {"KeyId": key_id}, account_id=account_id,
                                     region=region, caller=ctx)["KeyMetadata"]
    except AWSError as err:
        return _CONDITIONS.get(err.code, "NotFound"), err.message or f"Invalid keyId {key_id}"
    arn, state = metadata.get("Arn", key_id), metadata.get("KeyState")
    if state == "Disabled":
        return "Disabled", f"{arn} is disabled."
    if state != "Enabled":
        return "InvalidState", f"{arn} is {state}."
    if metadata.get("KeyUsage") != "ENCRYPT_DECRYPT" or metadata.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        return "InvalidKeyUsage", f"{arn} cannot be used for encryption."
    return None


def encrypt_for(ctx: RequestContext, key_id: str, plaintext: bytes, context: dict[str, str],
                region: str | None = None) -> bytes:
    """`plaintext` sealed under a fresh data key from KMS key `key_id` (in `region`, default the
    request's), bound to `context`."""
    out = _call(ctx, "GenerateDataKey", {"KeyId": key_id, "KeySpec": "AES_256", "EncryptionContext": context},
                region)
    nonce = os.urandom(12)
    sealed = AESGCM(out["Plaintext"]).encrypt(nonce, plaintext, canonical_context(context))
    wrapped = out["CiphertextBlob"]
    return _MAGIC + struct.pack(">I", len(wrapped)) + wrapped + nonce + sealed


def decrypt_for(ctx: RequestContext, blob: bytes, context: dict[str, str], region: str | None = None) -> bytes:
    """The plaintext of a blob made by `encrypt_for` with the same `context`."""
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 4:
        raise AWSError("InvalidCiphertextException", "")
    (size,) = struct.unpack(">I", blob[len(_MAGIC):len(_MAGIC) + 4])
    start = len(_MAGIC) + 4
    wrapped, nonce, sealed = blob[start:start + size], blob[start + size:start + size + 12], blob[start + size + 12:]
    data_key = _call(ctx, "Decrypt", {"CiphertextBlob": wrapped, "EncryptionContext": context}, region)["Plaintext"]
    try:
        return AESGCM(data_key).decrypt(nonce, sealed, canonical_context(context))
    except InvalidTag:
        raise AWSError("InvalidCiphertextException", "") from None


def key_of(blob: bytes) -> str | None:
    """The KMS key id an `encrypt_for` blob was made with (None if it is not one)."""
    from .crypto import CryptoError, blob_header

    try:
        start = len(_MAGIC) + 4
        (size,) = struct.unpack(">I", blob[len(_MAGIC):start])
        return blob_header(blob[start:start + size])[0]
    except (CryptoError, struct.error):
        return None
