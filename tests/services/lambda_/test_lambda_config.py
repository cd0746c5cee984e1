"""The `lambda:` key of the config file."""

from __future__ import annotations

import json
import os

import boto3
import pytest

from pytest_cloudmock.config import Config, ConfigError
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import lambda_zip

from .conftest import ROLE


def test_config_chooses_the_inprocess_executor(monkeypatch):
    monkeypatch.delenv("CLOUDMOCK_LAMBDA_EXECUTOR", raising=False)
    with Gateway(Config.from_dict({"lambda": {"executor": "inprocess", "idle_seconds": 60}})) as gateway:
        lam = boto3.client("lambda", endpoint_url=gateway.endpoint, region_name="us-east-1",
                           aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x")
        lam.create_function(FunctionName="here", Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                            Code={"ZipFile": lambda_zip("import os\ndef handler(e, c):\n    return os.getpid()\n")})
        assert json.loads(lam.invoke(FunctionName="here")["Payload"].read()) == os.getpid()
        assert gateway.registry.get("lambda").pool.idle_seconds == 60


@pytest.mark.parametrize(("settings", "message"), [
    ({"executor": "docker"}, "lambda.executor must be one of subprocess, inprocess, not 'docker'"),
    ({"idle_secs": 1}, "lambda: unknown key 'idle_secs' (did you mean 'idle_seconds'?)"),
])
def test_bad_lambda_settings_are_named(settings, message):
    with pytest.raises(ConfigError) as error:
        Config.from_dict({"lambda": settings})
    assert message in str(error.value)
