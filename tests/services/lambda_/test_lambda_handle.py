"""The tests' view through the plugin's `cloudmock` fixture."""

from __future__ import annotations

import json

import pytest_cloudmock

from .conftest import ECHO, ROLE


def test_invocations_through_the_handle(cloudmock):
    lam = cloudmock.client("lambda")
    lam.create_function(FunctionName="seen", Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                        Code={"ZipFile": pytest_cloudmock.lambda_zip(ECHO)})
    lam.invoke(FunctionName="seen", Payload=json.dumps({"hello": "world"}))
    (record,) = cloudmock.lambda_.invocations("seen")
    assert record.payload == {"hello": "world"} and record.result["event"] == {"hello": "world"}
    assert record.error is None and record.cold_start and "echo {'hello': 'world'}" in record.logs
    assert record.duration_ms > 0
