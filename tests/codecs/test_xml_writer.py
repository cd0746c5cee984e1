"""`xml_writer` against botocore's XML parser, on a synthetic model with every XML trait."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone

import pytest
from botocore.model import ServiceModel
from botocore.parsers import ResponseParserError, RestXMLParser
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for, xml_writer

MODEL = ServiceModel(
    {
        "metadata": {"protocol": "rest-xml", "apiVersion": "2020-01-01", "serviceId": "X"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "GET", "requestUri": "/"},
                "output": {"shape": "Out"},
            }
        },
        "shapes": {
            "Out": {
                "type": "structure",
                "members": {
                    "Plain": {"shape": "Str"},
                    "Renamed": {"shape": "Str", "locationName": "other-name"},
                    "Items": {"shape": "StrList"},
                    "Flat": {"shape": "FlatList", "locationName": "Flat"},
                    "FlatNamed": {"shape": "FlatNamedList"},
                    "Map": {"shape": "StrMap"},
                    "FlatMap": {"shape": "FlatMap"},
                    "Grantee": {
                        "shape": "Grantee",
                        "xmlNamespace": {
                            "prefix": "xsi",
                            "uri": "http://www.w3.org/2001/XMLSchema-instance",
                        },
                    },
                    "When": {"shape": "Time"},
                    "Epoch": {"shape": "EpochTime"},
                    "Data": {"shape": "Blob"},
                    "Ratio": {"shape": "Double"},
                    "Count": {"shape": "Long"},
                    "On": {"shape": "Bool"},
                    "Header": {"shape": "Str", "location": "header", "locationName": "x-h"},
                },
            },
            "Grantee": {
                "type": "structure",
                "members": {
                    "Type": {"shape": "Str", "xmlAttribute": True, "locationName": "xsi:type"},
                    "ID": {"shape": "Str"},
                },
            },
            "StrList": {"type": "list", "member": {"shape": "Str", "locationName": "item"}},
            "FlatList": {"type": "list", "member": {"shape": "Str"}, "flattened": True},
            "FlatNamedList": {
                "type": "list",
                "member": {"shape": "Str", "locationName": "Entry"},
                "flattened": True,
            },
            "StrMap": {
                "type": "map",
                "key": {"shape": "Str", "locationName": "K"},
                "value": {"shape": "Str", "locationName": "V"},
            },
            "FlatMap": {
                "type": "map",
                "key": {"shape": "Str"},
                "value": {"shape": "Long"},
                "flattened": True,
            },
            "Str": {"type": "string"},
            "Time": {"type": "timestamp"},
            "EpochTime": {"type": "timestamp", "timestampFormat": "unixTimestamp"},
            "Blob": {"type": "blob"},
            "Double": {"type": "double"},
            "Long": {"type": "long"},
            "Bool": {"type": "boolean"},
        },
    },
    service_name="x",
)
SHAPE = MODEL.operation_model("Op").output_shape
VALUE = {
    "Plain": 'a <&> "b" \r\n c',
    "Renamed": "r",
    "Items": ["1", "2"],
    "Flat": ["f1", "f2"],
    "FlatNamed": ["n1"],
    "Map": {"k1": "v1", "k2": "v2"},
    "FlatMap": {"a": 1, "b": 2},
    "Grantee": {"Type": "CanonicalUser", "ID": "me"},
    "When": datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc),
    "Epoch": datetime(2024, 1, 2, tzinfo=timezone.utc),
    "Data": b"\x00\xff",
    "Ratio": math.inf,
    "Count": 2**40,
    "On": False,
    "Header": "not in the body",
}


def test_botocore_reads_back_every_trait():
    body = xml_writer.to_xml("OpResult", SHAPE, VALUE, namespace="urn:x")
    parsed = RestXMLParser().parse({"body": body, "headers": {}, "status_code": 200}, SHAPE)
    parsed.pop("ResponseMetadata")
    expected = {k: v for k, v in VALUE.items() if k != "Header"}
    assert parsed == expected
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<OpResult xmlns="urn:x">')
    assert b"<other-name>r</other-name>" in body
    assert b"<Items><item>1</item><item>2</item></Items>" in body
    assert b"<Flat>f1</Flat><Flat>f2</Flat><Entry>n1</Entry>" in body
    assert b"<Map><entry><K>k1</K><V>v1</V></entry>" in body
    assert b"<FlatMap><key>a</key><value>1</value></FlatMap>" in body
    assert b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"' in body
    assert b"<When>2024-01-02T03:04:05.678Z</When><Epoch>1704153600</Epoch>" in body
    assert b"not in the body" not in body and b"&#13;" in body


def test_error_fields_skip_the_envelope():
    error = xml_writer.Element("Error")
    xml_writer.text_element(error, "Code", "Oops")
    xml_writer.write_error_fields(
        error, SHAPE, {"Plain": "p", "Code": "dup", "BucketName": "b", "Gone": None}
    )
    assert xml_writer.to_bytes(error, declaration=False) == (
        b"<Error><Code>Oops</Code><BucketName>b</BucketName><Plain>p</Plain></Error>"
    )


# -- characters XML 1.0 does not allow ----------------------------------------------

_NOT_XML = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
_NOT_XML += ["\ud800", "\udfff", "\ufffe", "\uffff"]
_TEXT = st.lists(
    st.one_of(
        st.characters(exclude_categories=("Co",)),  # private use marks references below
        st.sampled_from(_NOT_XML),
        st.sampled_from("\t\n\r&<>\"'"),
    ),
    max_size=30,
).map("".join)
_REFERENCE = re.compile("&#x([0-9a-f]+);")


def test_characters_xml_does_not_allow_are_written_as_aws_writes_them():
    root = xml_writer.Element("Key")
    root.text = "a\x1bb\x00c\x08\ud800\t\n"
    assert xml_writer.to_bytes(root, declaration=False) == b"<Key>a&#x1b;b&#x0;c&#x8;&#xd800;\t\n</Key>"


@given(_TEXT)
def test_any_text_is_written_losslessly_without_raw_illegal_characters(text):
    body = xml_writer.to_xml("OpResult", SHAPE, {"Plain": text, "Items": [text]})
    decoded = body.decode("utf-8")
    assert not any(c in decoded for c in _NOT_XML)
    # Each reference (only the writer makes `&#x`: a literal `&` is `&amp;`) stands for
    # one character: mark it for the parser, then put the character back.
    marked = _REFERENCE.sub(lambda m: f"\ue000{m.group(1)}\ue001", decoded).encode()
    parsed = RestXMLParser().parse({"body": marked, "headers": {}, "status_code": 200}, SHAPE)
    restore = re.compile("\ue000([0-9a-f]+)\ue001")
    assert restore.sub(lambda m: chr(int(m.group(1), 16)), parsed.get("Plain", "")) == text
    assert [restore.sub(lambda m: chr(int(m.group(1), 16)), i) for i in parsed["Items"]] == [text]


@given(st.lists(_TEXT, max_size=4))
def test_a_document_is_finished_as_by_one_substitution_over_its_text(parts):
    """`finish_document` finds those characters in the UTF-8 bytes; the same answer as
    replacing every one in the text (carriage returns first)."""
    text = "".join(parts).replace("\r", "&#13;")
    expected = re.sub("[" + "".join(_NOT_XML) + "]", lambda m: f"&#x{ord(m.group()):x};", text)
    assert xml_writer.finish_document(parts) == expected.encode("utf-8")


def test_an_s3_error_naming_such_a_key_is_what_aws_sends():
    """botocore's expat refuses AWS's own answer here ("reference to invalid character
    number"); its rest-xml error parser then names the error by its status, as it does
    against S3."""
    s3 = service_model("s3")
    error = AWSError("NoSuchKey", "The specified key does not exist.", 404, Key="bell\x07")
    wire = codec_for("rest-xml", "s3").serialize_error(error, s3, None, "req")
    assert b"<Key>bell&#x7;</Key>" in wire.body
    with pytest.raises(ResponseParserError, match="invalid character number"):
        RestXMLParser()._parse_xml_string_to_dom(wire.body)
    parsed = RestXMLParser().parse({"body": wire.body, "headers": {}, "status_code": 404}, None)
    assert parsed["Error"] == {"Code": "404", "Message": "Not Found"}
