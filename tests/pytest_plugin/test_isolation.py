"""Application code's `boto3.client()` follows each test's account (issue 13, item 1)."""

from __future__ import annotations

import pytest

INNER = """
import boto3
import pytest

ACCOUNTS = {accounts!r}


@pytest.mark.parametrize("account", [
    pytest.param(a, marks=[pytest.mark.cloudmock(account=a)] if a else [], id=f"{{n}}-{{a}}")
    for n, a in enumerate(ACCOUNTS)
])
def test_plain_client_is_in_the_tests_account(cloudmock_env, account):
    sts = boto3.client("sts")  # as application code does: boto3's default session
    assert sts.get_caller_identity()["Account"] == (account or "123456789012")
"""
ACCOUNTS = ["111111111111", None, "222222222222", "222222222222", None, "333333333333", None, "111111111111"]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_default_session_account_follows_the_marker_test_by_test(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    pytester.makepyfile(test_accounts=INNER.format(accounts=ACCOUNTS * 2), test_premade=PREMADE)
    result = pytester.runpytest("-p", "no:randomly", *workers)
    result.assert_outcomes(passed=2 * len(ACCOUNTS) + 1)


# A default session that resolved its credentials before any test (at import) is reset too.
PREMADE = """
import os

import boto3
import pytest

os.environ.update(AWS_ACCESS_KEY_ID="999999999999", AWS_SECRET_ACCESS_KEY="x")
assert boto3.Session is not None and boto3.setup_default_session() is None
assert boto3.DEFAULT_SESSION.get_credentials().access_key == "999999999999"  # now cached
del os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]

@pytest.mark.cloudmock(account="444444444444")
def test_env_wins(cloudmock_env):
    sts = boto3.client("sts")
    assert sts.get_caller_identity()["Account"] == "444444444444"
"""
