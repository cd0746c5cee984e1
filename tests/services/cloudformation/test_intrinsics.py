"""A YAML template using every intrinsic function, conditions, mappings, parameters and dynamic
references deploys into our S3 and SQS; its outputs are what AWS would compute."""

from __future__ import annotations

import base64
import json

from .conftest import error_of, events, outputs

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Description: every intrinsic
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Replicas:
    Type: Number
    MinValue: 1
    MaxValue: 9
  Zones:
    Type: CommaDelimitedList
    Default: "a,b,c"
  Ports:
    Type: List<Number>
    Default: "80,443"
  Secret:
    Type: String
    NoEcho: true
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /app/color
Mappings:
  Sizes:
    dev: {Retention: "60"}
    prod: {Retention: "1209600"}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  DevAndThree: !And [!Condition IsDev, !Equals [!Ref Replicas, 3]]
  Either: !Or [!Condition IsProd, !Condition DevAndThree]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-bucket-${AWS::AccountId}"
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["-", [!Ref "AWS::StackName", queue, !Select [1, !Ref Zones]]]
      MessageRetentionPeriod: !FindInMap [Sizes, !Ref Env, Retention]
      DelaySeconds: !If [IsProd, 5, !Ref "AWS::NoValue"]
  ProdOnly:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Widget:
    Type: Test::Widget::Thing
    DependsOn: Bucket
    Properties:
      Name: !Ref Queue
      Color: "{{resolve:ssm:/app/color}}"
      Password: "{{resolve:secretsmanager:app/db:SecretString:password}}"
      Zones: !Split [",", "x,y"]
Outputs:
  BucketName: {Value: !Ref Bucket}
  BucketArn: {Value: !GetAtt Bucket.Arn, Export: {Name: !Sub "${AWS::StackName}-bucket-arn"}}
  QueueArn: {Value: !GetAtt [Queue, Arn]}
  Address: {Value: !GetAtt Widget.Endpoint.Address}
  Encoded: {Value: !Base64 hello}
  Subnets: {Value: !Join [",", !Cidr ["10.0.0.0/16", 3, 8]]}
  Azs: {Value: !Select [0, !GetAZs ""]}
  Region: {Value: !Sub "${AWS::Region}/${AWS::Partition}/${AWS::URLSuffix}/${!Literal}"}
  Vars: {Value: !Sub ["${A}-${B}", {A: !Ref Env, B: !GetAtt Widget.Size}]}
  Count: {Value: !Length [1, 2, 3]}
  Json: {Value: !ToJsonString {a: [1, 2], b: !Ref Env}}
  Either: {Value: !If [Either, "yes", "no"]}
  Ports: {Value: !Join [":", !Ref Ports]}
  Color: {Value: !Ref FromSsm}
  Default: {Value: !FindInMap [Sizes, qa, Retention, {DefaultValue: "7"}]}
  ProdOnly: {Condition: IsProd, Value: !Ref ProdOnly}
  StackId: {Value: !Ref "AWS::StackId"}
"""


def prepare_inputs(client) -> None:
    client("ssm").put_parameter(Name="/app/color", Value="blue", Type="String")
    client("secretsmanager").create_secret(Name="app/db", SecretString=json.dumps({"password": "hunter2"}))


def test_every_intrinsic_deploys_and_outputs_match(cfn, deploy, widgets, client):
    prepare_inputs(client)
    stack = deploy("every", TEMPLATE, Parameters=[{"ParameterKey": "Replicas", "ParameterValue": "3"},
                                                  {"ParameterKey": "Secret", "ParameterValue": "s3cret"}],
                   Capabilities=["CAPABILITY_AUTO_EXPAND"])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    out = outputs(stack)
    assert out["BucketName"] == "every-bucket-123456789012"
    assert out["BucketArn"] == "arn:aws:s3:::every-bucket-123456789012"
    assert out["QueueArn"] == "arn:aws:sqs:us-east-1:123456789012:every-queue-b"
    widget = next(iter(widgets.live.values()))
    assert widget["Name"].endswith("/123456789012/every-queue-b")  # Ref of a queue is its URL
    assert widget == {**widget, "Color": "blue", "Password": "hunter2", "Zones": ["x", "y"]}
    assert out["Address"].endswith(".example")
    assert base64.b64decode(out["Encoded"]) == b"hello"
    assert out["Subnets"] == "10.0.0.0/24,10.0.1.0/24,10.0.2.0/24"
    assert out["Azs"] == "us-east-1a"
    assert out["Region"] == "us-east-1/aws/amazonaws.com/${Literal}"
    assert out["Vars"] == "dev-0"
    assert out["Count"] == "3"
    assert json.loads(out["Json"]) == {"a": [1, 2], "b": "dev"}
    assert out["Either"] == "yes"
    assert out["Ports"] == "80:443"
    assert out["Color"] == "blue"
    assert out["Default"] == "7"
    assert "ProdOnly" not in out
    assert out["StackId"] == stack["StackId"]
    params = {p["ParameterKey"]: p for p in stack["Parameters"]}
    assert params["Secret"]["ParameterValue"] == "****"
    assert params["FromSsm"] == {"ParameterKey": "FromSsm", "ParameterValue": "/app/color", "ResolvedValue": "blue"}
    resources = {r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName="every")["StackResourceSummaries"]}
    assert resources == {"Bucket", "Queue", "Widget"}
    attributes = client("sqs").get_queue_attributes(QueueUrl=widget["Name"], AttributeNames=["All"])["Attributes"]
    assert attributes["MessageRetentionPeriod"] == "60" and attributes["DelaySeconds"] == "0"
    exports = cfn.list_exports()["Exports"]
    assert [(e["Name"], e["Value"]) for e in exports] == [("every-bucket-arn", out["BucketArn"])]


def test_import_value_across_stacks_and_export_in_use_blocks_delete(cfn, deploy, widgets, aws):
    deploy("producer", {"Resources": {"W": {"Type": "Test::Widget::Thing"}},
                        "Outputs": {"Id": {"Value": {"Ref": "W"}, "Export": {"Name": "shared-id"}}}})
    consumer = deploy("consumer", {"Resources": {"W": {"Type": "Test::Widget::Thing",
                                                       "Properties": {"Name": {"Fn::ImportValue": "shared-id"}}}}})
    assert consumer["StackStatus"] == "CREATE_COMPLETE"
    assert widgets.live["consumer-W-1"]["Name"] == "producer-W-0"
    assert cfn.list_imports(ExportName="shared-id")["Imports"] == ["consumer"]
    cfn.delete_stack(StackName="producer")
    aws.settle()
    stack = cfn.describe_stacks(StackName="producer")["Stacks"][0]
    assert stack["StackStatus"] == "DELETE_FAILED"
    assert stack["StackStatusReason"] == "Export shared-id cannot be deleted as it is in use by consumer"
    assert "producer-W-0" in widgets.live


def test_parameter_constraints_in_aws_words(cfn):
    template = json.dumps({"Parameters": {
        "Env": {"Type": "String", "AllowedValues": ["dev", "prod"]},
        "Name": {"Type": "String", "AllowedPattern": "[a-z]+", "MinLength": 2, "MaxLength": 5, "Default": "ok"},
        "Count": {"Type": "Number", "MinValue": 1, "MaxValue": 3, "Default": 2}},
        "Resources": {"W": {"Type": "Test::Widget::Thing"}}})

    def attempt(**values):
        params = [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]
        return error_of(cfn.create_stack, StackName="p", TemplateBody=template, Parameters=params)[1]

    assert attempt() == "Parameters: [Env] must have values"
    assert attempt(Env="qa") == "Parameter 'Env' must be one of AllowedValues"
    assert attempt(Env="dev", Name="ABC") == "Parameter 'Name' must match pattern [a-z]+"
    assert attempt(Env="dev", Name="a") == "Parameter 'Name' must contain at least 2 characters"
    assert attempt(Env="dev", Name="abcdef") == "Parameter 'Name' must contain at most 5 characters"
    assert attempt(Env="dev", Count="x") == "Parameter 'Count' must be a number."
    assert attempt(Env="dev", Count="0") == "Parameter 'Count' must be a number not less than 1"
    assert attempt(Env="dev", Count="4") == "Parameter 'Count' must be a number not greater than 3"
    assert attempt(Env="dev", Other="1") == "Parameters: [Other] do not exist in the template"


def test_language_extensions_for_each(cfn, deploy, widgets):
    template = json.dumps({
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "red,green-2"}},
        "Resources": {"Fn::ForEach::Widgets": ["Color", {"Ref": "Names"}, {
            "W&{Color}": {"Type": "Test::Widget::Thing", "Properties": {"Name": {"Fn::Sub": "w-${Color}"},
                                                                        "Raw": {"Ref": "Color"}}}}]},
        "Outputs": {"Fn::ForEach::Out": ["Color", {"Ref": "Names"}, {
            "Out&{Color}": {"Value": {"Ref": "W&{Color}"}}}]},
    })
    stack = deploy("loops", template, Capabilities=["CAPABILITY_AUTO_EXPAND"])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    assert sorted(outputs(stack)) == ["Outgreen2", "Outred"]
    assert sorted((p["Name"], p["Raw"]) for p in widgets.live.values()) == [("w-green-2", "green-2"),
                                                                            ("w-red", "red")]


def test_an_export_in_use_cannot_change_or_go(cfn, deploy, update, widgets):
    producer = {"Resources": {"W": {"Type": "Test::Widget::Thing"}},
                "Outputs": {"Id": {"Value": {"Ref": "W"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-id"}}}}}
    deploy("maker", producer)
    deploy("user", {"Resources": {"W": {"Type": "Test::Widget::Thing", "Properties": {
        "Name": {"Fn::ImportValue": {"Fn::Sub": "maker-id"}}}}}})
    assert cfn.list_imports(ExportName="maker-id")["Imports"] == ["user"]
    changed = dict(producer, Outputs={"Id": {"Value": "other", "Export": {"Name": "maker-id"}}})
    stack = update("maker", changed)
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert ("maker", "UPDATE_ROLLBACK_IN_PROGRESS", "Cannot update export maker-id as it is in use by user") in \
        events(cfn, "maker")
    assert update("maker", {"Resources": producer["Resources"]})["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert ("maker", "UPDATE_ROLLBACK_IN_PROGRESS", "Cannot delete export maker-id as it is in use by user") in \
        events(cfn, "maker")
    assert cfn.list_exports()["Exports"][0]["Name"] == "maker-id"


def test_aws_include_reads_snippets_from_our_s3(cfn, deploy, widgets, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="snippets")
    s3.put_object(Bucket="snippets", Key="props.yaml", Body=b"Size: 7\nName: !Sub '${AWS::StackName}-inc'\n")
    s3.put_object(Bucket="snippets", Key="outputs.json",
                  Body=json.dumps({"Outputs": {"Included": {"Value": {"Ref": "W"}}}}).encode())
    template = {
        "Transform": [{"Name": "AWS::Include", "Parameters": {"Location": "s3://snippets/outputs.json"}}],
        "Resources": {"W": {"Type": "Test::Widget::Thing", "Properties": {
            "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://snippets/props.yaml"}}}}}}
    stack = deploy("included", template, Capabilities=["CAPABILITY_AUTO_EXPAND"])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    assert list(widgets.live.values()) == [{"Size": 7, "Name": "included-inc"}]
    assert outputs(stack) == {"Included": "included-W-0"}


def test_a_missing_ssm_parameter_is_refused(cfn):
    template = json.dumps({"Parameters": {"V": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/nope"}},
                           "Resources": {"W": {"Type": "Test::Widget::Thing"}}})
    assert error_of(cfn.create_stack, StackName="ssm", TemplateBody=template) == (
        "ValidationError", "Unable to fetch parameters [/nope] from parameter store for this account.")
