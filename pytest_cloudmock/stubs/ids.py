"""Identifiers and ARNs from templates: `fs-{hex:8}`, `arn:{partition}:eks:{region}:{account}:cluster/{id}`."""

from __future__ import annotations

import random
import re
import string
import uuid
from typing import Any

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)(?::(\d+))?\}")
_ALPHABETS = {
    "hex": "0123456789abcdef",
    "alnum": string.ascii_lowercase + string.digits,
    "upper": string.ascii_uppercase + string.digits,
    "digits": string.digits,
}
_rng = random.SystemRandom()


def render(template: str, values: dict[str, Any]) -> str:
    """Fill a template: `{uuid}` and `{hex:N}`/`{alnum:N}`/`{upper:N}`/`{digits:N}` are random,
    any other `{name}` comes from `values` (empty if absent)."""

    def one(match: re.Match[str]) -> str:
        name, size = match[1], match[2]
        if name == "uuid":
            return str(uuid.uuid4())
        if name in _ALPHABETS and size:
            return "".join(_rng.choice(_ALPHABETS[name]) for _ in range(int(size)))
        value = values.get(name, "")
        return "" if value is None else str(value)

    return _PLACEHOLDER.sub(one, template)

