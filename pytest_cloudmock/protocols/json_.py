"""The `json` protocol (awsJson 1.0 and 1.1): DynamoDB, KMS, CloudWatch Logs...

Requests are `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON
body shaped like the input shape; responses are JSON shaped like the output
shape; errors are `{"__type": code, "message": ...}` with `x-amzn-ErrorType`, and
for `awsQueryCompatible` services `x-amzn-query-error: <code>;Sender|Receiver`.

`JsonTree` (shape-driven conversion between JSON values and the typed values a
boto3 user sees) is shared with the CBOR codec and any JSON-bodied protocol.
"""

from __future__ import annotations

import json
from functools import cached_property, lru_cache
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireRequest, WireResponse
from . import eventstream, values
from .base import Codec

_JSON_TYPES = {
    str: "STRING_VALUE",
    bool: "BOOLEAN_VALUE",
    int: "NUMBER_VALUE",
    float: "NUMBER_VALUE",
    dict: "START_OBJECT",
    list: "START_ARRAY",
}
_EXPECTED = {
    "string": "String",
    "character": "String",
    "integer": "Integer",
    "long": "Long",
    "short": "Short",
    "byte": "Byte",
    "float": "Float",
    "double": "Double",
    "boolean": "Boolean",
    "timestamp": "Timestamp",
    "blob": "Blob",
    "list": "List",
    "map": "Map",
    "structure": "Structure",
}


class Mismatch(ValueError):
    """A wire value that does not fit its shape (`path`: where, e.g. `Items[0].Name`)."""

    def __init__(self, path: str, value: Any, shape: Shape, detail: str = "") -> None:
        self.path = path
        self._token = _JSON_TYPES.get(type(value), type(value).__name__)
        self._expected = _EXPECTED.get(shape.type_name, shape.type_name)
        self._detail = detail
        super().__init__(self._message())

    def _message(self) -> str:
        where = f" at '{self.path}'" if self.path else ""
        return self._detail or f"{self._token} can not be converted to {self._expected}{where}"

    def within(self, step: str) -> None:
        """The same mismatch one level up: `step` (a member or map key name, or `[i]`) before
        its path. Paths are built this way, only when a value does not fit."""
        rest = self.path
        self.path = step if not rest else f"{step}{rest}" if rest[0] == "[" else f"{step}.{rest}"
        self.args = (self._message(),)


class JsonTree:
    """Convert between typed values and JSON-style trees, driven by botocore shapes.

    `decode` reads a parsed body (types restored: ints, floats incl. `NaN`,
    booleans, aware datetimes, bytes) and raises `Mismatch` for a value that
    does not fit; `encode` writes a result dict, skipping `None` and members the
    shape does not define. Subclasses change how scalars and member names travel.
    """

    default_timestamp_format = values.UNIX

    def __init__(self) -> None:
        #: per-shape plans (`_input_plan`, `_output_plan`)
        self._inputs: dict[Shape, dict[str, tuple[int, str, Shape, bool]]] = {}
        self._outputs: dict[Shape, dict[str, tuple[str, Shape, bool]]] = {}

    def member_key(self, name: str, member: Shape) -> str:
        """The request key of a structure member (its `jsonName`/`locationName`, else its name)."""
        return member.serialization.get("name", name)

    def output_key(self, name: str, member: Shape) -> str:
        """The response key of a structure member."""
        return self.member_key(name, member)

    # -- wire -> typed -------------------------------------------------------

    def decode(self, shape: Shape, value: Any) -> Any:
        """The typed value of a parsed body; `Mismatch` if it does not fit the shape."""
        try:
            return self._decode(shape, value)
        except RecursionError:
            raise Mismatch("", value, shape, "Request nesting is too deep") from None

    def _decode(self, shape: Shape, value: Any) -> Any:
        if value is None:
            return None
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                return value
            if not isinstance(value, dict):
                raise Mismatch("", value, shape)
            # the body's keys looked up in the shape (a body names few of a shape's members);
            # the result keeps the shape's member order, and a mismatch is the first in it
            plan = self._inputs.get(shape)
            if plan is None:
                plan = self._input_plan(shape)
            out = {}
            ordered, last = True, -1
            for key, raw in value.items():
                found = plan.get(key)
                if found is None or raw is None:
                    continue
                position, name, member, plain = found
                if plain and raw.__class__ is str:
                    out[name] = raw
                else:
                    try:
                        out[name] = self._decode(member, raw)
                    except Mismatch as exc:
                        self._decode_members(plan, value)  # raises the shape's first mismatch
                        exc.within(name)
                        raise
                if position < last:
                    ordered = False
                last = position
            if not ordered:
                out = {found[1]: out[found[1]] for found in plan.values() if found[1] in out}
            return out
        if kind == "list":
            if not isinstance(value, list):
                raise Mismatch("", value, shape)
            member = shape.member
            out_list = []
            for i, item in enumerate(value):
                try:
                    out_list.append(self._decode(member, item))
                except Mismatch as exc:
                    exc.within(f"[{i}]")
                    raise
            return out_list
        if kind == "map":
            if not isinstance(value, dict):
                raise Mismatch("", value, shape)
            out_map = {}
            key_shape, value_shape = shape.key, shape.value
            plain_keys = self._plain(key_shape)
            for key, item in value.items():
                decoded = key if plain_keys and key.__class__ is str else self._decode(key_shape, key)
                try:
                    out_map[decoded] = self._decode(value_shape, item)
                except Mismatch as exc:
                    exc.within(key)
                    raise
            return out_map
        try:
            return self.decode_scalar(shape, value)
        except (ValueError, TypeError, OverflowError) as exc:
            raise Mismatch("", value, shape) from exc

    def _decode_members(self, plan: dict[str, tuple[int, str, Shape, bool]], value: dict[str, Any]) -> None:
        """Decode a structure's members in the shape's order: raises the first `Mismatch`."""
        for key, (_, name, member, _) in plan.items():
            raw = value.get(key)
            if raw is not None:
                try:
                    self._decode(member, raw)
                except Mismatch as exc:
                    exc.within(name)
                    raise

    def _plain(self, shape: Shape) -> bool:
        """Whether `decode` gives a `str` value of this shape back as it is (strings, unless a
        tree reads scalars its own way)."""
        return shape.type_name in ("string", "character") and type(self).decode_scalar is JsonTree.decode_scalar

    def _input_plan(self, shape: Shape) -> dict[str, tuple[int, str, Shape, bool]]:
        """Request key -> (position in the shape, member name, member shape, read as it is when
        a string) of a structure, in the shape's order; worked out once per shape."""
        plan = self._inputs.get(shape)
        if plan is None:
            plan = self._inputs[shape] = {
                self.member_key(name, member): (position, name, member, self._plain(member))
                for position, (name, member) in enumerate(shape.members.items())
            }
        return plan

    def _output_plan(self, shape: Shape) -> dict[str, tuple[str, Shape, bool]]:
        """Member name -> (response key, member shape, written as it is), once per shape."""
        plan = self._outputs.get(shape)
        if plan is None:
            plan = self._outputs[shape] = {name: (self.output_key(name, member), member, self._as_is(member))
                                           for name, member in shape.members.items()}
        return plan

    def _as_is(self, shape: Shape) -> bool:
        """Whether `encode` returns a value of this shape unchanged (strings, unless a tree
        writes scalars its own way)."""
        return shape.type_name in ("string", "character") and type(self).encode_scalar is JsonTree.encode_scalar

    def decode_scalar(self, shape: Shape, value: Any) -> Any:
        kind = shape.type_name
        if isinstance(value, (dict, list)):
            raise TypeError(kind)
        if kind in ("string", "character"):
            if not isinstance(value, str):
                raise TypeError(kind)
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                raise TypeError(kind)
            return value
        if kind in ("integer", "long", "short", "byte", "bigInteger"):
            if isinstance(value, str):
                raise TypeError(kind)
            return values.parse_int(value)
        if kind in ("float", "double", "bigDecimal"):
            return values.parse_float(value)
        if kind == "timestamp":
            return self.decode_timestamp(shape, value)
        if kind == "blob":
            return self.decode_blob(value)
        return value

    def decode_timestamp(self, shape: Shape, value: Any) -> Any:
        fmt = values.timestamp_format(shape, self.default_timestamp_format)
        return values.parse_timestamp(value, fmt)

    def decode_blob(self, value: Any) -> bytes:
        if not isinstance(value, str):
            raise TypeError("blob")
        return values.decode_blob(value)

    # -- typed -> wire -------------------------------------------------------

    def encode(self, shape: Shape, value: Any) -> Any:
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                return value
            plan = self._outputs.get(shape)
            if plan is None:
                plan = self._output_plan(shape)
            out = {}
            for name, item in value.items():
                if item is not None and (found := plan.get(name)) is not None:
                    key, member, as_is = found
                    out[key] = item if as_is else self.encode(member, item)
            return out
        if kind == "list":
            member = shape.member
            if self._as_is(member):
                return list(value)
            return [None if item is None else self.encode(member, item) for item in value]
        if kind == "map":
            return {
                key: None if item is None else self.encode(shape.value, item)
                for key, item in value.items()
            }
        return self.encode_scalar(shape, value)

    def encode_scalar(self, shape: Shape, value: Any) -> Any:
        kind = shape.type_name
        if kind in ("float", "double", "bigDecimal"):
            return values.format_float(float(value))
        if kind in ("integer", "long", "short", "byte", "bigInteger"):
            return int(value)
        if kind == "timestamp":
            return self.encode_timestamp(shape, value)
        if kind == "blob":
            return values.encode_blob(value)
        if kind == "boolean":
            return bool(value)
        return value

    def encode_timestamp(self, shape: Shape, value: Any) -> Any:
        fmt = values.timestamp_format(shape, self.default_timestamp_format)
        return values.format_timestamp(value, fmt)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (unknown objects, e.g. datetimes in shape-less bodies, as text).

    Text UTF-8 cannot carry (a lone surrogate, e.g. echoed from a request) is written
    as JSON `\\u` escapes instead, which JSON parsers read back as the same string.
    """
    text = _ENCODER.encode(value)
    try:
        return text.encode()
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"), default=_fallback).encode()


def _fallback(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return values.encode_blob(value)
    if hasattr(value, "isoformat"):
        return values.format_timestamp(value, values.UNIX)
    return str(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_fallback)


def find_error_shape(model: ServiceModel | None, code: str) -> Shape | None:
    """The error shape named `code`, else one whose `error.code` is."""
    if model is None:
        return None
    shapes = model.error_shapes
    by_name = next((shape for shape in shapes if shape.name == code), None)
    if by_name is not None:
        return by_name
    return next((shape for shape in shapes if shape.error_code == code), None)


def error_fields(tree: JsonTree, error: AWSError, shape: Shape | None) -> dict[str, Any]:
    """The error's message and fields as body members (`__type` excluded)."""
    message_key = "message"
    body: dict[str, Any] = {}
    if shape is not None:
        member = next((m for m in shape.members if m.lower() == "message"), None)
        if member is not None:
            message_key = tree.member_key(member, shape.members[member])
        known = {k: v for k, v in error.fields.items() if k in shape.members}
        body.update(tree.encode(shape, known))
        body.update({k: v for k, v in error.fields.items() if k not in shape.members})
    else:
        body.update(error.fields)
    if error.message or message_key not in body:
        body[message_key] = error.message
    return body


def decode_params(
    tree: JsonTree, operation: OperationModel | None, body: dict[str, Any]
) -> dict[str, Any]:
    """A decoded JSON-family body as params per the input shape (as is without a model)."""
    if operation is None or operation.input_shape is None:
        return body
    try:
        return tree.decode(operation.input_shape, body)
    except Mismatch as exc:
        raise AWSError("SerializationException", str(exc)) from None


def wire_error_code(model: ServiceModel | None, error: AWSError, shape: Shape | None) -> str:
    """The code a JSON-family error body names (`__type`).

    The shape's `error.code` where botocore maps codes by it, but the shape name for
    awsQueryCompatible services, whose query code travels in `x-amzn-query-error`.
    """
    if shape is None:
        return error.code
    return shape.name if model is not None and model.is_query_compatible else shape.error_code


def query_error_header(
    model: ServiceModel | None, error: AWSError, shape: Shape | None, query_code: str | None = None
) -> dict[str, str]:
    """`x-amzn-query-error` for awsQueryCompatible services: the query code and fault.

    `query_code`: the code a query client sees, where the model does not carry it.
    """
    if model is None or not model.is_query_compatible:
        return {}
    code = query_code or (shape.error_code if shape is not None else error.code)
    fault = "Sender" if error.sender_fault else "Receiver"
    return {"x-amzn-query-error": f"{code};{fault}"}


def rpc_event_stream(
    result: dict[str, Any], shape: Shape, bodies: eventstream.EventBodies
) -> Any:
    """An rpc protocol's event-stream body: the output's other members as the
    `initial-response` event, then the stream member's events."""
    name = shape.event_stream_name
    others = {k: v for k, v in result.items() if k != name}
    initial = eventstream.initial_response(bodies.write(shape, others), bodies.content_type)
    return eventstream.event_stream_body(result.get(name), shape.members[name], bodies, initial)


class JsonCodec(Codec):
    """awsJson 1.0 / 1.1."""

    protocol = "json"
    tree = JsonTree()

    def matches(self, request: WireRequest) -> bool:
        headers = request.headers
        return (headers.get("Content-Type", "").startswith(("application/x-amz-json", "application/json"))
                and "X-Amz-Target" in headers)

    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        prefix, _, name = request.headers.get("X-Amz-Target", "").rpartition(".")
        if not name:
            return None
        if model is None:
            return name
        if name in model.operation_names and prefix in ("", model.metadata.get("targetPrefix")):
            return name
        return None

    def parse(
        self, request: WireRequest, operation: OperationModel | None, *, stream_payload: bool = False
    ) -> dict[str, Any]:
        return decode_params(self.tree, operation, load_json(request.body))

    def serialize(
        self,
        result: dict[str, Any],
        operation: OperationModel | None,
        request_id: str,
        status: int = 0,
    ) -> WireResponse:
        shape = operation.output_shape if operation is not None else None
        headers = self._headers(operation, request_id)
        if shape is not None and shape.event_stream_name:
            body = rpc_event_stream(result or {}, shape, self.event_bodies)
            headers["Content-Type"] = eventstream.CONTENT_TYPE
            return WireResponse(status or 200, headers, body)
        body = self.tree.encode(shape, result or {}) if shape is not None else (result or {})
        return WireResponse(status or 200, headers, dumps(body))

    @cached_property
    def event_bodies(self) -> eventstream.EventBodies:
        return eventstream.EventBodies(
            "application/json",
            lambda shape, value: dumps(self.tree.encode(shape, value)),
            lambda shape, data: self.tree.decode(shape, load_json(data)),
        )

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        shape = self.error_shape(model, error.code)
        code = wire_error_code(model, error, shape)
        body = {"__type": code, **error_fields(self.tree, error, shape)}
        headers = self._headers(operation, request_id, model)
        headers["x-amzn-ErrorType"] = code
        query_code = self.query_error_code(shape) if shape is not None else None
        headers.update(query_error_header(model, error, shape, query_code))
        headers.update(error.headers)
        return WireResponse(error.status, headers, dumps(body))

    def error_shape(self, model: ServiceModel | None, code: str) -> Shape | None:
        """The error shape `code` names (by shape name or `error.code`)."""
        return find_error_shape(model, code)

    def query_error_code(self, shape: Shape) -> str | None:
        """The code a query client sees for an error shape, where the model lacks it."""
        return None

    @staticmethod
    def _headers(
        operation: OperationModel | None, request_id: str, model: ServiceModel | None = None
    ) -> dict[str, str]:
        model = operation.service_model if operation is not None else model
        return {"Content-Type": _content_type(model), "x-amzn-RequestId": request_id}


_DECODER = json.JSONDecoder()
_JSON_SPACE = " \t\n\r"  # what JSON calls whitespace


@lru_cache(maxsize=1024)
def _content_type(model: ServiceModel | None) -> str:
    """A service's JSON content type (`application/x-amz-json-1.1` by its `jsonVersion`)."""
    version = (model.metadata.get("jsonVersion") if model is not None else None) or "1.0"
    return f"application/x-amz-json-{version}"


def load_json(raw: bytes) -> dict[str, Any]:
    """A request body as a JSON object (empty body: `{}`); `SerializationException` otherwise."""
    if raw[:1] == b"{" and raw[1:2] != b"\0":  # what `json.loads` reads as UTF-8 (all SDKs send)
        try:
            text = raw.decode("utf-8", "surrogatepass")
            body, end = _DECODER.raw_decode(text)
            if end != len(text) and text[end:].strip(_JSON_SPACE):
                raise ValueError("Extra data")
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise AWSError("SerializationException", "Malformed JSON in request body") from None
        return body
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise AWSError("SerializationException", "Malformed JSON in request body") from None
    if not isinstance(body, dict):
        raise AWSError(
            "SerializationException",
            f"{_JSON_TYPES.get(type(body), 'VALUE')} can not be converted to Structure",
        )
    return body
