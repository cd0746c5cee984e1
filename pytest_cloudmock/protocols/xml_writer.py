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

Bodies are written as text by per-shape plans (built once per shape and
cached), not as ElementTree nodes: `write_members` appends the text as one
opaque fragment child of its (ElementTree) parent, and `to_bytes` serializes
such trees exactly as `ElementTree.tostring` would.

Typical use::

    root = Element("GetUserResponse", xmlns=ns)
    write_members(SubElement(root, "GetUserResult"), output_shape, result)
    body = to_bytes(root)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from botocore.model import Shape

from .values import ISO8601, scalar_to_text

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _escape_text(text: str) -> str:
    """Character data escaped as ElementTree's `tostring` does it: `&`, `<`, `>`."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_ATTRIBUTE_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;",
})


def _escape_attribute(text: str) -> str:
    """An attribute value escaped as ElementTree's `tostring` does it (also `"`, CR, LF, TAB)."""
    return text.translate(_ATTRIBUTE_ESCAPES)

__all__ = [
    "Element",
    "SubElement",
    "ERROR_ENVELOPE",
    "XML_DECLARATION",
    "finish_document",
    "members_text",
    "member_element_name",
    "text_element",
    "to_bytes",
    "to_xml",
    "write_error_fields",
    "write_members",
]

_FRAGMENT = object()  # tag of a child whose `text` is already-serialized XML


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
    out: list[str] = []
    for attr, text in _plan(shape).content(out, value, timestamp_format):
        parent.set(attr, text)
    if out:
        SubElement(parent, _FRAGMENT).text = "".join(out)
    return parent


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
    others (a `BucketName`, a `Key`) as text elements. Elements named in `reserved`
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


# Characters XML 1.0 does not allow (C0 controls but tab, LF and CR; lone surrogates;
# U+FFFE/U+FFFF). AWS writes them as hexadecimal character references (S3 answers a
# key holding U+001B or U+0008 with `&#x1b;` / `&#x8;`: lower case, no padding), as
# SDK issues show (aws-sdk-php#169, boto/botocore#3496). Such a reference is itself
# not well-formed XML 1.0: botocore's expat parser refuses it ("reference to invalid
# character number") exactly as it does AWS's answer, which is why boto3 asks S3
# listings for `EncodingType=url`. Lone surrogates (never in AWS data, possible in
# Python strings) get the same treatment rather than failing to encode.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_C0_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # `_NOT_XML`'s controls


def _char_reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group()):x};"


def to_bytes(root: Element, declaration: bool = True) -> bytes:
    """UTF-8 bytes of an element tree, with the XML declaration AWS sends.

    The same text as `ElementTree.tostring` (`<a />` for empty elements), except
    that carriage returns are written as `&#13;` so XML parsers do not fold them
    into newlines, and characters XML 1.0 does not allow as character references,
    as AWS writes them (see `_NOT_XML`).
    """
    out = [XML_DECLARATION] if declaration else []
    _serialize(root, out)
    return finish_document(out)


def finish_document(parts: list[str]) -> bytes:
    """UTF-8 bytes of a document written as text `parts` (as `to_bytes` writes a tree's):
    carriage returns as `&#13;`, characters XML 1.0 does not allow as references."""
    text = "".join(parts).replace("\r", "&#13;")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _NOT_XML.sub(_char_reference, text).encode("utf-8")
    # the rest of `_NOT_XML` found in the UTF-8 bytes (C0 controls are single bytes there,
    # U+FFFE/U+FFFF `EF BF BE`/`EF BF BF`), faster than the regular expression in the text
    if (len(data.translate(None, _C0_BYTES)) != len(data)
            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):
        return _NOT_XML.sub(_char_reference, text).encode("utf-8")
    return data


def members_text(shape: Shape, value: Mapping[str, Any], timestamp_format: str = ISO8601) -> tuple[str, str]:
    """A structure's members as text: (its element's attributes, each ` name="escaped"`;
    its content), as `write_members` puts them into a parent element."""
    out: list[str] = []
    extra = _plan(shape).content(out, value, timestamp_format)
    return (_attributes(extra) if extra else ""), "".join(out)


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
    plan = _plan(shape)
    root = Element(name, dict(plan.namespace))
    children: list[str] = []
    for attr, text in plan.content(children, value, timestamp_format):
        root.set(attr, text)
    if namespace and "xmlns" not in root.attrib:
        root.set("xmlns", namespace)
    if children:
        SubElement(root, _FRAGMENT).text = "".join(children)
    return to_bytes(root)


# -- serialization of element trees ----------------------------------------------------


def _serialize(node: Element, out: list[str]) -> None:
    tag = node.tag
    if tag is _FRAGMENT:
        out.append(node.text)
        return
    text = node.text
    out.append(f"<{tag}{_attributes(node.attrib.items())}")
    if text or len(node):
        out.append(">")
        if text:
            out.append(_escape_text(text))
        for child in node:
            _serialize(child, out)
        out.append(f"</{tag}>")
    else:
        out.append(" />")
    if node.tail:
        out.append(_escape_text(node.tail))


def _attributes(pairs: Any) -> str:
    return "".join(f' {key}="{_escape_attribute(text)}"' for key, text in pairs)


# -- per-shape write plans -------------------------------------------------------------

_Attributes = list[tuple[str, str]]


class _Plan:
    """How one shape is written: `element` appends `<name ...>content</name>` to `out`.

    `content` appends the element's content (escaped text or child elements) and
    returns its attributes beyond the namespace (unescaped).
    """

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.namespace = _namespace_attributes(shape)
        self.open_attributes = _attributes(self.namespace)

    def element(self, out: list[str], name: str, value: Any, fmt: str) -> None:
        at = len(out)
        out.append("")
        extra = self.content(out, value, fmt)
        attributes = self.open_attributes + _attributes(extra) if extra else self.open_attributes
        if len(out) > at + 1:
            out[at] = f"<{name}{attributes}>"
            out.append(f"</{name}>")
        else:
            out[at] = f"<{name}{attributes} />"

    def content(self, out: list[str], value: Any, fmt: str) -> _Attributes:
        raise NotImplementedError


class _ScalarPlan(_Plan):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.is_string = shape.type_name == "string"

    def element(self, out: list[str], name: str, value: Any, fmt: str) -> None:
        text = value if self.is_string and value.__class__ is str else self.text(value, fmt)
        if "&" in text or "<" in text or ">" in text:
            text = _escape_text(text)
        if text:
            out.append(f"<{name}{self.open_attributes}>{text}</{name}>")
        else:
            out.append(f"<{name}{self.open_attributes} />")

    def content(self, out: list[str], value: Any, fmt: str) -> _Attributes:
        text = _escape_text(self.text(value, fmt))
        if text:
            out.append(text)
        return []

    def text(self, value: Any, fmt: str) -> str:
        return str(value) if self.is_string else scalar_to_text(self.shape, value, fmt)


class _StructurePlan(_Plan):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self._members: dict[str, tuple[str, _Plan | None]] | None = None

    def members(self) -> dict[str, tuple[str, _Plan | None]]:
        """Body members by name: (element name, plan), or (attribute name, None)."""
        if self._members is None:
            self._members = {
                name: (member.serialization.get("name", name), None)
                if member.serialization.get("xmlAttribute")
                else (member_element_name(member, name), _plan(member))
                for name, member in self.shape.members.items()
                if "location" not in member.serialization
            }
        return self._members

    def content(self, out: list[str], value: Any, fmt: str) -> _Attributes:
        members = self.members()
        attributes: _Attributes = []
        for name, member_value in value.items():
            if member_value is None:
                continue
            found = members.get(name)
            if found is None:
                continue
            element_name, plan = found
            if plan is None:
                member = self.shape.members[name]
                attributes.append((element_name, scalar_to_text(member, member_value, fmt)))
            else:
                plan.element(out, element_name, member_value, fmt)
        return attributes


class _ListPlan(_Plan):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.flattened = bool(shape.serialization.get("flattened"))
        self.item_name = shape.member.serialization.get("name", "member")

    def element(self, out: list[str], name: str, value: Any, fmt: str) -> None:
        if not self.flattened:
            super().element(out, name, value, fmt)
            return
        item = _plan(self.shape.member)
        for item_value in value:
            if item_value is not None:
                item.element(out, name, item_value, fmt)

    def content(self, out: list[str], value: Any, fmt: str) -> _Attributes:
        item, item_name = _plan(self.shape.member), self.item_name
        for item_value in value:
            if item_value is not None:
                item.element(out, item_name, item_value, fmt)
        return []


class _MapPlan(_Plan):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.flattened = bool(shape.serialization.get("flattened"))
        self.key_name = shape.key.serialization.get("name", "key")
        self.value_name = shape.value.serialization.get("name", "value")

    def element(self, out: list[str], name: str, value: Any, fmt: str) -> None:
        if not self.flattened:
            super().element(out, name, value, fmt)
            return
        for key, item in value.items():
            if item is not None:
                out.append(f"<{name}{self.open_attributes}>")
                self.entry(out, key, item, fmt)
                out.append(f"</{name}>")

    def content(self, out: list[str], value: Any, fmt: str) -> _Attributes:
        for key, item in value.items():
            if item is not None:
                out.append("<entry>")
                self.entry(out, key, item, fmt)
                out.append("</entry>")
        return []

    def entry(self, out: list[str], key: Any, item: Any, fmt: str) -> None:
        _plan(self.shape.key).element(out, self.key_name, key, fmt)
        _plan(self.shape.value).element(out, self.value_name, item, fmt)


_PLANS: dict[str, type[_Plan]] = {
    "structure": _StructurePlan,
    "list": _ListPlan,
    "map": _MapPlan,
}


@lru_cache(maxsize=8192)
def _plan(shape: Shape) -> _Plan:
    """The (cached) write plan of a shape; member plans are built on first use."""
    return _PLANS.get(shape.type_name, _ScalarPlan)(shape)


def _namespace_attributes(shape: Shape) -> tuple[tuple[str, str], ...]:
    """The `xmlns`/`xmlns:prefix` attribute an `xmlNamespace` trait puts on the element."""
    namespace = shape.serialization.get("xmlNamespace")
    if isinstance(namespace, dict):
        prefix = namespace.get("prefix")
        return ((f"xmlns:{prefix}" if prefix else "xmlns", namespace["uri"]),)
    if isinstance(namespace, str):
        return (("xmlns", namespace),)
    return ()
