"""The rest-xml codec (S3, Route 53, CloudFront, S3 Control).

The inverse of botocore's `RestXMLSerializer` and `RestXMLParser`: routing and
locations come from `rest.RestCodec`; this module reads XML request bodies per
shape and writes XML bodies (with `xml_writer`) and error bodies: S3's bare
`<Error>` with `RequestId`/`HostId`, and `<ErrorResponse><Error>` for the others.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLParser

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireResponse
from . import xml_writer
from .json_ import find_error_shape
from .rest import RestCodec, host_id, is_s3, request_id_headers, write_locations
from .values import ISO8601, scalar_from_text

MALFORMED_XML = (
    "The XML you provided was not well-formed or did not validate against our published schema"
)
S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"

# Root element names S3 uses for outputs without a payload member (Smithy `@xmlName`,
# which botocore's models drop). Clients ignore the root name; humans and logs do not.
S3_OUTPUT_ROOTS = {
    "ListBuckets": "ListAllMyBucketsResult",
    "ListDirectoryBuckets": "ListAllMyDirectoryBucketsResult",
    "ListObjects": "ListBucketResult",
    "ListObjectsV2": "ListBucketResult",
    "ListObjectVersions": "ListVersionsResult",
    "ListMultipartUploads": "ListMultipartUploadsResult",
    "ListParts": "ListPartsResult",
    "CreateMultipartUpload": "InitiateMultipartUploadResult",
    "CompleteMultipartUpload": "CompleteMultipartUploadResult",
    "DeleteObjects": "DeleteResult",
    "GetBucketTagging": "Tagging",
    "GetObjectTagging": "Tagging",
    "GetBucketAcl": "AccessControlPolicy",
    "GetObjectAcl": "AccessControlPolicy",
    "GetBucketVersioning": "VersioningConfiguration",
    "GetBucketCors": "CORSConfiguration",
    "GetBucketLifecycle": "LifecycleConfiguration",
    "GetBucketLifecycleConfiguration": "LifecycleConfiguration",
    "GetBucketNotification": "NotificationConfiguration",
    "GetBucketNotificationConfiguration": "NotificationConfiguration",
    "GetBucketWebsite": "WebsiteConfiguration",
    "GetBucketLogging": "BucketLoggingStatus",
    "GetBucketAccelerateConfiguration": "AccelerateConfiguration",
    "GetBucketRequestPayment": "RequestPaymentConfiguration",
    "GetObjectAttributes": "GetObjectAttributesResponse",
    "ListBucketAnalyticsConfigurations": "ListBucketAnalyticsConfigurationResult",
    "ListBucketInventoryConfigurations": "ListInventoryConfigurationsResult",
    "ListBucketMetricsConfigurations": "ListMetricsConfigurationsResult",
    "ListBucketIntelligentTieringConfigurations": "ListBucketIntelligentTieringConfigurationsOutput",
}
# S3 answers GetBucketLocation with the value as the root's text (botocore reads it
# with the `parse_get_bucket_location` handler, as every SDK special-cases it).
S3_TEXT_ROOT_OUTPUTS = {"GetBucketLocation": "LocationConstraint"}


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

    def write_body(
        self, value: Any, shape: Shape, member_name: str | None, operation: OperationModel
    ) -> bytes:
        model = operation.service_model
        namespace = service_namespace(model)
        if member_name is not None:
            name = shape.serialization.get("name", member_name)
            return xml_writer.to_xml(name, shape, value, namespace=namespace)
        if is_s3(model) and operation.name in S3_TEXT_ROOT_OUTPUTS:
            member = S3_TEXT_ROOT_OUTPUTS[operation.name]
            root = xml_writer.Element(member, xmlns=namespace or S3_NAMESPACE)
            if value.get(member) is not None:
                root.text = str(value[member])
            return xml_writer.to_bytes(root)
        name = (
            shape.serialization.get("name")
            or (S3_OUTPUT_ROOTS.get(operation.name) if is_s3(model) else None)
            or f"{operation.name}Response"
        )
        root = xml_writer.Element(name)
        if namespace:
            root.set("xmlns", namespace)
        return xml_writer.to_bytes(xml_writer.write_members(root, shape, value))

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        headers = request_id_headers(model, request_id)
        error_shape = find_error_shape(model, error.code)
        write_locations(error.fields, error_shape, headers)
        headers.update(error.headers)
        if operation is not None and operation.http.get("method") == "HEAD":
            return WireResponse(error.status, headers, b"")
        headers["Content-Type"] = "application/xml"
        if is_s3(model):
            root = node = xml_writer.Element("Error")
        else:
            root = xml_writer.Element("ErrorResponse")
            namespace = service_namespace(model) if model is not None else None
            if namespace:
                root.set("xmlns", namespace)
            node = xml_writer.SubElement(root, "Error")
            xml_writer.text_element(node, "Type", "Sender" if error.sender_fault else "Receiver")
        code = error_shape.error_code if error_shape is not None else error.code
        xml_writer.text_element(node, "Code", code)
        xml_writer.text_element(node, "Message", error.message)
        xml_writer.write_error_fields(node, error_shape, _with_message(error, error_shape))
        if is_s3(model):
            xml_writer.text_element(node, "RequestId", request_id)
            xml_writer.text_element(node, "HostId", host_id(request_id))
        else:
            xml_writer.text_element(root, "RequestId", request_id)
        return WireResponse(error.status, headers, xml_writer.to_bytes(root))


def _with_message(error: AWSError, shape: Shape | None) -> dict[str, Any]:
    """The error's fields, plus its message under the shape's own message member
    when that is not spelled `Message` (Route 53's `message`)."""
    fields = dict(error.fields)
    if shape is not None:
        for name in shape.members:
            if name.lower() == "message" and name != "Message":
                fields.setdefault(name, error.message)
    return fields
