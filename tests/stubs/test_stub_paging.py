"""Stub list pages use the shared paging helper: opaque tokens scoped to their list."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def test_pages_cover_the_list_and_foreign_or_bad_tokens_get_the_operation_s_error(aws, client):
    ecr, codecommit = client("ecr"), client("codecommit")
    for i in range(3):
        ecr.create_repository(repositoryName=f"r{i}")
    first = ecr.describe_repositories(maxResults=2)
    rest = ecr.describe_repositories(maxResults=2, nextToken=first["nextToken"])
    assert [r["repositoryName"] for r in first["repositories"] + rest["repositories"]] == ["r0", "r1", "r2"]
    assert "nextToken" not in rest
    with pytest.raises(ClientError) as exc:
        ecr.describe_repositories(nextToken="garbage")
    assert exc.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as exc:  # another service's token: its own invalid-token error
        codecommit.list_repositories(nextToken=first["nextToken"])
    assert exc.value.response["Error"]["Code"] == "InvalidContinuationTokenException"
