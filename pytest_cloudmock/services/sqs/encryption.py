"""SSE-KMS queues: the key in `KmsMasterKeyId` is checked with KMS on every send and receive.

AWS accepts any `KmsMasterKeyId` when a queue is created or changed and finds out
that the key is missing, disabled or of the wrong kind only when it needs a data key,
so this asks KMS (`DescribeKey`, through the registry, in the queue owner's account and
region) at that moment. The Kms* codes are the model's; AWS's messages for them are not
documented, so KMS's own message is passed on.
"""

from __future__ import annotations

from ...api import AWSError, RequestContext
from .state import Queue

# KMS error code -> SQS error code
_KMS_ERRORS = {
    "NotFoundException": "KmsNotFound",
    "NotFound": "KmsNotFound",
    "AccessDeniedException": "KmsAccessDenied",
    "DisabledException": "KmsDisabled",
    "KMSInvalidStateException": "KmsInvalidState",
    "InvalidKeyUsageException": "KmsInvalidKeyUsage",
    "ThrottlingException": "KmsThrottled",
}


def check_key(ctx: RequestContext, queue: Queue) -> None:
    """Raise the SQS Kms* error AWS gives when the queue's KMS key cannot encrypt (or decrypt)."""
    key_id = queue.attributes.get("KmsMasterKeyId")
    if not key_id or ctx.registry is None or ctx.registry.get("kms") is None:
        return
    try:
        metadata = ctx.registry.call("kms", "DescribeKey", {"KeyId": key_id}, account_id=queue.account_id,
                                     region=queue.region, caller=ctx)["KeyMetadata"]
    except AWSError as err:
        raise AWSError(_KMS_ERRORS.get(err.code, "KmsNotFound"), err.message or f"Invalid keyId {key_id}") from None
    state = metadata.get("KeyState")
    if state == "Disabled":
        raise AWSError("KmsDisabled", f"{metadata.get('Arn', key_id)} is disabled.")
    if state != "Enabled":
        raise AWSError("KmsInvalidState", f"{metadata.get('Arn', key_id)} is {state}.")
    if metadata.get("KeyUsage") != "ENCRYPT_DECRYPT" or metadata.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        raise AWSError("KmsInvalidKeyUsage", f"{metadata.get('Arn', key_id)} cannot be used for encryption.")
