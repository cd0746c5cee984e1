"""Amazon SES API v2 (`sesv2`, rest-json), in-process. See `docs/services/sesv2.md`.

What both SES APIs share (identities, templates, configuration sets, account settings, the
suppression list, sending and the captured mail) is SES's core in `services/ses/`, reached
through `shared.py`; this package keeps only what v2 alone has (`state.py`).
"""

from __future__ import annotations

from .account import AccountOperations
from .dedicated_ips import DedicatedIpOperations
from .deliverability import DeliverabilityOperations
from .identities import IdentityOperations
from .jobs import JobOperations
from .sending import SendingOperations
from .tags import TagOperations
from .templates import TemplateOperations


class SesV2Service(SendingOperations, JobOperations, IdentityOperations, TemplateOperations, AccountOperations,
                   DedicatedIpOperations, DeliverabilityOperations, TagOperations):
    """The SES v2 service: every operation of the model."""


SERVICE = SesV2Service

__all__ = ["SERVICE", "SesV2Service"]
