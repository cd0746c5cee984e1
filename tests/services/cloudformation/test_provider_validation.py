"""Templates whose properties do not fit their types (wrong types, missing required keys, unknown
keys, bad references) fail the stack with CloudFormation's "Properties validation failed" reason
or the service's error, never a Python error text or a stack left `*_IN_PROGRESS`."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.cloudformation.providers import type_schemas
from tests.conftest import REGION

from .conftest import error_of, events

#: The types of the providers this check covers (API Gateway, Cognito, SES, EC2).
TYPES = sorted(type_schemas.known_types())
#: Values of every JSON kind, so each property gets the wrong one for its type some of the time.
WRONG = st.sampled_from([{"a": 1}, [1, "x"], 7, "text", True, "", [{"Key": 1}], 2.5])
_names = itertools.count()
#: Python's error texts: none may reach a stack event.
PYTHON_TEXT = ("Traceback", "object is not", "object has no", "NoneType", "int()", "invalid literal")


def _schema_properties(type_name: str) -> list[str]:
    manager = pytest.importorskip("cfnlint.schema.manager").PROVIDER_SCHEMA_MANAGER
    return sorted(manager.get_resource_schema(REGION, type_name).schema.get("properties", {}))


@pytest.mark.parametrize("type_name", TYPES)
def test_the_table_is_the_schemas(type_name: str) -> None:
    manager = pytest.importorskip("cfnlint.schema.manager").PROVIDER_SCHEMA_MANAGER
    schema = manager.get_resource_schema(REGION, type_name).schema
    assert set(type_schemas.required(type_name)) == set(schema.get("required", []))
    assert type_schemas.unsupported(type_name, [*schema["properties"], "NotAProperty"]) == ["NotAProperty"]


def _outcome(cfn: Any, aws: Any, type_name: str, properties: dict[str, Any]) -> tuple[str, list[str]]:
    """The stack's final status and resource R's failure reasons."""
    name = f"fuzz-{next(_names)}"
    body = {"Resources": {"R": {"Type": type_name, "Properties": properties}}}
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(body))
    aws.settle()
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    return status, [reason for logical, state, reason in events(cfn, name) if logical == "R" and state.endswith("FAILED")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), type_name=st.sampled_from(TYPES))
def test_mistyped_properties_fail_the_stack_cleanly(cfn, aws, data, type_name: str) -> None:
    names = _schema_properties(type_name) + ["NotAProperty"]
    chosen = data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
    properties = {name: data.draw(WRONG) for name in chosen}
    status, reasons = _outcome(cfn, aws, type_name, properties)
    assert status in ("CREATE_COMPLETE", "ROLLBACK_COMPLETE"), (status, reasons)
    if "NotAProperty" in properties:
        assert (status, reasons) == ("ROLLBACK_COMPLETE", ["Encountered unsupported property NotAProperty"])
    for reason in reasons:
        assert not any(text in reason for text in PYTHON_TEXT), reason
        if "Properties validation failed" in reason:  # CloudFormation's own check, not a handler's message
            assert reason.startswith("Properties validation failed for resource R with message: #"), reason


def test_a_missing_required_property_is_named(cfn, aws) -> None:
    status, reasons = _outcome(cfn, aws, "AWS::EC2::Subnet", {"CidrBlock": "10.0.0.0/24"})
    assert status == "ROLLBACK_COMPLETE"
    assert reasons[0] == "Properties validation failed for resource R with message: #: required key [VpcId] not found"
    status, reasons = _outcome(cfn, aws, "AWS::Cognito::UserPoolClient", {"ClientName": "web"})
    assert reasons[0] == ("Properties validation failed for resource R with message: "
                          "#: required key [UserPoolId] not found")


def test_a_value_of_the_wrong_type_names_its_property(cfn, aws) -> None:
    status, reasons = _outcome(cfn, aws, "AWS::SES::ConfigurationSet", {"Name": "set", "Tags": True})
    assert status == "ROLLBACK_COMPLETE"
    assert reasons[0] == ("Properties validation failed for resource R with message: "
                          "#/Tags: expected type: JSONArray, found: Boolean")
    status, reasons = _outcome(cfn, aws, "AWS::EC2::SecurityGroupEgress",
                               {"GroupId": "sg-1", "IpProtocol": "tcp", "ToPort": "eighty"})
    assert reasons[0].startswith("Properties validation failed for resource R with message: #/ToPort: ")


def test_an_unknown_property_is_refused(cfn, aws) -> None:
    status, reasons = _outcome(cfn, aws, "AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16", "CidrBlok": "10.0.0.0/16"})
    assert (status, reasons[0]) == ("ROLLBACK_COMPLETE", "Encountered unsupported property CidrBlok")


def test_numbers_and_booleans_given_as_strings_are_accepted(cfn, aws) -> None:
    status, reasons = _outcome(cfn, aws, "AWS::Cognito::UserPool", {
        "UserPoolName": "strings", "Policies": {"PasswordPolicy": {"MinimumLength": "12", "RequireNumbers": "true"}}})
    assert status == "CREATE_COMPLETE", reasons


def test_a_reference_to_a_missing_resource_is_refused_at_create(cfn) -> None:
    body = {"Resources": {"R": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Nowhere"}}}}}
    code, message = error_of(lambda: cfn.create_stack(StackName="dangling", TemplateBody=json.dumps(body)))
    assert code == "ValidationError" and "Nowhere" in message


#: A valid resource of some of the types, to update with mistyped properties.
VALID = {"AWS::EC2::VPC": {"CidrBlock": "10.0.0.0/16"}, "AWS::SES::ConfigurationSet": {},
         "AWS::ApiGateway::RestApi": {"Name": "api"}, "AWS::Cognito::UserPool": {},
         "AWS::ApiGatewayV2::Api": {"Name": "http", "ProtocolType": "HTTP"},
         "AWS::EC2::SecurityGroup": {"GroupDescription": "web"}}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), type_name=st.sampled_from(sorted(VALID)))
def test_mistyped_updates_roll_back_cleanly(cfn, aws, data, type_name: str) -> None:
    name = f"fuzz-update-{next(_names)}"
    body = {"Resources": {"R": {"Type": type_name, "Properties": VALID[type_name]}}}
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(body))
    aws.settle()
    chosen = data.draw(st.lists(st.sampled_from(_schema_properties(type_name)), min_size=1, max_size=3, unique=True))
    body["Resources"]["R"]["Properties"] = {**VALID[type_name], **{k: data.draw(WRONG) for k in chosen}}
    cfn.update_stack(StackName=name, TemplateBody=json.dumps(body))
    aws.settle()
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    assert status in ("UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"), status
    for _, state, reason in events(cfn, name):
        if state.endswith("FAILED"):
            assert reason and not any(text in reason for text in PYTHON_TEXT), reason


def test_a_reference_to_a_resource_of_another_kind_fails_as_the_service_says(deploy, cfn) -> None:
    stack = deploy("wrong-ref", {"Resources": {
        "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
        "Net": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Pool"}, "CidrBlock": "10.0.0.0/24"}}}})
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = {logical: reason for logical, state, reason in events(cfn, "wrong-ref") if state == "CREATE_FAILED"}
    assert "does not exist" in failed["Net"] and "HandlerErrorCode: NotFound" in failed["Net"]


def test_an_attribute_the_type_lacks_fails_the_resource(deploy, cfn) -> None:
    stack = deploy("wrong-att", {"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "web", "VpcId": {"Fn::GetAtt": ["Vpc", "NoSuchAttribute"]}}}}})
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = {logical: reason for logical, state, reason in events(cfn, "wrong-att") if state == "CREATE_FAILED"}
    assert failed == {"Group": "Template error: resource Vpc does not support attribute type NoSuchAttribute in "
                               "Fn::GetAtt"}
