"""S3 object keys as Firehose forms them: `<evaluated prefix><suffix>`.

The prefix's `!{timestamp:<Java DateTimeFormatter pattern>}` expressions use the arrival
time of the oldest record in the object, `!{firehose:random-string}` a random string,
`!{firehose:error-output-type}` the kind of failure (error prefixes only). Without a
prefix the default is `yyyy/MM/dd/HH/`. The suffix is
`<stream name>-<stream version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><file extension>`.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from . import errors

DEFAULT_PREFIX = "!{timestamp:yyyy/MM/dd/HH}/"
_EXPRESSION = re.compile(r"!\{([^:}]+):([^}]*)\}")
_PATTERN = re.compile(r"'([^']*)'|(y+|M+|d+|H+|m+|s+|S+)")
_FIELDS = {"y": "%Y", "M": "%m", "d": "%d", "H": "%H", "m": "%M", "s": "%S"}
EXTENSIONS = {"GZIP": ".gz", "ZIP": ".zip", "Snappy": ".snappy", "HADOOP_SNAPPY": ".snappy"}


def java_format(pattern: str, moment: datetime) -> str:
    """A Java DateTimeFormatter pattern (the letters Firehose documents, quoted literals) applied."""
    out, at = [], 0
    for match in _PATTERN.finditer(pattern):
        out.append(pattern[at:match.start()])
        literal, letters = match.groups()
        if literal is not None:
            out.append(literal or "'")
        elif letters[0] == "y" and len(letters) == 2:
            out.append(moment.strftime("%y"))
        elif letters[0] == "S":
            out.append(f"{moment.microsecond:06d}"[: len(letters)])
        else:
            out.append(moment.strftime(_FIELDS[letters[0]]))
        at = match.end()
    out.append(pattern[at:])
    return "".join(out)


def check(prefix: str | None, error_prefix: str | None) -> None:
    """Firehose's rules for custom prefixes, checked when a destination is configured."""
    for text, is_error in ((prefix or "", False), (error_prefix or "", True)):
        for namespace, value in _EXPRESSION.findall(text):
            if namespace == "firehose" and value == "error-output-type" and not is_error:
                raise errors.invalid("The '!{firehose:error-output-type}' expression is only allowed in "
                                     "ErrorOutputPrefix.")  # AWS's text unknown; ours
            if namespace not in ("timestamp", "firehose", "partitionKeyFromQuery", "partitionKeyFromLambda"):
                raise errors.invalid(f"Unsupported expression namespace '{namespace}' in prefix.")  # ours
    if prefix and _EXPRESSION.search(prefix) and not error_prefix:
        raise errors.invalid("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.")


def evaluate(prefix: str, oldest: datetime, error_type: str | None = None) -> str:
    def one(match: re.Match[str]) -> str:
        namespace, value = match.groups()
        if namespace == "timestamp":
            return java_format(value, oldest)
        if namespace == "firehose" and value == "error-output-type":
            return error_type or ""
        if namespace == "firehose" and value == "random-string":
            return uuid.uuid4().hex[:11]
        return ""  # dynamic partitioning keys are not evaluated

    return _EXPRESSION.sub(one, prefix)


def object_key(config: dict, stream_name: str, version: int, oldest: datetime, now: datetime,
               error_type: str | None = None) -> str:
    """The key of one delivered object (an error object when `error_type` is given)."""
    if error_type is None:
        prefix = evaluate(config.get("Prefix") or DEFAULT_PREFIX, oldest)
    elif config.get("ErrorOutputPrefix"):
        prefix = evaluate(config["ErrorOutputPrefix"], oldest, error_type)
    else:  # AWS's default error location, as its guide describes it
        prefix = (config.get("Prefix") or "") + f"{error_type}/" + evaluate(DEFAULT_PREFIX, oldest)
    compression = config.get("CompressionFormat", "UNCOMPRESSED")
    extension = config.get("FileExtension") or ("" if error_type else EXTENSIONS.get(compression, ""))
    stamp = now.strftime("%Y-%m-%d-%H-%M-%S")
    return f"{prefix}{stream_name}-{version}-{stamp}-{uuid.uuid4()}{extension}"
