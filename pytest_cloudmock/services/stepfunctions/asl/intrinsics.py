"""The intrinsic functions (`States.Format(...)` and friends) in `.$` fields: a parser for
the call syntax and the functions with AWS's argument rules; a failure is
`States.IntrinsicFailure`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import StatesError, intrinsic_failure
from .paths import select

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_FUNCTION = re.compile(r"States\.[A-Za-z0-9]+")


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class PathArg:
    text: str


def is_intrinsic(text: Any) -> bool:
    return isinstance(text, str) and text.startswith("States.")


@lru_cache(maxsize=2048)
def parse(text: str) -> Call:
    """Parse one call; `ValueError` on bad syntax or an unknown function."""
    call, end = _call(text, 0)
    if text[end:].strip():
        raise ValueError(f"unexpected text after the call in {text}")
    return call


def _call(text: str, i: int) -> tuple[Call, int]:
    match = _FUNCTION.match(text, i)
    if match is None or match.group() not in FUNCTIONS:
        raise ValueError(f"unknown intrinsic function in {text}")
    i = match.end()
    if text[i:i + 1] != "(":
        raise ValueError(f"missing '(' in {text}")
    i += 1
    args: list[Any] = []
    while True:
        i = _skip(text, i)
        if text[i:i + 1] == ")":
            return Call(match.group(), tuple(args)), i + 1
        if args:
            if text[i:i + 1] != ",":
                raise ValueError(f"expected ',' in {text}")
            i = _skip(text, i + 1)
        arg, i = _arg(text, i)
        args.append(arg)


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] == " ":
        i += 1
    return i


def _arg(text: str, i: int) -> tuple[Any, int]:
    c = text[i:i + 1]
    if c == "'":
        out, i = [], i + 1
        while i < len(text) and text[i] != "'":
            if text[i] == "\\" and i + 1 < len(text):
                i += 1
            out.append(text[i])
            i += 1
        if i >= len(text):
            raise ValueError(f"unterminated string in {text}")
        return "".join(out), i + 1
    if c == "$":
        j = i
        depth = 0
        while j < len(text) and (depth or text[j] not in ",)"):
            depth += text[j] == "["
            depth -= text[j] == "]"
            j += 1
        return PathArg(text[i:j].strip()), j
    if text.startswith("States.", i):
        return _call(text, i)
    for word, value in (("true", True), ("false", False), ("null", None)):
        if text.startswith(word, i):
            return value, i + len(word)
    match = _NUMBER.match(text, i)
    if match:
        number = match.group()
        return (float(number) if match.group(1) or match.group(2) else int(number)), match.end()
    raise ValueError(f"bad argument in {text}")


def evaluate(text: str, data: Any, context: Any, variables: dict[str, Any] | None = None) -> Any:
    """Evaluate an intrinsic call against the state's input and context object."""
    try:
        call = parse(text)
    except ValueError as exc:
        raise intrinsic_failure(str(exc)) from None
    return _run(call, data, context, variables)


def _run(call: Call, data: Any, context: Any, variables: dict[str, Any] | None) -> Any:
    args = []
    for arg in call.args:
        if isinstance(arg, PathArg):
            args.append(select(arg.text, data, context, variables))
        elif isinstance(arg, Call):
            args.append(_run(arg, data, context, variables))
        else:
            args.append(arg)
    function, counts = FUNCTIONS[call.name]
    if counts is not None and len(args) not in counts:
        raise intrinsic_failure(f"Invalid number of arguments in {call.name}: expected "
                                f"{' or '.join(map(str, counts))}, received {len(args)}")
    try:
        return function(*args)
    except StatesError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, binascii.Error, UnicodeError) as exc:
        raise intrinsic_failure(f"{call.name} failed: {exc}") from None


def _need(ok: bool, message: str) -> None:
    if not ok:
        raise intrinsic_failure(message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, float) and value.is_integer())


def _format(template: Any, *args: Any) -> str:
    _need(isinstance(template, str), "The first argument of States.Format must be a string")
    pieces = re.split(r"(?<!\\)\{\}", template)
    _need(len(pieces) - 1 == len(args), "The number of arguments does not match the number of '{}' in "
                                        "States.Format's template")  # wording not documented
    out = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=False):
        _need(not isinstance(arg, (dict, list)), "States.Format's arguments must be strings, numbers, "
                                                 "booleans or null")
        out.append(arg if isinstance(arg, str) else json.dumps(arg))
        out.append(piece)
    return "".join(out).replace("\\{", "{").replace("\\}", "}")


def _string_to_json(text: Any) -> Any:
    _need(isinstance(text, str), "States.StringToJson needs a string")
    return json.loads(text) if text.strip() else None


def _array_partition(array: Any, size: Any) -> list[Any]:
    _need(isinstance(array, list) and _is_int(size) and size > 0,
          "States.ArrayPartition needs an array and a positive chunk size")
    size = int(size)
    return [array[i:i + size] for i in range(0, len(array), size)]


def _array_range(start: Any, end: Any, step: Any) -> list[int]:
    _need(all(_is_int(v) for v in (start, end, step)) and step != 0,
          "States.ArrayRange needs integer start, end and a non-zero step")
    start, end, step = int(start), int(end), int(step)
    values = list(range(start, end + (1 if step > 0 else -1), step))
    _need(len(values) <= 1000, "States.ArrayRange cannot make more than 1000 items")
    return values


def _array_get_item(array: Any, index: Any) -> Any:
    _need(isinstance(array, list) and _is_int(index) and 0 <= index < len(array),
          f"States.ArrayGetItem: index {index} out of bounds")
    return array[int(index)]


def _array_unique(array: Any) -> list[Any]:
    _need(isinstance(array, list), "States.ArrayUnique needs an array")
    seen: list[str] = []
    out = []
    for item in array:
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.append(key)
            out.append(item)
    return out


def _b64encode(text: Any) -> str:
    _need(isinstance(text, str) and len(text) <= 10000, "States.Base64Encode needs a string of at most "
                                                       "10000 characters")
    return base64.b64encode(text.encode()).decode()


def _b64decode(text: Any) -> str:
    _need(isinstance(text, str) and len(text) <= 10000, "States.Base64Decode needs a string of at most "
                                                       "10000 characters")
    return base64.b64decode(text.encode(), validate=True).decode()


_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _hash(data: Any, algorithm: Any) -> str:
    _need(algorithm in _HASHES, f"States.Hash: unsupported algorithm {algorithm}; use one of "
                                f"{', '.join(_HASHES)}")
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    _need(len(text) <= 10000, "States.Hash: the input is longer than 10000 characters")
    return hashlib.new(_HASHES[algorithm], text.encode()).hexdigest()


def _json_merge(left: Any, right: Any, deep: Any) -> dict[str, Any]:
    _need(isinstance(left, dict) and isinstance(right, dict), "States.JsonMerge needs two objects")
    _need(deep is False, "States.JsonMerge supports only a shallow merge: its third argument must be false")
    return {**left, **right}


def _math_random(start: Any, end: Any, seed: Any = None) -> int:
    _need(_is_int(start) and _is_int(end) and start < end, "States.MathRandom needs integers start < end")
    rng = random.Random(int(seed)) if seed is not None else random
    return rng.randrange(int(start), int(end))


def _math_add(a: Any, b: Any) -> int:
    _need(_is_int(a) and _is_int(b), "States.MathAdd needs two integers")
    return int(a) + int(b)


def _string_split(text: Any, delimiters: Any) -> list[str]:
    _need(isinstance(text, str) and isinstance(delimiters, str) and delimiters,
          "States.StringSplit needs a string and delimiter characters")
    return [part for part in re.split("[" + re.escape(delimiters) + "]", text) if part]


def _array_contains(array: Any, value: Any) -> bool:
    _need(isinstance(array, list), "States.ArrayContains needs an array")
    return value in array


def _array_length(array: Any) -> int:
    _need(isinstance(array, list), "States.ArrayLength needs an array")
    return len(array)


FUNCTIONS: dict[str, tuple[Callable[..., Any], tuple[int, ...] | None]] = {
    "States.Format": (_format, None),
    "States.StringToJson": (_string_to_json, (1,)),
    "States.JsonToString": (lambda v: json.dumps(v, separators=(",", ":")), (1,)),
    "States.Array": (lambda *v: list(v), None),
    "States.ArrayPartition": (_array_partition, (2,)),
    "States.ArrayContains": (_array_contains, (2,)),
    "States.ArrayRange": (_array_range, (3,)),
    "States.ArrayGetItem": (_array_get_item, (2,)),
    "States.ArrayLength": (_array_length, (1,)),
    "States.ArrayUnique": (_array_unique, (1,)),
    "States.Base64Encode": (_b64encode, (1,)),
    "States.Base64Decode": (_b64decode, (1,)),
    "States.Hash": (_hash, (2,)),
    "States.JsonMerge": (_json_merge, (3,)),
    "States.MathRandom": (_math_random, (2, 3)),
    "States.MathAdd": (_math_add, (2,)),
    "States.StringSplit": (_string_split, (2,)),
    "States.UUID": (lambda: str(uuid.uuid4()), (0,)),
}
