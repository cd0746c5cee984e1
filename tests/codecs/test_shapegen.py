"""The shape-driven value generator honours the model's constraints."""

from __future__ import annotations

import random

from botocore.model import DenormalizedStructureBuilder
from botocore.validate import ParamValidator
from shapegen import GenOptions, generate

from pytest_cloudmock.models import service_model

MODEL = {
    "Name": {"type": "string", "min": 3, "max": 5},
    "Color": {"type": "string", "enum": ["red", "green"]},
    "Count": {"type": "integer", "min": 2, "max": 4},
    "Ratio": {"type": "float", "min": 0, "max": 1},
    "Items": {"type": "list", "member": {"type": "string"}, "min": 2},
    "Pick": {
        "type": "structure",
        "union": True,
        "members": {"A": {"type": "string"}, "B": {"type": "integer"}},
    },
    "When": {"type": "timestamp"},
    "Data": {"type": "blob"},
    "Flag": {"type": "boolean"},
}


def shape():
    members = {name: dict(spec) for name, spec in MODEL.items()}
    return DenormalizedStructureBuilder().with_members(members).build_model()


def test_constraints_hold_for_every_seed():
    built = shape()
    for seed in range(200):
        value = generate(built, random.Random(seed), GenOptions(optional=1.0))
        assert set(value) == set(MODEL)
        assert 3 <= len(value["Name"]) <= 5 and value["Color"] in ("red", "green")
        assert 2 <= value["Count"] <= 4 and len(value["Items"]) >= 2
        assert value["Ratio"] != value["Ratio"] or 0 <= value["Ratio"] <= 1  # NaN allowed
        assert len(value["Pick"]) == 1
        assert value["When"].tzinfo is not None and value["When"].microsecond == 0
        assert isinstance(value["Data"], bytes) and isinstance(value["Flag"], bool)


def test_same_seed_same_value_and_ms_timestamps_on_request():
    built = shape()
    assert generate(built, random.Random(1)) == generate(built, random.Random(1))
    stamps = {
        generate(built, random.Random(seed), GenOptions(optional=1.0, timestamp_ms=True))[
            "When"
        ].microsecond
        for seed in range(20)
    }
    assert any(stamps) and all(us % 1000 == 0 for us in stamps)


def test_recursive_shapes_stop_and_inputs_validate():
    validator = ParamValidator()
    for service, operation in [
        ("dynamodb", "PutItem"),
        ("wafv2", "CreateWebACL"),
        ("glue", "CreateTable"),
    ]:
        op = service_model(service).operation_model(operation)
        for seed in range(10):
            value = generate(op.input_shape, random.Random(seed))
            report = validator.validate(value, op.input_shape)
            assert not report.has_errors(), report.generate_report()


def test_header_host_and_uri_label_strings_are_safe():
    op = service_model("s3").operation_model("PutObject")
    headers = [
        name
        for name, member in op.input_shape.members.items()
        if member.serialization.get("location") == "header"
        and member.type_name == "string"
        and not member.enum
    ]
    host = service_model("neptune-graph").operation_model("CancelQuery").input_shape
    for seed in range(30):
        value = generate(op.input_shape, random.Random(seed), GenOptions(optional=1.0))
        assert value["Key"][0].isalpha() and value["Bucket"][0].isalpha()  # no `/`, `.`
        assert all(value[name].isalnum() for name in headers)
        assert generate(host, random.Random(seed))["graphIdentifier"].isalnum()
