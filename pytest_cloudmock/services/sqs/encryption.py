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

_CODES = {"Throttling": "KmsThrottled"}  # the rest are Kms<condition>


def check_key(ctx: RequestContext, queue: Queue) -> None:
    """Raise the SQS Kms* error AWS gives when the queue's KMS key cannot encrypt (or decrypt)."""
    key_id = queue.attributes.get("KmsMasterKeyId")
    if not key_id:
        return
    from ..kms import api as kms_api  # KMS (and its crypto) loads only for encrypted queues

    problem = kms_api.key_problem(ctx, key_id, queue.account_id, queue.region)
    if problem is not None:
        condition, message = problem
        raise AWSError(_CODES.get(condition, f"Kms{condition}"), message)
