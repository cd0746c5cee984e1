"""Account-level IAM: SAML providers, service-linked roles, password policy, summary,
credential report, service-specific credentials, simulation, reports, features."""

from __future__ import annotations

import csv
import io
import json

import pytest
from botocore.config import Config as BotoConfig

from ..aws_errors import error_with_status
from ..credentials_clients import client_for
from .saml_documents import metadata

ACCOUNT = "123456789012"
ALLOW_S3_GET = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::data/*"},
    {"Effect": "Deny", "Action": "s3:GetObjectAcl", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


@pytest.fixture
def iam(client):
    return client("iam")


def test_saml_provider_lifecycle(iam):
    arn = iam.create_saml_provider(Name="okta", SAMLMetadataDocument=metadata(),
                                   Tags=[{"Key": "idp", "Value": "okta"}])["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:saml-provider/okta"
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["ValidUntil"].year == 2030 and got["SAMLMetadataDocument"] == metadata()
    assert [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]] == [arn]
    assert error_with_status(iam.create_saml_provider, Name="okta", SAMLMetadataDocument=metadata())[0] == (
        "EntityAlreadyExists")
    assert error_with_status(iam.create_saml_provider, Name="bad", SAMLMetadataDocument="x" * 1000)[::2] == (
        "InvalidInput", 400)
    iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=metadata("2031-06-01T00:00:00Z"))
    assert iam.get_saml_provider(SAMLProviderArn=arn)["ValidUntil"].year == 2031
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["idp"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == []
    iam.delete_saml_provider(SAMLProviderArn=arn)
    assert error_with_status(iam.get_saml_provider, SAMLProviderArn=arn)[::2] == ("NoSuchEntity", 404)


def test_service_linked_roles(iam):
    role = iam.create_service_linked_role(AWSServiceName="elasticloadbalancing.amazonaws.com")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForElasticLoadBalancing"
    assert role["Path"] == "/aws-service-role/elasticloadbalancing.amazonaws.com/"
    assert role["Arn"] == (f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                           "AWSServiceRoleForElasticLoadBalancing")
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": ["elasticloadbalancing.amazonaws.com"]}
    assert error_with_status(iam.create_service_linked_role, AWSServiceName="elasticloadbalancing.amazonaws.com") == (
        "InvalidInput", "Service role name AWSServiceRoleForElasticLoadBalancing has been taken in this account, "
        "please try a different suffix.", 400)
    custom = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="web",
                                            Description="for web")["Role"]
    assert (custom["RoleName"], custom["Description"]) == ("AWSServiceRoleForAutoScaling_web", "for web")
    assert error_with_status(iam.delete_role, RoleName=custom["RoleName"])[0] == "UnmodifiableEntity"
    task = iam.delete_service_linked_role(RoleName=custom["RoleName"])["DeletionTaskId"]
    assert task.startswith("task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_web/")
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"
    assert error_with_status(iam.get_role, RoleName=custom["RoleName"])[0] == "NoSuchEntity"
    assert error_with_status(iam.get_service_linked_role_deletion_status,
                             DeletionTaskId="task/aws-service-role/x/y/z")[0] == "NoSuchEntity"


def test_password_policy(iam, client):
    assert error_with_status(iam.get_account_password_policy) == (
        "NoSuchEntity", f"The Password Policy with domain name {ACCOUNT} cannot be found.", 404)
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireNumbers=True, MaxPasswordAge=90,
                                       AllowUsersToChangePassword=True)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert (policy["MinimumPasswordLength"], policy["RequireNumbers"], policy["ExpirePasswords"],
            policy["MaxPasswordAge"], policy["RequireSymbols"]) == (12, True, True, 90, False)
    unchecked = client("iam", config=BotoConfig(parameter_validation=False, retries={"total_max_attempts": 1}))
    code, message, status = error_with_status(unchecked.update_account_password_policy, MinimumPasswordLength=200,
                                              MaxPasswordAge=2000)
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("2 validation errors detected: Value '200' at 'minimumPasswordLength' failed to "
                              "satisfy constraint: Member must have value less than or equal to 128")
    iam.create_user(UserName="pw")
    assert error_with_status(iam.create_login_profile, UserName="pw", Password="short1") == (
        "PasswordPolicyViolation", "Password does not conform to the account password policy.", 400)
    assert error_with_status(iam.create_login_profile, UserName="pw", Password="longbutnodigits")[0] == (
        "PasswordPolicyViolation")
    iam.create_login_profile(UserName="pw", Password="longenough123")
    iam.delete_account_password_policy()
    assert error_with_status(iam.delete_account_password_policy)[0] == "NoSuchEntity"


def test_change_password_as_the_user(aws, iam):
    iam.create_user(UserName="changer")
    iam.create_login_profile(UserName="changer", Password="first-Password1", PasswordResetRequired=True)
    key = iam.create_access_key(UserName="changer")["AccessKey"]
    as_user = client_for(aws, "iam", key)
    assert error_with_status(as_user.change_password, OldPassword="wrong-one", NewPassword="x" * 10)[0] == "InvalidInput"
    as_user.change_password(OldPassword="first-Password1", NewPassword="second-Password2")
    assert iam.get_login_profile(UserName="changer")["LoginProfile"]["PasswordResetRequired"] is False
    assert error_with_status(iam.change_password, OldPassword="a", NewPassword="b")[0] == "InvalidUserType"


def test_account_summary_counts(iam):
    before = iam.get_account_summary()["SummaryMap"]
    assert (before["Users"], before["UsersQuota"], before["AccessKeysPerUserQuota"]) == (0, 5000, 2)
    iam.create_user(UserName="a")
    iam.create_group(GroupName="g")
    iam.create_policy(PolicyName="p", PolicyDocument=ALLOW_S3_GET)
    iam.create_saml_provider(Name="idp", SAMLMetadataDocument=metadata())
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["Users"], summary["Groups"], summary["Policies"], summary["Providers"],
            summary["PolicyVersionsInUse"]) == (1, 1, 1, 1, 1)


def test_credential_report(aws, iam):
    assert error_with_status(iam.get_credential_report)[::2] == ("ReportNotPresent", 410)
    iam.create_user(UserName="reported")
    key = iam.create_access_key(UserName="reported")["AccessKey"]
    client_for(aws, "sqs", key).list_queues()
    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(report["Content"].decode())))
    assert [r["user"] for r in rows] == ["<root_account>", "reported"]
    row = rows[1]
    assert (row["arn"], row["password_enabled"], row["access_key_1_active"]) == (
        f"arn:aws:iam::{ACCOUNT}:user/reported", "false", "true")
    assert (row["access_key_1_last_used_service"], row["access_key_1_last_used_region"]) == ("sqs", "us-east-1")
    assert row["access_key_2_active"] == "false"


def test_service_specific_credentials(iam):
    iam.create_user(UserName="coder")
    made = iam.create_service_specific_credential(UserName="coder", ServiceName="codecommit.amazonaws.com")
    cred = made["ServiceSpecificCredential"]
    assert cred["ServiceUserName"] == f"coder-at-{ACCOUNT}" and len(cred["ServicePassword"]) == 44
    assert error_with_status(iam.create_service_specific_credential, UserName="coder",
                             ServiceName="s3.amazonaws.com")[::2] == ("NotSupportedService", 404)
    reset = iam.reset_service_specific_credential(ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"],
                                                  UserName="coder")["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != cred["ServicePassword"]
    iam.update_service_specific_credential(UserName="coder", Status="Inactive",
                                           ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])
    listed = iam.list_service_specific_credentials(UserName="coder")["ServiceSpecificCredentials"]
    assert [(c["Status"], "ServicePassword" in c) for c in listed] == [("Inactive", False)]
    iam.delete_service_specific_credential(UserName="coder",
                                           ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])
    assert iam.list_service_specific_credentials(UserName="coder")["ServiceSpecificCredentials"] == []


def test_simulation_evaluates_actions_resources_and_conditions(iam):
    insecure = [{"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}]
    results = iam.simulate_custom_policy(PolicyInputList=[ALLOW_S3_GET],
                                         ActionNames=["s3:GetObject", "s3:PutObject", "s3:GetObjectAcl"],
                                         ResourceArns=["arn:aws:s3:::data/key"],
                                         ContextEntries=insecure)["EvaluationResults"]
    assert [(r["EvalActionName"], r["EvalDecision"]) for r in results] == [
        ("s3:GetObject", "allowed"), ("s3:PutObject", "implicitDeny"), ("s3:GetObjectAcl", "explicitDeny")]
    assert iam.simulate_custom_policy(PolicyInputList=[ALLOW_S3_GET], ActionNames=["s3:GetObject"],
                                      ResourceArns=["arn:aws:s3:::other/key"])["EvaluationResults"][0][
        "EvalDecision"] == "implicitDeny"
    iam.create_user(UserName="sim")
    iam.put_user_policy(UserName="sim", PolicyName="inline", PolicyDocument=ALLOW_S3_GET)
    arn = iam.get_user(UserName="sim")["User"]["Arn"]
    result = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["s3:GetObject"],
                                           ResourceArns=["arn:aws:s3:::data/x"])["EvaluationResults"][0]
    assert result["EvalDecision"] == "allowed" and result["MatchedStatements"][0]["SourcePolicyId"] == "inline"
    assert iam.get_context_keys_for_principal_policy(PolicySourceArn=arn)["ContextKeyNames"] == ["aws:SecureTransport"]
    assert error_with_status(iam.simulate_principal_policy, PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/nobody",
                             ActionNames=["s3:GetObject"])[0] == "NoSuchEntity"
    assert error_with_status(iam.simulate_custom_policy, PolicyInputList=["{nope"],
                             ActionNames=["s3:GetObject"])[::2] == ("InvalidInput", 400)


def test_last_accessed_reports_name_the_granted_services(iam):
    policy = iam.create_policy(PolicyName="reader", PolicyDocument=ALLOW_S3_GET)["Policy"]
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="r", PolicyArn=policy["Arn"])
    role_arn = iam.get_role(RoleName="r")["Role"]["Arn"]
    job = iam.generate_service_last_accessed_details(Arn=role_arn)["JobId"]
    details = iam.get_service_last_accessed_details(JobId=job)
    assert details["JobStatus"] == "COMPLETED"
    assert [s["ServiceNamespace"] for s in details["ServicesLastAccessed"]] == ["s3"]
    granting = iam.list_policies_granting_service_access(Arn=role_arn, ServiceNamespaces=["s3", "sqs"])
    assert [[p["PolicyName"] for p in g["Policies"]] for g in granting["PoliciesGrantingServiceAccess"]] == [
        ["reader"], []]
    assert error_with_status(iam.get_service_last_accessed_details, JobId="0" * 36)[0] == "NoSuchEntity"
    org_job = iam.generate_organizations_access_report(EntityPath="o-a1b2c3d4e5/r-f6g7")["JobId"]
    assert iam.get_organizations_access_report(JobId=org_job)["JobStatus"] == "COMPLETED"


def test_outbound_federation_and_features(iam):
    assert error_with_status(iam.get_outbound_web_identity_federation_info)[::2] == ("FeatureDisabled", 404)
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    assert issuer.startswith("https://") and issuer.endswith(".tokens.sts.global.api.aws")
    assert error_with_status(iam.enable_outbound_web_identity_federation)[::2] == ("FeatureEnabled", 409)
    assert iam.get_outbound_web_identity_federation_info()["IssuerIdentifier"] == issuer
    iam.disable_outbound_web_identity_federation()
    assert iam.enable_organizations_root_sessions()["EnabledFeatures"] == ["RootSessions"]
    assert iam.list_organizations_features()["EnabledFeatures"] == ["RootSessions"]
    iam.disable_organizations_root_sessions()
    assert iam.list_organizations_features()["EnabledFeatures"] == []
