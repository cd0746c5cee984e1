"""Seeded random valid values for botocore shapes.

`generate(shape, rng)` returns a value a boto3 user could pass for `shape` (or a
service could return): strings honour `enum` and `min`/`max` length, numbers their
`min`/`max` range, lists and maps their `min` size, structures always carry their
`required` members and a random subset of the others, unions exactly one member,
recursive shapes stop at `GenOptions.max_depth`.

Values that must survive a wire location are kept safe for it: header and host
label strings are alphanumeric, URI labels start with a letter (no `.`/`..`
segments), query-string map keys are lowercase alphanumeric, header timestamps are
whole seconds (RFC 822 has no fractions). Regex `pattern` traits are not honoured:
botocore does not validate them and no codec reads them; the plain strings used
instead mix in characters that need escaping (`&<>"'=+/% `, non-ASCII) so every
codec's quoting is exercised.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.model import Shape

# 2000-01-01 .. 2030-01-01: positive epochs (botocore's CBOR writer cannot encode negatives).
_EPOCH_RANGE = (946_684_800, 1_893_456_000)
_ALNUM = string.ascii_letters + string.digits
_TEXT = _ALNUM * 3 + " -_.~&<>\"'=+/%:@,;!*()[]{}|^$#?éü中€"
_INT_RANGES = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
}
_SAFE_LOCATIONS = ("header", "headers", "statusCode")


@dataclass(frozen=True)
class GenOptions:
    """Knobs for `generate`."""

    max_depth: int = 4
    optional: float = 0.6  # chance of setting an optional member at the top level
    max_items: int = 3
    timestamp_ms: bool = False  # add milliseconds to timestamps (not in headers)
    special_floats: bool = True  # sometimes NaN / Infinity / -Infinity
    empty_containers: bool = True  # sometimes empty lists, maps and strings


DEFAULT = GenOptions()


def generate(shape: Shape, rng: random.Random, options: GenOptions = DEFAULT) -> Any:
    """A random valid value for `shape`."""
    return _Generator(rng, options).value(shape, 0, None)


class _Generator:
    def __init__(self, rng: random.Random, options: GenOptions) -> None:
        self.rng = rng
        self.opt = options

    def value(self, shape: Shape, depth: int, location: str | None) -> Any:
        location = shape.serialization.get("location", location)
        if shape.serialization.get("hostLabel"):
            location = "hostLabel"
        method = getattr(self, f"_{shape.type_name}", None)
        if method is None:
            raise TypeError(f"no generator for shape type {shape.type_name!r} ({shape.name})")
        return method(shape, depth, location)

    # -- scalars -------------------------------------------------------------

    def _string(self, shape: Shape, depth: int, location: str | None) -> str:
        enum = shape.enum
        if enum:
            return self.rng.choice(enum)
        lo, hi = _length_range(shape, 8)
        if location in ("uri", "hostLabel", *_SAFE_LOCATIONS, "querystring-key"):
            lo = max(lo, 1)
        if not self.opt.empty_containers:
            lo = max(lo, 1)
        hi = max(hi, lo)
        length = self.rng.randint(lo, hi)
        if location in ("hostLabel", *_SAFE_LOCATIONS, "querystring-key"):
            alphabet = (
                string.ascii_lowercase + string.digits if location == "querystring-key" else _ALNUM
            )
            return "".join(self.rng.choice(alphabet) for _ in range(length))
        chars = [self.rng.choice(_TEXT) for _ in range(length)]
        if chars:
            chars[0] = self.rng.choice(string.ascii_letters)  # no leading space, `.` or `/`
            if len(chars) > 1:
                chars[-1] = self.rng.choice(_ALNUM)  # no trailing whitespace
        return "".join(chars)

    _character = _string

    def _integer(self, shape: Shape, depth: int, location: str | None) -> int:
        if location == "statusCode":
            return self.rng.choice((200, 201, 202, 203))
        lo, hi = _INT_RANGES.get(shape.type_name, _INT_RANGES["long"])
        lo = max(lo, math.ceil(shape.metadata.get("min", lo)))
        hi = min(hi, math.floor(shape.metadata.get("max", hi)))
        roll = self.rng.random()
        if roll < 0.15:
            return self.rng.choice((lo, hi))
        if roll < 0.3:
            return self.rng.randint(lo, hi)
        return self.rng.randint(max(lo, -1000), max(min(hi, 1000), max(lo, -1000)))

    _long = _short = _byte = _bigInteger = _integer

    def _float(self, shape: Shape, depth: int, location: str | None) -> float:
        if self.opt.special_floats and location not in _SAFE_LOCATIONS and self.rng.random() < 0.1:
            # botocore validates min/max: infinities only where the range is open.
            specials = [math.nan]
            specials += [] if "max" in shape.metadata else [math.inf]
            specials += [] if "min" in shape.metadata else [-math.inf]
            return self.rng.choice(specials)
        lo = float(shape.metadata.get("min", -1e6))
        hi = float(shape.metadata.get("max", 1e6))
        value = self.rng.uniform(lo, hi)
        if shape.type_name == "float":
            # Eighths survive the 32-bit floats botocore's CBOR writer uses.
            value = min(max(round(value * 8) / 8, lo), hi)
        return value

    _double = _bigDecimal = _float

    def _boolean(self, shape: Shape, depth: int, location: str | None) -> bool:
        return self.rng.random() < 0.5

    def _timestamp(self, shape: Shape, depth: int, location: str | None) -> datetime:
        seconds = self.rng.randint(*_EPOCH_RANGE)
        fmt = shape.serialization.get("timestampFormat")
        whole = location in _SAFE_LOCATIONS or fmt == "rfc822"
        ms = 0 if whole or not self.opt.timestamp_ms else self.rng.randint(0, 999)
        return datetime.fromtimestamp(seconds, timezone.utc) + timedelta(milliseconds=ms)

    def _blob(self, shape: Shape, depth: int, location: str | None) -> bytes:
        lo, hi = _length_range(shape, 12)
        if not self.opt.empty_containers:
            lo = max(lo, 1)
        return self.rng.randbytes(self.rng.randint(lo, max(lo, hi)))

    # -- containers ----------------------------------------------------------

    def _count(self, shape: Shape, depth: int) -> int:
        lo, hi = _length_range(shape, self.opt.max_items)
        if not self.opt.empty_containers:
            lo = max(lo, 1)
        if depth >= self.opt.max_depth:
            return lo
        if lo == 0 and hi > 0 and self.rng.random() < 0.8:
            lo = 1
        return self.rng.randint(lo, max(lo, hi))

    def _list(self, shape: Shape, depth: int, location: str | None) -> list[Any]:
        return [
            self.value(shape.member, depth + 1, location) for _ in range(self._count(shape, depth))
        ]

    def _map(self, shape: Shape, depth: int, location: str | None) -> dict[Any, Any]:
        key_location = "querystring-key" if location == "querystring" else location
        if location == "headers":
            key_location = "querystring-key"  # lowercase: HTTP header names fold case
        out: dict[Any, Any] = {}
        for _ in range(self._count(shape, depth)):
            key = self.value(shape.key, depth + 1, key_location)
            out[key] = self.value(shape.value, depth + 1, location)
        return out

    def _structure(self, shape: Shape, depth: int, location: str | None) -> dict[str, Any]:
        if shape.is_document_type:
            return self._document(depth)
        members = shape.members
        if shape.is_tagged_union:
            name = self.rng.choice(sorted(members))
            return {name: self.value(members[name], depth + 1, None)}
        required = set(shape.required_members)
        chance = 0.0 if depth >= self.opt.max_depth else self.opt.optional * 0.7**depth
        out = {}
        for name, member in members.items():
            if name in required or self.rng.random() < chance:
                out[name] = self.value(member, depth + 1, None)
        return out

    def _document(self, depth: int) -> Any:
        kinds = ("str", "int", "bool", "list", "dict") if depth < self.opt.max_depth else ("str",)
        kind = self.rng.choice(kinds)
        if kind == "str":
            return "".join(self.rng.choice(_ALNUM) for _ in range(self.rng.randint(0, 6)))
        if kind == "int":
            return self.rng.randint(-1000, 1000)
        if kind == "bool":
            return self.rng.random() < 0.5
        if kind == "list":
            return [self._document(depth + 1) for _ in range(self.rng.randint(0, 2))]
        return {f"k{i}": self._document(depth + 1) for i in range(self.rng.randint(0, 2))}


def _length_range(shape: Shape, cap: int) -> tuple[int, int]:
    lo = int(shape.metadata.get("min", 0))
    hi = int(shape.metadata.get("max", lo + cap))
    return lo, max(lo, min(hi, lo + cap))
