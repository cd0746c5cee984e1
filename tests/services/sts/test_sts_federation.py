"""STS federation: SAML, web identity against IAM's providers, root tasks, tokens, and every operation."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone

import pytest

from pytest_cloudmock.services.sts import STS

from ..aws_errors import error_with_status
from ..credentials_clients import client_for
from ..every_operation import call_every_operation
from ..iam.saml_documents import IDP, metadata, response
from .test_sts_credentials import jwt

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/federated"
PROVIDER = f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"
OIDC_HOST = "token.example.com"


@pytest.fixture
def sts(client):
    return client("sts")


@pytest.fixture
def iam(client):
    return client("iam")


def federated_role(iam, principal: str, action: str) -> None:
    iam.create_role(RoleName="federated", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": principal}, "Action": action}]}))


def test_assume_role_with_saml_reads_the_response(aws, sts, iam):
    iam.create_saml_provider(Name="corp", SAMLMetadataDocument=metadata())
    out = sts.assume_role_with_saml(RoleArn=ROLE, PrincipalArn=PROVIDER,
                                    SAMLAssertion=response(ROLE, PROVIDER, duration=1800))
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/federated/alice@example.com"
    assert (out["Subject"], out["SubjectType"], out["Issuer"], out["Audience"]) == (
        "alice", "persistent", IDP, "https://signin.aws.amazon.com/saml")
    expected = base64.b64encode(hashlib.sha1(f"{IDP}{ACCOUNT}/corp".encode()).digest()).decode()
    assert out["NameQualifier"] == expected  # AWS's documented formula
    remaining = (out["Credentials"]["Expiration"] - datetime.now(timezone.utc)).total_seconds()
    assert 1700 < remaining <= 1801  # the SessionDuration attribute
    me = client_for(aws, "sts", out["Credentials"]).get_caller_identity()
    assert me["Arn"] == out["AssumedRoleUser"]["Arn"]


def test_assume_role_with_saml_errors(sts, iam):
    other = f"arn:aws:iam::{ACCOUNT}:role/other"
    assert error_with_status(sts.assume_role_with_saml, RoleArn=other, PrincipalArn=PROVIDER,
                             SAMLAssertion=response(ROLE, PROVIDER))[::2] == ("AccessDenied", 403)
    assert error_with_status(sts.assume_role_with_saml, RoleArn=ROLE, PrincipalArn=PROVIDER,
                             SAMLAssertion=base64.b64encode(b"<not-saml/>").decode())[0] == "InvalidIdentityToken"
    assert error_with_status(sts.assume_role_with_saml, RoleArn=ROLE, PrincipalArn=PROVIDER,
                             SAMLAssertion="!!!!not base64")[0] == "InvalidIdentityToken"
    assert error_with_status(sts.assume_role_with_saml, RoleArn=ROLE, PrincipalArn=PROVIDER, SAMLAssertion=response(
        ROLE, PROVIDER, not_on_or_after="2001-01-01T00:00:00Z"))[0] == "ExpiredTokenException"
    federated_role(iam, f"arn:aws:iam::{ACCOUNT}:saml-provider/someone-else", "sts:AssumeRoleWithSAML")
    assert error_with_status(sts.assume_role_with_saml, RoleArn=ROLE, PrincipalArn=PROVIDER,
                             SAMLAssertion=response(ROLE, PROVIDER))[::2] == ("AccessDenied", 403)


def test_web_identity_honours_the_roles_oidc_provider(sts, iam):
    provider = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC_HOST}"
    federated_role(iam, provider, "sts:AssumeRoleWithWebIdentity")
    token = jwt({"sub": "repo:org/app", "aud": "sts.amazonaws.com", "iss": f"https://{OIDC_HOST}"})
    assert error_with_status(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gh",
                             WebIdentityToken=token) == (
        "InvalidIdentityToken", f"No OpenIDConnect provider found in your account for https://{OIDC_HOST}", 400)
    iam.create_open_id_connect_provider(Url=f"https://{OIDC_HOST}", ClientIDList=["sts.amazonaws.com"],
                                        ThumbprintList=["a" * 40])
    out = sts.assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="gh", WebIdentityToken=token)
    assert (out["SubjectFromWebIdentityToken"], out["Audience"], out["Provider"]) == (
        "repo:org/app", "sts.amazonaws.com", OIDC_HOST)
    wrong_audience = jwt({"sub": "x", "aud": "other-app", "iss": f"https://{OIDC_HOST}"})
    assert error_with_status(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gh",
                             WebIdentityToken=wrong_audience)[:2] == ("InvalidIdentityToken", "Incorrect token audience")
    other_issuer = jwt({"sub": "x", "aud": "sts.amazonaws.com", "iss": "https://elsewhere.example.com"})
    assert error_with_status(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gh",
                             WebIdentityToken=other_issuer)[::2] == ("AccessDenied", 403)
    expired = jwt({"sub": "x", "aud": "sts.amazonaws.com", "iss": f"https://{OIDC_HOST}", "exp": 1000})
    assert error_with_status(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gh",
                             WebIdentityToken=expired)[0] == "ExpiredTokenException"


def test_session_names_and_packed_policy(sts):
    role = "arn:aws:iam::111111111111:role/r"
    assert error_with_status(sts.assume_role, RoleArn=role, RoleSessionName="bad name!")[::2] == (
        "ValidationError", 400)
    big = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                              "Resource": "arn:aws:s3:::" + "b" * 1900}]})
    assert error_with_status(sts.assume_role, RoleArn=role, RoleSessionName="ss", Policy=big,
                             PolicyArns=[{"arn": f"arn:aws:iam::aws:policy/P{i}"} for i in range(10)])[::2] == (
        "PackedPolicyTooLarge", 400)
    small = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    assert 0 < sts.assume_role(RoleArn=role, RoleSessionName="ok", Policy=small)["PackedPolicySize"] < 100


def test_assume_root(aws, sts):
    out = sts.assume_root(TargetPrincipal="222222222222",
                          TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"})
    me = client_for(aws, "sts", out["Credentials"]).get_caller_identity()
    assert me["Arn"] == "arn:aws:iam::222222222222:root"
    assert error_with_status(sts.assume_root, TargetPrincipal="222222222222",
                             TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/AdministratorAccess"})[0] == (
        "ValidationError")


def test_decode_authorization_message(sts):
    message = {"allowed": False, "context": {"action": "s3:GetObject"}}
    encoded = base64.b64encode(json.dumps(message).encode()).decode()
    assert json.loads(sts.decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"]) == message
    assert error_with_status(sts.decode_authorization_message, EncodedMessage="garbage")[0] == (
        "InvalidAuthorizationMessageException")


def test_get_web_identity_token_needs_outbound_federation(sts, iam):
    assert error_with_status(sts.get_web_identity_token, Audience=["https://api.example.com"],
                             SigningAlgorithm="RS256")[0] == "OutboundWebIdentityFederationDisabledException"
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    out = sts.get_web_identity_token(Audience=["https://api.example.com"], SigningAlgorithm="ES384",
                                     DurationSeconds=120)
    header, payload, _ = out["WebIdentityToken"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert (claims["iss"], claims["aud"], claims["sub"]) == (
        issuer, "https://api.example.com", f"arn:aws:iam::{ACCOUNT}:root")
    assert claims["exp"] - claims["iat"] == 120
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == "ES384"


def test_every_sts_operation_is_answered(client):
    assert call_every_operation(client("sts"), seed=14, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = STS()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)
