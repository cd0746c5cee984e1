"""Helpers for testing the plugin with pytest's `pytester` (real inner sessions)."""

from __future__ import annotations

import os
from pathlib import Path

# pytester's in-process runs forget every module first imported inside them, so
# each inner session would import boto3 and the gateway again (seconds each
# time): import them once here.
import boto3  # noqa: F401
import pytest

import pytest_cloudmock.gateway  # noqa: F401
import pytest_cloudmock.models  # noqa: F401  (keeps its routing index cached)
import pytest_cloudmock.protocols.json_  # noqa: F401
import pytest_cloudmock.pytest_support.handle  # noqa: F401

# pytester points HOME at a temporary directory: build the routing index of botocore's
# models now, from its disk cache in the real HOME, and keep that cache for inner
# sessions in fresh processes (xdist workers).
pytest_cloudmock.models.index()
CACHE_HOME = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
REPOS_CONFTEST = Path(__file__).with_name("repos_conftest.py").read_text()


@pytest.fixture(autouse=True)
def inner_session_env(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment of inner sessions (in-process, subprocess, xdist workers).

    They leave out unrelated plugins that cost each fresh process seconds (hypothesis
    imports itself at session end) or warn under xdist; set after `pytester`, which
    clears PYTEST_ADDOPTS.
    """
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:cacheprovider -p no:hypothesispytest -p no:benchmark")
    monkeypatch.setenv("XDG_CACHE_HOME", CACHE_HOME)


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory whose conftest offers the `repos` codecommit service (see repos_conftest.py)."""
    pytester.makeconftest(REPOS_CONFTEST)
    return pytester
