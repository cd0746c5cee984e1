"""ValidateTemplate, GetTemplateSummary and the template errors CloudFormation gives."""

from __future__ import annotations

import json

import pytest

from .conftest import error_of

GOOD = """
AWSTemplateFormatVersion: "2010-09-09"
Description: a queue and a role
Metadata: {Owner: team}
Parameters:
  Name: {Type: String, Default: q, Description: queue name}
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Token: {Type: String, NoEcho: true}
Resources:
  Queue: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref Name}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
"""


def test_validate_template_lists_parameters_and_capabilities(cfn):
    answer = cfn.validate_template(TemplateBody=GOOD)
    assert answer["Description"] == "a queue and a role"
    assert answer["Parameters"] == [
        {"ParameterKey": "Name", "DefaultValue": "q", "NoEcho": False, "Description": "queue name"},
        {"ParameterKey": "Env", "DefaultValue": "dev", "NoEcho": False},
        {"ParameterKey": "Token", "NoEcho": True}]
    assert answer["Capabilities"] == ["CAPABILITY_IAM"]
    assert answer["CapabilitiesReason"] == "The following resource(s) require capabilities: [AWS::IAM::Role]"


def test_get_template_summary(cfn, client):
    summary = cfn.get_template_summary(TemplateBody=GOOD)
    assert summary["ResourceTypes"] == ["AWS::IAM::Role", "AWS::SQS::Queue"]
    assert summary["Version"] == "2010-09-09"
    assert json.loads(summary["Metadata"]) == {"Owner": "team"}
    env = next(p for p in summary["Parameters"] if p["ParameterKey"] == "Env")
    assert env["ParameterType"] == "String" and env["ParameterConstraints"] == {"AllowedValues": ["dev", "prod"]}
    s3 = client("s3")
    s3.create_bucket(Bucket="tpl")
    s3.put_object(Bucket="tpl", Key="good.yaml", Body=GOOD.encode())
    by_url = cfn.get_template_summary(TemplateURL="https://tpl.s3.amazonaws.com/good.yaml")
    assert by_url["ResourceTypes"] == summary["ResourceTypes"]


@pytest.mark.parametrize("body, message", [
    ('{"Resources": {', "Template format error: JSON not well-formed. (line 1,  column 16)"),
    ("Resources: [a\n  b: c", "Template format error: YAML not well-formed. (line 2,  column 4)"),
    ('{"Description": "x"}', "Template format error: At least one Resources member must be defined."),
    ('{"Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Missing"}}}}}',
     "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"),
    ('{"Resources": {"A": {"Type": "AWS::SQS::Queue", "DependsOn": "B"}, '
     '"B": {"Type": "AWS::SQS::Queue", "DependsOn": "A"}}}', "Circular dependency between resources: [A, B]"),
    ('{"Resources": {"A": {"Type": "AWS::SQS::Queue"}}, "Bogus": {}}',
     "Template format error: Invalid template property or properties [Bogus]"),
    ('{"Parameters": {"P": {"Type": "Strang"}}, "Resources": {"A": {"Type": "AWS::SQS::Queue"}}}',
     "Template format error: Unrecognized parameter type: Strang"),
    ('{"Resources": {"A": {"Properties": {}}}}',
     "Template format error: [/Resources/A] Every Resources object must contain a Type member."),
    ('{"Resources": {"A": {"Type": "AWS::SQS::Queue"}}, "Outputs": {"O": {"Description": "x"}}}',
     "Template format error: Every Outputs member must contain a Value object"),
    (json.dumps({"Resources": {f"Q{i}": {"Type": "AWS::SQS::Queue"} for i in range(501)}}),
     "Template format error: Number of resources, 501, is greater than maximum allowed, 500"),
])
def test_template_errors_in_aws_words(cfn, body, message):
    assert error_of(cfn.validate_template, TemplateBody=body) == ("ValidationError", message)
    assert error_of(cfn.create_stack, StackName="bad", TemplateBody=body) == ("ValidationError", message)


def test_body_and_url_together_or_neither(cfn):
    assert error_of(cfn.validate_template, TemplateBody=GOOD, TemplateURL="https://b.s3.amazonaws.com/k")[1] == \
        "You cannot specify both TemplateURL and TemplateBody in the same request."
    assert error_of(cfn.create_stack, StackName="x")[1] == "Either Template URL or Template Body must be specified."


def test_iam_resources_need_capabilities(cfn):
    code, message = error_of(cfn.create_stack, StackName="iam", TemplateBody=GOOD,
                             Parameters=[{"ParameterKey": "Token", "ParameterValue": "t"}])
    assert (code, message) == ("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]")
