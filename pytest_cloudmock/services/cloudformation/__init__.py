"""AWS CloudFormation, in-process: stacks deployed into the gateway's own services.

Templates (JSON/YAML, SAM, language extensions) are evaluated by the engine and each
resource is made by the provider of its type (providers/), calling our services through
the registry. See `docs/services/cloudformation.md`.
"""

from __future__ import annotations

from .service import CloudFormationService
from .state import CfnState, Stack

SERVICE = CloudFormationService

__all__ = ["SERVICE", "CfnState", "CloudFormationService", "Stack"]
