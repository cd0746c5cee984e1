"""Stack sets: one template, a stack per (account, region) instance, run by the same engine."""

from __future__ import annotations

import json

from .conftest import error_of

TEMPLATE = json.dumps({"Parameters": {"Label": {"Type": "String", "Default": "base"}},
                       "Resources": {"W": {"Type": "Test::Widget::Thing", "Properties": {"Name": {"Ref": "Label"}}}}})


def test_instances_across_accounts_and_regions(cfn, widgets, aws, boto_session):
    cfn.create_stack_set(StackSetName="fleet", TemplateBody=TEMPLATE, Description="everywhere")
    operation = cfn.create_stack_instances(StackSetName="fleet", Accounts=["123456789012", "210987654321"],
                                           Regions=["us-east-1", "eu-west-1"],
                                           ParameterOverrides=[{"ParameterKey": "Label", "ParameterValue": "over"}])
    aws.settle()
    described = cfn.describe_stack_set_operation(StackSetName="fleet", OperationId=operation["OperationId"])
    assert described["StackSetOperation"]["Status"] == "SUCCEEDED"
    results = cfn.list_stack_set_operation_results(StackSetName="fleet", OperationId=operation["OperationId"])
    assert sorted((r["Account"], r["Region"], r["Status"]) for r in results["Summaries"]) == [
        ("123456789012", "eu-west-1", "SUCCEEDED"), ("123456789012", "us-east-1", "SUCCEEDED"),
        ("210987654321", "eu-west-1", "SUCCEEDED"), ("210987654321", "us-east-1", "SUCCEEDED")]
    assert sorted(p["Name"] for p in widgets.live.values()) == ["over"] * 4
    instance = cfn.describe_stack_instance(StackSetName="fleet", StackInstanceAccount="123456789012",
                                           StackInstanceRegion="eu-west-1")["StackInstance"]
    assert instance["Status"] == "CURRENT" and ":eu-west-1:123456789012:stack/StackSet-fleet-" in instance["StackId"]
    eu = boto_session.client("cloudformation", region_name="eu-west-1", endpoint_url=aws.endpoint)
    assert eu.describe_stacks(StackName=instance["StackId"])["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    assert len(cfn.list_stack_instances(StackSetName="fleet")["Summaries"]) == 4
    assert error_of(cfn.delete_stack_set, StackSetName="fleet")[0] == "StackSetNotEmptyException"
    cfn.delete_stack_instances(StackSetName="fleet", Accounts=["123456789012", "210987654321"],
                               Regions=["us-east-1", "eu-west-1"], RetainStacks=False)
    aws.settle()
    assert widgets.live == {}
    assert cfn.list_stack_instances(StackSetName="fleet")["Summaries"] == []
    cfn.delete_stack_set(StackSetName="fleet")
    assert error_of(cfn.describe_stack_set, StackSetName="fleet") == ("StackSetNotFoundException",
                                                                     "StackSet fleet not found")
