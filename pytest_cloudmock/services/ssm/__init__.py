"""AWS Systems Manager, in-process: Parameter Store in full (SecureString through KMS), documents
stored and versioned, the other SSM areas answered with a stored, minimal answer.
See `docs/services/ssm.md`."""

from __future__ import annotations

from .documents import DocumentOperations
from .state import Document, Parameter, ParameterVersion, SsmState


class SsmService(DocumentOperations):
    """The SSM service: every operation of the 2014-11-06 API answered."""


SERVICE = SsmService

__all__ = ["Document", "Parameter", "ParameterVersion", "SERVICE", "SsmService", "SsmState"]
