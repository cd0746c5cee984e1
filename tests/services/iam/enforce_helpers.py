"""Shared setup of the `test_enforce_*` tests: principals with policies, clients signed as them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.gateway import Gateway

REGION = "us-east-1"
ACCOUNT = "111111111111"
OTHER = "222222222222"
NO_RETRY = BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"})
SESSION = boto3.Session(region_name=REGION)  # one Session: its model cache makes each new client cheap


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class Principals:
    """Clients as an account's root (access key = the account id) or as users and roles."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def client(self, service: str, key: str, secret: str = "x", token: str | None = None) -> Any:
        return SESSION.client(service, endpoint_url=self.gateway.endpoint, aws_access_key_id=key,
                              aws_secret_access_key=secret, aws_session_token=token, config=NO_RETRY)

    def root(self, service: str, account: str = ACCOUNT) -> Any:
        return self.client(service, account)

    def user(self, name: str, *, managed: list[str] = (), inline: dict[str, str] | None = None,
             boundary: str | None = None, account: str = ACCOUNT) -> Callable[[str], Any]:
        """Create a user with policies; returns `client(service)` signed as it."""
        iam = self.root("iam", account)
        params: dict[str, Any] = {"UserName": name}
        if boundary:
            params["PermissionsBoundary"] = boundary
        iam.create_user(**params)
        for arn in managed:
            iam.attach_user_policy(UserName=name, PolicyArn=arn)
        for policy_name, text in (inline or {}).items():
            iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=text)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return lambda service: self.client(service, key["AccessKeyId"], key["SecretAccessKey"])

    def role_session(self, name: str, *, inline: dict[str, str], account: str = ACCOUNT,
                     trust_account: str | None = None, **assume: Any) -> Callable[[str], Any]:
        """Create a role trusting `trust_account`'s root, assume it as that root; clients as the session."""
        trusted = trust_account or account
        iam = self.root("iam", account)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=document(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{trusted}:root"}, "Action": "sts:AssumeRole"}))
        for policy_name, text in inline.items():
            iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=text)
        creds = self.root("sts", trusted).assume_role(RoleArn=f"arn:aws:iam::{account}:role/{name}",
                                                      RoleSessionName="s1", **assume)["Credentials"]
        return lambda service: self.client(service, creds["AccessKeyId"], creds["SecretAccessKey"],
                                           creds["SessionToken"])


def mode_fixture(mode: str) -> Any:
    @pytest.fixture
    def fixture(aws: Gateway) -> Iterator[Principals]:
        aws.iam.set_mode(mode)
        try:
            yield Principals(aws)
        finally:
            aws.iam.set_mode("off")

    return fixture


def denied(call: Callable[..., Any], **params: Any) -> tuple[str, str, int]:
    """(code, message, status) of the error `call(**params)` raises."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        call(**params)
    error = info.value.response
    return error["Error"]["Code"], error["Error"]["Message"], error["ResponseMetadata"]["HTTPStatusCode"]
