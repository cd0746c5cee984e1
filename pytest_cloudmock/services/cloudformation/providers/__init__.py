"""CloudFormation resource providers: one per resource type, found by `provider_for`.

Each provider module is imported only when a template first asks for one of its types.
Types not served by a Tier 1 provider fall back to the generic provider of the stub
catalog (`stub.py`) when the catalog declares the resource.
"""

from __future__ import annotations

import importlib
import threading

from .base import Created, ProviderContext, ResourceProvider

__all__ = ["Created", "ProviderContext", "ResourceProvider", "provider_for", "supported_types"]

#: type name -> (module in this package, class name)
PROVIDERS: dict[str, tuple[str, str]] = {
    "AWS::S3::Bucket": ("s3", "BucketProvider"),
    "AWS::S3::BucketPolicy": ("s3", "BucketPolicyProvider"),
    "AWS::SQS::Queue": ("sqs", "QueueProvider"),
    "AWS::SQS::QueuePolicy": ("sqs", "QueuePolicyProvider"),
}

_made: dict[str, ResourceProvider] = {}
_lock = threading.Lock()


def provider_for(type_name: str) -> ResourceProvider | None:
    """The provider of `type_name` (`AWS::SQS::Queue`), or None when no provider serves it."""
    found = _made.get(type_name)
    if found is not None:
        return found
    with _lock:
        if type_name not in _made:
            made = _make(type_name)
            if made is None:
                return None
            _made[type_name] = made
        return _made[type_name]


def _make(type_name: str) -> ResourceProvider | None:
    entry = PROVIDERS.get(type_name)
    if entry is not None:
        module = importlib.import_module(f"{__name__}.{entry[0]}")
        return getattr(module, entry[1])()
    return None


def supported_types() -> list[str]:
    """The types with a Tier 1 provider (stub-catalog types are found on demand)."""
    return sorted(PROVIDERS)
