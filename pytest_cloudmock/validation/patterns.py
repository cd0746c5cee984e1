"""botocore's `pattern` traits (Java regexes) as compiled Python regexes.

AWS applies a pattern with Java's `Matcher.matches()`: the whole value must match,
so callers use `fullmatch`. The cheap Java-only spellings are translated, never
to something stricter than Java (a lenient pattern only lets more through):

- `\\p{L}`, `\\p{N}` (letters, numbers) -> `\\w`; `\\p{Z}` (separators) -> `\\s`
  (not in a pattern with a negated class, where the wider class would be stricter);
- `\\x{HHHH}` -> `\\uHHHH`; `\\z` -> `\\Z`;
- a `-` right after a class escape inside `[...]` (`[\\w- ]`) is a literal `-`.

A pattern Python still cannot compile (or only with a warning, such as Java's
`&&` class intersection) is skipped, and remembered as skipped.
"""

from __future__ import annotations

import re
import warnings

_CACHE: dict[str, re.Pattern[str] | None] = {}

_WIDENINGS = (
    (re.compile(r"\\p\{(?:L|N|IsAlphabetic|IsLetter)\}"), r"\\w"),
    (re.compile(r"\\p\{Z\}"), r"\\s"),
)
_TRANSLATIONS = (
    (re.compile(r"\\x\{([0-9A-Fa-f]{1,4})\}"), lambda m: "\\u" + m[1].rjust(4, "0")),
    (re.compile(r"(?<!\\)((?:\\\\)*)\\z"), r"\1\\Z"),
    (re.compile(r"(?<!\\)((?:\\\\)*\\[wdsWDS])-(?=[^\]])"), r"\1\\-"),
)


def compiled(pattern: str) -> re.Pattern[str] | None:
    """The compiled form of a model pattern, or None when it is skipped."""
    try:
        return _CACHE[pattern]
    except KeyError:
        pass
    text = pattern
    for regex, replacement in _TRANSLATIONS if "[^" in pattern else _WIDENINGS + _TRANSLATIONS:
        text = regex.sub(replacement, text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result: re.Pattern[str] | None = re.compile(text)
    except (re.error, FutureWarning, DeprecationWarning, OverflowError, RecursionError):
        result = None
    _CACHE[pattern] = result
    return result
