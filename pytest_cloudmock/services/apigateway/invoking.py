"""What both invoke sides (REST APIs here, HTTP and WebSocket APIs in `apigatewayv2`) keep:
the authorizers' caches, and finding an API id in whichever account and region made it."""

from __future__ import annotations

from typing import Any, ClassVar

from .authorizers import DecisionCache
from .crud import Tables
from .jwt import JwksCache


class InvokeSide:
    """A mixin: `jwks` and `decisions` caches cleared on reset, and `find_api`."""

    #: The collection the service's APIs live in (`/restapis`, `/v2/apis`).
    apis_table: ClassVar[str]
    store: Any

    def __init__(self) -> None:
        super().__init__()
        self.jwks = JwksCache()
        self.decisions = DecisionCache()

    def reset(self) -> None:
        self.jwks.clear()
        self.decisions.clear()
        super().reset()  # type: ignore[misc]

    def find_api(self, api_id: str) -> tuple[str, str, Tables] | None:
        """(account, region, state) of an API id, in any account and region (the public
        endpoint's requests are unsigned)."""
        for (account, region), state in self.store.partitions():
            if api_id in state.find(self.apis_table, ()):
                return account, region, state
        return None
