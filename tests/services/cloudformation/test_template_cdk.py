"""A checked-in `cdk synth`-style template (bucket, queue, function, table, role; CDK's metadata,
Rules and BootstrapVersion parameter) deploys as the CDK CLI deploys it: through a change set."""

from __future__ import annotations

from pathlib import Path

from pytest_cloudmock.services.lambda_ import lambda_zip

from .conftest import error_of, outputs

TEMPLATE = (Path(__file__).parent / "data" / "cdk_app.template.json").read_text()
ASSET_KEY = "4f6c8a3bd3e3e1a0c2a0f0a43f3f2d0c1b5e7f9a8c6d4e2f0a1b3c5d7e9f1a2b.zip"
HANDLER = "import os\ndef handler(event, context):\n    return {'queue': os.environ['QUEUE_URL']}\n"


def bootstrap(client, version: str = "21") -> None:
    """What `cdk bootstrap` leaves behind that a synthesized template relies on."""
    client("ssm").put_parameter(Name="/cdk-bootstrap/hnb659fds/version", Value=version, Type="String")
    s3 = client("s3")
    s3.create_bucket(Bucket="cdk-hnb659fds-assets-123456789012-us-east-1")
    s3.put_object(Bucket="cdk-hnb659fds-assets-123456789012-us-east-1", Key=ASSET_KEY,
                  Body=lambda_zip(HANDLER, filename="index.py"))


def test_cdk_synthesized_app_deploys_through_a_change_set(cfn, client, aws):
    bootstrap(client)
    created = cfn.create_change_set(StackName="OrdersStack", ChangeSetName="cdk-deploy-change-set",
                                    ChangeSetType="CREATE", TemplateBody=TEMPLATE,
                                    Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])
    cfn.get_waiter("change_set_create_complete").wait(ChangeSetName=created["Id"],
                                                       WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    changes = cfn.describe_change_set(ChangeSetName=created["Id"])["Changes"]
    assert {c["ResourceChange"]["LogicalResourceId"] for c in changes} >= {
        "UploadsBucket5E5E9B64", "JobsQueueD2B3AB05", "OrdersTable315BB997", "HandlerServiceRoleFCDC14AE",
        "Handler886CB40B", "CDKMetadata"}
    assert {c["ResourceChange"]["Action"] for c in changes} == {"Add"}
    cfn.execute_change_set(ChangeSetName=created["Id"])
    aws.settle(timeout=30)
    cfn.get_waiter("stack_create_complete").wait(StackName="OrdersStack", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    stack = cfn.describe_stacks(StackName="OrdersStack")["Stacks"][0]
    out = outputs(stack)
    answer = client("lambda").invoke(FunctionName=out["FunctionName"])["Payload"].read()
    assert out["QueueUrl"] in answer.decode()
    assert client("dynamodb").describe_table(TableName=out["TableName"])["Table"]["TableStatus"] == "ACTIVE"
    assert stack["Parameters"] == [{"ParameterKey": "BootstrapVersion",
                                    "ParameterValue": "/cdk-bootstrap/hnb659fds/version", "ResolvedValue": "21"}]
    # DeletionPolicy Retain keeps the bucket and table when the stack goes
    bucket = cfn.describe_stack_resource(StackName="OrdersStack", LogicalResourceId="UploadsBucket5E5E9B64")
    cfn.delete_stack(StackName="OrdersStack")
    aws.settle(timeout=30)
    client("s3").head_bucket(Bucket=bucket["StackResourceDetail"]["PhysicalResourceId"])
    assert client("dynamodb").describe_table(TableName=out["TableName"])["Table"]


def test_cdk_rules_refuse_an_old_bootstrap(cfn, client):
    bootstrap(client, version="3")
    code, message = error_of(cfn.create_stack, StackName="OrdersStack", TemplateBody=TEMPLATE,
                             Capabilities=["CAPABILITY_IAM"])
    assert (code, message) == ("ValidationError", "CDK bootstrap stack version 6 required. Please run 'cdk "
                                                  "bootstrap' with a recent version of the CDK CLI.")
