"""STS over the gateway: caller identity and temporary credentials the gateway recognises."""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timezone

import pytest
import requests

from pytest_cloudmock.services.sts import STS

from ..aws_errors import error_fields
from ..credentials_clients import client_for
from ..service_fuzz import fuzz

ROLE_ACCOUNT = "111111111111"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


def jwt(claims: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def test_caller_identity_of_default_and_account_keys(aws, client):
    me = client("sts").get_caller_identity()
    assert (me["Account"], me["Arn"], me["UserId"]) == (
        "123456789012", "arn:aws:iam::123456789012:root", "123456789012")
    other = client_for(aws, "sts", key="222222222222").get_caller_identity()
    assert other["Arn"] == "arn:aws:iam::222222222222:root"


def test_assume_role_issues_credentials_that_run_as_the_role(aws, client):
    sts = client("sts")
    out = sts.assume_role(RoleArn=f"arn:aws:iam::{ROLE_ACCOUNT}:role/deployer", RoleSessionName="ci-run",
                          DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert len(creds["SecretAccessKey"]) == 40 and len(creds["SessionToken"]) > 100
    remaining = (creds["Expiration"] - datetime.now(timezone.utc)).total_seconds()
    assert 880 < remaining <= 901
    arn = f"arn:aws:sts::{ROLE_ACCOUNT}:assumed-role/deployer/ci-run"
    assert out["AssumedRoleUser"]["Arn"] == arn
    assert out["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    assert out["AssumedRoleUser"]["AssumedRoleId"].endswith(":ci-run")
    me = client_for(aws, "sts", creds).get_caller_identity()
    assert (me["Account"], me["Arn"], me["UserId"]) == (
        ROLE_ACCOUNT, arn, out["AssumedRoleUser"]["AssumedRoleId"])


def test_role_chaining(aws, client):
    first = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ROLE_ACCOUNT}:role/hop1",
                                      RoleSessionName="one")["Credentials"]
    as_hop1 = client_for(aws, "sts", first)
    second = as_hop1.assume_role(RoleArn="arn:aws:iam::222222222222:role/hop2", RoleSessionName="two")
    assert client_for(aws, "sts", second["Credentials"]).get_caller_identity()["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/hop2/two")
    err = error_fields(as_hop1.assume_role, RoleArn="arn:aws:iam::222222222222:role/hop2", RoleSessionName="two",
                   DurationSeconds=7200)
    assert err["Code"] == "ValidationError" and "role chaining" in err["Message"]


def test_role_credentials_see_the_role_accounts_resources(aws, client):
    creds = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{ROLE_ACCOUNT}:role/x", RoleSessionName="cross")["Credentials"]
    as_role = client_for(aws, "sns", creds)
    topic = as_role.create_topic(Name="theirs")["TopicArn"]
    assert topic == f"arn:aws:sns:us-east-1:{ROLE_ACCOUNT}:theirs"
    assert [t["TopicArn"] for t in as_role.list_topics()["Topics"]] == [topic]
    assert client("sns").list_topics()["Topics"] == []
    assert [t["TopicArn"] for t in client_for(aws, "sns", key=ROLE_ACCOUNT).list_topics()["Topics"]] == [topic]


def test_assume_role_uses_the_iam_role_when_it_exists(aws, client):
    iam = client_for(aws, "iam", key=ROLE_ACCOUNT)
    role = iam.create_role(RoleName="known", AssumeRolePolicyDocument=TRUST, MaxSessionDuration=7200)["Role"]
    sts = client("sts")
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7200)
    assert out["AssumedRoleUser"]["AssumedRoleId"] == f"{role['RoleId']}:s1"
    err = error_fields(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7201)
    assert err["Code"] == "ValidationError"
    assert "exceeds the MaxSessionDuration" in err["Message"]


def test_assume_role_errors(client):
    sts = client("sts")
    role = f"arn:aws:iam::{ROLE_ACCOUNT}:role/r"
    assert error_fields(sts.assume_role, RoleArn="arn:aws:iam::12:user/nope", RoleSessionName="ok")["Code"] == "ValidationError"
    err = error_fields(sts.assume_role, RoleArn=role, RoleSessionName="has space")
    assert err["Code"] == "ValidationError" and "roleSessionName" in err["Message"]
    err = error_fields(sts.assume_role, RoleArn=role, RoleSessionName="ok", DurationSeconds=43201)
    assert err["Code"] == "ValidationError"
    assert error_fields(sts.assume_role, RoleArn=role, RoleSessionName="ok", Policy="{nope")["Code"] == (
        "MalformedPolicyDocument")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    assert 0 < sts.assume_role(RoleArn=role, RoleSessionName="ok", Policy=policy)["PackedPolicySize"] <= 100


def test_assume_role_with_web_identity_is_unsigned_and_routed(aws, client):
    token = jwt({"sub": "user-42", "aud": "my-app", "iss": "https://issuer.example.com"})
    role = f"arn:aws:iam::{ROLE_ACCOUNT}:role/web"
    out = client("sts").assume_role_with_web_identity(
        RoleArn=role, RoleSessionName="web", WebIdentityToken=token)
    assert (out["SubjectFromWebIdentityToken"], out["Audience"], out["Provider"]) == (
        "user-42", "my-app", "issuer.example.com")
    me = client_for(aws, "sts", out["Credentials"]).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ROLE_ACCOUNT}:assumed-role/web/web"
    # The raw form the SDKs send: no Authorization header, no credential scope.
    raw = requests.post(aws.endpoint + "/", data={
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": role,
        "RoleSessionName": "raw", "WebIdentityToken": token}, timeout=10)
    assert raw.status_code == 200, raw.text
    assert "<AssumeRoleWithWebIdentityResult>" in raw.text and "<AccessKeyId>ASIA" in raw.text
    bad = requests.post(aws.endpoint + "/", data={
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": role,
        "RoleSessionName": "raw", "WebIdentityToken": "not-a-jwt"}, timeout=10)
    assert bad.status_code == 400 and "<Code>InvalidIdentityToken</Code>" in bad.text


def test_get_session_token_keeps_the_user_and_refuses_sessions(aws, client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    as_alice = client_for(aws, "sts", key)
    creds = as_alice.get_session_token(DurationSeconds=1800)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    session = client_for(aws, "sts", creds)
    assert session.get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:user/alice"
    assert error_fields(session.get_session_token)["Code"] == "AccessDenied"
    assert error_fields(session.get_federation_token, Name="bob")["Code"] == "AccessDenied"


def test_get_federation_token(aws, client):
    out = client("sts").get_federation_token(Name="bob")
    assert out["FederatedUser"] == {"FederatedUserId": "123456789012:bob",
                                    "Arn": "arn:aws:sts::123456789012:federated-user/bob"}
    me = client_for(aws, "sts", out["Credentials"]).get_caller_identity()
    assert me["Arn"] == "arn:aws:sts::123456789012:federated-user/bob"
    assert error_fields(client("sts").get_federation_token, Name="b b")["Code"] == "ValidationError"


def test_access_key_info_and_reset_forgets_credentials(aws, client):
    sts = client("sts")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{ROLE_ACCOUNT}:role/r", RoleSessionName="gone")["Credentials"]
    assert sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"] == ROLE_ACCOUNT
    assert sts.get_access_key_info(AccessKeyId="AKIAIOSFODNN7EXAMPLE")["Account"] == "123456789012"
    service = aws.registry.get("sts")
    assert service.store.get(ROLE_ACCOUNT).sessions[creds["AccessKeyId"]].arn.endswith("/r/gone")
    aws.reset()
    me = client_for(aws, "sts", creds).get_caller_identity()
    assert me["Arn"] == "arn:aws:iam::123456789012:root"  # unknown keys fall back to the default account
    assert time.time() < creds["Expiration"].timestamp()


@pytest.mark.parametrize("seed", range(4))
def test_random_calls_never_crash(seed):
    """Every operation, fed random botocore-valid params: a result or an AWS error, no traceback."""
    assert fuzz(STS(), rounds=25, seed=seed) == []

