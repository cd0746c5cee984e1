"""Change sets: planned Add / Modify (Replacement True, False, Conditional) / Remove, execute, delete."""

from __future__ import annotations

import json
from typing import Any

from .conftest import error_of


def template(**resources: Any) -> str:
    return json.dumps({"Resources": resources})


def widget(**props: Any) -> dict[str, Any]:
    return {"Type": "Test::Widget::Thing", "Properties": props}


def changes(cfn: Any, change_set: str, stack: str) -> dict[str, tuple[str, str | None]]:
    found = cfn.describe_change_set(ChangeSetName=change_set, StackName=stack)["Changes"]
    return {c["ResourceChange"]["LogicalResourceId"]: (c["ResourceChange"]["Action"],
                                                       c["ResourceChange"].get("Replacement")) for c in found}


def test_change_set_plans_then_executes(cfn, deploy, widgets, aws):
    deploy("cs", template(Keep=widget(Size=1), Tune=widget(Size=1), Rename=widget(Name="a"),
                          Follow=widget(Name={"Ref": "Rename"}), Drop=widget()))
    new = template(Keep=widget(Size=1), Tune=widget(Size=2), Rename=widget(Name="b"),
                   Follow=widget(Name={"Ref": "Rename"}), Fresh=widget())
    created = cfn.create_change_set(StackName="cs", ChangeSetName="next", TemplateBody=new, Description="tuning")
    assert created["Id"].startswith("arn:aws:cloudformation:us-east-1:123456789012:changeSet/next/")
    assert changes(cfn, "next", "cs") == {
        "Tune": ("Modify", "False"), "Rename": ("Modify", "True"), "Follow": ("Modify", "Conditional"),
        "Fresh": ("Add", None), "Drop": ("Remove", None)}
    described = cfn.describe_change_set(ChangeSetName=created["Id"])
    assert (described["Status"], described["ExecutionStatus"], described["Description"]) == \
        ("CREATE_COMPLETE", "AVAILABLE", "tuning")
    rename = next(c["ResourceChange"] for c in described["Changes"] if c["ResourceChange"]["LogicalResourceId"] == "Rename")
    assert rename["Details"] == [{"Target": {"Attribute": "Properties", "Name": "Name", "RequiresRecreation": "Always"},
                                  "Evaluation": "Static", "ChangeSource": "DirectModification"}]
    assert [s["ChangeSetName"] for s in cfn.list_change_sets(StackName="cs")["Summaries"]] == ["next"]
    cfn.execute_change_set(ChangeSetName="next", StackName="cs")
    aws.settle()
    stack = cfn.describe_stacks(StackName="cs")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert stack["ChangeSetId"] == created["Id"]
    names = {r["LogicalResourceId"] for r in cfn.describe_stack_resources(StackName="cs")["StackResources"]}
    assert names == {"Keep", "Tune", "Rename", "Follow", "Fresh"}
    code, _ = error_of(cfn.execute_change_set, ChangeSetName=created["Id"])
    assert code == "InvalidChangeSetStatus"


def test_create_type_change_set_and_review_in_progress(cfn, widgets, aws):
    cfn.create_change_set(StackName="fresh", ChangeSetName="first", ChangeSetType="CREATE",
                          TemplateBody=template(W=widget()))
    stack = cfn.describe_stacks(StackName="fresh")["Stacks"][0]
    assert stack["StackStatus"] == "REVIEW_IN_PROGRESS"
    assert changes(cfn, "first", "fresh") == {"W": ("Add", None)}
    code, message = error_of(cfn.create_change_set, StackName="fresh", ChangeSetName="first", ChangeSetType="CREATE",
                             TemplateBody=template(W=widget()))
    assert (code, message) == ("AlreadyExistsException", "ChangeSet [first] already exists")
    cfn.execute_change_set(ChangeSetName="first", StackName="fresh")
    aws.settle()
    assert cfn.describe_stacks(StackName="fresh")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    code, message = error_of(cfn.create_change_set, StackName="fresh", ChangeSetName="again", ChangeSetType="CREATE",
                             TemplateBody=template(W=widget()))
    assert message == "Stack [fresh] already exists and cannot be created again with the changeSet [again]."


def test_empty_change_set_fails_and_can_be_deleted(cfn, deploy, widgets):
    deploy("same", template(W=widget()))
    created = cfn.create_change_set(StackName="same", ChangeSetName="noop", UsePreviousTemplate=True)
    described = cfn.describe_change_set(ChangeSetName=created["Id"])
    assert (described["Status"], described["ExecutionStatus"]) == ("FAILED", "UNAVAILABLE")
    assert described["StatusReason"] == ("The submitted information didn't contain changes. Submit different "
                                         "information to create a change set.")
    cfn.delete_change_set(ChangeSetName=created["Id"])
    code, message = error_of(cfn.describe_change_set, ChangeSetName="noop", StackName="same")
    assert (code, message) == ("ChangeSetNotFound", "ChangeSet [noop] does not exist")
    code, message = error_of(cfn.create_change_set, StackName="missing", ChangeSetName="x",
                             TemplateBody=template(W=widget()))
    assert message == "Stack [missing] does not exist"


def test_deleting_the_only_change_set_of_a_review_stack_deletes_the_stack(cfn, widgets):
    cfn.create_change_set(StackName="review", ChangeSetName="only", ChangeSetType="CREATE",
                          TemplateBody=template(W=widget()))
    cfn.delete_change_set(ChangeSetName="only", StackName="review")
    assert error_of(cfn.describe_stacks, StackName="review")[1] == "Stack with id review does not exist"
