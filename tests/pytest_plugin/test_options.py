"""Settings: flag > ini > config file > defaults; bad settings fail the session at start."""

from __future__ import annotations

import pytest

SHOW_SETTINGS = """
def test_settings(cloudmock):
    print("SETTINGS", cloudmock.region, cloudmock.account_id, cloudmock.gateway.config.services)
"""
CONFIG_FILE = "region: eu-west-1\naccount_id: '111111111111'\nservices: [sqs, sns]\n"


@pytest.mark.parametrize(
    ("ini", "flags", "expected"),
    [
        ("", [], "SETTINGS eu-west-1 111111111111 ['sqs', 'sns']"),
        ("cloudmock_region = eu-central-1\ncloudmock_services = s3", [],
         "SETTINGS eu-central-1 111111111111 ['s3']"),
        ("cloudmock_region = eu-central-1", ["--cloudmock-region=ap-south-1", "--cloudmock-account=222222222222"],
         "SETTINGS ap-south-1 222222222222 ['sqs', 'sns']"),
    ],
    ids=["config-file", "ini-over-file", "flag-over-ini"],
)
def test_precedence(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ini: str, flags: list[str], expected: str
) -> None:
    for name in ("CLOUDMOCK_REGION", "CLOUDMOCK_ACCOUNT_ID", "CLOUDMOCK_SERVICES"):
        monkeypatch.delenv(name, raising=False)
    pytester.mkdir("conf").joinpath("cloudmock.yaml").write_text(CONFIG_FILE)
    pytester.makeini(f"[pytest]\ncloudmock_config = conf/cloudmock.yaml\n{ini}\n")
    pytester.makepyfile(SHOW_SETTINGS)
    result = pytester.runpytest("-s", "--strict-markers", *flags)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["cloudmock: http://127.0.0.1:<free port> (started on first use); config: *conf/cloudmock.yaml*"])
    assert expected in result.stdout.str()


def test_env_sits_between_the_file_and_ini(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDMOCK_REGION", "sa-east-1")
    pytester.makefile(".yaml", cloudmock="region: eu-west-1\n")
    pytester.makepyfile(SHOW_SETTINGS)
    result = pytester.runpytest("-s", "--cloudmock-config=cloudmock.yaml")
    result.stdout.fnmatch_lines(["cloudmock: * config: *cloudmock.yaml + CLOUDMOCK_REGION", "*SETTINGS sa-east-1 *"])
    result = pytester.runpytest("-s", "--cloudmock-config=cloudmock.yaml", "--cloudmock-region=us-west-2")
    result.stdout.fnmatch_lines(["cloudmock: * config: *cloudmock.yaml + CLOUDMOCK_REGION + --cloudmock-region", "*SETTINGS us-west-2 *"])


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({"cloudmock.yaml": "regoin: eu-west-1\n"}, ["--cloudmock-config=cloudmock.yaml"],
         "*cloudmock.yaml: unknown key 'regoin' (did you mean 'region'?)"),
        ({}, ["--cloudmock-config=missing.yaml"], "*cannot read config file *missing.yaml*"),
        ({"cloudmock.yaml": "region: [\n"}, ["--cloudmock-config=cloudmock.yaml"], "*not valid YAML*"),
        ({}, ["--cloudmock-account=12345"], "*account_id must be 12 digits, not '12345'"),
        ({}, ["--cloudmock-port=http"], "*--cloudmock-port='http': must be a port number*"),
        ({}, ["--cloudmock-reset=forever"], "*--cloudmock-reset='forever': must be one of test, class, module, session"),
        ({"tox.ini": "[pytest]\ncloudmock_region = moon-1\n"}, [], "*region 'moon-1' is not a valid AWS region name"),
        ({}, ["-n", "2", "--cloudmock-port=4566"], "*port 4566 is fixed, but each pytest-xdist worker*"),
        ({"cloudmock.yaml": "account_id: 12345\n"}, ["--cloudmock-config=cloudmock.yaml"],
         "*account_id: 12345 is a number, not a 12-digit account id; quote it in YAML*"),
        ({"cloudmock.yaml": "access_keys:\n  AKIAEXAMPLE: 0210\n"}, ["--cloudmock-config=cloudmock.yaml"],
         "*access_keys?'AKIAEXAMPLE'?: 136 is a number, not a 12-digit account id*"),
        ({"cloudmock.yaml": "port: '4566'\n"}, ["--cloudmock-config=cloudmock.yaml"],
         "*port must be an integer, not str '4566'"),
        ({"cloudmock.yaml": "services: s3\n"}, ["--cloudmock-config=cloudmock.yaml"],
         "*services must be a list of strings or null, not str 's3'"),
        ({}, ["--cloudmock-services=s3,sqss"], "*services: unknown service 'sqss' (did you mean 'sqs'?)"),
        ({"cloudmock.yaml": "disabled_services: [dynamodbb]\n"}, ["--cloudmock-config=cloudmock.yaml"],
         "*disabled_services: unknown service 'dynamodbb' (did you mean 'dynamodb'?)"),
    ],
    ids=["unknown-key", "missing-file", "bad-yaml", "bad-account", "bad-port", "bad-reset", "bad-ini", "xdist-port",
         "yaml-short-account", "yaml-octal-key-account", "yaml-string-port", "yaml-services-string",
         "unknown-service-flag", "unknown-service-yaml"],
)
def test_bad_settings_fail_the_session_at_start(
    pytester: pytest.Pytester, files: dict[str, str], args: list[str], message: str
) -> None:
    for name, text in files.items():
        pytester.path.joinpath(name).write_text(text)
    pytester.makepyfile("def test_never_runs(): raise AssertionError")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: cloudmock: {message}"])


def test_bad_marker_fails_only_that_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cloudmock(reset="sometimes")
        def test_bad_scope(cloudmock):
            pass

        @pytest.mark.cloudmock(region="mars")
        def test_bad_region(cloudmock):
            pass

        @pytest.mark.cloudmock(acount="111111111111")
        def test_typo(cloudmock):
            pass

        def test_fine(cloudmock):
            pass
        """
    )
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=1, errors=3)
    result.stdout.fnmatch_lines_random([
        "*@pytest.mark.cloudmock: must be one of test, class, module, session",
        "*@pytest.mark.cloudmock: region 'mars' is not a valid AWS region name",
        "*@pytest.mark.cloudmock: unknown keyword 'acount' (valid: reset, region, account, *)",
    ])


def test_fixtures_and_marker_are_documented(pytester: pytest.Pytester) -> None:
    pytester.runpytest("--markers").stdout.fnmatch_lines(["@pytest.mark.cloudmock(reset=*"])
    result = pytester.runpytest("--fixtures")
    result.stdout.fnmatch_lines_random([
        "cloudmock [[]session scope]*",
        "cloudmock_endpoint [[]session scope]*",
        "cloudmock_client [[]session scope]*",
        "cloudmock_store [[]session scope]*",
        "cloudmock_session [[]session scope]*",
        "cloudmock_snapshot [[]session scope]*",
        "cloudmock_registry*",
        "cloudmock_env*",
        "*fixtures defined from pytest_cloudmock.plugins.fixtures*",  # other parts' fixture modules
    ])


def test_unquoted_yaml_account_ids_are_the_12_digit_strings_they_mean(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("cloudmock.yaml").write_text(
        "account_id: 210987654321\naccess_keys:\n  AKIAIOSFODNN7EXAMPLE: 111122223333\n"
    )
    pytester.makepyfile(
        """
        import boto3

        def test_default_account(cloudmock_client):
            assert cloudmock_client("sts").get_caller_identity()["Account"] == "210987654321"

        def test_mapped_key(cloudmock_client):
            sts = cloudmock_client("sts", aws_access_key_id="AKIAIOSFODNN7EXAMPLE")
            assert sts.get_caller_identity()["Account"] == "111122223333"

        def test_fails_after_a_call(cloudmock_client):
            cloudmock_client("sts").get_caller_identity()
            assert False, "on purpose"
        """
    )
    result = pytester.runpytest("--cloudmock-config=cloudmock.yaml", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.re_match_lines([r"1  sts +GetCallerIdentity +200 +210987654321 +us-east-1 +[\d.]+"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
