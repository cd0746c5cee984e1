"""Identifiers and ARNs from templates: `fs-{hex:8}`, `arn:{partition}:eks:{region}:{account}:cluster/{id}`."""

from __future__ import annotations

import random
import re
import string
import uuid
from functools import lru_cache
from typing import Any

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)(?::(\d+))?\}")
_ALPHABETS = {
    "hex": "0123456789abcdef",
    "alnum": string.ascii_lowercase + string.digits,
    "upper": string.ascii_uppercase + string.digits,
    "digits": string.digits,
}
_rng = random.SystemRandom()


@lru_cache(maxsize=4096)
def _parts(template: str) -> tuple[tuple[str, str, str | None], ...]:
    """A template split once: (text before, placeholder name, size) per placeholder, then the rest."""
    parts, at = [], 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append((template[at:match.start()], match[1], match[2]))
        at = match.end()
    parts.append((template[at:], "", None))
    return tuple(parts)


def render(template: str, values: dict[str, Any]) -> str:
    """Fill a template: `{uuid}` and `{hex:N}`/`{alnum:N}`/`{upper:N}`/`{digits:N}` are random,
    any other `{name}` comes from `values` (empty if absent)."""
    if "{" not in template:
        return template
    out = []
    for text, name, size in _parts(template):
        out.append(text)
        if not name:
            continue
        if name == "uuid":
            out.append(str(uuid.uuid4()))
        elif name in _ALPHABETS and size:
            out.append("".join(_rng.choice(_ALPHABETS[name]) for _ in range(int(size))))
        else:
            value = values.get(name, "")
            out.append("" if value is None else str(value))
    return "".join(out)
