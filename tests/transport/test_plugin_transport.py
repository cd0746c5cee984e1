"""The plugin: in-process by default, HTTP when asked, the guard on, profiles never used."""

from __future__ import annotations

import pytest

ACCEPTED = "cloudmock.gateway._server.server.accepted"


def test_default_in_process_marker_and_flag_choose_http(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        f"""
        import pytest

        def test_fixture_client_in_process(cloudmock, cloudmock_client):
            before = {ACCEPTED}
            cloudmock_client("sqs").list_queues()
            assert {ACCEPTED} == before
            assert [c.operation for c in cloudmock.calls()] == ["ListQueues"]

        def test_env_client_in_process(cloudmock, cloudmock_env, monkeypatch):
            import boto3
            monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # as in a fresh process
            before = {ACCEPTED}
            assert boto3.client("sts").get_caller_identity()["Account"] == cloudmock.account_id
            assert {ACCEPTED} == before

        @pytest.mark.cloudmock(transport="http")
        def test_marked_http(cloudmock, cloudmock_client):
            before = {ACCEPTED}
            cloudmock_client("sqs").list_queues()
            assert {ACCEPTED} == before + 1
        """
    )
    inner.runpytest("-p", "no:randomly").assert_outcomes(passed=3)
    result = inner.runpytest("-p", "no:randomly", "--cloudmock-transport=http", "-k", "marked")
    result.assert_outcomes(passed=1)
    result = inner.runpytest("--cloudmock-transport=socket")
    assert "--cloudmock-transport='socket': must be one of inprocess, http" in result.stderr.str()


def test_guard_names_the_call_and_the_fix(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        import boto3, pytest
        from pytest_cloudmock.transport import RealAWSRequestBlocked

        def test_blocked(cloudmock):
            client = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="AKIAX",
                                  aws_secret_access_key="s")
            client.list_tables()

        @pytest.mark.cloudmock(allow_real_aws=True)
        def test_allowed(cloudmock):
            from pytest_cloudmock.transport import attachments
            assert any(a.allow_real_aws for a in attachments())

        @pytest.mark.cloudmock(transport="carrier-pigeon")
        def test_bad_marker(cloudmock):
            pass
        """
    )
    result = inner.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines_random([
        "*RealAWSRequestBlocked: cloudmock blocked a real AWS call: dynamodb ListTables to "
        "https://dynamodb.us-east-1.amazonaws.com/*--cloudmock-allow-real-aws*",
        "*@pytest.mark.cloudmock: transport must be one of inprocess, http, not 'carrier-pigeon'",
    ])
    inner.runpytest("-p", "no:randomly", "--cloudmock-allow-real-aws", "-k", "allowed").assert_outcomes(passed=1)


def test_profile_credentials_never_reach_fixture_clients(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A developer's profile, credential files and key variables are ignored by fixture clients."""
    creds = inner.path / "credentials"
    creds.write_text("[default]\\naws_access_key_id = AKIAREALDEFAULT\\naws_secret_access_key = x\\n"
                     "[work]\\naws_access_key_id = AKIAREALWORK\\naws_secret_access_key = y\\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_PROFILE", "work")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "z")
    inner.makepyfile(
        """
        def test_creds(cloudmock, cloudmock_client, cloudmock_session):
            assert cloudmock_session.get_credentials().access_key == cloudmock.account_id
            sts = cloudmock_client("sts")
            assert sts._request_signer._credentials.access_key == cloudmock.account_id
            assert sts.get_caller_identity()["Account"] == cloudmock.account_id
            assert {c.account_id for c in cloudmock.calls()} == {cloudmock.account_id}
        """
    )
    inner.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
