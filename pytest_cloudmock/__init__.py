"""pytest-cloudmock: a live, AWS-compatible endpoint for every test suite.

Importing this package is cheap (pytest imports it at every start through the
plugin entry point): every name loads on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Action": "pytest_cloudmock.api",
    "AWSError": "pytest_cloudmock.api",
    "RequestContext": "pytest_cloudmock.api",
    "Response": "pytest_cloudmock.api",
    "Service": "pytest_cloudmock.api",
    "ServiceProfile": "pytest_cloudmock.api",
    "Interceptor": "pytest_cloudmock.interception",
    "Gateway": "pytest_cloudmock.gateway",
    "Config": "pytest_cloudmock.config",
    "ConfigError": "pytest_cloudmock.config",
    "Registry": "pytest_cloudmock.registry",
    "Store": "pytest_cloudmock.store",
    "ModelService": "pytest_cloudmock.services.base",
    "Identity": "pytest_cloudmock.identities",
    "lambda_zip": "pytest_cloudmock.services.lambda_",
    "mock_aws": "pytest_cloudmock.mock",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_cloudmock' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = list(_LAZY)
