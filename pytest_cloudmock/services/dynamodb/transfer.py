"""Items at a point in time, and the DynamoDB JSON / CSV formats of exports and imports to S3."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
from typing import Any

from ...api import RequestContext, new_request_id
from .state import Table
from .storage import ItemMap
from .values import Item, validate_item


def items_at(table: Table, moment: float) -> list[Item]:
    """The table's items as they were at `moment`: the PITR baseline, then changes up to then."""
    state: dict[tuple[Any, Any], Item] = {}
    for item in table.pitr_baseline:
        state[table.locate(item)] = item
    for at, key, new in table.history:
        if round(at * 1000) > round(moment * 1000):  # the wire carries milliseconds
            break
        position = table.locate(key)
        if new is None:
            state.pop(position, None)
        else:
            state[position] = new
    return list(state.values())


def refill(table: Table, items: list[Item]) -> None:
    """Replace a table's items (and its indexes' entries) with `items`."""
    table.items, table.size_bytes = ItemMap(), 0
    for index in table.indexes.values():
        index.items, index.size_bytes = ItemMap(), 0
    for item in items:
        table.write(item, item)


def value_to_json(value: dict[str, Any]) -> dict[str, Any]:
    """One attribute value as DynamoDB JSON (binary as base64 text)."""
    kind, raw = next(iter(value.items()))
    if kind == "B":
        return {"B": base64.b64encode(raw).decode()}
    if kind == "BS":
        return {"BS": [base64.b64encode(b).decode() for b in raw]}
    if kind == "L":
        return {"L": [value_to_json(v) for v in raw]}
    if kind == "M":
        return {"M": {k: value_to_json(v) for k, v in raw.items()}}
    return {kind: raw}


def value_from_json(value: dict[str, Any]) -> dict[str, Any]:
    kind, raw = next(iter(value.items()))
    if kind == "B":
        return {"B": base64.b64decode(raw)}
    if kind == "BS":
        return {"BS": [base64.b64decode(b) for b in raw]}
    if kind == "L":
        return {"L": [value_from_json(v) for v in raw]}
    if kind == "M":
        return {"M": {k: value_from_json(v) for k, v in raw.items()}}
    return {kind: raw}


def export_lines(items: list[Item]) -> bytes:
    """A gzipped DynamoDB JSON export data file: one `{"Item": ...}` per line."""
    text = "".join(json.dumps({"Item": {k: value_to_json(v) for k, v in item.items()}}, separators=(",", ":")) + "\n" for item in items)
    return gzip.compress(text.encode())


def parse_import(data: bytes, input_format: str, compression: str | None, attributes: dict[str, str],
                 csv_options: dict[str, Any] | None = None) -> list[Item]:
    """Items from one imported object (DynamoDB JSON lines or CSV)."""
    if compression == "GZIP":
        data = gzip.decompress(data)
    text = data.decode()
    if input_format == "CSV":
        options = csv_options or {}
        reader = csv.reader(io.StringIO(text), delimiter=options.get("Delimiter") or ",")
        rows = list(reader)
        header = options.get("HeaderList") or (rows.pop(0) if rows else [])
        items = []
        for row in rows:
            item = {}
            for name, cell in zip(header, row, strict=False):
                if cell != "" or name in attributes:
                    kind = attributes.get(name, "S")
                    item[name] = {kind: cell} if kind != "B" else {"B": base64.b64decode(cell)}
            items.append(validate_item(item))
        return items
    return [validate_item({k: value_from_json(v) for k, v in json.loads(line)["Item"].items()})
            for line in text.splitlines() if line.strip()]


def s3_bytes(ctx: RequestContext, bucket: str, key: str) -> bytes:
    """An object's bytes, read through the registry from the gateway's S3."""
    registry = ctx.registry
    target = registry.get("s3") if registry is not None else None
    if registry is None or target is None:
        raise LookupError("S3 is not available")
    sub = RequestContext(service="s3", operation="GetObject", params={"Bucket": bucket, "Key": key}, region=ctx.region,
                  account_id=ctx.account_id, access_key_id=ctx.access_key_id, request_id=new_request_id(),
                  protocol="internal", endpoint=ctx.endpoint, identity=ctx.identity, registry=registry)
    body = registry.invoke(target, sub).body
    return _as_bytes(body.get("Body", b"") if isinstance(body, dict) else body)


def _as_bytes(body: Any) -> bytes:
    """Bytes from what a service answered: bytes, a readable stream, or an iterable of chunks."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if hasattr(body, "read"):
        return body.read()
    return b"".join(bytes(chunk) for chunk in body)
