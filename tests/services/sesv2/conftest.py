"""SES v2 fixtures: clients over the gateway (both transports) and the service behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.sesv2 import SesV2Service

ACCOUNT = "123456789012"
REGION = "us-east-1"


@pytest.fixture
def sesv2(client: Callable[..., Any]) -> Any:
    return client("sesv2")


@pytest.fixture
def s3(client: Callable[..., Any]) -> Any:
    return client("s3")


@pytest.fixture
def service(aws: Gateway) -> SesV2Service:
    found = aws.registry.get("sesv2")
    assert isinstance(found, SesV2Service)
    return found


def arn(resource: str) -> str:
    return f"arn:aws:ses:{REGION}:{ACCOUNT}:{resource}"


@pytest.fixture
def ses(aws: Gateway) -> Any:
    """The SES core (v1 service): `messages()`, `verify()`, `auto_verify`."""
    return aws.registry.get("ses")


@pytest.fixture
def verified(sesv2: Any, ses: Any) -> Callable[..., None]:
    """`verified(*identities)`: create each identity through v2 and verify it (the click / DNS)."""

    def make(*names: str) -> None:
        for name in names:
            sesv2.create_email_identity(EmailIdentity=name)
            ses.verify(name, account_id=ACCOUNT, region=REGION)

    return make


@pytest.fixture
def production(sesv2: Any) -> None:
    """The account out of the sandbox (PutAccountDetails with ProductionAccessEnabled)."""
    sesv2.put_account_details(MailType="TRANSACTIONAL", WebsiteURL="https://example.com",
                              ProductionAccessEnabled=True)
