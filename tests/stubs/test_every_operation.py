"""Every operation of every built-in catalog entry's model, with generated valid input.

A catalog service answers each operation of its botocore model with a result or a
4xx AWS error: never `NotImplemented`, never a 5xx. Entries added to
`pytest_cloudmock/stubs/entries/` are picked up as they appear.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    ClientError,
    EndpointResolutionError,
    MissingDependencyException,
    ParamValidationError,
)

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services import builtin_names
from pytest_cloudmock.stubs import builtin_entry_names
from pytest_cloudmock.stubs.engine import StubService
from pytest_cloudmock.transport import attach, detach
from tests.codecs.shapegen import generate
from tests.conftest import REGION
from tests.services.every_operation import OPTIONS

SERVICES = [name for name in builtin_entry_names() if name not in builtin_names()]
NO_RETRY = BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def inprocess() -> Iterator[Gateway]:
    """A gateway answering in-process (the walk makes thousands of calls)."""
    gw = Gateway(Config(region=REGION)).start()
    attachment = attach(gw, transport="inprocess")
    yield gw
    detach(attachment)
    gw.stop()


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers(service, inprocess, boto_session):
    assert isinstance(inprocess.registry.get(service), StubService)
    client = boto_session.client(service, endpoint_url=inprocess.endpoint, config=NO_RETRY)
    try:
        assert walk(client, random.Random(f"21-{service}")) == []
    finally:
        inprocess.reset()


def walk(client: Any, rng: random.Random) -> list[str]:
    """Each operation boto3 exposes (event-stream ones it has no method for are left out),
    called once: the `NotImplemented` and 5xx answers."""
    methods = {op: method for method, op in client.meta.method_to_api_mapping.items()}
    model = client.meta.service_model
    failures = []
    for name in model.operation_names:
        if not hasattr(client, methods.get(name, "")):
            continue
        operation = model.operation_model(name)
        params = generate(operation.input_shape, rng, OPTIONS) if operation.input_shape else {}
        try:
            getattr(client, methods[name])(**params)
        except (ParamValidationError, MissingDependencyException, EndpointResolutionError):
            continue  # botocore refused the generated input before sending it
        except ClientError as exc:
            error, status = exc.response["Error"], exc.response["ResponseMetadata"]["HTTPStatusCode"]
            if error.get("Code") == "NotImplemented" or status >= 500:
                failures.append(f"{name}: {status} {error}")
    return failures
