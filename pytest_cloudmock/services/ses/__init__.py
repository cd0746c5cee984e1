"""Amazon SES (the v1 `ses` API, query protocol) and the SES core both SES APIs share.

One `SesState` per account and region (state.py) holds identities, templates,
configuration sets, the account's sending settings, the suppression list, receipt rules
and the captured mail; SES v2 (`services/sesv2/`) reaches it through `shared.py`
(`state_for(ctx)`, `send(ctx, OutgoingMessage)`). Tests read the mail with
`cloudmock.ses.messages()`. See docs/services/ses.md.
"""

from __future__ import annotations

from .config_sets import ConfigurationSetOperations
from .identities import IdentityOperations
from .receipt import ReceiptOperations
from .sending import OutgoingMessage
from .sending_ops import SendingOperations
from .state import SentMessage, SesState
from .templates import TemplateOperations


class SesService(IdentityOperations, SendingOperations, TemplateOperations, ConfigurationSetOperations,
                 ReceiptOperations):
    """The SES v1 service: every operation of the 2010-12-01 API."""


SERVICE = SesService

__all__ = ["OutgoingMessage", "SERVICE", "SentMessage", "SesService", "SesState"]
