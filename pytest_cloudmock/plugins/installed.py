"""The installed distributions' entry points, scanned once per `sys.path`.

A scan reads every installed distribution's metadata (~10 ms with a few hundred);
a gateway's start reads two groups (`cloudmock.services`, `cloudmock.interceptors`).
A changed `sys.path` (a distribution added to it) scans again.
"""

from __future__ import annotations

import sys
import threading
from importlib import metadata

_lock = threading.Lock()
_scanned: tuple[tuple[str, ...], metadata.EntryPoints] | None = None


def entry_points(group: str) -> list[metadata.EntryPoint]:
    """The installed entry points of `group`."""
    global _scanned
    key = tuple(sys.path)
    with _lock:
        if _scanned is None or _scanned[0] != key:
            _scanned = (key, metadata.entry_points())
        found = _scanned[1]
    return list(found.select(group=group))
