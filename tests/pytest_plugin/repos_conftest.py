"""conftest.py of the inner test sessions: a tiny Tier 1 service over botocore's codecommit model.

`tests/pytest_plugin` copies this file into each `pytester` directory; the fixture
`repos` registers the service once per session and gives a codecommit client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from pytest_cloudmock import AWSError, RequestContext
from pytest_cloudmock.services.base import ModelService
from pytest_cloudmock.store import Store


@dataclass
class Repos:
    names: list[str] = field(default_factory=list)


class Repositories(ModelService):
    name = "codecommit"

    def __init__(self) -> None:
        self.store: Store[Repos] = Store(Repos)

    def create_repository(self, ctx: RequestContext) -> dict[str, Any]:
        state, name = self.store.for_ctx(ctx), ctx.params["repositoryName"]
        if name in state.names:
            raise AWSError("RepositoryNameExistsException", f"Repository named {name} already exists")
        state.names.append(name)
        return {"repositoryMetadata": {"repositoryName": name, "accountId": ctx.account_id}}

    def get_repository(self, ctx: RequestContext) -> dict[str, Any]:
        raise RuntimeError("a bug in the service")  # answered as a 500 InternalFailure

    def list_repositories(self, ctx: RequestContext) -> dict[str, Any]:
        return {"repositories": [{"repositoryName": n} for n in self.store.for_ctx(ctx).names]}


@pytest.fixture(scope="session")
def repos_service(cloudmock):
    return cloudmock.registry.register(Repositories())


@pytest.fixture
def repos(repos_service, cloudmock_client):
    """A codecommit client; `names(repos)` lists the repositories."""
    return cloudmock_client("codecommit")


def names(client) -> list[str]:
    return [r["repositoryName"] for r in client.list_repositories()["repositories"]]
