"""Identities: verification, listing, DKIM, MAIL FROM, sending-authorization policies."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError


def test_email_identity_starts_pending_until_verified(ses, ses_service) -> None:
    ses.verify_email_identity(EmailAddress="a@example.com")
    ses.verify_email_address(EmailAddress="b@example.com")
    attrs = ses.get_identity_verification_attributes(Identities=["a@example.com", "unknown@example.com"])
    assert attrs["VerificationAttributes"] == {"a@example.com": {"VerificationStatus": "Pending"}}
    assert ses.list_verified_email_addresses()["VerifiedEmailAddresses"] == []
    assert ses_service.verify("a@example.com") == 1
    assert ses.list_verified_email_addresses()["VerifiedEmailAddresses"] == ["a@example.com"]
    with pytest.raises(LookupError):
        ses_service.verify("nobody@example.com")


def test_domain_identity_has_a_token_and_dkim_tokens(ses, ses_service) -> None:
    token = ses.verify_domain_identity(Domain="Example.COM")["VerificationToken"]
    attrs = ses.get_identity_verification_attributes(Identities=["example.com"])["VerificationAttributes"]
    assert attrs == {"example.com": {"VerificationStatus": "Pending", "VerificationToken": token}}
    dkim = ses.verify_domain_dkim(Domain="example.com")["DkimTokens"]
    assert len(dkim) == 3 and all(len(t) == 32 for t in dkim)
    got = ses.get_identity_dkim_attributes(Identities=["example.com"])["DkimAttributes"]["example.com"]
    assert got == {"DkimEnabled": True, "DkimVerificationStatus": "Pending", "DkimTokens": dkim}
    ses_service.verify("example.com")
    got = ses.get_identity_dkim_attributes(Identities=["example.com"])["DkimAttributes"]["example.com"]
    assert got["DkimVerificationStatus"] == "Success"


def test_list_identities_by_type_and_pages(ses) -> None:
    for i in range(3):
        ses.verify_email_identity(EmailAddress=f"u{i}@example.com")
    ses.verify_domain_identity(Domain="example.org")
    assert ses.list_identities(IdentityType="Domain")["Identities"] == ["example.org"]
    first = ses.list_identities(MaxItems=2)
    second = ses.list_identities(MaxItems=2, NextToken=first["NextToken"])
    assert first["Identities"] + second["Identities"] == ["u0@example.com", "u1@example.com", "u2@example.com",
                                                          "example.org"]
    assert "NextToken" not in second
    paginated = ses.get_paginator("list_identities").paginate(PaginationConfig={"PageSize": 1})
    assert len([i for page in paginated for i in page["Identities"]]) == 4


def test_delete_identity(ses) -> None:
    ses.verify_email_identity(EmailAddress="a@example.com")
    ses.delete_identity(Identity="a@example.com")
    ses.delete_identity(Identity="a@example.com")  # deleting again succeeds
    assert ses.list_identities()["Identities"] == []


def test_an_invalid_email_address_is_refused(ses) -> None:
    with pytest.raises(ClientError) as caught:
        ses.verify_email_identity(EmailAddress="not-an-address")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_mail_from_domain(ses, verified) -> None:
    verified("example.com")
    ses.set_identity_mail_from_domain(Identity="example.com", MailFromDomain="bounce.example.com",
                                      BehaviorOnMXFailure="RejectMessage")
    got = ses.get_identity_mail_from_domain_attributes(Identities=["example.com"])["MailFromDomainAttributes"]
    assert got["example.com"] == {"MailFromDomain": "bounce.example.com", "MailFromDomainStatus": "Success",
                                  "BehaviorOnMXFailure": "RejectMessage"}
    with pytest.raises(ClientError) as caught:
        ses.set_identity_mail_from_domain(Identity="example.com", MailFromDomain="elsewhere.org")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_identity_policies(ses, sender) -> None:
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                                  "Action": "ses:SendEmail", "Resource": "*"}]})
    ses.put_identity_policy(Identity=sender, PolicyName="p", Policy=policy)
    assert ses.list_identity_policies(Identity=sender)["PolicyNames"] == ["p"]
    assert ses.get_identity_policies(Identity=sender, PolicyNames=["p", "q"])["Policies"] == {"p": policy}
    ses.delete_identity_policy(Identity=sender, PolicyName="p")
    assert ses.list_identity_policies(Identity=sender)["PolicyNames"] == []
    with pytest.raises(ClientError) as caught:
        ses.put_identity_policy(Identity=sender, PolicyName="bad", Policy="{not json")
    assert caught.value.response["Error"]["Code"] == "InvalidPolicy"


def test_states_are_per_region(ses, client, sender) -> None:
    other = client("ses", region_name="eu-west-1")
    assert other.list_identities()["Identities"] == []
    assert ses.list_identities()["Identities"] == [sender]
