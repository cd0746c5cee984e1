"""State between tests: per-test reset, reset scopes, registry restore, stores, snapshots, env."""

from __future__ import annotations

import pytest


def test_state_is_reset_between_tests(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        from conftest import names

        def test_create(repos):
            repos.create_repository(repositoryName="first")
            assert names(repos) == ["first"]

        def test_fresh(repos, cloudmock):
            assert names(repos) == []
            assert [c.operation for c in cloudmock.calls()] == ["ListRepositories"]

        def test_no_fixture_between():
            pass

        def test_still_fresh(repos):
            repos.create_repository(repositoryName="first")  # no RepositoryNameExistsException
        """
    )
    inner.runpytest("--strict-markers").assert_outcomes(passed=4)


def test_module_and_class_reset_scopes_keep_state_within_their_scope(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        test_a_module="""
        import pytest
        from conftest import names

        pytestmark = pytest.mark.cloudmock(reset="module")

        def test_one(repos):
            repos.create_repository(repositoryName="kept")

        def test_two(repos):
            assert names(repos) == ["kept"]

        @pytest.mark.cloudmock(reset="test")
        def test_three_opts_out_starts_and_ends_clean(repos):
            assert names(repos) == []
            repos.create_repository(repositoryName="own")

        def test_four(repos):
            assert names(repos) == []
            repos.create_repository(repositoryName="leftover")
        """,
        test_b_class="""
        import pytest
        from conftest import names

        def test_other_module_starts_clean(repos):
            assert names(repos) == []

        @pytest.mark.cloudmock(reset="class")
        class TestShared:
            def test_one(self, repos):
                repos.create_repository(repositoryName="in-class")

            def test_two(self, repos):
                assert names(repos) == ["in-class"]

        def test_after_class(repos):
            assert names(repos) == []
        """,
    )
    inner.runpytest("--strict-markers", "-p", "no:randomly").assert_outcomes(passed=8)


def test_session_reset_option_keeps_state_across_modules(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        test_a="""
        def test_seed(repos):
            repos.create_repository(repositoryName="session-wide")
        """,
        test_b="""
        from conftest import names

        def test_sees_it(repos):
            assert names(repos) == ["session-wide"]
        """,
    )
    inner.runpytest("--cloudmock-reset=session").assert_outcomes(passed=2)


def test_registry_changes_are_undone_after_the_test(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        from conftest import Repositories

        def test_register_and_unregister(cloudmock_registry):
            cloudmock_registry.register(Repositories(), name="codecommit")
            cloudmock_registry.unregister("sts")
            assert "sts" not in cloudmock_registry

        def test_restored(cloudmock, cloudmock_client):
            assert "sts" in cloudmock.registry
            assert not isinstance(cloudmock.registry.get("codecommit"), Repositories)
            assert cloudmock_client("sts").get_caller_identity()["Account"] == cloudmock.account_id
        """
    )
    inner.runpytest().assert_outcomes(passed=2)


def test_store_access_seeds_and_inspects_state_per_account_and_region(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        import pytest
        from conftest import names

        def test_seed_then_read_over_the_api(repos, cloudmock_store, cloudmock):
            cloudmock_store("codecommit").names.append("seeded")
            assert names(repos) == ["seeded"]
            repos.create_repository(repositoryName="made")
            assert cloudmock_store("codecommit").names == ["seeded", "made"]
            other = cloudmock_store("codecommit", account_id="210987654321", region="eu-west-1")
            assert other.names == []
            assert [key for key, _ in cloudmock.stores["codecommit"].partitions()] == [
                (cloudmock.account_id, cloudmock.region), ("210987654321", "eu-west-1")
            ]
            assert "codecommit" in list(cloudmock.stores)

        @pytest.mark.cloudmock(account="210987654321", region="eu-west-1")
        def test_marker_picks_the_partition(repos, cloudmock_store):
            repos.create_repository(repositoryName="eu")
            assert repos.meta.region_name == "eu-west-1"
            assert cloudmock_store("codecommit").names == ["eu"]
            assert cloudmock_store("codecommit", account_id="123456789012", region="us-east-1").names == []
        """
    )
    inner.runpytest().assert_outcomes(passed=2)


def test_snapshot_seeds_once_and_restores_per_test(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        import pytest
        from conftest import names

        SEEDS = []

        @pytest.fixture
        def seeded(repos, cloudmock_snapshot):
            def seed():
                SEEDS.append(1)
                for n in ("a", "b"):
                    repos.create_repository(repositoryName=n)
                return "seeded-value"
            return cloudmock_snapshot(seed)

        @pytest.mark.parametrize("extra", ["x", "y", "z"])
        def test_each_starts_from_the_seed(seeded, repos, extra):
            assert seeded == "seeded-value"
            assert names(repos) == ["a", "b"]
            repos.create_repository(repositoryName=extra)

        def test_seed_ran_once():
            assert SEEDS == [1]

        def test_snapshot_restore_api(repos, cloudmock):
            repos.create_repository(repositoryName="before")
            snap = cloudmock.snapshot()
            repos.create_repository(repositoryName="after")
            cloudmock.restore(snap)
            assert names(repos) == ["before"]
        """
    )
    inner.runpytest("-p", "no:randomly").assert_outcomes(passed=5)


def test_env_fixture_points_subprocesses_at_the_gateway(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner.makepyfile(
        """
        import os, subprocess, sys

        CALL = "import boto3; print(boto3.client('codecommit').create_repository(repositoryName='from-child')['repositoryMetadata']['accountId'])"

        def test_child_process(repos, cloudmock_env, cloudmock_store, cloudmock):
            assert os.environ["AWS_ENDPOINT_URL"] == cloudmock.endpoint
            assert "AWS_PROFILE" not in os.environ
            child = subprocess.run([sys.executable, "-c", CALL], capture_output=True, text=True, timeout=60)
            assert child.returncode == 0, child.stderr
            assert child.stdout.strip() == cloudmock.account_id
            assert cloudmock_store("codecommit").names == ["from-child"]

        def test_restored_after():
            assert os.environ.get("AWS_ENDPOINT_URL") is None
            assert os.environ["AWS_PROFILE"] == "someone-elses"
        """
    )
    monkeypatch.setenv("AWS_PROFILE", "someone-elses")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    inner.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_snapshot_restores_issued_credentials_too(cloudmock) -> None:
    """A role assumed while seeding still authenticates after the snapshot is restored."""
    sts = cloudmock.client("sts")
    creds = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/seeded", RoleSessionName="seed")[
        "Credentials"
    ]
    snapshot = cloudmock.snapshot()
    cloudmock.reset()
    as_role = cloudmock.client(
        "sts", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert as_role.get_caller_identity()["Account"] == cloudmock.account_id  # forgotten: default
    cloudmock.restore(snapshot)
    assert as_role.get_caller_identity()["Account"] == "111111111111"
    assert "sts" in cloudmock.stores and len(cloudmock.stores) >= 1
