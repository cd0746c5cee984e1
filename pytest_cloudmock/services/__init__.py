"""Built-in Tier 1 services: each module here with a `SERVICE` class is one service.

Discovery lists module names only (no import); a service's module is imported
the first time a request or a test asks for it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import lru_cache

from ..api import Service

_NOT_SERVICES = {"base"}


@lru_cache(maxsize=1)
def builtin_names() -> tuple[str, ...]:
    """Names of the built-in services (module names, which are botocore service names)."""
    return tuple(
        sorted(
            m.name for m in pkgutil.iter_modules(__path__)
            if not m.name.startswith("_") and m.name not in _NOT_SERVICES
        )
    )


def builtin_factory(name: str) -> Callable[[], Service]:
    """A factory that imports the service's module on first call and makes the service."""

    def make() -> Service:
        module = importlib.import_module(f"{__name__}.{name}")
        return module.SERVICE()

    return make
