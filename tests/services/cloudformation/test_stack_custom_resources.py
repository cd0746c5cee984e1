"""Custom resources backed by Lambda (answers PUT to the gateway's response URL), wait conditions,
and nested stacks from a template on our S3."""

from __future__ import annotations

import json
from typing import Any

from pytest_cloudmock.services.cloudformation.providers.cfnresponse import SOURCE as CFNRESPONSE
from pytest_cloudmock.services.lambda_ import lambda_zip

from .conftest import events, outputs

ROLE = "arn:aws:iam::123456789012:role/lambda-role"
HANDLER = """
import cfnresponse

def handler(event, context):
    props = event["ResourceProperties"]
    if props.get("Fail") == "yes" and event["RequestType"] != "Delete":
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, reason="asked to fail")
        return
    data = {"Greeting": "hello " + props.get("Name", "?"), "Kind": event["RequestType"]}
    cfnresponse.send(event, context, cfnresponse.SUCCESS, data, physicalResourceId="greeter-" + props.get("Name", ""))
"""


def make_greeter(client: Any) -> str:
    code = lambda_zip({"lambda_function.py": HANDLER, "cfnresponse.py": CFNRESPONSE})
    return client("lambda").create_function(FunctionName="greeter", Runtime="python3.12", Role=ROLE,
                                            Handler="lambda_function.handler", Code={"ZipFile": code})["FunctionArn"]


def custom_template(arn: str, **props: Any) -> dict[str, Any]:
    return {"Resources": {"Greeting": {"Type": "Custom::Greeter",
                                       "Properties": {"ServiceToken": arn, "Name": "world", **props}}},
            "Outputs": {"Text": {"Value": {"Fn::GetAtt": ["Greeting", "Greeting"]}},
                        "Id": {"Value": {"Ref": "Greeting"}}}}


def test_lambda_backed_custom_resource_completes(cfn, deploy, update, client, aws):
    arn = make_greeter(client)
    stack = deploy("custom", custom_template(arn))
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    assert outputs(stack) == {"Text": "hello world", "Id": "greeter-world"}
    stack = update("custom", custom_template(arn, Name="moon"))
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert outputs(stack)["Text"] == "hello moon"
    cfn.delete_stack(StackName="custom")
    aws.settle()
    assert ("Greeting", "DELETE_COMPLETE", "") in events(cfn, stack["StackId"])


def test_custom_resource_failure_rolls_back_with_its_reason(cfn, deploy, client):
    arn = make_greeter(client)
    stack = deploy("custom-bad", custom_template(arn, Fail="yes"))
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [r for logical, s, r in events(cfn, "custom-bad") if logical == "Greeting" and s == "CREATE_FAILED"]
    assert failed[0].startswith("Received response status [FAILED] from custom resource. Message returned: "
                                "asked to fail")
    # what the failed Create named is deleted on rollback, as on AWS
    assert [s for logical, s, _ in events(cfn, "custom-bad") if logical == "Greeting"][-2:] == [
        "DELETE_IN_PROGRESS", "DELETE_COMPLETE"]


def test_nested_stack_from_our_s3(cfn, deploy, widgets, client, aws):
    s3 = client("s3")
    s3.create_bucket(Bucket="templates")
    child = {"Parameters": {"Label": {"Type": "String"}},
             "Resources": {"Inner": {"Type": "Test::Widget::Thing", "Properties": {"Name": {"Ref": "Label"}}}},
             "Outputs": {"InnerId": {"Value": {"Ref": "Inner"}}}}
    s3.put_object(Bucket="templates", Key="child.json", Body=json.dumps(child).encode())
    url = f"{aws.endpoint}/templates/child.json"
    parent = {"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack",
                                      "Properties": {"TemplateURL": url, "Parameters": {"Label": "nested"}}}},
              "Outputs": {"FromChild": {"Value": {"Fn::GetAtt": ["Child", "Outputs.InnerId"]}}}}
    stack = deploy("parent", parent)
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    nested = [s for s in cfn.describe_stacks()["Stacks"] if s.get("ParentId") == stack["StackId"]]
    assert len(nested) == 1 and nested[0]["StackName"].startswith("parent-Child-")
    assert outputs(stack)["FromChild"] == outputs(nested[0])["InnerId"]
    assert list(widgets.live.values()) == [{"Name": "nested"}]
    cfn.delete_stack(StackName="parent")
    aws.settle()
    assert widgets.live == {}
    cfn.create_stack(StackName="from-url", TemplateURL=url, Parameters=[{"ParameterKey": "Label", "ParameterValue": "u"}])
    aws.settle()
    assert cfn.describe_stacks(StackName="from-url")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


SIGNALLER = """
import json
import urllib.request
import cfnresponse

def handler(event, context):
    if event["RequestType"] == "Create":
        body = json.dumps({"Status": "SUCCESS", "UniqueId": "boot", "Data": "ready", "Reason": "ok"}).encode()
        urllib.request.urlopen(urllib.request.Request(event["ResourceProperties"]["Handle"], data=body, method="PUT"))
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {})
"""


def test_wait_condition_completes_on_a_signal_to_its_handle(cfn, deploy, client):
    code = lambda_zip({"lambda_function.py": SIGNALLER, "cfnresponse.py": CFNRESPONSE})
    arn = client("lambda").create_function(FunctionName="signaller", Runtime="python3.12", Role=ROLE,
                                           Handler="lambda_function.handler", Code={"ZipFile": code})["FunctionArn"]
    template = {"Resources": {
        "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        "Signal": {"Type": "Custom::Signal", "Properties": {"ServiceToken": arn, "Handle": {"Ref": "Handle"}}},
        "Wait": {"Type": "AWS::CloudFormation::WaitCondition", "DependsOn": "Signal",
                 "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "60", "Count": 1}}},
        "Outputs": {"Data": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}}}}
    stack = deploy("waiting", template)
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    assert json.loads(outputs(stack)["Data"]) == {"boot": "ready"}
