"""Sending authorization: another account sends from an identity it does not own, allowed only by
the identity's sending authorization policies (whatever the gateway's IAM mode), v1 and v2."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

DELEGATE = "222222222222"
TO = "success@simulator.amazonses.com"


@pytest.fixture
def owner_arn(aws, verified) -> str:
    verified("example.com")
    return f"arn:aws:ses:{aws.config.region}:{aws.config.account_id}:identity/example.com"


@pytest.fixture
def delegate(client) -> Any:
    return client("ses", aws_access_key_id=DELEGATE, aws_secret_access_key="secret")


def _allow(ses: Any, principal: str, actions: list[str], **extra: Any) -> None:
    statements = [{"Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions, "Resource": "*"},
                  *extra.get("more", [])]
    ses.put_identity_policy(Identity="example.com", PolicyName="delegate",
                            Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))


def _send(ses: Any, arn: str, source: str = "app@example.com", to: str = TO) -> str:
    return ses.send_email(Source=source, SourceArn=arn, Destination={"ToAddresses": [to]},
                          Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})["MessageId"]


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response = caught.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_without_a_policy_another_account_is_denied(delegate, owner_arn) -> None:
    with pytest.raises(ClientError) as caught:
        _send(delegate, owner_arn)
    assert _error(caught) == ("AccessDenied", f"User `arn:aws:iam::{DELEGATE}:root' is not authorized to perform "
                              f"`ses:SendEmail' on resource `{owner_arn}'", 403)


def test_a_policy_naming_the_account_lets_it_send_and_the_mail_is_the_delegates(
        ses, delegate, owner_arn, ses_service) -> None:
    _allow(ses, f"arn:aws:iam::{DELEGATE}:root", ["ses:SendEmail"])
    message_id = _send(delegate, owner_arn)
    [mail] = [m for m in ses_service.messages() if m.message_id == message_id]
    assert mail.account_id == DELEGATE and mail.source == "app@example.com"
    with pytest.raises(ClientError) as caught:  # SendRawEmail is another action
        delegate.send_raw_email(Source="app@example.com", SourceArn=owner_arn, Destinations=[TO],
                                RawMessage={"Data": b"From: app@example.com\r\nSubject: s\r\n\r\nbody"})
    assert _error(caught)[0] == "AccessDenied" and "`ses:SendRawEmail'" in _error(caught)[1]


def test_an_explicit_deny_on_recipients_wins(ses, delegate, owner_arn) -> None:
    _allow(ses, DELEGATE, ["ses:SendEmail"], more=[{
        "Effect": "Deny", "Principal": {"AWS": DELEGATE}, "Action": "ses:SendEmail", "Resource": owner_arn,
        "Condition": {"ForAnyValue:StringLike": {"ses:Recipients": ["bounce*@simulator.amazonses.com"]}}}])
    _send(delegate, owner_arn)
    with pytest.raises(ClientError) as caught:
        _send(delegate, owner_arn, to="bounce@simulator.amazonses.com")
    assert _error(caught)[0] == "AccessDenied"


def test_a_policy_for_another_principal_or_address_does_not_allow(ses, delegate, owner_arn) -> None:
    _allow(ses, "arn:aws:iam::333333333333:root", ["ses:SendEmail"])
    with pytest.raises(ClientError) as caught:
        _send(delegate, owner_arn)
    assert _error(caught)[0] == "AccessDenied"
    with pytest.raises(ClientError) as caught:  # the ARN must cover the source address
        _send(delegate, owner_arn, source="app@other.example")
    assert _error(caught)[:1] == ("InvalidParameterValue",)


def test_the_owners_identity_must_be_verified(ses, delegate, aws) -> None:
    ses.verify_domain_identity(Domain="pending.example")
    arn = f"arn:aws:ses:{aws.config.region}:{aws.config.account_id}:identity/pending.example"
    with pytest.raises(ClientError) as caught:
        _send(delegate, arn, source="a@pending.example")
    code, message, _status = _error(caught)
    assert code == "MessageRejected" and message.endswith("a@pending.example")


def test_an_iam_user_named_by_the_policy_may_send(ses, owner_arn, client) -> None:
    iam = client("iam", aws_access_key_id=DELEGATE, aws_secret_access_key="secret")
    user_arn = iam.create_user(UserName="mailer")["User"]["Arn"]
    key = iam.create_access_key(UserName="mailer")["AccessKey"]
    mailer = client("ses", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    with pytest.raises(ClientError) as caught:
        _send(mailer, owner_arn)
    assert f"User `{user_arn}'" in _error(caught)[1]
    _allow(ses, user_arn, ["ses:SendEmail"])
    assert _send(mailer, owner_arn)


def test_v2_from_identity_arn(ses, owner_arn, client) -> None:
    v2 = client("sesv2", aws_access_key_id=DELEGATE, aws_secret_access_key="secret")

    def send() -> str:
        return v2.send_email(FromEmailAddress="app@example.com", FromEmailAddressIdentityArn=owner_arn,
                             Destination={"ToAddresses": [TO]},
                             Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}})["MessageId"]

    with pytest.raises(ClientError) as caught:
        send()
    assert _error(caught)[0::2] == ("AccessDeniedException", 403)
    _allow(ses, DELEGATE, ["ses:SendEmail"])
    assert send()


def test_the_callers_own_identity_arn_needs_no_policy(ses, owner_arn) -> None:
    assert _send(ses, owner_arn)


def test_raw_mail_from_and_return_path_arns_are_each_checked(ses, delegate, owner_arn, ses_service) -> None:
    raw = b"From: App <app@example.com>\r\nTo: " + TO.encode() + b"\r\nSubject: s\r\n\r\nbody"
    with pytest.raises(ClientError) as caught:
        delegate.send_raw_email(FromArn=owner_arn, Destinations=[TO], RawMessage={"Data": raw})
    assert _error(caught)[0] == "AccessDenied"
    _allow(ses, DELEGATE, ["ses:SendRawEmail", "ses:SendEmail"], more=[{
        "Effect": "Deny", "Principal": {"AWS": DELEGATE}, "Action": "ses:SendRawEmail", "Resource": "*",
        "Condition": {"StringNotEquals": {"ses:FromDisplayName": "App"}}}])
    message_id = delegate.send_raw_email(FromArn=owner_arn, Destinations=[TO], RawMessage={"Data": raw})["MessageId"]
    assert any(m.message_id == message_id for m in ses_service.messages())
    with pytest.raises(ClientError) as caught:  # the return path's identity is unverified for the delegate
        delegate.send_email(Source="app@example.com", SourceArn=owner_arn, ReturnPath="bounces@elsewhere.example",
                            Destination={"ToAddresses": [TO]},
                            Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
    assert _error(caught)[0] == "MessageRejected" and "bounces@elsewhere.example" in _error(caught)[1]
    assert delegate.send_email(Source="app@example.com", SourceArn=owner_arn, ReturnPath="bounces@example.com",
                               ReturnPathArn=owner_arn, Destination={"ToAddresses": [TO]},
                               Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})["MessageId"]


def test_with_iam_enforced_a_role_session_needs_its_own_policy_and_the_identitys(ses, owner_arn, client, aws) -> None:
    iam = client("iam", aws_access_key_id=DELEGATE, aws_secret_access_key="secret")
    role_arn = iam.create_role(RoleName="mailer", AssumeRolePolicyDocument=json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DELEGATE}:root"}, "Action": "sts:AssumeRole"}]}))[
        "Role"]["Arn"]
    creds = client("sts", aws_access_key_id=DELEGATE, aws_secret_access_key="secret").assume_role(
        RoleArn=role_arn, RoleSessionName="s1")["Credentials"]
    mailer = client("ses", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                    aws_session_token=creds["SessionToken"])
    _allow(ses, role_arn, ["ses:SendEmail"])
    aws.iam.set_mode("enforce")
    try:
        with pytest.raises(ClientError) as caught:  # the role's own policies allow nothing
            _send(mailer, owner_arn)
        assert _error(caught)[0] == "AccessDenied" and "identity-based policy" in _error(caught)[1]
        iam.put_role_policy(RoleName="mailer", PolicyName="send", PolicyDocument=json.dumps({"Statement": [{
            "Effect": "Allow", "Action": "ses:SendEmail", "Resource": "*"}]}))
        assert _send(mailer, owner_arn)
    finally:
        aws.iam.set_mode("off")
