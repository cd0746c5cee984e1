"""boto3 clients signed as someone else: an account's key, or STS/IAM-issued credentials.

One shared boto3 Session keeps client creation cheap (models load once).
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config as BotoConfig

_SESSION = boto3.Session(region_name="us-east-1")
_CONFIG = BotoConfig(retries={"max_attempts": 1, "mode": "standard"})


def client_for(gateway: Any, service: str, credentials: dict | None = None,
               key: str = "AKIAIOSFODNN7EXAMPLE", secret: str = "secret") -> Any:
    """A client for `service` at the gateway, signed with `credentials` (STS/IAM shape) or `key`."""
    if credentials:
        return _SESSION.client(
            service, endpoint_url=gateway.endpoint, config=_CONFIG,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials.get("SecretAccessKey", secret),
            aws_session_token=credentials.get("SessionToken"),
        )
    return _SESSION.client(service, endpoint_url=gateway.endpoint, config=_CONFIG,
                           aws_access_key_id=key, aws_secret_access_key=secret)
