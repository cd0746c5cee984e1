"""The rest-json codec (Lambda, API Gateway, EKS, ... some 250 services).

The inverse of botocore's `RestJSONSerializer` and `RestJSONParser`: routing and
locations come from `rest.RestCodec`; bodies are JSON converted per shape by the
json codec's `JsonTree`. Errors carry the code in `x-amzn-ErrorType` and a JSON
body `{"message": ..., <modelled fields>}`.
"""

from __future__ import annotations

import copy
import json
from functools import cached_property
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireResponse
from .eventstream import EventBodies
from .json_ import (
    JsonTree,
    Mismatch,
    dumps,
    error_fields,
    find_error_shape,
    load_json,
    query_error_header,
)
from .rest import RestCodec, write_locations


class RestJsonCodec(RestCodec):
    """rest-json: URI-routed requests with JSON payloads; JSON responses and errors."""

    protocol = "rest-json"
    content_type = "application/json"
    tree = JsonTree()

    def parse_body(self, body: bytes, shape: Shape, member_name: str | None) -> Any:
        if shape.type_name == "structure" and shape.is_document_type:
            try:
                return json.loads(body)
            except (ValueError, UnicodeDecodeError):
                raise AWSError("SerializationException", "Malformed JSON in request body") from None
        try:
            value = self.tree.decode(shape, load_json(body))
        except Mismatch as exc:
            raise AWSError("SerializationException", str(exc)) from None
        if member_name is None:
            return {
                k: v for k, v in value.items() if "location" not in shape.members[k].serialization
            }
        return value

    def bad_location(self, exc: Exception) -> AWSError:
        return AWSError("SerializationException", str(exc), 400)

    @cached_property
    def event_bodies(self) -> EventBodies:
        return EventBodies(
            "application/json",
            lambda shape, value: dumps(self.tree.encode(shape, value)),
            lambda shape, data: self.tree.decode(shape, load_json(data)),
        )

    def write_body(
        self, value: Any, shape: Shape, member_name: str | None, operation: OperationModel
    ) -> bytes:
        if member_name is None:
            value = {
                k: v
                for k, v in value.items()
                if k in shape.members and "location" not in shape.members[k].serialization
            }
        return dumps(self.tree.encode(shape, value))

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        shape = find_error_shape(model, error.code)
        code = shape.error_code if shape is not None else error.code
        headers = self.request_id_headers(request_id)
        body_fields = dict(error.fields)
        if shape is not None:
            write_locations(error.fields, shape, headers)
            body_fields = {
                k: v
                for k, v in error.fields.items()
                if k not in shape.members or "location" not in shape.members[k].serialization
            }
        headers["x-amzn-ErrorType"] = code  # wins over a modelled `errorType` header member
        headers.update(query_error_header(model, error, shape))
        headers.update(error.headers)
        if operation is not None and operation.http.get("method") == "HEAD":
            return WireResponse(error.status, headers, b"")
        headers["Content-Type"] = self.content_type
        body_error = copy.copy(error)
        body_error.fields = body_fields
        return WireResponse(
            error.status, headers, dumps(error_fields(self.tree, body_error, shape))
        )
