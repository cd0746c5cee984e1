"""The SAM transform: a function with an SQS event deploys, and runs on a message."""

from __future__ import annotations

import json

import pytest

from .conftest import error_of, outputs

SAM_APP = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
    Environment:
      Variables: {STAGE: test}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: pk, Type: String}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        def handler(event, context):
            return {"bodies": [r["body"] for r in event["Records"]], "stage": os.environ["STAGE"]}
      Environment:
        Variables: {TABLE: !Ref Table}
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Table}
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 1
Outputs:
  WorkerArn: {Value: !GetAtt Worker.Arn}
  RoleArn: {Value: !GetAtt WorkerRole.Arn}
"""


def test_sam_function_with_an_sqs_event_runs_on_a_message(cfn, deploy, client, aws):
    stack = deploy("sam-app", SAM_APP, Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    processed = cfn.get_template(StackName="sam-app", TemplateStage="Processed")["TemplateBody"]  # boto3 parses JSON
    kinds = {k: r["Type"] for k, r in processed["Resources"].items()}
    assert kinds == {"Jobs": "AWS::SQS::Queue", "Table": "AWS::DynamoDB::Table", "Worker": "AWS::Lambda::Function",
                     "WorkerRole": "AWS::IAM::Role", "WorkerFromJobs": "AWS::Lambda::EventSourceMapping"}
    worker = processed["Resources"]["Worker"]["Properties"]
    assert worker["Environment"]["Variables"] == {"STAGE": "test", "TABLE": {"Ref": "Table"}}
    assert worker["Timeout"] == 10
    function_name = outputs(stack)["WorkerArn"].rsplit(":", 1)[-1]
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=cfn.describe_stack_resource(
        StackName="sam-app", LogicalResourceId="Jobs")["StackResourceDetail"]["PhysicalResourceId"].rsplit("/", 1)[-1])["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    aws.settle(timeout=30)
    runs = aws.registry.get("lambda").invocations(function_name)
    assert [[r["body"] for r in run.payload["Records"]] for run in runs] == [["job-1"]]
    assert client("dynamodb").describe_table(TableName=cfn.describe_stack_resource(
        StackName="sam-app", LogicalResourceId="Table")["StackResourceDetail"]["PhysicalResourceId"])["Table"]


def test_sam_needs_auto_expand_and_reports_bad_specifications(cfn):
    code, message = error_of(cfn.create_stack, StackName="sam-x", TemplateBody=SAM_APP, Capabilities=["CAPABILITY_IAM"])
    assert (code, message) == ("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_AUTO_EXPAND]")
    bad = SAM_APP.replace("InlineCode: |", "Dummy: |")
    code, message = error_of(cfn.create_stack, StackName="sam-x", TemplateBody=bad,
                             Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    assert code == "ValidationError"
    assert message.startswith("Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application "
                              "Specification document. Number of errors found: 1. Resource with id [Worker] is invalid.")


@pytest.mark.parametrize("event, expected", [
    ({"Type": "SNS", "Properties": {"Topic": {"Ref": "Topic"}}}, {"WorkerE": "AWS::SNS::Subscription",
                                                                  "WorkerEPermission": "AWS::Lambda::Permission"}),
    ({"Type": "Schedule", "Properties": {"Schedule": "rate(1 minute)"}},
     {"WorkerE": "AWS::Events::Rule", "WorkerEPermission": "AWS::Lambda::Permission"}),
    ({"Type": "S3", "Properties": {"Bucket": {"Ref": "Bucket"}, "Events": "s3:ObjectCreated:*"}},
     {"WorkerEPermission": "AWS::Lambda::Permission"}),
    ({"Type": "Api", "Properties": {"Path": "/hi", "Method": "get"}},
     {"WorkerEPermissionProd": "AWS::Lambda::Permission", "ServerlessRestApi": "AWS::ApiGateway::RestApi",
      "ServerlessRestApiProdStage": "AWS::ApiGateway::Stage"}),
    ({"Type": "DynamoDB", "Properties": {"Stream": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1",
                                         "StartingPosition": "LATEST"}}, {"WorkerE": "AWS::Lambda::EventSourceMapping"}),
    ({"Type": "Kinesis", "Properties": {"Stream": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
                                        "StartingPosition": "LATEST"}}, {"WorkerE": "AWS::Lambda::EventSourceMapping"}),
])
def test_sam_events_expand_into_the_resources_sam_generates(cfn, client, event, expected):
    template = {"Transform": "AWS::Serverless-2016-10-31", "Resources": {
        "Topic": {"Type": "AWS::SNS::Topic"}, "Bucket": {"Type": "AWS::S3::Bucket"},
        "Worker": {"Type": "AWS::Serverless::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler", "InlineCode": "def handler(e, c): return 1",
            "Events": {"E": event}}}}}
    cfn.create_change_set(StackName="sam-events", ChangeSetName="plan", ChangeSetType="CREATE",
                          TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    processed = cfn.get_template(StackName="sam-events", ChangeSetName="plan",
                                 TemplateStage="Processed")["TemplateBody"]
    kinds = {k: r["Type"] for k, r in processed["Resources"].items()}
    assert expected.items() <= kinds.items()
    if event["Type"] == "S3":
        bucket = processed["Resources"]["Bucket"]
        assert bucket["DependsOn"] == ["WorkerEPermission"]
        assert bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"][0]["Event"] == \
            "s3:ObjectCreated:*"


def test_sam_sns_and_s3_events_invoke_and_a_failed_delete_keeps_what_remains_depends_on(cfn, deploy, client, aws):
    template = {"Transform": "AWS::Serverless-2016-10-31", "Resources": {
        "Topic": {"Type": "AWS::SNS::Topic"}, "Bucket": {"Type": "AWS::S3::Bucket"},
        "Fn": {"Type": "AWS::Serverless::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler", "AutoPublishAlias": "live",
            "InlineCode": "def handler(event, context):\n    return len(event['Records'])\n",
            "Events": {"T": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Topic"}}},
                       "B": {"Type": "S3", "Properties": {"Bucket": {"Ref": "Bucket"},
                                                          "Events": "s3:ObjectCreated:*"}}}}}}}
    stack = deploy("sam-multi", json.dumps(template), Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")

    def physical(logical_id: str) -> str:
        detail = cfn.describe_stack_resource(StackName=stack["StackId"], LogicalResourceId=logical_id)
        return detail["StackResourceDetail"]["PhysicalResourceId"]

    client("sns").publish(TopicArn=physical("Topic"), Message="hi")
    client("s3").put_object(Bucket=physical("Bucket"), Key="k", Body=b"1")
    aws.settle(timeout=30)
    sources = sorted(run.payload["Records"][0].get("EventSource") or run.payload["Records"][0].get("eventSource")
                     for run in aws.registry.get("lambda").invocations(physical("Fn")))
    assert sources == ["aws:s3", "aws:sns"]

    cfn.delete_stack(StackName="sam-multi")
    aws.settle(timeout=30)
    failed = cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]
    assert failed["StackStatusReason"] == "The following resource(s) failed to delete: [Bucket]."
    left = {r["LogicalResourceId"]: r["ResourceStatus"]
            for r in cfn.describe_stack_resources(StackName=stack["StackId"])["StackResources"]}
    assert left["Bucket"] == "DELETE_FAILED"
    assert left["FnBPermission"] == left["Fn"] == "CREATE_COMPLETE"  # the bucket still depends on them
    assert left["Topic"] == "DELETE_COMPLETE"
    cfn.delete_stack(StackName=stack["StackId"], DeletionMode="FORCE_DELETE_STACK")  # retains what failed
    aws.settle(timeout=30)
    assert cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    client("s3").head_bucket(Bucket=physical("Bucket"))
