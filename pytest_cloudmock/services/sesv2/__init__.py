"""Amazon SES API v2 (`sesv2`), in-process. See `docs/services/sesv2.md`."""

from __future__ import annotations

from .contacts import ContactOperations
from .dedicated_ips import DedicatedIpOperations
from .deliverability import DeliverabilityOperations
from .endpoints import EndpointOperations
from .jobs import JobOperations
from .tags import TagOperations


class SesV2Service(ContactOperations, DedicatedIpOperations, DeliverabilityOperations, EndpointOperations,
                   TagOperations, JobOperations):
    """The SES v2 service: every operation of the model."""


SERVICE = SesV2Service

__all__ = ["SERVICE", "SesV2Service"]
