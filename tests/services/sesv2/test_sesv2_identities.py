"""Email identities through v2 (shared with v1): Easy DKIM, BYODKIM, MAIL FROM, feedback,
default configuration set, policies, tags; v1 and v2 see one set of identities."""

from __future__ import annotations

import json

from ..aws_errors import error_with_status
from .conftest import ACCOUNT, REGION, arn

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT},
                                                             "Action": "ses:SendEmail", "Resource": "*"}]})


def test_domain_identity_with_easy_dkim(sesv2, ses):
    made = sesv2.create_email_identity(EmailIdentity="example.com", Tags=[{"Key": "env", "Value": "test"}])
    assert made["IdentityType"] == "DOMAIN" and made["VerifiedForSendingStatus"] is False
    dkim = made["DkimAttributes"]
    assert dkim["SigningEnabled"] is True and dkim["Status"] == "PENDING" and len(dkim["Tokens"]) == 3
    assert dkim["SigningAttributesOrigin"] == "AWS_SES"
    ses.verify("example.com", account_id=ACCOUNT, region=REGION)
    got = sesv2.get_email_identity(EmailIdentity="example.com")
    assert got["VerificationStatus"] == "SUCCESS" and got["VerifiedForSendingStatus"] is True
    assert got["DkimAttributes"]["Status"] == "SUCCESS" and got["DkimAttributes"]["Tokens"] == dkim["Tokens"]
    assert got["Tags"] == [{"Key": "env", "Value": "test"}]
    assert sesv2.list_email_identities()["EmailIdentities"] == [
        {"IdentityType": "DOMAIN", "IdentityName": "example.com", "SendingEnabled": True, "VerificationStatus": "SUCCESS"}]


def test_byodkim(sesv2):
    made = sesv2.create_email_identity(EmailIdentity="byo.example", DkimSigningAttributes={
        "DomainSigningSelector": "sel1", "DomainSigningPrivateKey": "MIIBkey"})
    assert made["DkimAttributes"]["SigningAttributesOrigin"] == "EXTERNAL"
    assert made["DkimAttributes"]["Tokens"] == ["sel1"]
    back = sesv2.put_email_identity_dkim_signing_attributes(EmailIdentity="byo.example", SigningAttributesOrigin="AWS_SES")
    assert len(back["DkimTokens"]) == 3 and back["SigningHostedZone"] == "amazonses.com"
    assert error_with_status(sesv2.put_email_identity_dkim_signing_attributes, EmailIdentity="byo.example",
                             SigningAttributesOrigin="EXTERNAL")[0] == "BadRequestException"


def test_email_identity_errors(sesv2, client):
    sesv2.create_email_identity(EmailIdentity="me@example.com")
    code, _, status = error_with_status(sesv2.create_email_identity, EmailIdentity="me@example.com")
    assert (code, status) == ("AlreadyExistsException", 400)
    code, _, status = error_with_status(sesv2.get_email_identity, EmailIdentity="nobody@example.com")
    assert (code, status) == ("NotFoundException", 404)
    assert error_with_status(sesv2.create_email_identity, EmailIdentity="not a domain")[0] == "BadRequestException"
    assert error_with_status(sesv2.create_email_identity, EmailIdentity="x@y.com",
                             ConfigurationSetName="missing")[0] == "NotFoundException"
    # one identity store for both APIs: v1 sees it, and v1's identities exist for v2
    v1 = client("ses")
    assert "me@example.com" in v1.list_identities()["Identities"]
    v1.verify_domain_identity(Domain="v1.example")
    assert sesv2.get_email_identity(EmailIdentity="v1.example")["IdentityType"] == "DOMAIN"
    assert error_with_status(sesv2.create_email_identity, EmailIdentity="v1.example")[0] == "AlreadyExistsException"
    sesv2.delete_email_identity(EmailIdentity="me@example.com")
    assert "me@example.com" not in v1.list_identities()["Identities"]


def test_identity_attributes(sesv2):
    sesv2.create_email_identity(EmailIdentity="example.com")
    sesv2.create_configuration_set(ConfigurationSetName="default-set")
    sesv2.put_email_identity_mail_from_attributes(EmailIdentity="example.com", MailFromDomain="mail.example.com",
                                                  BehaviorOnMxFailure="REJECT_MESSAGE")
    sesv2.put_email_identity_configuration_set_attributes(EmailIdentity="example.com", ConfigurationSetName="default-set")
    got = sesv2.get_email_identity(EmailIdentity="example.com")
    assert got["MailFromAttributes"] == {"MailFromDomain": "mail.example.com", "MailFromDomainStatus": "PENDING",
                                         "BehaviorOnMxFailure": "REJECT_MESSAGE"}
    assert got["ConfigurationSetName"] == "default-set" and got["FeedbackForwardingStatus"] is True
    assert error_with_status(sesv2.put_email_identity_mail_from_attributes, EmailIdentity="example.com",
                             MailFromDomain="other.org")[0] == "BadRequestException"
    # forwarding may only be turned off once bounce and complaint topics are set (v1's rule)
    assert error_with_status(sesv2.put_email_identity_feedback_attributes, EmailIdentity="example.com",
                             EmailForwardingEnabled=False)[0] == "BadRequestException"
    sesv2.put_email_identity_dkim_attributes(EmailIdentity="example.com", SigningEnabled=False)
    assert sesv2.get_email_identity(EmailIdentity="example.com")["DkimAttributes"]["SigningEnabled"] is False


def test_identity_policies(sesv2):
    sesv2.create_email_identity(EmailIdentity="example.com")
    sesv2.create_email_identity_policy(EmailIdentity="example.com", PolicyName="send", Policy=POLICY)
    assert sesv2.get_email_identity_policies(EmailIdentity="example.com")["Policies"] == {"send": POLICY}
    assert error_with_status(sesv2.create_email_identity_policy, EmailIdentity="example.com", PolicyName="send",
                             Policy=POLICY)[0] == "AlreadyExistsException"
    assert error_with_status(sesv2.create_email_identity_policy, EmailIdentity="example.com", PolicyName="bad",
                             Policy="{not json")[0] == "BadRequestException"
    assert error_with_status(sesv2.update_email_identity_policy, EmailIdentity="example.com", PolicyName="nope",
                             Policy=POLICY)[0] == "NotFoundException"
    sesv2.delete_email_identity_policy(EmailIdentity="example.com", PolicyName="send")
    assert sesv2.get_email_identity(EmailIdentity="example.com")["Policies"] == {}


def test_tags_on_shared_resources(sesv2):
    sesv2.create_email_identity(EmailIdentity="example.com")
    sesv2.create_configuration_set(ConfigurationSetName="cs", Tags=[{"Key": "a", "Value": "1"}])
    sesv2.create_email_template(TemplateName="t", TemplateContent={"Subject": "s"})
    for resource in ("identity/example.com", "configuration-set/cs", "template/t"):
        sesv2.tag_resource(ResourceArn=arn(resource), Tags=[{"Key": "k", "Value": resource}])
    assert sesv2.get_email_identity(EmailIdentity="example.com")["Tags"] == [{"Key": "k", "Value": "identity/example.com"}]
    assert sesv2.get_configuration_set(ConfigurationSetName="cs")["Tags"] == [
        {"Key": "a", "Value": "1"}, {"Key": "k", "Value": "configuration-set/cs"}]
    sesv2.untag_resource(ResourceArn=arn("template/t"), TagKeys=["k"])
    assert sesv2.get_email_template(TemplateName="t")["Tags"] == []
    assert error_with_status(sesv2.tag_resource, ResourceArn=arn("identity/ghost.example"),
                             Tags=[{"Key": "k", "Value": "v"}])[0] == "NotFoundException"


def test_email_address_identity_reads_as_aws_answers_it(sesv2):
    made = sesv2.create_email_identity(EmailIdentity="me@example.com")
    assert made == {"IdentityType": "EMAIL_ADDRESS", "VerifiedForSendingStatus": False,
                    "ResponseMetadata": made["ResponseMetadata"]}
    got = sesv2.get_email_identity(EmailIdentity="me@example.com")
    assert got["DkimAttributes"] == {"SigningEnabled": False, "Status": "NOT_STARTED",
                                     "SigningAttributesOrigin": "AWS_SES", "NextSigningKeyLength": "RSA_1024_BIT"}
    assert got["MailFromAttributes"] == {"BehaviorOnMxFailure": "USE_DEFAULT_VALUE"}
    assert (got["Policies"], got["Tags"], got["VerificationStatus"]) == ({}, [], "PENDING")
    _, message, _ = error_with_status(sesv2.create_email_identity, EmailIdentity="me@example.com")
    assert message == "Email identity me@example.com already exist."
