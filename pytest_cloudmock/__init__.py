"""pytest-cloudmock: a live, AWS-compatible endpoint for every test suite.

Importing this package is cheap: heavy parts (werkzeug, botocore models) load
on first use of the names that need them.
"""

from __future__ import annotations

import importlib
from typing import Any

from .api import Action, AWSError, RequestContext, Response, Service

__version__ = "0.1.0"

_LAZY = {
    "Gateway": "pytest_cloudmock.gateway",
    "Config": "pytest_cloudmock.config",
    "ConfigError": "pytest_cloudmock.config",
    "Registry": "pytest_cloudmock.registry",
    "Store": "pytest_cloudmock.store",
    "ModelService": "pytest_cloudmock.services.base",
    "Identity": "pytest_cloudmock.gateway.identities",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_cloudmock' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = ["Action", "AWSError", "RequestContext", "Response", "Service", *_LAZY]
