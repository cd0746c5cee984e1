"""`xml_writer` against botocore's XML parser, on a synthetic model with every XML trait."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from botocore.model import ServiceModel
from botocore.parsers import RestXMLParser

from pytest_cloudmock.protocols import xml_writer

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
