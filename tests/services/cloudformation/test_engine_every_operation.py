"""Every operation of CloudFormation's botocore model answers (never NotImplemented, never a 5xx),
and random valid-shaped calls straight into the service never crash it."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock.services.cloudformation import CloudFormationService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_operation_answers(cfn, deploy, widgets, aws):
    deploy("existing", {"Resources": {"W": {"Type": "Test::Widget::Thing"}}})
    failures = call_every_operation(cfn, seed=20, rounds=2)
    aws.settle()
    assert failures == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed):
    service = CloudFormationService()
    assert fuzz(service, rounds=10, seed=seed) == []


def test_every_operation_on_real_objects(cfn, deploy, widgets, aws, client):
    """The stored operations with inputs that name things that exist."""
    deploy("real", {"Resources": {"W": {"Type": "Test::Widget::Thing"}}})
    type_arn = cfn.activate_type(Type="RESOURCE", PublicTypeArn="arn:aws:cloudformation:us-east-1::type/resource/"
                                 "0123456789abcdef/Vendor-Thing-Widget")["Arn"]
    assert cfn.describe_type(Arn=type_arn)["IsActivated"] is True
    assert [t["TypeArn"] for t in cfn.list_types(Visibility="PUBLIC")["TypeSummaries"]] == [type_arn]
    config = cfn.set_type_configuration(TypeArn=type_arn, Configuration=json.dumps({"a": 1}))["ConfigurationArn"]
    described = cfn.batch_describe_type_configurations(TypeConfigurationIdentifiers=[{"TypeArn": type_arn}])
    assert described["TypeConfigurations"][0]["Arn"] == config
    scan = cfn.start_resource_scan()["ResourceScanId"]
    assert cfn.describe_resource_scan(ResourceScanId=scan)["Status"] == "COMPLETE"
    assert [r["ResourceType"] for r in cfn.list_resource_scan_resources(ResourceScanId=scan)["Resources"]] == \
        ["Test::Widget::Thing"]
    generated = cfn.create_generated_template(GeneratedTemplateName="gen", Resources=[
        {"ResourceType": "AWS::S3::Bucket", "LogicalResourceId": "B", "ResourceIdentifier": {"BucketName": "b"}}])
    body = json.loads(cfn.get_generated_template(GeneratedTemplateName="gen")["TemplateBody"])
    assert body["Resources"]["B"]["Type"] == "AWS::S3::Bucket"
    assert cfn.list_generated_templates()["Summaries"][0]["GeneratedTemplateId"] == generated["GeneratedTemplateId"]
    detection = cfn.detect_stack_drift(StackName="real")["StackDriftDetectionId"]
    aws.settle()
    status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
    assert (status["StackDriftStatus"], status["DetectionStatus"]) == ("IN_SYNC", "DETECTION_COMPLETE")
    drift = cfn.detect_stack_resource_drift(StackName="real", LogicalResourceId="W")["StackResourceDrift"]
    assert drift["StackResourceDriftStatus"] == "NOT_CHECKED"  # the test type cannot be read back
    cfn.set_stack_policy(StackName="real", StackPolicyBody=json.dumps({"Statement": [
        {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]}))
    assert json.loads(cfn.get_stack_policy(StackName="real")["StackPolicyBody"])["Statement"][0]["Effect"] == "Allow"
    assert cfn.describe_account_limits()["AccountLimits"]
    cfn.activate_organizations_access()
    assert cfn.describe_organizations_access()["Status"] == "ENABLED"
