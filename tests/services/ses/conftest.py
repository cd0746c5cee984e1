"""SES fixtures: v1 clients over the gateway, the service (its capture), verified identities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.ses import SesService

SENDER = "sender@example.com"


@pytest.fixture
def ses(client: Callable[..., Any]) -> Any:
    return client("ses")


@pytest.fixture
def ses_service(aws: Gateway) -> SesService:
    service = aws.registry.get("ses")
    assert isinstance(service, SesService)
    return service


@pytest.fixture
def verified(ses: Any, ses_service: SesService) -> Callable[..., None]:
    """`verified(*identities)`: each identity created and verified (as its link or DNS would)."""

    def make(*identities: str) -> None:
        for identity in identities:
            if "@" in identity:
                ses.verify_email_identity(EmailAddress=identity)
            else:
                ses.verify_domain_identity(Domain=identity)
            ses_service.verify(identity)

    return make


@pytest.fixture
def sender(verified: Callable[..., None]) -> str:
    verified(SENDER)
    return SENDER


@pytest.fixture
def production(ses_service: SesService, aws: Gateway) -> None:
    """The account out of the sandbox (any recipient)."""
    state = ses_service.store.get(aws.config.account_id, aws.config.region)
    state.account.production_access = True
