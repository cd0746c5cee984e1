"""Attribute values: validation, canonical numbers, ordering keys and AWS's size rule.

Values travel as the wire's typed dicts (`{"S": "x"}`, `{"N": "1.5"}`, `{"B": b"..."}`,
`{"SS": [...]}`, `{"L": [...]}`, `{"M": {...}}`, `{"BOOL": True}`, `{"NULL": True}`)
and are stored that way, with numbers in canonical text (`"1.50"` -> `"1.5"`).
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import errors

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

TYPES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")
_TYPE_SET = frozenset(TYPES)
SET_TYPES = {"SS": "S", "NS": "N", "BS": "B"}
TYPE_NAMES = {"SS": "string", "NS": "number", "BS": "binary"}
MAX_ITEM_BYTES = 400 * 1024

_CONTEXT = decimal.Context(prec=38, Emax=125, Emin=-130, traps=[decimal.Inexact, decimal.Rounded])
_WIDE = decimal.Context(prec=100)  # wide enough to normalize any number text without rounding
_MAX = Decimal("9.9999999999999999999999999999999999999E+125")
_MIN = Decimal("1E-130")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def parse_number(text: Any) -> Decimal:
    """A DynamoDB number's value; `ValidationException` as AWS words it when it is not one."""
    if not isinstance(text, str):
        raise errors.validation("The parameter cannot be converted to a numeric value")
    if not _NUMBER.fullmatch(text):
        raise errors.validation(f"The parameter cannot be converted to a numeric value: {text}")
    value = Decimal(text)
    if value.is_zero():
        return Decimal(0)
    digits = value.normalize(_WIDE)
    if len(digits.as_tuple().digits) > 38:
        raise errors.validation("Attempting to store more than 38 significant digits in a Number")
    if abs(value) > _MAX:
        raise errors.validation(
            "Number overflow. Attempting to store a number with magnitude larger than supported range")
    if abs(value) < _MIN:
        raise errors.validation(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range")
    return digits


def number_text(value: Decimal) -> str:
    """Canonical text of a number: no exponent, no trailing zeros (`1E+2` -> `100`)."""
    if value.is_zero():
        return "0"
    text = format(value.normalize(_WIDE), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def canonical_number(text: Any) -> str:
    """A number's canonical text; `ValidationException` when it is not a DynamoDB number."""
    if isinstance(text, str):
        return _canonical_text(text)
    return number_text(parse_number(text))


@lru_cache(maxsize=4096)
def _canonical_text(text: str) -> str:
    """`canonical_number` of a string, cached: requests repeat the same few numbers (errors are not cached)."""
    return number_text(parse_number(text))


def add_numbers(a: str, b: str, subtract: bool = False) -> str:
    """`a + b` (or `a - b`) with DynamoDB's 38-digit arithmetic."""
    left, right = parse_number(a), parse_number(b)
    try:
        result = _CONTEXT.subtract(left, right) if subtract else _CONTEXT.add(left, right)
    except (decimal.Inexact, decimal.Rounded):
        raise errors.validation("Number overflow. Attempting to store a number with magnitude larger "
                                "than supported range") from None
    return canonical_number(format(result, "f"))


def av_type(value: AttributeValue) -> str:
    """The type tag of a validated attribute value."""
    for kind in value:
        return kind
    raise ValueError("an attribute value without a type tag")


def validate_value(value: Any, *, depth: int = 0) -> AttributeValue:
    """A checked, canonical copy of one attribute value (AWS's messages for the bad ones)."""
    if type(value) is dict and len(value) == 1 and depth <= 32:  # the commonest: one string or number
        ((kind, raw),) = value.items()
        if kind == "S" and raw is not None:
            return {"S": raw}
        if kind == "N" and raw is not None:
            return {"N": canonical_number(raw)}
    kind = _type_set(value)
    raw = value[kind]
    if depth > 32:
        raise errors.validation("Nesting Levels have exceeded supported limits")
    if kind == "S":
        return {"S": raw}
    if kind == "N":
        return {"N": canonical_number(raw)}
    if kind == "B":
        return {"B": bytes(raw)}
    if kind in SET_TYPES:
        if not raw:
            raise errors.invalid_parameters(f"An {TYPE_NAMES[kind]} set  may not be empty")
        members = [canonical_number(x) for x in raw] if kind == "NS" else list(raw)
        if len(set(members)) != len(members):
            shown = ", ".join(str(x) for x in raw)
            raise errors.invalid_parameters(f"Input collection [{shown}] contains duplicates.")
        return {kind: members}
    if kind == "L":
        return {"L": [validate_value(x, depth=depth + 1) for x in raw]}
    if kind == "M":
        return {"M": {k: validate_value(v, depth=depth + 1) for k, v in raw.items()}}
    if kind == "NULL":
        if raw is not True:
            raise errors.invalid_parameters("Null attribute value types must have the value of true")
        return {"NULL": True}
    return {"BOOL": bool(raw)}


def _type_set(value: Any) -> str:
    """The one type tag an attribute value sets (None values count as unset); AWS's errors otherwise."""
    if not isinstance(value, dict):
        raise errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
    if len(value) == 1:  # the usual shape: one tag, checked without looking for the other nine
        ((kind, raw),) = value.items()
        if kind in _TYPE_SET and raw is not None:
            return kind
    present = [k for k in TYPES if value.get(k) is not None]
    if not present:
        raise errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
    if len(present) > 1:
        raise errors.validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
    return present[0]


def validate_item(item: Any) -> Item:
    if not isinstance(item, dict):
        raise errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
    return {name: validate_value(value) for name, value in item.items()}


def sort_key(value: AttributeValue) -> Any:
    """The ordering key of a scalar: numbers by value, strings by UTF-8 bytes, binary by bytes."""
    kind, raw = next(iter(value.items()))
    if kind == "N":
        return Decimal(raw)
    if kind == "S":
        return raw.encode()
    return bytes(raw)


def hashable(value: AttributeValue) -> tuple[str, Any]:
    """A hashable identity of a scalar key value (`("N", Decimal(1))`)."""
    kind, raw = next(iter(value.items()))
    return (kind, Decimal(raw) if kind == "N" else raw)


def equal(a: AttributeValue | None, b: AttributeValue | None) -> bool:
    """DynamoDB equality: same type and value (numbers by value, sets and maps unordered)."""
    if a is None or b is None:
        return False
    kind_a, kind_b = av_type(a), av_type(b)
    if kind_a != kind_b:
        return False
    raw_a, raw_b = a[kind_a], b[kind_b]
    if kind_a == "N":
        return Decimal(raw_a) == Decimal(raw_b)
    if kind_a == "NS":
        return {Decimal(x) for x in raw_a} == {Decimal(x) for x in raw_b}
    if kind_a in ("SS", "BS"):
        return set(raw_a) == set(raw_b)
    if kind_a == "L":
        return len(raw_a) == len(raw_b) and all(equal(x, y) for x, y in zip(raw_a, raw_b, strict=False))
    if kind_a == "M":
        return raw_a.keys() == raw_b.keys() and all(equal(raw_a[k], raw_b[k]) for k in raw_a)
    return bool(raw_a == raw_b)


def _number_size(text: str) -> int:
    """1 byte per two significant digits, plus 1 (stored numbers are canonical: no exponent)."""
    digits = text.lstrip("-").replace(".", "").strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def _text_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode())


def value_size(value: AttributeValue) -> int:
    """Bytes a value counts for, by AWS's documented item-size rules."""
    for kind, raw in value.items():
        if kind == "S":
            return _text_size(raw)
        if kind == "N":
            return _number_size(raw)
        if kind == "B":
            return len(raw)
        if kind in ("BOOL", "NULL"):
            return 1
        if kind == "SS":
            return sum(_text_size(x) for x in raw)
        if kind == "BS":
            return sum(len(x) for x in raw)
        if kind == "NS":
            return sum(_number_size(x) for x in raw)
        if kind == "L":
            return 3 + sum(value_size(x) + 1 for x in raw)
        return 3 + sum(_text_size(k) + value_size(v) + 1 for k, v in raw.items())
    return 0


def item_size(item: Item) -> int:
    """An item's size: each attribute name's UTF-8 length plus its value's size."""
    total = 0
    for name, value in item.items():
        total += len(name) if name.isascii() else len(name.encode())
        for kind, raw in value.items():  # one tag; strings and numbers, the commonest, sized here
            if kind == "S":
                total += len(raw) if raw.isascii() else len(raw.encode())
            elif kind == "N":
                total += _number_size(raw)
            else:
                total += value_size(value)
    return total


def check_item_size(item: Item) -> int:
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise errors.item_too_large()
    return size
