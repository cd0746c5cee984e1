"""Templates (CRUD, TestRenderTemplate) and custom verification email templates."""

from __future__ import annotations

import email

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.ses.rendering import RenderingError, render


def test_template_lifecycle(ses) -> None:
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "s", "TextPart": "x"})
    with pytest.raises(ClientError) as caught:
        ses.create_template(Template={"TemplateName": "t", "SubjectPart": "s"})
    assert caught.value.response["Error"]["Code"] == "AlreadyExists"
    ses.update_template(Template={"TemplateName": "t", "SubjectPart": "s2", "HtmlPart": "<p/>"})
    assert ses.get_template(TemplateName="t")["Template"] == {"TemplateName": "t", "SubjectPart": "s2",
                                                                "HtmlPart": "<p/>"}
    assert [t["Name"] for t in ses.list_templates()["TemplatesMetadata"]] == ["t"]
    ses.delete_template(TemplateName="t")
    with pytest.raises(ClientError) as caught:
        ses.get_template(TemplateName="t")
    assert caught.value.response["Error"] == {"Type": "Sender", "Code": "TemplateDoesNotExist",
                                              "Message": "Template t does not exist.", "TemplateName": "t"}


def test_test_render_template(ses) -> None:
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "Hi {{name}}", "TextPart": "Dear {{name}}",
                                  "HtmlPart": "<b>{{name}}</b>"})
    rendered = ses.test_render_template(TemplateName="t", TemplateData='{"name": "Ann"}')["RenderedTemplate"]
    message = email.message_from_string(rendered)
    assert message["Subject"] == "Hi Ann"
    parts = {p.get_content_type(): p.get_payload() for p in message.walk() if not p.is_multipart()}
    assert parts["text/plain"].strip() == "Dear Ann" and parts["text/html"].strip() == "<b>Ann</b>"
    with pytest.raises(ClientError) as caught:
        ses.test_render_template(TemplateName="t", TemplateData="{}")
    assert caught.value.response["Error"]["Code"] == "MissingRenderingAttribute"
    assert caught.value.response["Error"]["Message"] == "Attribute 'name' is not present in the rendering data."
    with pytest.raises(ClientError) as caught:
        ses.test_render_template(TemplateName="t", TemplateData="[not json")
    assert caught.value.response["Error"]["Code"] == "InvalidRenderingParameter"


def test_rendering_rules() -> None:
    data = {"user": {"name": "Ann"}, "items": [{"n": 1}, {"n": 2}], "off": False, "html": "<i>"}
    assert render("{{user.name}}", data) == "Ann"
    assert render("{{#each items}}{{@index}}={{n}};{{/each}}", data) == "0=1;1=2;"
    assert render("{{#if off}}a{{else}}b{{/if}}{{#unless off}}c{{/unless}}", data) == "bc"
    assert render("{{#with user}}{{name}}{{/with}}", data) == "Ann"
    assert render("{{html}}|{{{html}}}", data, escape=True) == "&lt;i&gt;|<i>"
    assert render("{{#if nothing}}x{{/if}}", data) == ""  # a missing condition is false, not a failure
    with pytest.raises(RenderingError):
        render("{{#if off}}unclosed", data)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.text(alphabet=st.characters(
    blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=20), min_size=1, max_size=5))
def test_every_variable_renders_to_its_value(data: dict[str, str]) -> None:
    template = "|".join("{{" + k + "}}" for k in data)
    assert render(template, data) == "|".join(data.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["{{", "}}", "{{{", "}}}", "#if ", "#each ", "#with ", "#unless ", "/if", "/each",
                                 "else", "a", "b.c", "this", "@index", " ", "x", "!"]), max_size=14),
       st.dictionaries(st.sampled_from(["a", "b", "x"]), st.one_of(
           st.none(), st.booleans(), st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=2),
           st.fixed_dictionaries({"c": st.text(max_size=3)})), max_size=3))
def test_any_template_renders_or_fails_cleanly(pieces: list[str], data: dict) -> None:
    try:
        rendered = render("".join(pieces), data)
    except RenderingError as exc:
        rendered = str(exc)  # a clean failure carries a message
    assert isinstance(rendered, str) and rendered is not None


def test_custom_verification_templates_and_sending(ses, ses_service, sender) -> None:
    params = {"TemplateName": "cv", "FromEmailAddress": sender, "TemplateSubject": "Confirm",
              "TemplateContent": "<p>Click</p>", "SuccessRedirectionURL": "https://ok.example.com",
              "FailureRedirectionURL": "https://fail.example.com"}
    ses.create_custom_verification_email_template(**params)
    with pytest.raises(ClientError) as caught:
        ses.create_custom_verification_email_template(**params)
    assert caught.value.response["Error"]["Code"] == "CustomVerificationEmailTemplateAlreadyExists"
    got = ses.get_custom_verification_email_template(TemplateName="cv")
    assert {k: got[k] for k in params} == params
    ses.update_custom_verification_email_template(TemplateName="cv", TemplateSubject="Please confirm")
    listed = ses.list_custom_verification_email_templates()["CustomVerificationEmailTemplates"]
    assert listed[0]["TemplateSubject"] == "Please confirm" and "TemplateContent" not in listed[0]
    ses.send_custom_verification_email(EmailAddress="new@example.org", TemplateName="cv")
    [msg] = ses_service.messages()
    assert msg.to == ["new@example.org"] and msg.subject == "Please confirm" and msg.html == "<p>Click</p>"
    status = ses.get_identity_verification_attributes(Identities=["new@example.org"])["VerificationAttributes"]
    assert status["new@example.org"]["VerificationStatus"] == "Pending"
    ses.delete_custom_verification_email_template(TemplateName="cv")
    with pytest.raises(ClientError) as caught:
        ses.get_custom_verification_email_template(TemplateName="cv")
    assert caught.value.response["Error"]["Code"] == "CustomVerificationEmailTemplateDoesNotExist"


def test_a_custom_verification_template_needs_a_verified_sender(ses) -> None:
    with pytest.raises(ClientError) as caught:
        ses.create_custom_verification_email_template(
            TemplateName="cv", FromEmailAddress="nobody@example.com", TemplateSubject="s", TemplateContent="c",
            SuccessRedirectionURL="https://a", FailureRedirectionURL="https://b")
    assert caught.value.response["Error"]["Code"] == "FromEmailAddressNotVerified"
