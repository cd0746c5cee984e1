"""AWS::SES::* deployed by real stacks into our SES (v2 for sending, v1 for receiving)."""

from __future__ import annotations

import json
from typing import Any

from .conftest import error_of, events, outputs


def _template(subject: str = "Hi {{name}}", template_name: str = "welcome", topic_display: str = "News",
              tags: list[dict[str, str]] | None = None) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "Domain": {"Type": "AWS::SES::EmailIdentity", "Properties": {
            "EmailIdentity": "example.com", "FeedbackAttributes": {"EmailForwardingEnabled": True},
            "MailFromAttributes": {"MailFromDomain": "mail.example.com", "BehaviorOnMxFailure": "REJECT_MESSAGE"},
            "Tags": tags or [{"Key": "team", "Value": "mail"}]}},
        "Sender": {"Type": "AWS::SES::EmailIdentity", "Properties": {
            "EmailIdentity": "sender@example.org",
            "ConfigurationSetAttributes": {"ConfigurationSetName": {"Ref": "Set"}}}},
        "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {
            "ReputationOptions": {"ReputationMetricsEnabled": "true"},
            "SendingOptions": {"SendingEnabled": True}}},
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Destination": {"Type": "AWS::SES::ConfigurationSetEventDestination", "Properties": {
            "ConfigurationSetName": {"Ref": "Set"},
            "EventDestination": {"Name": "to-sns", "Enabled": True,
                                 "MatchingEventTypes": ["send", "bounce", "renderingFailure"],
                                 "SnsDestination": {"TopicARN": {"Ref": "Topic"}}}}},
        "Template": {"Type": "AWS::SES::Template", "Properties": {
            "Template": {"TemplateName": template_name, "SubjectPart": subject, "TextPart": "Hello {{name}}"}}},
        "Contacts": {"Type": "AWS::SES::ContactList", "Properties": {
            "Description": "customers", "Topics": [{"TopicName": "news", "DisplayName": topic_display,
                                                   "DefaultSubscriptionStatus": "OPT_IN"}]}},
        "Pool": {"Type": "AWS::SES::DedicatedIpPool", "Properties": {"ScalingMode": "MANAGED"}},
        "RuleSet": {"Type": "AWS::SES::ReceiptRuleSet", "Properties": {"RuleSetName": "inbound"}},
        "Rule": {"Type": "AWS::SES::ReceiptRule", "Properties": {
            "RuleSetName": {"Ref": "RuleSet"},
            "Rule": {"Name": "stop-all", "Enabled": "true", "Recipients": ["in@example.com"],
                     "Actions": [{"StopAction": {"Scope": "RuleSet"}}]}}},
        "Block": {"Type": "AWS::SES::ReceiptFilter", "Properties": {
            "Filter": {"IpFilter": {"Policy": "Block", "Cidr": "10.0.0.0/8"}}}},
        "Vdm": {"Type": "AWS::SES::VdmAttributes", "Properties": {
            "DashboardAttributes": {"EngagementMetrics": "ENABLED"}}},
    }
    names = ("Domain", "Sender", "Set", "Destination", "Template", "Contacts", "Pool", "RuleSet", "Rule", "Block")
    outs = {name: {"Value": {"Ref": name}} for name in names}
    outs.update({"Dkim1": {"Value": {"Fn::GetAtt": ["Domain", "DkimDNSTokenName1"]}},
                 "DkimValue1": {"Value": {"Fn::GetAtt": ["Domain", "DkimDNSTokenValue1"]}},
                 "TemplateId": {"Value": {"Fn::GetAtt": ["Template", "Id"]}},
                 "VdmId": {"Value": {"Fn::GetAtt": ["Vdm", "VdmAttributesResourceId"]}}})
    return {"Resources": resources, "Outputs": outs}


def test_an_ses_stack_deploys_updates_in_place_and_deletes(deploy, update, cfn, client, aws):
    sesv2, ses = client("sesv2"), client("ses")
    stack = deploy("mail", _template())
    assert stack["StackStatus"] == "CREATE_COMPLETE", [e for e in events(cfn, "mail") if "FAILED" in e[1]]
    out = outputs(stack)
    assert out["Domain"] == "example.com" and out["Sender"] == "sender@example.org"
    assert out["Destination"] == "to-sns" and out["Template"] == out["TemplateId"] == "welcome"
    assert out["RuleSet"] == "inbound" and out["Rule"] == "stop-all" and out["Block"].startswith("mail-Block-")
    assert out["Set"].startswith("mail-Set-") and out["Contacts"].startswith("mail-Contacts-")
    assert out["Dkim1"].endswith("._domainkey.example.com") and out["DkimValue1"].endswith(".dkim.amazonses.com")
    assert out["VdmId"]

    identity = sesv2.get_email_identity(EmailIdentity="example.com")
    assert identity["MailFromAttributes"]["MailFromDomain"] == "mail.example.com"
    assert identity["FeedbackForwardingStatus"] is True
    assert {"Key": "team", "Value": "mail"} in identity["Tags"]
    sender = sesv2.get_email_identity(EmailIdentity="sender@example.org")
    assert sender["ConfigurationSetName"] == out["Set"]
    config = sesv2.get_configuration_set(ConfigurationSetName=out["Set"])
    assert config["ReputationOptions"]["ReputationMetricsEnabled"] is True
    destination = sesv2.get_configuration_set_event_destinations(ConfigurationSetName=out["Set"])["EventDestinations"]
    assert destination[0]["Name"] == "to-sns"
    assert sorted(destination[0]["MatchingEventTypes"]) == ["BOUNCE", "RENDERING_FAILURE", "SEND"]
    assert sesv2.get_email_template(TemplateName="welcome")["TemplateContent"]["Subject"] == "Hi {{name}}"
    assert sesv2.get_contact_list(ContactListName=out["Contacts"])["Topics"][0]["DisplayName"] == "News"
    assert sesv2.get_dedicated_ip_pool(PoolName=out["Pool"])["DedicatedIpPool"]["ScalingMode"] == "MANAGED"
    rules = ses.describe_receipt_rule_set(RuleSetName="inbound")["Rules"]
    assert [r["Name"] for r in rules] == ["stop-all"] and rules[0]["Enabled"] is True
    assert [f["Name"] for f in ses.list_receipt_filters()["Filters"]] == [out["Block"]]
    assert sesv2.get_account()["VdmAttributes"]["VdmEnabled"] == "ENABLED"

    # a new subject and a new topic name are updates in place (the template keeps its name)
    stack = update("mail", _template(subject="Welcome {{name}}", topic_display="Newsletter",
                                     tags=[{"Key": "team", "Value": "post"}]))
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "mail")
    assert sesv2.get_email_template(TemplateName="welcome")["TemplateContent"]["Subject"] == "Welcome {{name}}"
    assert sesv2.get_contact_list(ContactListName=out["Contacts"])["Topics"][0]["DisplayName"] == "Newsletter"
    assert {"Key": "team", "Value": "post"} in sesv2.get_email_identity(EmailIdentity="example.com")["Tags"]
    template_events = [e for e in events(cfn, "mail") if e[0] == "Template"]
    assert not any("new physical resource" in reason for _, _, reason in template_events)

    # renaming the template replaces it
    stack = update("mail", _template(subject="Welcome {{name}}", template_name="welcome-v2",
                                     topic_display="Newsletter", tags=[{"Key": "team", "Value": "post"}]))
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "mail")
    assert outputs(stack)["Template"] == "welcome-v2"
    assert error_of(lambda: sesv2.get_email_template(TemplateName="welcome"))[0] == "NotFoundException"

    cfn.delete_stack(StackName="mail")
    aws.settle()
    assert error_of(lambda: sesv2.get_email_identity(EmailIdentity="example.com"))[0] == "NotFoundException"
    assert error_of(lambda: sesv2.get_configuration_set(ConfigurationSetName=out["Set"]))[0] == "NotFoundException"
    assert error_of(lambda: ses.describe_receipt_rule_set(RuleSetName="inbound"))[0] == "RuleSetDoesNotExist"
    assert ses.list_receipt_filters()["Filters"] == []
    assert sesv2.get_account()["VdmAttributes"]["VdmEnabled"] == "DISABLED"


def test_a_failing_ses_resource_rolls_the_stack_back(deploy, cfn, client):
    sesv2 = client("sesv2")
    sesv2.create_configuration_set(ConfigurationSetName="taken")
    template = {"Resources": {
        "Pool": {"Type": "AWS::SES::DedicatedIpPool", "Properties": {"PoolName": "first"}},
        "Set": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": "taken"},
                "DependsOn": "Pool"}}}
    stack = deploy("clash", template)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [reason for logical, status, reason in events(cfn, "clash") if status == "CREATE_FAILED"]
    assert failed and "taken" in failed[0]
    assert error_of(lambda: sesv2.get_dedicated_ip_pool(PoolName="first"))[0] == "NotFoundException"
    assert sesv2.get_configuration_set(ConfigurationSetName="taken")["ConfigurationSetName"] == "taken"


def test_a_change_set_plans_a_template_rename_as_a_replacement_and_a_new_subject_in_place(deploy, cfn, aws):
    def template(name: str, subject: str) -> str:
        return json.dumps({"Resources": {"Mail": {"Type": "AWS::SES::Template", "Properties": {
            "Template": {"TemplateName": name, "SubjectPart": subject}}}}})

    deploy("plan", template("hello", "Hi"))
    planned = {}
    for change_set, body in (("subject", template("hello", "Hello")), ("rename", template("hello-2", "Hi"))):
        cfn.create_change_set(StackName="plan", ChangeSetName=change_set, TemplateBody=body)
        aws.settle()
        found = cfn.describe_change_set(StackName="plan", ChangeSetName=change_set)["Changes"]
        planned[change_set] = found[0]["ResourceChange"]["Replacement"]
    assert planned == {"subject": "False", "rename": "True"}


def test_a_receipt_rule_updates_in_place_and_a_renamed_one_is_made_anew(aws, client):
    from pytest_cloudmock.services.cloudformation.providers import provider_for

    from .test_provider_base import provider_context

    ses, ctx = client("ses"), provider_context(aws, "Rule")
    provider_for("AWS::SES::ReceiptRuleSet").create(ctx, {"RuleSetName": "set"})
    rules = provider_for("AWS::SES::ReceiptRule")
    first = rules.create(ctx, {"RuleSetName": "set", "Rule": {"Name": "first", "Enabled": True}})
    old = {"RuleSetName": "set", "Rule": {"Name": "second", "Enabled": True}, "After": "first"}
    second = rules.create(ctx, old)
    assert (first.physical_id, second.attributes) == ("first", {"Id": "second"})
    new = {"RuleSetName": "set", "Rule": {"Name": "second", "Enabled": "false", "ScanEnabled": True}}
    rules.update(ctx, "second", old, new)
    found = ses.describe_receipt_rule(RuleSetName="set", RuleName="second")["Rule"]
    assert found["Enabled"] is False and found["ScanEnabled"] is True
    renamed = rules.update(ctx, "second", new, {"RuleSetName": "set", "Rule": {"Name": "third"}})
    assert renamed.physical_id == "third"
    rule_names = [r["Name"] for r in ses.describe_receipt_rule_set(RuleSetName="set")["Rules"]]
    assert rule_names == ["third", "first"]  # no `After`: a new rule goes first, as CreateReceiptRule puts it
    rules.delete(ctx, "third", new)
    rules.delete(ctx, "third", new)  # already gone: not an error
    assert [r["Name"] for r in ses.describe_receipt_rule_set(RuleSetName="set")["Rules"]] == ["first"]
