"""AWS Secrets Manager, in-process: secrets encrypted through KMS, versions and staging labels,
recovery windows on the gateway clock, rotation through the registered Lambda service,
replication, resource policies. See `docs/services/secretsmanager.md`."""

from __future__ import annotations

from .replication import ReplicationOperations
from .rotation import RotationOperations
from .secrets import SecretOperations
from .state import Secret, SecretsState, Version


class SecretsManagerService(SecretOperations, RotationOperations, ReplicationOperations):
    """The Secrets Manager service: every operation of the 2017-10-17 API."""


SERVICE = SecretsManagerService

__all__ = ["SERVICE", "Secret", "SecretsManagerService", "SecretsState", "Version"]
