"""The rest-xml codec (Route 53, CloudFront, ... and, with their quirks, object storage).

The inverse of botocore's `RestXMLSerializer` and `RestXMLParser`: routing and
locations come from `rest.RestCodec`; this module reads XML request bodies per
shape and writes XML bodies (with `xml_writer`) and `<ErrorResponse><Error>` error
bodies. A service's subclass may rename output roots (`output_root`) and write
its own error document (`error_document`).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLParser

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireResponse
from . import xml_writer
from .eventstream import EventBodies
from .json_ import find_error_shape
from .rest import RestCodec, write_locations
from .values import ISO8601, scalar_from_text

MALFORMED_XML = (
    "The XML you provided was not well-formed or did not validate against our published schema"
)


@lru_cache(maxsize=64)
def service_namespace(model: ServiceModel) -> str | None:
    """The service's XML namespace, as its input shapes declare it."""
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        if shape is None:
            continue
        for candidate in (shape, *shape.members.values()):
            namespace = candidate.serialization.get("xmlNamespace")
            if isinstance(namespace, dict) and namespace.get("uri"):
                return namespace["uri"]
            if isinstance(namespace, str):
                return namespace
    return None


# -- reading XML request bodies ------------------------------------------------------


def parse_xml(body: bytes) -> Element:
    """The root element of an XML document; raises ValueError if it is not well-formed.

    Documents with a DTD are refused (no entity expansion).
    """
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise ValueError("DTDs are not allowed")
    parser = XMLParser(encoding="utf-8")
    try:
        parser.feed(body)
        return parser.close()
    except ParseError as exc:
        raise ValueError(str(exc)) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_value(node: Element, shape: Shape) -> Any:
    """The typed value of one element, per shape (inverse of `RestXMLSerializer`)."""
    kind = shape.type_name
    if kind == "structure":
        return read_members(node, shape)
    if kind == "list":
        return [read_value(child, shape.member) for child in node]
    if kind == "map":
        return _read_entries(list(node), shape)
    return scalar_from_text(shape, node.text or "", ISO8601)


def read_members(node: Element, shape: Shape) -> dict[str, Any]:
    """A structure's body members from its element (children and attributes)."""
    children: dict[str, list[Element]] = {}
    for child in node:
        children.setdefault(_local(child.tag), []).append(child)
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        serialization = member.serialization
        if "location" in serialization:
            continue
        wire_name = serialization.get("name", name)
        if serialization.get("xmlAttribute"):
            local = wire_name.rsplit(":", 1)[-1]
            for key, value in node.attrib.items():
                if _local(key) == local:
                    out[name] = scalar_from_text(member, value, ISO8601)
            continue
        nodes = children.get(wire_name)
        flattened = serialization.get("flattened")
        if member.type_name == "list" and flattened:
            item_name = member.member.serialization.get("name")
            if nodes is None and item_name:
                nodes = children.get(item_name)
            if nodes:
                out[name] = [read_value(n, member.member) for n in nodes]
        elif member.type_name == "map" and flattened:
            if nodes:
                out[name] = _read_entries(nodes, member)
        elif nodes:
            out[name] = read_value(nodes[0], member)
    return out


def _read_entries(entries: list[Element], shape: Shape) -> dict[Any, Any]:
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    out: dict[Any, Any] = {}
    for entry in entries:
        key = value = None
        for part in entry:
            tag = _local(part.tag)
            if tag == key_name:
                key = read_value(part, shape.key)
            elif tag == value_name:
                value = read_value(part, shape.value)
        if key is not None:
            out[key] = value
    return out


# -- the codec -----------------------------------------------------------------------


class RestXmlCodec(RestCodec):
    """rest-xml: URI-routed requests with XML payloads; XML responses and errors."""

    protocol = "rest-xml"
    content_type = "application/xml"

    def parse_body(self, body: bytes, shape: Shape, member_name: str | None) -> Any:
        """The payload, whose root must be the element botocore names after the shape."""
        try:
            root = parse_xml(body)
            expected = shape.serialization.get("name")
            if expected and _local(root.tag) != expected:
                raise ValueError(f"root element {root.tag!r} is not {expected!r}")
            return read_value(root, shape)
        except (ValueError, TypeError) as exc:
            raise AWSError("MalformedXML", MALFORMED_XML, 400) from exc

    def bad_location(self, exc: Exception) -> AWSError:
        return AWSError("InvalidArgument", f"Invalid argument: {exc}", 400)

    @cached_property
    def event_bodies(self) -> EventBodies:
        return EventBodies(
            "text/xml",
            lambda shape, value: xml_writer.to_xml(
                shape.serialization.get("name", shape.name), shape, value
            ),
            lambda shape, data: read_value(parse_xml(data), shape),
        )

    def write_body(
        self, value: Any, shape: Shape, member_name: str | None, operation: OperationModel
    ) -> bytes:
        namespace = service_namespace(operation.service_model)
        if member_name is not None:
            name = shape.serialization.get("name", member_name)
            return xml_writer.to_xml(name, shape, value, namespace=namespace)
        root = xml_writer.Element(self.output_root(operation, shape))
        if namespace:
            root.set("xmlns", namespace)
        return xml_writer.to_bytes(xml_writer.write_members(root, shape, value))

    def output_root(self, operation: OperationModel, shape: Shape) -> str:
        """The root element of an output without a payload member (clients ignore it)."""
        return shape.serialization.get("name") or f"{operation.name}Response"

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        headers = self.request_id_headers(request_id)
        error_shape = find_error_shape(model, error.code)
        write_locations(error.fields, error_shape, headers)
        headers.update(error.headers)
        if operation is not None and operation.http.get("method") == "HEAD":
            return WireResponse(error.status, headers, b"")
        headers["Content-Type"] = "application/xml"
        root = self.error_document(error, error_shape, model, request_id)
        return WireResponse(error.status, headers, xml_writer.to_bytes(root))

    def error_document(
        self, error: AWSError, shape: Shape | None, model: ServiceModel | None, request_id: str
    ) -> xml_writer.Element:
        """`<ErrorResponse><Error><Type/><Code/><Message/>..</Error><RequestId/>`."""
        root = xml_writer.Element("ErrorResponse")
        namespace = service_namespace(model) if model is not None else None
        if namespace:
            root.set("xmlns", namespace)
        node = xml_writer.SubElement(root, "Error")
        xml_writer.text_element(node, "Type", "Sender" if error.sender_fault else "Receiver")
        write_error(node, error, shape)
        xml_writer.text_element(root, "RequestId", request_id)
        return root


def write_error(node: xml_writer.Element, error: AWSError, shape: Shape | None) -> None:
    """An error's `Code`, `Message` and modelled fields into its `<Error>` element."""
    code = shape.error_code if shape is not None else error.code
    xml_writer.text_element(node, "Code", code)
    xml_writer.text_element(node, "Message", error.message)
    xml_writer.write_error_fields(node, shape, _with_message(error, shape))


def _with_message(error: AWSError, shape: Shape | None) -> dict[str, Any]:
    """The error's fields, plus its message under the shape's own message member
    when that is not spelled `Message` (Route 53's `message`)."""
    fields = dict(error.fields)
    if shape is not None:
        for name in shape.members:
            if name.lower() == "message" and name != "Message":
                fields.setdefault(name, error.message)
    return fields
