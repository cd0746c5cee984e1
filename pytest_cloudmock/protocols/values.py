"""Scalar value conversions shared by every codec.

Timestamps, blobs, floats, integers and booleans travel differently per protocol
and per location (body, header, query string). These helpers are the one place
that knows how, in both directions:

- `timestamp_format(shape, default)` picks the format (`iso8601`,
  `unixtimestamp`, `rfc822`) a member uses: its `timestampFormat` trait, else
  the protocol/location default from `DEFAULT_TIMESTAMP_FORMATS`.
- `parse_timestamp` / `format_timestamp` convert between the wire and
  timezone-aware UTC `datetime`.
- `encode_blob` / `decode_blob` do base64; `format_float` / `parse_float`
  handle `NaN`, `Infinity`, `-Infinity`; `parse_int`, `parse_bool`.
- `scalar_to_text` / `scalar_from_text` convert any scalar shape to and from
  the text form used by XML, form bodies, headers and query strings.

Parse helpers raise `ValueError` on bad input; codecs turn that into the AWS
error of their protocol.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import math
import re
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from botocore.model import Shape
from dateutil.parser import isoparse

ISO8601 = "iso8601"
UNIX = "unixtimestamp"
RFC822 = "rfc822"

# Default timestamp format per (protocol, location), as botocore serializes and parses them.
DEFAULT_TIMESTAMP_FORMATS: dict[str, str] = {
    "json": UNIX,
    "rest-json": UNIX,
    "smithy-rpc-v2-cbor": UNIX,
    "query": ISO8601,
    "ec2": ISO8601,
    "rest-xml": ISO8601,
    "header": RFC822,
    "querystring": ISO8601,
}

_NUMERIC = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_FLOAT_SPECIALS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def timestamp_format(shape: Shape | None, default: str) -> str:
    """The timestamp format of a member: its `timestampFormat` trait, else `default`."""
    if shape is not None:
        fmt = shape.serialization.get("timestampFormat")
        if fmt:
            return fmt.lower()
    return default


def to_datetime(value: datetime | str | int | float) -> datetime:
    """Any timestamp a service may return (datetime, epoch number, string) as aware UTC."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    return parse_timestamp(value)


def parse_timestamp(value: str | int | float, fmt: str | None = None) -> datetime:
    """Read a wire timestamp (epoch seconds, ISO 8601 or RFC 822) as an aware UTC datetime.

    `fmt` is tried first; the other forms are accepted too, as AWS does.
    Raises ValueError if the value is no timestamp.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    text = value.strip()
    if _NUMERIC.match(text):
        return _from_epoch(float(text) if not text.lstrip("-").isdigit() else int(text))
    parsers = (_from_rfc822, _from_iso) if fmt == RFC822 else (_from_iso, _from_rfc822)
    for parser in (*parsers, _from_any_iso):
        try:
            return parser(text)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
    raise ValueError(f"not a timestamp: {value!r}")


def _from_epoch(seconds: int | float) -> datetime:
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ValueError(f"not a timestamp: {seconds!r}")
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"timestamp out of range: {seconds!r}") from exc


_FRACTION = re.compile(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$")
_SPACES = re.compile(rb"\s+")
_INTEGER = re.compile(r"[-+]?\d+")


def _from_iso(text: str) -> datetime:
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python < 3.11 accepts only 3 or 6 fraction digits: normalise to 6.
    match = _FRACTION.match(text)
    if match:
        head, frac, tail = match.groups()
        text = f"{head}.{frac[:6].ljust(6, '0')}{tail}"
    parsed = datetime.fromisoformat(text)
    return _as_utc(parsed)


def _as_utc(parsed: datetime) -> datetime:
    """A timezone-aware UTC datetime (naive ones are taken as UTC)."""
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _from_any_iso(text: str) -> datetime:
    """ISO 8601 forms Python's parser lacks (`20240102T030405Z`, `+0000` offsets...)."""
    parsed = isoparse(text)
    return _as_utc(parsed)


def _from_rfc822(text: str) -> datetime:
    parsed = parsedate_to_datetime(text)
    return _as_utc(parsed)


def format_timestamp(value: datetime | str | int | float, fmt: str) -> str | int | float:
    """Write a timestamp in `fmt`.

    `unixtimestamp` gives an int for whole seconds, else a float with millisecond
    precision; `iso8601` gives `2024-01-02T03:04:05Z` (with `.123Z` milliseconds
    when there are sub-seconds); `rfc822` gives `Tue, 02 Jan 2024 03:04:05 GMT`.
    """
    dt = to_datetime(value)
    fmt = fmt.lower()
    if fmt == UNIX:
        whole = calendar.timegm(dt.utctimetuple())
        if not dt.microsecond:
            return whole
        return round(whole + dt.microsecond / 1_000_000, 3)
    utc = dt if dt.tzinfo is timezone.utc else dt.astimezone(timezone.utc)
    if fmt == RFC822:
        return format_datetime(utc, usegmt=True)
    # What strftime("%Y-%m-%dT%H:%M:%S") gives (the year unpadded, as glibc's %Y), faster.
    whole = (
        f"{utc.year}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"
    )
    micro = utc.microsecond
    if not micro:
        return whole + "Z"
    if micro % 1000 == 0:
        return f"{whole}.{micro // 1000:03d}Z"
    return f"{whole}.{micro:06d}Z"


def format_timestamp_text(value: datetime | str | int | float, fmt: str) -> str:
    """`format_timestamp` as text (for XML, headers and query strings)."""
    out = format_timestamp(value, fmt)
    return out if isinstance(out, str) else repr(out) if isinstance(out, float) else str(out)


def encode_blob(value: bytes | bytearray | str) -> str:
    """Base64 text of a blob (str is UTF-8 encoded first)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(bytes(value)).decode("ascii")


def decode_blob(text: str | bytes) -> bytes:
    """Bytes of base64 text; raises ValueError if it is not base64."""
    if isinstance(text, str):
        text = text.encode("ascii", "replace")
    try:
        return base64.b64decode(_SPACES.sub(b"", text), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not valid base64: {text!r}") from exc


def format_float(value: float | int) -> float | int | str:
    """A JSON-ready number: NaN and infinities as the strings AWS uses."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
    return value


def parse_float(value: str | float | int) -> float:
    """A float from a number or its text (`NaN`, `Infinity`, `-Infinity` included)."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    special = _FLOAT_SPECIALS.get(value.strip())
    if special is not None:
        return special
    if not _NUMERIC.match(value.strip()):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def float_text(value: float | int) -> str:
    """Text of a float that Python's and botocore's `float()` read back exactly."""
    out = format_float(float(value))
    return out if isinstance(out, str) else repr(out)


def parse_int(value: str | int) -> int:
    """An integer from a number or its text; raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not an integer: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"not an integer: {value!r}")
    text = value.strip()
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"not an integer: {value!r}")
    return int(text)


def parse_bool(value: str | bool) -> bool:
    """`true`/`false` (any case) as bool; raises ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = value.strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"not a boolean: {value!r}")


def scalar_to_text(shape: Shape, value: Any, default_timestamp_format: str) -> str:
    """The text form of a scalar value (XML text, form value, header, query string)."""
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return float_text(value)
    if kind in ("integer", "long", "short", "byte", "bigInteger"):
        return str(int(value))
    if kind == "timestamp":
        return format_timestamp_text(value, timestamp_format(shape, default_timestamp_format))
    if kind == "blob":
        return encode_blob(value)
    return str(value)


def scalar_from_text(shape: Shape, text: str, default_timestamp_format: str) -> Any:
    """The typed value of a scalar's text form; raises ValueError if it does not fit the shape."""
    kind = shape.type_name
    if kind == "boolean":
        return parse_bool(text)
    if kind in ("float", "double", "bigDecimal"):
        return parse_float(text)
    if kind in ("integer", "long", "short", "byte", "bigInteger"):
        return parse_int(text)
    if kind == "timestamp":
        return parse_timestamp(text, timestamp_format(shape, default_timestamp_format))
    if kind == "blob":
        return decode_blob(text)
    return text


__all__ = [
    "DEFAULT_TIMESTAMP_FORMATS",
    "ISO8601",
    "RFC822",
    "UNIX",
    "decode_blob",
    "encode_blob",
    "float_text",
    "format_float",
    "format_timestamp",
    "format_timestamp_text",
    "parse_bool",
    "parse_float",
    "parse_int",
    "parse_timestamp",
    "scalar_from_text",
    "scalar_to_text",
    "timestamp_format",
    "to_datetime",
]
