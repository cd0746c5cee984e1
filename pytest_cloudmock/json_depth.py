"""How deeply a JSON text nests, measured without parsing it (no recursion).

`json.loads` recurses per level, so whether a very deep document parses depends on the
process's recursion limit (which test suites and libraries raise). Services that refuse
deep documents check the depth first, so the answer never depends on the process.
"""

from __future__ import annotations

import json
import re
from typing import Any

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """The deepest level of `[`/`{` nesting in `text` (strings skipped; 0 for a scalar)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads(text: str | bytes, max_depth: int) -> Any:
    """`json.loads`, raising `ValueError` for a document nested deeper than `max_depth`."""
    as_text = text.decode("utf-8") if isinstance(text, bytes) else text
    if nesting_depth(as_text) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return json.loads(as_text)
