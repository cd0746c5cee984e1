"""STS credentials expire on the gateway clock: refused with `ExpiredToken` once past it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

from ..credentials_clients import client_for


@pytest.fixture
def frozen_at() -> Any:
    return 1_767_225_600


def test_session_credentials_expire_after_their_duration(aws, client, frozen):
    creds = client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    assert creds["Expiration"] == datetime(2026, 1, 1, 0, 15, tzinfo=timezone.utc)
    as_session = client_for(aws, "sts", creds)
    assert as_session.get_caller_identity()["Account"] == "123456789012"
    frozen.advance(900)
    as_session.get_caller_identity()  # still valid at the expiration second itself
    frozen.advance(1)
    with pytest.raises(ClientError) as exc:
        as_session.get_caller_identity()
    error = exc.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "ExpiredToken", "The security token included in the request is expired")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_assumed_role_credentials_expire_for_every_service(aws, client, frozen):
    creds = client("sts").assume_role(
        RoleArn="arn:aws:iam::111111111111:role/r", RoleSessionName="session", DurationSeconds=900
    )["Credentials"]
    sqs = client_for(aws, "sqs", creds)
    sqs.list_queues()
    frozen.advance(hours=1)
    with pytest.raises(ClientError) as exc:
        sqs.list_queues()
    assert exc.value.response["Error"]["Code"] == "ExpiredToken"
    # Expired or not, STS still says whose key it is.
    assert client("sts").get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"] == "111111111111"


def test_verified_signatures_refuse_expired_tokens_in_the_family_s_own_words():
    with Gateway(Config(verify_signatures=True, secret_keys={"AKIAIOSFODNN7EXAMPLE": "secret"})) as gw:
        creds = client_for(gw, "sts").get_session_token(DurationSeconds=900)["Credentials"]
        gw.clock.freeze().advance(901)
        with pytest.raises(ClientError) as exc:
            client_for(gw, "s3", creds).list_buckets()
        assert (exc.value.response["Error"]["Code"], exc.value.response["Error"]["Message"]) == (
            "ExpiredToken", "The provided token has expired.")
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    ("service", "call", "expected"),
    [
        ("dynamodb", lambda c: c.list_tables(),
         ("ExpiredTokenException", "The security token included in the request is expired", 403)),
        ("s3", lambda c: c.list_buckets(), ("ExpiredToken", "The provided token has expired.", 400)),
    ],
)
def test_expired_tokens_answer_in_each_family_s_words_without_verification(aws, client, frozen, service, call, expected):
    creds = client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    frozen.advance(901)
    with pytest.raises(ClientError) as exc:
        call(client_for(aws, service, creds))
    response = exc.value.response
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    assert (response["Error"]["Code"], response["Error"]["Message"], status) == expected
