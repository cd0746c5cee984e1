"""A failing test that used the gateway reports the AWS calls it made."""

from __future__ import annotations

import pytest


def test_failure_report_lists_the_calls_of_that_test_only(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        import pytest

        def test_passes_quietly(repos):
            repos.create_repository(repositoryName="earlier")

        @pytest.mark.cloudmock(region="eu-west-1")
        def test_fails(repos):
            repos.create_repository(repositoryName="dup")
            repos.list_repositories()
            repos.create_repository(repositoryName="dup")

        def test_fails_without_calls(cloudmock):
            assert False, "no AWS involved"

        def test_fails_without_cloudmock():
            assert False, "plain failure"

        def test_clients_are_shared_and_never_retry(repos, cloudmock_client, cloudmock):
            assert cloudmock_client("codecommit") is repos
            with pytest.raises(repos.exceptions.ClientError, match="InternalFailure"):
                repos.get_repository(repositoryName="x")
            assert [(c.operation, c.status) for c in cloudmock.calls()] == [("GetRepository", 500)]
        """
    )
    result = inner.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=3)
    out = result.stdout.str()
    assert out.count("cloudmock: AWS calls (call)") == 2
    result.stdout.re_match_lines([
        r"-+ cloudmock: AWS calls \(call\) -+",
        r"#  service +operation +status +error +account +region +ms",
        r"1  codecommit +CreateRepository +200 +123456789012 +eu-west-1 +[\d.]+",
        r"2  codecommit +ListRepositories +200 +123456789012 +eu-west-1 +[\d.]+",
        r"3  codecommit +CreateRepository +400 +RepositoryNameExistsException +123456789012 +eu-west-1 +[\d.]+",
    ])
    assert "earlier" not in out
    result.stdout.fnmatch_lines(["*no AWS involved*", "*cloudmock: AWS calls (call)*", "(no AWS calls)"])
    plain = out[out.index("_ test_fails_without_cloudmock _"):]
    assert "cloudmock: AWS calls" not in plain.split("short test summary")[0]


def test_long_call_lists_are_cut_to_the_newest(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        def test_many(repos):
            for _ in range(55):
                repos.list_repositories()
            raise AssertionError
        """
    )
    result = inner.runpytest()
    result.stdout.fnmatch_lines(["... 5 earlier calls not shown", "6   codecommit  ListRepositories*"])
    result.stdout.fnmatch_lines(["55  codecommit  ListRepositories*"])


def test_a_record_the_table_cannot_format_gives_a_line_not_an_internal_error() -> None:
    from pytest_cloudmock.gateway.request_log import RequestLog
    from pytest_cloudmock.pytest_support.report import calls_section

    log = RequestLog()
    log.add(time=0.0, request_id="r", service="s3", operation="ListBuckets", protocol="rest-xml", status=200,
            error_code="", duration_ms=None, account_id=123456789012, region="us-east-1", method="GET", path="/")
    text = calls_section(log.since(0), 0)
    assert text.startswith("(cloudmock could not list the calls: TypeError:")
