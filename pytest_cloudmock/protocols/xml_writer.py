"""Shape-driven XML serialization, as botocore's XML parsers read it back.

Used for rest-xml bodies and for query/ec2 responses and error bodies. The
rules mirror `botocore.parsers.BaseXMLResponseParser`:

- a member's element is its `locationName`, else the member name;
- a list is `<Name><member>..</member></Name>` (item name: the list member's
  `locationName`, else `member`); a `flattened` list repeats its items directly
  in the parent, named by the list member's `locationName`, else the member's;
- a map is `<Name><entry><key/><value/></entry></Name>` (key/value names from
  their `locationName`); a `flattened` map repeats `<Name><key/><value/></Name>`;
- `xmlAttribute` members become attributes of their structure's element,
  `xmlNamespace` becomes an `xmlns` (or `xmlns:prefix`) attribute;
- members with a `location` (header, headers, statusCode, uri, querystring)
  are never written into a body;
- scalars are written by `values.scalar_to_text` (timestamps ISO 8601 unless
  the member says otherwise, blobs base64, floats with NaN/Infinity).

Typical use::

    root = Element("GetUserResponse", xmlns=ns)
    write_members(SubElement(root, "GetUserResult"), output_shape, result)
    body = to_bytes(root)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from botocore.model import Shape

from .values import ISO8601, scalar_to_text

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

__all__ = [
    "Element",
    "SubElement",
    "ERROR_ENVELOPE",
    "XML_DECLARATION",
    "build_element",
    "member_element_name",
    "text_element",
    "to_bytes",
    "to_xml",
    "write_error_fields",
    "write_members",
    "write_value",
]


def member_element_name(shape: Shape, member_name: str) -> str:
    """The element name a structure member is written (and read) under."""
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        item_name = shape.member.serialization.get("name")
        if item_name is not None:
            return item_name
    return shape.serialization.get("name", member_name)


def write_members(
    parent: Element,
    shape: Shape,
    value: Mapping[str, Any],
    timestamp_format: str = ISO8601,
) -> Element:
    """Write a structure's members (children and attributes) into `parent`; return `parent`."""
    members = shape.members
    for name, member_value in value.items():
        member = members.get(name)
        if member is None or member_value is None or "location" in member.serialization:
            continue
        if member.serialization.get("xmlAttribute"):
            attr = member.serialization.get("name", name)
            parent.set(attr, scalar_to_text(member, member_value, timestamp_format))
            continue
        write_value(
            parent, member_element_name(member, name), member, member_value, timestamp_format
        )
    return parent


def write_value(
    parent: Element, name: str, shape: Shape, value: Any, timestamp_format: str = ISO8601
) -> None:
    """Append `value` to `parent` as element(s) named `name` (several for flattened shapes)."""
    kind = shape.type_name
    flattened = bool(shape.serialization.get("flattened"))
    if kind == "list":
        item_shape = shape.member
        if flattened:
            for item in value:
                if item is not None:
                    write_value(parent, name, item_shape, item, timestamp_format)
            return
        node = _child(parent, name, shape)
        item_name = item_shape.serialization.get("name", "member")
        for item in value:
            if item is not None:
                write_value(node, item_name, item_shape, item, timestamp_format)
    elif kind == "map":
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        container = None if flattened else _child(parent, name, shape)
        for key, item in value.items():
            if item is None:
                continue
            entry = (
                _child(parent, name, shape) if container is None else SubElement(container, "entry")
            )
            write_value(entry, key_name, shape.key, key, timestamp_format)
            write_value(entry, value_name, shape.value, item, timestamp_format)
    elif kind == "structure":
        write_members(_child(parent, name, shape), shape, value, timestamp_format)
    else:
        _child(parent, name, shape).text = scalar_to_text(shape, value, timestamp_format)


def build_element(name: str, shape: Shape, value: Any, timestamp_format: str = ISO8601) -> Element:
    """A standalone element for one value (a structure, list, map or scalar)."""
    holder = Element("holder")
    write_value(holder, name, shape, value, timestamp_format)
    return holder[0]


def text_element(parent: Element, name: str, text: str | None) -> Element:
    """Append `<name>text</name>` to `parent` (for error bodies and metadata)."""
    node = SubElement(parent, name)
    node.text = text
    return node


ERROR_ENVELOPE = frozenset({"Type", "Code", "Message", "RequestId", "HostId"})


def write_error_fields(
    node: Element,
    shape: Shape | None,
    fields: Mapping[str, Any],
    reserved: frozenset[str] = ERROR_ENVELOPE,
) -> None:
    """An error's fields into its `<Error>` element: modelled ones per the error shape,
    others (S3's `BucketName`, `Key`) as text elements. Elements named in `reserved`
    (the envelope's `Code`, `Message`, ...) are never written twice."""
    members = shape.members if shape is not None else {}
    modelled = {}
    for name, value in fields.items():
        if value is None:
            continue
        member = members.get(name)
        if member is None:
            if name not in reserved:
                text_element(node, name, str(value))
        elif member_element_name(member, name) not in reserved:
            modelled[name] = value
    if modelled:
        write_members(node, shape, modelled)


def to_bytes(root: Element, declaration: bool = True) -> bytes:
    """UTF-8 bytes of an element tree, with the XML declaration AWS sends.

    Carriage returns are written as `&#13;` so XML parsers do not fold them into
    newlines.
    """
    text = tostring(root, encoding="unicode").replace("\r", "&#13;")
    return ((XML_DECLARATION if declaration else "") + text).encode("utf-8")


def to_xml(
    name: str,
    shape: Shape,
    value: Any,
    timestamp_format: str = ISO8601,
    namespace: str | None = None,
) -> bytes:
    """Bytes of `value` as a document whose root is `name`.

    `namespace` is set as `xmlns` on the root when the shape carries none.
    """
    root = build_element(name, shape, value, timestamp_format)
    if namespace and "xmlns" not in root.attrib:
        root.set("xmlns", namespace)
    return to_bytes(root)


def _child(parent: Element, name: str, shape: Shape) -> Element:
    node = SubElement(parent, name)
    namespace = shape.serialization.get("xmlNamespace")
    if isinstance(namespace, dict):
        prefix = namespace.get("prefix")
        node.set(f"xmlns:{prefix}" if prefix else "xmlns", namespace["uri"])
    elif isinstance(namespace, str):
        node.set("xmlns", namespace)
    return node
