"""pytester's in-process runs forget modules first imported inside them: import the heavy ones once."""

import boto3  # noqa: F401

import pytest_cloudmock.gateway  # noqa: F401
import pytest_cloudmock.models  # noqa: F401
import pytest_cloudmock.pytest_support.handle  # noqa: F401
from pytest_cloudmock.services import builtin_factory, builtin_names

for _name in builtin_names():  # the docs show every built-in service: import each module now
    builtin_factory(_name)()
