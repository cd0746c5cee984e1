"""Email templates (shared with v1) and custom verification email templates through v2."""

from __future__ import annotations

from ..aws_errors import error_with_status

CVT = {"FromEmailAddress": "noreply@example.com", "TemplateSubject": "Confirm",
       "TemplateContent": "<p>Click</p>", "SuccessRedirectionURL": "https://example.com/ok",
       "FailureRedirectionURL": "https://example.com/no"}


def test_email_templates_crud(sesv2, client):
    sesv2.create_email_template(TemplateName="t", TemplateContent={"Subject": "S", "Html": "<p>h</p>"},
                                Tags=[{"Key": "k", "Value": "v"}])
    got = sesv2.get_email_template(TemplateName="t")
    assert got["TemplateContent"] == {"Subject": "S", "Html": "<p>h</p>"} and got["Tags"] == [{"Key": "k", "Value": "v"}]
    assert client("ses").get_template(TemplateName="t")["Template"]["SubjectPart"] == "S"  # one store for both APIs
    sesv2.update_email_template(TemplateName="t", TemplateContent={"Subject": "S2", "Text": "x"})
    assert sesv2.get_email_template(TemplateName="t")["TemplateContent"] == {"Subject": "S2", "Text": "x"}
    assert error_with_status(sesv2.create_email_template, TemplateName="t",
                             TemplateContent={"Subject": "S"})[0] == "AlreadyExistsException"
    for i in range(11):
        sesv2.create_email_template(TemplateName=f"more{i:02d}", TemplateContent={"Subject": "S"})
    first = sesv2.list_email_templates()  # AWS's default page is 10
    assert len(first["TemplatesMetadata"]) == 10 and first["NextToken"]
    assert len(sesv2.list_email_templates(NextToken=first["NextToken"])["TemplatesMetadata"]) == 2
    sesv2.delete_email_template(TemplateName="t")
    code, _, status = error_with_status(sesv2.get_email_template, TemplateName="t")
    assert (code, status) == ("NotFoundException", 404)
    assert error_with_status(sesv2.delete_email_template, TemplateName="t")[0] == "NotFoundException"


def test_custom_verification_templates_and_send(sesv2, ses, verified):
    assert error_with_status(sesv2.create_custom_verification_email_template, TemplateName="cvt",
                             **CVT)[0] == "BadRequestException"  # the sender must be verified
    verified("example.com")
    sesv2.create_custom_verification_email_template(TemplateName="cvt", **CVT)
    assert sesv2.get_custom_verification_email_template(TemplateName="cvt")["TemplateSubject"] == "Confirm"
    assert error_with_status(sesv2.create_custom_verification_email_template, TemplateName="cvt",
                             **CVT)[0] == "AlreadyExistsException"
    sesv2.update_custom_verification_email_template(TemplateName="cvt", **{**CVT, "TemplateSubject": "Please confirm"})
    listed = sesv2.list_custom_verification_email_templates()["CustomVerificationEmailTemplates"]
    assert listed == [{"TemplateName": "cvt", "FromEmailAddress": "noreply@example.com", "TemplateSubject": "Please confirm",
                       "SuccessRedirectionURL": "https://example.com/ok", "FailureRedirectionURL": "https://example.com/no"}]

    got = sesv2.send_custom_verification_email(EmailAddress="new.user@example.net", TemplateName="cvt")
    [msg] = ses.messages(destination="new.user@example.net")
    assert msg.message_id == got["MessageId"] and msg.subject == "Please confirm" and msg.html == "<p>Click</p>"
    assert sesv2.get_email_identity(EmailIdentity="new.user@example.net")["VerificationStatus"] == "PENDING"
    code, _, status = error_with_status(sesv2.send_custom_verification_email, EmailAddress="x@example.net",
                                        TemplateName="ghost")
    assert (code, status) == ("NotFoundException", 404)
    sesv2.delete_custom_verification_email_template(TemplateName="cvt")
    assert error_with_status(sesv2.get_custom_verification_email_template, TemplateName="cvt")[0] == "NotFoundException"
