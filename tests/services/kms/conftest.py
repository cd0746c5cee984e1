"""KMS test fixtures: a boto3 client over the gateway, the gateway clock frozen on request."""

from __future__ import annotations

from typing import Any

import pytest

ACCOUNT = "123456789012"


@pytest.fixture
def kms(client: Any) -> Any:
    return client("kms")


