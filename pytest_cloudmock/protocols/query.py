"""The `query` protocol (IAM, STS, SNS, CloudFormation, RDS...).

Requests are form-encoded `Action=<Op>&Version=<api>&...` (POST body or URL
query), with nested values flattened into dotted keys the way botocore's
`QuerySerializer` writes them: `Foo.member.N` lists (`Foo.N` when flattened,
renamed by the member's `locationName`), `Foo.entry.N.key`/`.value` maps,
`Foo.Bar` structures, `locationName` renames. Responses are
`<OpResponse xmlns=..><OpResult>..</OpResult><ResponseMetadata><RequestId>`
(the result wrapper from the model) written by `xml_writer`; errors are
`<ErrorResponse><Error><Type/><Code/><Message/>..fields..</Error><RequestId/>`.

`Ec2Codec` (ec2.py) differs only in naming, list layout and envelopes.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireRequest, WireResponse, form_pairs
from .base import Codec
from .json_ import find_error_shape
from .values import ISO8601, scalar_from_text
from .xml_writer import (
    XML_DECLARATION,
    Element,
    _escape_attribute,
    _escape_text,
    finish_document,
    members_text,
    text_element,
    to_bytes,
    write_error_fields,
)

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
XML_CONTENT_TYPE = "text/xml"
_INDEX = re.compile(r"^[1-9]\d*$")


class _Form:
    """A request's flat form parameters, with every dotted prefix indexed for lookups."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = params
        self.prefixes: set[str] = set()
        self._indices: dict[str, set[int]] = {}
        for key in params:
            if "." not in key:  # a top-level name: no prefix, no item number
                continue
            parts = key.split(".")
            for i in range(1, len(parts) + 1):
                if i < len(parts):
                    self.prefixes.add(".".join(parts[:i]))
                if i > 1 and _INDEX.match(parts[i - 1]):
                    self._indices.setdefault(".".join(parts[: i - 1]), set()).add(int(parts[i - 1]))

    def has_children(self, prefix: str) -> bool:
        return prefix in self.prefixes if prefix else bool(self.params)

    def indices(self, prefix: str) -> list[int]:
        """The item numbers N present under `prefix.N`, in order."""
        return sorted(self._indices.get(prefix, ()))


_MISSING = object()
_CONTAINERS = frozenset({"structure", "list", "map"})


class QueryCodec(Codec):
    """awsQuery."""

    protocol = "query"

    def __init__(self) -> None:
        #: operation -> the opening of its answer's root element, `<OpResponse xmlns="..."`
        self._openings: dict[OperationModel, str] = {}
        #: structure -> its members as (name, serialized name, shape, scalar or not)
        self._members: dict[Shape, tuple[tuple[str, str, Shape, bool], ...]] = {}

    # -- naming (ec2 overrides) ---------------------------------------------

    def serialized_name(self, shape: Shape, default: str) -> str:
        """The name a member, list item or map key/value travels under in a request."""
        return shape.serialization.get("name", default)

    def list_item_prefix(self, shape: Shape, prefix: str) -> str:
        """The prefix of a list's numbered items (`Foo.member`, or `Foo` when flattened)."""
        if shape.serialization.get("flattened"):
            name = shape.member.serialization.get("name")
            if name:
                return ".".join([*prefix.split(".")[:-1], name])
            return prefix
        return f"{prefix}.{shape.member.serialization.get('name', 'member')}"

    # -- requests ------------------------------------------------------------

    def matches(self, request: WireRequest) -> bool:
        if "X-Amz-Target" in request.headers:
            return False
        content_type = request.headers.get("Content-Type", "")
        return content_type.startswith(FORM_CONTENT_TYPE) or "Action" in request.query

    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        action = self.form(request).get("Action")
        if not action:
            return None
        if model is None or action in model.operation_names:
            return action
        return None

    def form(self, request: WireRequest) -> dict[str, str]:
        """URL query and form body parameters as one flat dict (the body wins); read once per
        request (routing and parsing both ask) and shared by them: read it, never change it."""
        kept = request.__dict__.get("_form")
        if kept is None or kept[0] is not request.body:
            kept = request.__dict__["_form"] = (request.body, self._read_form(request))
        return kept[1]

    def _read_form(self, request: WireRequest) -> dict[str, str]:
        params = {key: values[0] for key, values in request.query.items() if values} if request.query else {}
        content_type = request.headers.get("Content-Type", "")
        if request.body and (not content_type or content_type.startswith(FORM_CONTENT_TYPE)):
            try:
                text = request.body.decode("utf-8")
            except UnicodeDecodeError:
                raise AWSError("MalformedQueryString", "The request body is not UTF-8.") from None
            params.update(form_pairs(text))
        return params

    def parse(
        self, request: WireRequest, operation: OperationModel | None, *, stream_payload: bool = False
    ) -> dict[str, Any]:
        params = self.form(request)
        if operation is None or operation.input_shape is None:
            return {k: v for k, v in params.items() if k not in ("Action", "Version")}
        if not operation.input_shape.members:  # (STS GetCallerIdentity)
            return {}
        value = self._read(operation.input_shape, "", _Form(params))
        return {} if value is _MISSING else value

    def _read(self, shape: Shape, prefix: str, form: _Form) -> Any:
        kind = shape.type_name
        if kind == "structure":
            return self._read_structure(shape, prefix, form)
        if kind == "list":
            return self._read_list(shape, prefix, form)
        if kind == "map":
            return self._read_map(shape, prefix, form)
        text = form.params.get(prefix)
        if text is None:
            return _MISSING
        try:
            return scalar_from_text(shape, text, ISO8601)
        except ValueError:
            raise self.invalid_value(prefix, text) from None

    def _read_structure(self, shape: Shape, prefix: str, form: _Form) -> Any:
        if not form.has_children(prefix):
            return _MISSING
        members = self._members.get(shape)
        if members is None:
            members = self._members[shape] = tuple(
                (name, self.serialized_name(member, name), member, member.type_name not in _CONTAINERS)
                for name, member in shape.members.items()
            )
        params = form.params
        out = {}
        for name, key, member, scalar in members:
            path = f"{prefix}.{key}" if prefix else key
            if scalar and path not in params:  # (most members are absent)
                continue
            value = self._read(member, path, form)
            if value is not _MISSING:
                out[name] = value
        return out if out or not prefix else _MISSING

    def _read_list(self, shape: Shape, prefix: str, form: _Form) -> Any:
        item_prefix = self.list_item_prefix(shape, prefix)
        indices = form.indices(item_prefix)
        if not indices:
            return [] if form.params.get(prefix) == "" else _MISSING
        items = []
        for i in indices:
            item = self._read(shape.member, f"{item_prefix}.{i}", form)
            if item is not _MISSING:
                items.append(item)
        return items

    def _read_map(self, shape: Shape, prefix: str, form: _Form) -> Any:
        entry_prefix = prefix if shape.serialization.get("flattened") else f"{prefix}.entry"
        key_name = self.serialized_name(shape.key, "key")
        value_name = self.serialized_name(shape.value, "value")
        indices = form.indices(entry_prefix)
        if not indices:
            return {} if form.params.get(prefix) == "" else _MISSING
        out = {}
        for i in indices:
            key = self._read(shape.key, f"{entry_prefix}.{i}.{key_name}", form)
            if key is _MISSING:
                raise AWSError(
                    "InvalidParameterValue", f"Missing key for map entry {entry_prefix}.{i}."
                )
            value = self._read(shape.value, f"{entry_prefix}.{i}.{value_name}", form)
            out[key] = None if value is _MISSING else value
        return out

    def invalid_value(self, name: str, text: str) -> AWSError:
        return AWSError("InvalidParameterValue", f"Value ({text}) for parameter {name} is invalid.")

    # -- responses -----------------------------------------------------------

    def namespace(self, model: ServiceModel) -> str:
        return model.metadata.get("xmlNamespace") or (
            f"http://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
        )

    def serialize(
        self,
        result: dict[str, Any],
        operation: OperationModel | None,
        request_id: str,
        status: int = 0,
    ) -> WireResponse:
        opening = self._openings.get(operation)
        if opening is None:  # `<OpResponse xmlns="..."` (its attributes and `>` follow)
            namespace = _escape_attribute(self.namespace(operation.service_model))
            opening = self._openings[operation] = f'<{operation.name}Response xmlns="{namespace}"'
        parts = [XML_DECLARATION, opening]
        self.write_result(parts, operation, result or {}, _escape_text(request_id))
        return WireResponse(status or 200, self.headers(request_id), finish_document(parts))

    def write_result(self, parts: list[str], operation: OperationModel, result: dict[str, Any], request_id: str) -> None:
        """The rest of the answer after the root's opening: `[attributes]>`, the result wrapper
        with the members, `ResponseMetadata`, the root's end (`request_id` escaped)."""
        shape = operation.output_shape
        if shape is None:
            parts.append(">")
        else:
            attributes, content = members_text(shape, result)
            wrapper = shape.serialization.get("resultWrapper")
            if not wrapper:
                parts.append(f"{attributes}>{content}")
            elif content:
                parts.append(f"><{wrapper}{attributes}>{content}</{wrapper}>")
            else:
                parts.append(f"><{wrapper}{attributes} />")
        request_id = f"<RequestId>{request_id}</RequestId>" if request_id else "<RequestId />"
        parts.append(f"<ResponseMetadata>{request_id}</ResponseMetadata></{operation.name}Response>")

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        shape = find_error_shape(model, error.code)
        code = shape.error_code if shape is not None else error.code
        attrs = {"xmlns": self.namespace(model)} if model is not None else {}
        root = Element("ErrorResponse", attrs)
        node = text_element(root, "Error", None)
        text_element(node, "Type", "Sender" if error.sender_fault else "Receiver")
        text_element(node, "Code", code)
        text_element(node, "Message", error.message)
        write_error_fields(node, shape, error.fields)
        text_element(root, "RequestId", request_id)
        headers = self.headers(request_id)
        headers.update(error.headers)
        return WireResponse(error.status, headers, to_bytes(root))

    @staticmethod
    def headers(request_id: str) -> dict[str, str]:
        return {"Content-Type": XML_CONTENT_TYPE, "x-amzn-RequestId": request_id}
