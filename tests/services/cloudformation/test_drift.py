"""Drift detection: resources read back from their services against the properties the template set."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.cloudformation.drift import differences

from .conftest import error_of

TEMPLATE = {"Resources": {
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "drifty", "VisibilityTimeout": 60,
                                                         "Tags": [{"Key": "team", "Value": "blue"}]}},
    "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/drift/param", "Type": "String",
                                                             "Value": "v1"}},
    "Widget": {"Type": "Test::Widget::Thing", "Properties": {"Size": 1}}}}


def detect(cfn: Any, aws: Any, name: str, **kwargs: Any) -> dict[str, Any]:
    detection = cfn.detect_stack_drift(StackName=name, **kwargs)["StackDriftDetectionId"]
    aws.settle()
    return cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)


def drifts(cfn: Any, name: str, **kwargs: Any) -> dict[str, dict[str, Any]]:
    found = cfn.describe_stack_resource_drifts(StackName=name, **kwargs)["StackResourceDrifts"]
    return {d["LogicalResourceId"]: d for d in found}


@pytest.fixture
def stack(deploy, widgets, cfn) -> dict[str, Any]:
    stack = deploy("drift", TEMPLATE, Tags=[{"Key": "env", "Value": "test"}])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    return stack


def test_a_fresh_stack_is_in_sync_and_unsupported_types_are_not_checked(cfn, aws, stack):
    assert stack["DriftInformation"] == {"StackDriftStatus": "NOT_CHECKED"}
    status = detect(cfn, aws, "drift")
    assert status["DetectionStatus"] == "DETECTION_COMPLETE"
    assert status["StackDriftStatus"] == "IN_SYNC" and status["DriftedStackResourceCount"] == 0
    found = drifts(cfn, "drift")
    assert set(found) == {"Queue", "Param"}  # the test type has no reader: not checked, not listed
    assert found["Queue"]["StackResourceDriftStatus"] == "IN_SYNC"
    assert found["Queue"]["PropertyDifferences"] == []
    # the stack's tag CloudFormation propagated is not the template's, so not drift
    assert json.loads(found["Queue"]["ActualProperties"])["Tags"] == [{"Key": "team", "Value": "blue"}]
    described = cfn.describe_stacks(StackName="drift")["Stacks"][0]["DriftInformation"]
    assert described["StackDriftStatus"] == "IN_SYNC" and "LastCheckTimestamp" in described
    summaries = {r["LogicalResourceId"]: r["DriftInformation"]
                 for r in cfn.list_stack_resources(StackName="drift")["StackResourceSummaries"]}
    assert summaries["Queue"]["StackResourceDriftStatus"] == "IN_SYNC"
    assert summaries["Widget"] == {"StackResourceDriftStatus": "NOT_CHECKED"}


def test_changes_made_outside_the_stack_are_modified_and_deleted(cfn, aws, client, stack):
    sqs, ssm = client("sqs"), client("ssm")
    url = sqs.get_queue_url(QueueName="drifty")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "45", "DelaySeconds": "5"})
    sqs.tag_queue(QueueUrl=url, Tags={"team": "red", "extra": "x"})
    ssm.delete_parameter(Name="/drift/param")
    status = detect(cfn, aws, "drift")
    assert status["StackDriftStatus"] == "DRIFTED" and status["DriftedStackResourceCount"] == 2
    found = drifts(cfn, "drift")
    queue = found["Queue"]
    assert queue["StackResourceDriftStatus"] == "MODIFIED"
    # DelaySeconds was never set by the template: a default, not drift
    assert sorted((d["PropertyPath"], d["ExpectedValue"], d["ActualValue"], d["DifferenceType"])
                  for d in queue["PropertyDifferences"]) == [
        ("/Tags/0/Value", "blue", "red", "NOT_EQUAL"),
        ("/Tags/1", "null", json.dumps({"Key": "extra", "Value": "x"}), "ADD"),
        ("/VisibilityTimeout", "60", "45", "NOT_EQUAL")]
    assert json.loads(queue["ExpectedProperties"])["VisibilityTimeout"] == 60
    assert json.loads(queue["ActualProperties"])["VisibilityTimeout"] == "45"
    param = found["Param"]
    assert param["StackResourceDriftStatus"] == "DELETED" and "ActualProperties" not in param
    assert set(drifts(cfn, "drift", StackResourceDriftStatusFilters=["DELETED"])) == {"Param"}
    assert cfn.describe_stacks(StackName="drift")["Stacks"][0]["DriftInformation"]["StackDriftStatus"] == "DRIFTED"
    resource = cfn.describe_stack_resource(StackName="drift", LogicalResourceId="Param")["StackResourceDetail"]
    assert resource["DriftInformation"]["StackResourceDriftStatus"] == "DELETED"


def test_detect_stack_resource_drift_checks_one_resource(cfn, client, stack):
    client("ssm").put_parameter(Name="/drift/param", Value="v2", Type="String", Overwrite=True)
    drift = cfn.detect_stack_resource_drift(StackName="drift", LogicalResourceId="Param")["StackResourceDrift"]
    assert drift["StackResourceDriftStatus"] == "MODIFIED"
    assert drift["PropertyDifferences"] == [{"PropertyPath": "/Value", "ExpectedValue": "v1", "ActualValue": "v2",
                                             "DifferenceType": "NOT_EQUAL"}]
    assert drift["PhysicalResourceId"] == "/drift/param"
    widget = cfn.detect_stack_resource_drift(StackName="drift", LogicalResourceId="Widget")["StackResourceDrift"]
    assert widget["StackResourceDriftStatus"] == "NOT_CHECKED"
    code, message = error_of(cfn.detect_stack_resource_drift, StackName="drift", LogicalResourceId="Nope")
    assert (code, message) == ("ValidationError", "Resource Nope does not exist for stack drift")


def test_detection_status_errors_and_resource_filter(cfn, aws, client, stack):
    code, _ = error_of(cfn.describe_stack_drift_detection_status, StackDriftDetectionId="nope")
    assert code == "ValidationError"
    client("ssm").delete_parameter(Name="/drift/param")
    status = detect(cfn, aws, "drift", LogicalResourceIds=["Queue"])
    assert status["StackDriftStatus"] == "IN_SYNC"  # the deleted parameter was not looked at
    code, _ = error_of(cfn.detect_stack_drift, StackName="missing-stack")
    assert code == "ValidationError"


def test_an_update_made_through_the_stack_is_not_drift(cfn, aws, update, stack):
    changed = json.loads(json.dumps(TEMPLATE))
    changed["Resources"]["Queue"]["Properties"]["VisibilityTimeout"] = 90
    assert update("drift", changed)["StackStatus"] == "UPDATE_COMPLETE"
    assert detect(cfn, aws, "drift")["StackDriftStatus"] == "IN_SYNC"


# -- the comparison rules -------------------------------------------------------------------
def test_comparison_rules():
    assert differences({"A": 30, "B": True}, {"A": "30", "B": "true", "C": "default"}) == []
    assert differences({"L": ["a", "b"]}, {"L": ["b", "a"]}) == []  # plain lists: order does not matter
    assert differences({"P": {"Version": "1", "S": [1]}}, {"P": json.dumps({"Version": "1", "S": [1]})}) == []
    assert differences({"L": ["a", "b"]}, {"L": ["a", "c"]}) == [
        {"PropertyPath": "/L/1", "ExpectedValue": "b", "ActualValue": "null", "DifferenceType": "REMOVE"},
        {"PropertyPath": "/L/1", "ExpectedValue": "null", "ActualValue": "c", "DifferenceType": "ADD"}]
    assert differences({"M": {"X": 1}}, {"M": {}}) == [
        {"PropertyPath": "/M/X", "ExpectedValue": "1", "ActualValue": "null", "DifferenceType": "REMOVE"}]
    assert differences({"R": [{"A": 1}, {"A": 2}]}, {"R": [{"A": 1}, {"A": 3}]}) == [
        {"PropertyPath": "/R/1/A", "ExpectedValue": "2", "ActualValue": "3", "DifferenceType": "NOT_EQUAL"}]


plain = st.one_of(st.integers(-5, 5), st.booleans(), st.text("ab", max_size=3))
documents = st.recursive(plain, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text("xyz", min_size=1, max_size=2),
                                                                         inner, max_size=3)), max_leaves=8)


LIGHT = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI box


@LIGHT
@given(st.dictionaries(st.text("PQ", min_size=1, max_size=2), documents, max_size=4))
def test_a_configuration_never_drifts_from_itself(expected):
    assert differences(expected, json.loads(json.dumps(expected))) == []


@LIGHT
@given(st.dictionaries(st.text("PQ", min_size=1, max_size=2), documents, min_size=1, max_size=4), st.data())
def test_a_removed_property_is_always_found(expected, data):
    gone = data.draw(st.sampled_from(sorted(expected)))
    actual = {k: v for k, v in expected.items() if k != gone}
    found = differences(expected, actual)
    assert {"PropertyPath": f"/{gone}", "ExpectedValue": found[0]["ExpectedValue"], "ActualValue": "null",
            "DifferenceType": "REMOVE"} in found


ROLE_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                       "Action": "sts:AssumeRole"}]}
EVERY_TYPE = {"Resources": {
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": "drift-bucket", "VersioningConfiguration": {"Status": "Enabled"},
        "Tags": [{"Key": "a", "Value": "1"}]}},
    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "drift-topic", "DisplayName": "Drift"}},
    "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": "drift-table", "BillingMode": "PROVISIONED",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": "5"}}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": "drift-role", "AssumeRolePolicyDocument": ROLE_POLICY, "MaxSessionDuration": 7200,
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}},
    "Function": {"Type": "AWS::Lambda::Function", "Properties": {
        "FunctionName": "drift-fn", "Runtime": "python3.12", "Handler": "index.handler", "Timeout": 10,
        "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": {"ZipFile": "def handler(e, c):\n    return e\n"},
        "Environment": {"Variables": {"MODE": "test"}}}},
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "drift key", "EnableKeyRotation": True}},
    "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/drift/group", "RetentionInDays": 7}},
    "Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "drift-secret",
                                                                      "Description": "shh", "SecretString": "x"}},
    "Rule": {"Type": "AWS::Events::Rule", "Properties": {
        "Name": "drift-rule", "ScheduleExpression": "rate(5 minutes)", "State": "ENABLED",
        "Targets": [{"Id": "q", "Arn": {"Fn::GetAtt": ["Topic", "TopicArn"]}}]}},
    "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/drift/every", "Type": "String", "Value": "1",
                                                             "Tags": {"team": "blue"}}},
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "drift-every",
                                                         "RedrivePolicy": {"deadLetterTargetArn": {
                                                             "Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 3}}},
    "Dlq": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}}}}


def test_every_readable_type_deploys_in_sync_then_drifts(cfn, aws, client, deploy):
    stack = deploy("every", EVERY_TYPE, Capabilities=["CAPABILITY_NAMED_IAM"])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    status = detect(cfn, aws, "every")
    found = drifts(cfn, "every")
    assert {k: d["StackResourceDriftStatus"] for k, d in found.items()} == {k: "IN_SYNC" for k in EVERY_TYPE["Resources"]}, \
        {k: d.get("PropertyDifferences") for k, d in found.items()}
    assert status["StackDriftStatus"] == "IN_SYNC"
    client("s3").put_bucket_versioning(Bucket="drift-bucket", VersioningConfiguration={"Status": "Suspended"})
    client("logs").put_retention_policy(logGroupName="/drift/group", retentionInDays=30)
    client("iam").detach_role_policy(RoleName="drift-role", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    client("lambda").update_function_configuration(FunctionName="drift-fn", Timeout=20)
    client("events").disable_rule(Name="drift-rule")
    client("dynamodb").delete_table(TableName="drift-table")
    status = detect(cfn, aws, "every")
    assert status["StackDriftStatus"] == "DRIFTED" and status["DriftedStackResourceCount"] == 6
    paths = {k: [(p["PropertyPath"], p["DifferenceType"]) for p in d.get("PropertyDifferences", [])]
             for k, d in drifts(cfn, "every", StackResourceDriftStatusFilters=["MODIFIED", "DELETED"]).items()}
    assert paths == {"Bucket": [("/VersioningConfiguration/Status", "NOT_EQUAL")],
                     "Group": [("/RetentionInDays", "NOT_EQUAL")],
                     "Role": [("/ManagedPolicyArns/0", "REMOVE")],
                     "Function": [("/Timeout", "NOT_EQUAL")],
                     "Rule": [("/State", "NOT_EQUAL")],
                     "Table": []}


def test_stack_set_drift_checks_every_instance(cfn, aws, boto_session):
    template = json.dumps({"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": "/fleet/setting", "Type": "String", "Value": "on"}}}})
    cfn.create_stack_set(StackSetName="fleet", TemplateBody=template)
    cfn.create_stack_instances(StackSetName="fleet", Accounts=["123456789012"], Regions=["us-east-1", "eu-west-1"])
    aws.settle()
    boto_session.client("ssm", region_name="eu-west-1", endpoint_url=aws.endpoint).put_parameter(
        Name="/fleet/setting", Value="off", Type="String", Overwrite=True)
    assert cfn.describe_stack_set(StackSetName="fleet")["StackSet"]["StackSetDriftDetectionDetails"] == {
        "DriftStatus": "NOT_CHECKED"}
    operation = cfn.detect_stack_set_drift(StackSetName="fleet")["OperationId"]
    aws.settle()
    assert cfn.describe_stack_set_operation(StackSetName="fleet", OperationId=operation)[
        "StackSetOperation"]["Action"] == "DETECT_DRIFT"
    details = cfn.describe_stack_set(StackSetName="fleet")["StackSet"]["StackSetDriftDetectionDetails"]
    assert (details["DriftStatus"], details["DriftDetectionStatus"], details["DriftedStackInstancesCount"],
            details["InSyncStackInstancesCount"], details["TotalStackInstancesCount"]) == (
        "DRIFTED", "COMPLETED", 1, 1, 2)
    instances = {i["Region"]: i["DriftStatus"] for i in cfn.list_stack_instances(StackSetName="fleet")["Summaries"]}
    assert instances == {"us-east-1": "IN_SYNC", "eu-west-1": "DRIFTED"}
    found = cfn.list_stack_instance_resource_drifts(StackSetName="fleet", StackInstanceAccount="123456789012",
                                                    StackInstanceRegion="eu-west-1", OperationId=operation)
    assert [(d["LogicalResourceId"], d["StackResourceDriftStatus"], d["PropertyDifferences"][0]["PropertyPath"])
            for d in found["Summaries"]] == [("P", "MODIFIED", "/Value")]
