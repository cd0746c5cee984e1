"""The CloudFormation service: every operation of the 2010-05-15 API."""

from __future__ import annotations

from .changesets import ChangeSetOperations
from .drift import DriftOperations
from .registry_ops import RegistryOperations
from .stacks import StackOperations
from .stacksets import StackSetOperations
from .templates import TemplateOperations


class CloudFormationService(StackOperations, ChangeSetOperations, DriftOperations, StackSetOperations,
                            TemplateOperations, RegistryOperations):
    """Stacks, change sets, drift, stack sets, template validation and the (stored) registry operations."""
