"""The way into the state both SES APIs share: SES-1's core (`pytest_cloudmock/services/ses/`).

Identities, templates, configuration sets, the account's sending settings, the
suppression list and the captured mail live once, in the `ses` service's store
(`ses.shared`); the v2 API reads and writes them there (never a copy), and sends through
its one sending path. Locks are always taken in one order: the core's, then this service's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ...api import RequestContext
from ..ses import shared
from .base import SesV2Base

if TYPE_CHECKING:
    from ..ses.base import SesBase
    from ..ses.state import SesState


class SharedCore(SesV2Base):
    @staticmethod
    def ses(ctx: RequestContext) -> SesBase:
        """The SES (v1) service object: identity helpers, the capture, `verify()`."""
        return shared.core(ctx)

    @staticmethod
    def shared_state(ctx: RequestContext) -> SesState:
        """The shared SES state of the request (take `locked` around any use)."""
        return shared.state_for(ctx)

    @contextmanager
    def locked(self, ctx: RequestContext) -> Iterator[SesState]:
        """Both stores locked (the core's first); yields the shared state of the request."""
        with shared.lock(ctx), self.store.lock:
            yield shared.state_for(ctx)
