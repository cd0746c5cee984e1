"""A request for a service cloudmock does not serve says why, and what can be done."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

from ..services.credentials_clients import client_for


def _error(gw: Gateway, service: str, call) -> dict:
    with pytest.raises(ClientError) as info:
        call(client_for(gw, service, None))
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    return info.value.response["Error"]


def test_a_service_without_any_implementation_says_so():
    with Gateway(Config()) as gw:
        error = _error(gw, "pinpoint", lambda c: c.get_apps())
    assert error["Code"] == "NotImplemented"
    assert "not implemented by cloudmock yet" in error["Message"]
    assert "stub catalog entry or a plugin" in error["Message"]


def test_a_service_left_out_by_the_configuration_says_so():
    with Gateway(Config(services=["s3"])) as gw:
        error = _error(gw, "sqs", lambda c: c.list_queues())
    assert "disabled in this gateway" in error["Message"] and "services" in error["Message"]
