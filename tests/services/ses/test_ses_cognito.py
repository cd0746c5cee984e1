"""Cognito user pools sending their mail through SES (DEVELOPER sending account) and their SMS
through SNS (SnsCallerArn): the SES capture and the SNS outbox see it, Cognito keeps its own."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

PASSWORD = "Passw0rd!"
SOURCE_ARN = "arn:aws:ses:us-east-1:123456789012:identity/example.com"


def pool_with(idp, **config) -> tuple[str, str]:
    pool = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"], **config)["UserPool"]
    app = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]
    return pool["Id"], app["ClientId"]


def test_sign_up_mail_goes_through_ses_with_the_pool_settings(client, ses, ses_service, verified, aws) -> None:
    verified("example.com", "ann@example.com")
    idp = client("cognito-idp")
    pool_id, app = pool_with(idp, EmailConfiguration={
        "EmailSendingAccount": "DEVELOPER", "SourceArn": SOURCE_ARN, "From": "Support <support@example.com>",
        "ReplyToEmailAddress": "help@example.com"})
    idp.sign_up(ClientId=app, Username="ann", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "ann@example.com"}])
    code = aws.registry.get("cognito-idp").last_code(pool_id, "ann")
    [msg] = ses_service.messages()
    assert msg.to == ["ann@example.com"] and msg.source == "Support <support@example.com>"
    assert msg.reply_to == ["help@example.com"] and code in (msg.html or "")
    assert msg.subject == "Your verification code"
    idp.admin_create_user(UserPoolId=pool_id, Username="ann2",
                          UserAttributes=[{"Name": "email", "Value": "ann@example.com"}])
    invitation = ses_service.messages()[-1]
    assert invitation.subject == "Your temporary password" and "ann2" in (invitation.html or "")


def test_the_ses_sandbox_refuses_an_unverified_recipient(client, ses_service, verified) -> None:
    verified("example.com")
    idp = client("cognito-idp")
    _pool_id, app = pool_with(idp, EmailConfiguration={"EmailSendingAccount": "DEVELOPER", "SourceArn": SOURCE_ARN})
    with pytest.raises(ClientError) as caught:
        idp.sign_up(ClientId=app, Username="bob", Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": "bob@elsewhere.org"}])
    assert caught.value.response["Error"]["Code"] == "CodeDeliveryFailureException"
    assert "bob@elsewhere.org" in caught.value.response["Error"]["Message"]
    assert ses_service.messages() == []


def test_the_default_sending_account_leaves_ses_alone(client, ses_service, aws) -> None:
    idp = client("cognito-idp")
    pool_id, app = pool_with(idp)
    idp.sign_up(ClientId=app, Username="cy", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "cy@example.org"}])
    assert ses_service.messages() == [] and aws.registry.get("cognito-idp").messages(pool_id)


def test_sms_goes_through_sns_publish(client, aws) -> None:
    idp = client("cognito-idp")
    pool = idp.create_user_pool(PoolName="sms", AutoVerifiedAttributes=["phone_number"], SmsConfiguration={
        "SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "x"})["UserPool"]
    app = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]["ClientId"]
    idp.sign_up(ClientId=app, Username="dee", Password=PASSWORD,
                UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}])
    code = aws.registry.get("cognito-idp").last_code(pool["Id"], "dee")
    sns_state = aws.registry.get("sns").store.get(aws.config.account_id, aws.config.region)
    [sms] = [d for d in sns_state.outbox if d.protocol == "sms"]
    assert sms.endpoint == "+15555550100" and code in sms.message
