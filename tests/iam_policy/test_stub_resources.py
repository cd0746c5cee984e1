"""Stub catalog operations are authorized on the resource the request names, its ARN built
from the entry's `arn:` template (or its parent's), not on `*`."""

from __future__ import annotations

import random
import time

import pytest

from pytest_cloudmock.iam_policy.resources import Where
from pytest_cloudmock.iam_policy.stub_resources import stub_checks
from tests.codecs.shapegen import generate
from tests.services.iam.enforce_helpers import ACCOUNT, denied, document, mode_fixture

enforce = mode_fixture("enforce")
REPO = f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/app"


def test_a_user_allowed_one_repository_reads_it_and_is_denied_the_other(enforce):
    ecr = enforce.root("ecr")
    for name in ("app", "secret"):
        ecr.create_repository(repositoryName=name)
    user = enforce.user("dev", inline={"app": document(
        {"Effect": "Allow", "Action": ["ecr:DescribeRepositories", "ecr:ListImages", "ecr:PutImage"],
         "Resource": REPO})})
    mine = user("ecr")
    assert mine.describe_repositories(repositoryNames=["app"])["repositories"][0]["repositoryArn"] == REPO
    assert mine.list_images(repositoryName="app")["imageIds"] == []
    assert denied(mine.describe_repositories, repositoryNames=["secret"]) == (
        "AccessDeniedException",
        f"User: arn:aws:iam::{ACCOUNT}:user/dev is not authorized to perform: ecr:DescribeRepositories on resource: "
        f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/secret because no identity-based policy allows the "
        "ecr:DescribeRepositories action", 400)
    code, message, _ = denied(mine.list_images, repositoryName="secret")  # an image: on its repository
    assert code == "AccessDeniedException" and message.endswith(
        f"ecr:ListImages on resource: arn:aws:ecr:us-east-1:{ACCOUNT}:repository/secret because no identity-based "
        "policy allows the ecr:ListImages action")
    assert enforce.gateway.iam.used(f"arn:aws:iam::{ACCOUNT}:user/dev")["ecr:ListImages"] == [
        REPO, f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/secret"]


def test_a_child_with_its_own_template_names_its_parent(enforce):
    ecs = enforce.root("ecs")
    ecs.create_cluster(clusterName="prod")
    user = enforce.user("ops", inline={"svc": document(
        {"Effect": "Allow", "Action": "ecs:DescribeServices",
         "Resource": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/*"})})
    assert user("ecs").describe_services(cluster="prod", services=["web"])["failures"][0]["reason"] == "MISSING"
    code, message, _ = denied(user("ecs").describe_services, cluster="stage", services=["web"])
    assert f"on resource: arn:aws:ecs:us-east-1:{ACCOUNT}:service/stage/web because" in message


def test_every_stub_operation_yields_resources_or_star(aws):
    """Generated input for every operation of a sample of the catalog: never an exception,
    always ARNs of the request's account (or `*`)."""
    rng = random.Random(22)
    where = Where("aws", "us-east-1", ACCOUNT)
    stubs = [n for n in aws.registry.names() if aws.registry.profile(n).kind == "stub"]
    assert len(stubs) > 50
    started, seen = time.perf_counter(), 0
    for name in rng.sample(stubs, 10):
        service = aws.registry.get(name)
        model = service.service_model
        for operation in model.operation_names if model is not None else []:
            shape = model.operation_model(operation).input_shape
            params = generate(shape, rng) if shape is not None else {}
            for action, arn in stub_checks(service, operation, params, where):
                seen += 1
                assert action == ""
                assert arn == "*" or arn.startswith("arn:"), (name, operation, arn)
    assert seen > 150
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("operation", ["CreateRepository", "DeleteRepository", "TagResource"])
def test_creates_deletes_and_tags_name_the_repository(aws, operation):
    params = {"repositoryName": "app", "resourceArn": REPO, "tags": []}
    assert stub_checks(aws.registry.get("ecr"), operation, params, Where("aws", "us-east-1", ACCOUNT)) == [("", REPO)]
