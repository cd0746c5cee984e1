"""The `ec2` protocol: EC2's dialect of query.

Requests differ from query in naming and lists, as botocore's `EC2Serializer`
writes them: a member travels under its `queryName`, else its `locationName`
capitalised, else its name; every list is `Name.N` (never `.member.N`, never
written when empty). Responses are `<OpResponse xmlns="http://ec2.amazonaws.com/
doc/<apiVersion>/"><requestId>..</requestId>..members..</OpResponse>`; errors are
`<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
"""

from __future__ import annotations

from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireResponse
from .query import QueryCodec
from .xml_writer import Element, members_text, text_element, to_bytes, write_error_fields


class Ec2Codec(QueryCodec):
    """ec2."""

    protocol = "ec2"

    def serialized_name(self, shape: Shape, default: str) -> str:
        if "queryName" in shape.serialization:
            return shape.serialization["queryName"]
        name = shape.serialization.get("name")
        return name[0].upper() + name[1:] if name else default

    def list_item_prefix(self, shape: Shape, prefix: str) -> str:
        return prefix

    def namespace(self, model: ServiceModel) -> str:
        return f"http://ec2.amazonaws.com/doc/{model.api_version}/"

    def write_result(self, parts: list[str], operation: OperationModel, result: dict[str, Any], request_id: str) -> None:
        shape = operation.output_shape
        attributes, content = members_text(shape, result) if shape is not None else ("", "")
        request_id = f"<requestId>{request_id}</requestId>" if request_id else "<requestId />"
        parts.append(f"{attributes}>{request_id}{content}</{operation.name}Response>")

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        root = Element("Response")
        node = text_element(text_element(root, "Errors", None), "Error", None)
        text_element(node, "Code", error.code)
        text_element(node, "Message", error.message)
        write_error_fields(node, None, error.fields)
        text_element(root, "RequestID", request_id)
        headers = self.headers(request_id)
        headers.update(error.headers)
        return WireResponse(error.status, headers, to_bytes(root))
