"""Both SES APIs on one gateway: routed apart (same signing name `ses`, endpoint prefix `email`)
and reading and writing one state, as in AWS."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .test_ses_sending import simple


@pytest.fixture
def sesv2(client):
    return client("sesv2")


def test_an_identity_verified_through_v1_sends_through_v2(ses, sesv2, ses_service, sender) -> None:
    assert sesv2.get_email_identity(EmailIdentity=sender)["VerifiedForSendingStatus"] is True
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                     Content={"Simple": {"Subject": {"Data": "v2"}, "Body": {"Text": {"Data": "x"}}}})
    simple(ses, sender, "success@simulator.amazonses.com")
    assert [(m.api, m.subject) for m in ses_service.messages()] == [("sesv2", "v2"), ("ses", "Hello")]


def test_a_v2_template_renders_a_v1_send(ses, sesv2, ses_service, sender) -> None:
    sesv2.create_email_template(TemplateName="t", TemplateContent={"Subject": "Hi {{n}}", "Text": "x"})
    assert [t["Name"] for t in ses.list_templates()["TemplatesMetadata"]] == ["t"]
    ses.send_templated_email(Source=sender, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                             Template="t", TemplateData='{"n": "v1"}')
    assert ses_service.messages()[0].subject == "Hi v1"


def test_v2_production_access_lifts_the_sandbox_for_v1(ses, sesv2, ses_service, sender) -> None:
    with pytest.raises(ClientError):
        simple(ses, sender, "stranger@example.org")
    sesv2.put_account_details(MailType="TRANSACTIONAL", WebsiteURL="https://example.com",
                              UseCaseDescription="tests", ProductionAccessEnabled=True)
    simple(ses, sender, "stranger@example.org")
    assert ses.get_send_quota()["Max24HourSend"] == 50000.0


def test_the_v2_suppression_list_bounces_a_v1_send(ses, sesv2, sender, client, aws) -> None:
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="b")["TopicArn"]
    url = sqs.create_queue(QueueName="b")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    ses.set_identity_notification_topic(Identity=sender, NotificationType="Bounce", SnsTopic=topic)
    sesv2.put_account_details(MailType="TRANSACTIONAL", WebsiteURL="https://example.com",
                              UseCaseDescription="tests", ProductionAccessEnabled=True)
    sesv2.put_suppressed_destination(EmailAddress="gone@example.org", Reason="BOUNCE")
    simple(ses, sender, "gone@example.org")
    aws.settle()
    [received] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert '"bounceSubType": "OnAccountSuppressionList"' in received["Body"]
