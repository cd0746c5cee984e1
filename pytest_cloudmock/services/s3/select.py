"""SelectObjectContent: CSV or JSON objects (optionally GZIP/BZIP2) queried with S3 Select SQL.

The object is read and the query run before the answer starts, so a bad
expression, serialization or cast is an ordinary 400; the result then streams as
the event stream botocore reads: `Records` (payload chunks), optional `Progress`,
`Stats` and `End`. Parquet input is not supported here (a 400 says so).
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .common import S3Base
from .select_sql import MISSING, CsvRow, Query, parse, run, text
from .sse import unseal

MAX_EXPRESSION = 256 * 1024
CHUNK = 64 * 1024


def _error(code: str, message: str) -> AWSError:
    return AWSError(code, message, 400)


def decompress(data: bytes, compression: str) -> bytes:
    try:
        if compression == "GZIP":
            return gzip.decompress(data)
        if compression == "BZIP2":
            return bz2.decompress(data)
    except (OSError, EOFError, ValueError, zlib.error):
        raise _error("InvalidCompressionFormat", f"The file is not in the {compression} format "
                     "given in the request.") from None
    if compression not in ("NONE", ""):
        raise _error("InvalidCompressionFormat", "The file is not in a supported compression "
                     "format. Only GZIP and BZIP2 are supported.")
    return data


def scan_range(data: bytes, scan: dict[str, Any] | None) -> bytes:
    """The records that start inside `ScanRange` (inclusive byte offsets), newline-delimited."""
    if not scan:
        return data
    start = scan.get("Start")
    end = scan.get("End")
    if start is None and end is not None:  # the last `End` bytes
        start, end = max(len(data) - end, 0), len(data) - 1
    start = start or 0
    end = len(data) - 1 if end is None else end
    if start > end or start < 0:
        raise _error("InvalidScanRange", "The scan range is invalid: Start must not be after End.")
    if start > 0:
        cut = data.find(b"\n", start - 1)
        start = len(data) if cut < 0 else cut + 1
    last = data.find(b"\n", end) if end < len(data) else -1
    return data[start:(len(data) if last < 0 else last + 1)]


def csv_records(data: str, options: dict[str, Any]) -> Iterator[CsvRow]:
    header_info = (options.get("FileHeaderInfo") or "NONE").upper()
    if header_info not in ("USE", "IGNORE", "NONE"):
        raise _error("InvalidFileHeaderInfo", "The FileHeaderInfo is invalid. Only NONE, USE, and "
                     "IGNORE are supported.")
    record_delimiter = options.get("RecordDelimiter") or "\n"
    if record_delimiter not in ("\n", "\r\n"):
        data = data.replace(record_delimiter, "\n")
    quote = options.get("QuoteCharacter", '"') or '"'
    escape = options.get("QuoteEscapeCharacter") or quote
    reader = csv.reader(
        io.StringIO(data), delimiter=options.get("FieldDelimiter") or ",", quotechar=quote,
        doublequote=escape == quote, escapechar=None if escape == quote else escape, strict=False,
    )
    comment = options.get("Comments")
    header: list[str] | None = None
    first = True
    try:
        for row in reader:
            if not row or (comment and row[0].startswith(comment)):
                continue
            if first and header_info != "NONE":
                first = False
                header = row if header_info == "USE" else None
                continue
            first = False
            yield CsvRow(row, header)
    except csv.Error as exc:
        raise _error("CSVParsingError", f"Encountered an error parsing the CSV file: {exc}") from None


def json_records(data: str, options: dict[str, Any], from_path: list[str | int]) -> Iterator[Any]:
    kind = (options.get("Type") or "").upper()
    if kind not in ("DOCUMENT", "LINES"):
        raise _error("InvalidJsonType", "The JsonType is invalid. Only DOCUMENT and LINES are supported.")
    decoder = json.JSONDecoder()
    values: list[Any] = []
    i = 0
    try:
        while True:
            while i < len(data) and data[i].isspace():
                i += 1
            if i >= len(data):
                break
            value, i = decoder.raw_decode(data, i)
            values.append(value)
    except ValueError as exc:
        raise _error("JSONParsingError", f"Encountered an error parsing the JSON file: {exc}") from None
    for value in values:
        yield from _follow(value, from_path)


def _follow(value: Any, steps: list[str | int]) -> Iterator[Any]:
    """The records a FROM path (`S3Object[*].Records[*]`) selects inside one JSON value."""
    if not steps:
        yield value
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        for item in value if isinstance(value, list) else [value]:
            yield from _follow(item, rest)
    elif isinstance(step, int):
        if isinstance(value, list) and -len(value) <= step < len(value):
            yield from _follow(value[step], rest)
    elif isinstance(value, dict) and step in value:
        yield from _follow(value[step], rest)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _csv_text(value: Any) -> str:
    if value is None or value is MISSING:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return text(value)


def serialize(rows: Iterable[Any], output: dict[str, Any], query: Query) -> Iterator[bytes]:
    """Output records, each as bytes with its record delimiter."""
    if "JSON" in output:
        delimiter = (output["JSON"] or {}).get("RecordDelimiter") or "\n"
        for row in rows:
            if isinstance(row, CsvRow):
                names = row.header or [f"_{i}" for i in range(1, len(row.values) + 1)]
                document: Any = dict(zip(names, row.values, strict=False))
            elif isinstance(row, list) and query.projection is not None:
                document = {name: _jsonable(value) for name, value in row if value is not MISSING}
            else:
                document = row
            yield (json.dumps(document, separators=(",", ":"), default=_jsonable) + delimiter).encode()
        return
    options = output.get("CSV") or {}
    quote_fields = (options.get("QuoteFields") or "ASNEEDED").upper()
    if quote_fields not in ("ALWAYS", "ASNEEDED"):
        raise _error("InvalidQuoteFields", "The QuoteFields is invalid. Only ALWAYS and ASNEEDED are supported.")
    quote = options.get("QuoteCharacter") or '"'
    escape = options.get("QuoteEscapeCharacter") or quote
    delimiter = options.get("RecordDelimiter") or "\n"
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=options.get("FieldDelimiter") or ",", quotechar=quote,
        quoting=csv.QUOTE_ALL if quote_fields == "ALWAYS" else csv.QUOTE_MINIMAL,
        doublequote=escape == quote, escapechar=None if escape == quote else escape, lineterminator=delimiter,
    )
    for row in rows:
        if isinstance(row, CsvRow):
            values = row.values
        elif isinstance(row, list) and query.projection is not None:
            values = [_csv_text(value) for _, value in row]
        elif isinstance(row, dict):
            values = [_csv_text(value) for value in row.values()]
        else:
            values = [_csv_text(row)]
        writer.writerow(values)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()


def chunks(records: Iterable[bytes]) -> Iterator[bytes]:
    pending = bytearray()
    for record in records:
        pending += record
        if len(pending) >= CHUNK:
            yield bytes(pending)
            pending.clear()
    if pending:
        yield bytes(pending)


class SelectOps(S3Base):
    """SelectObjectContent."""

    def select_object_content(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        if (params.get("ExpressionType") or "").upper() != "SQL":
            raise _error("InvalidExpressionType", "The ExpressionType is invalid. Only SQL "
                         "expressions are supported.")
        expression = params.get("Expression") or ""
        if len(expression.encode()) > MAX_EXPRESSION:
            raise _error("ExpressionTooLong", "The SQL expression is too long: The maximum byte-length "
                         "for the SQL expression is 256 KB.")
        source = params.get("InputSerialization") or {}
        output = params.get("OutputSerialization") or {}
        formats = [f for f in ("CSV", "JSON", "Parquet") if f in source]
        if len(formats) != 1:
            raise _error("ObjectSerializationConflict", "InputSerialization must name exactly one of "
                         "CSV, JSON and Parquet.")
        if len([f for f in ("CSV", "JSON") if f in output]) != 1:
            raise _error("ObjectSerializationConflict", "OutputSerialization must name exactly one "
                         "of CSV and JSON.")
        if formats[0] == "Parquet":
            raise errors.invalid_request("Parquet input is not supported by cloudmock's S3 Select.")
        query = parse(expression)
        if formats[0] == "CSV" and query.from_path:
            raise _error("InvalidTableAlias", "CSV objects are queried FROM S3Object only.")
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"])
        unseal(ctx, bucket, obj)
        raw = b"".join(obj.blob.chunks)
        compression = (source.get("CompressionType") or "NONE").upper()
        if params.get("ScanRange") and compression != "NONE":
            raise _error("UnsupportedScanRangeInput", "Scan range queries are not supported on "
                         "compressed objects.")
        data = scan_range(decompress(raw, compression), params.get("ScanRange"))
        try:
            content = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _error("InvalidTextEncoding", "Invalid encoding type. Only UTF-8 encoding is "
                         "supported.") from None
        records = (csv_records(content, source["CSV"] or {}) if formats[0] == "CSV"
                   else json_records(content, source["JSON"] or {}, query.from_path))
        payloads = list(chunks(serialize(run(query, records), output, query)))
        details = {"BytesScanned": len(raw), "BytesProcessed": len(data),
                   "BytesReturned": sum(len(p) for p in payloads)}
        progress = bool((params.get("RequestProgress") or {}).get("Enabled"))

        def events() -> Iterator[dict[str, Any]]:
            for payload in payloads:
                yield {"Records": {"Payload": payload}}
            if progress:
                yield {"Progress": {"Details": details}}
            yield {"Stats": {"Details": details}}
            yield {"End": {}}

        return {"Payload": events()}
