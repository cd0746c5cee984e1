"""Work counted, not timed: the Python function calls a callable makes in this thread.

A service's cost as state grows is compared by counts (the same on a loaded machine as on an
idle one), through `Registry.call`, which runs the service in the calling thread whichever
transport the test's clients use.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from typing import Any


def calls_made(fn: Callable[[], Any], repeat: int = 5) -> int:
    """Function calls per run of `fn` (after one run to warm caches), averaged over `repeat` runs."""
    fn()
    profile = cProfile.Profile()
    profile.enable()
    try:
        for _ in range(repeat):
            fn()
    finally:
        profile.disable()
    stats = pstats.Stats(profile)
    return sum(entry[1] for entry in stats.stats.values()) // repeat  # type: ignore[attr-defined]
