"""Your own service, in a few lines: a class per botocore model, a method per operation."""

from dataclasses import dataclass, field

import pytest

from pytest_cloudmock import AWSError
from pytest_cloudmock.services.base import ModelService
from pytest_cloudmock.store import Store


@dataclass
class Repositories:
    names: list[str] = field(default_factory=list)


class CodeCommit(ModelService):
    name = "codecommit"  # the botocore service name: the model gives the wire format

    def __init__(self):
        self.store = Store(Repositories)  # state per account and region

    def create_repository(self, ctx):
        state, name = self.store.for_ctx(ctx), ctx.params["repositoryName"]
        if name in state.names:
            raise AWSError("RepositoryNameExistsException", f"Repository named {name} already exists")
        state.names.append(name)
        return {"repositoryMetadata": {"repositoryName": name, "accountId": ctx.account_id}}


@pytest.fixture
def codecommit(cloudmock_registry, cloudmock_client):
    cloudmock_registry.register(CodeCommit())  # unregistered again after the test
    return cloudmock_client("codecommit")


def test_custom_service(codecommit, cloudmock_store):
    codecommit.create_repository(repositoryName="infra")
    with pytest.raises(codecommit.exceptions.RepositoryNameExistsException):
        codecommit.create_repository(repositoryName="infra")

    assert cloudmock_store("codecommit").names == ["infra"]


def test_operations_you_did_not_write_say_so(codecommit):
    with pytest.raises(codecommit.exceptions.ClientError, match="NotImplemented"):
        codecommit.list_repositories()
