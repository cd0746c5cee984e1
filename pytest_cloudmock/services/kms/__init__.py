"""AWS KMS, in-process, with real cryptography: symmetric, RSA, ECC, Ed25519, ML-DSA and
HMAC keys, key states on the gateway clock, aliases, grants, rotation, multi-Region keys,
imported key material and custom key stores.

Other services use KMS through `pytest_cloudmock.services.kms.api` (registry calls only).
See `docs/services/kms.md`.
"""

from __future__ import annotations

from .aliases import AliasOperations
from .grants import GrantOperations
from .imports import ImportOperations
from .keys import KeyOperations
from .keystores import KeyStoreOperations
from .operations import CryptoOperations
from .state import Key, KmsState


class KmsService(KeyOperations, CryptoOperations, AliasOperations, GrantOperations, ImportOperations,
                 KeyStoreOperations):
    """The KMS service: every operation of the 2014-11-01 API."""


SERVICE = KmsService

__all__ = ["Key", "KmsService", "KmsState", "SERVICE"]
