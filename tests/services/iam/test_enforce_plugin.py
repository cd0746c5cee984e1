"""The pytest side of IAM enforcement: the `cloudmock(iam=...)` marker, the
`--cloudmock-iam` flag and `cloudmock_iam` ini key, `cloudmock.iam`, and the denials in
a failing test's report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# imported once here: pytester's in-process runs forget modules first imported inside them
import pytest_cloudmock.gateway  # noqa: F401
import pytest_cloudmock.models
import pytest_cloudmock.protocols.json_  # noqa: F401
import pytest_cloudmock.protocols.query  # noqa: F401
import pytest_cloudmock.pytest_support.handle  # noqa: F401
import pytest_cloudmock.services.iam  # noqa: F401
import pytest_cloudmock.services.sqs  # noqa: F401
import pytest_cloudmock.services.sts  # noqa: F401

pytest_cloudmock.models.index()

INNER = """
    import json
    import pytest

    NOTHING = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "none:none", "Resource": "*"}]})

    def as_user(cloudmock):
        iam = cloudmock.client("iam")
        iam.create_user(UserName="u")
        iam.put_user_policy(UserName="u", PolicyName="p", PolicyDocument=NOTHING)
        key = iam.create_access_key(UserName="u")["AccessKey"]
        return cloudmock.session.client("sqs", endpoint_url=cloudmock.endpoint, aws_access_key_id=key["AccessKeyId"],
                                        aws_secret_access_key=key["SecretAccessKey"])

    @pytest.mark.cloudmock(iam="enforce")
    def test_marker_enforces(cloudmock):
        assert cloudmock.iam.mode == "enforce"
        with pytest.raises(Exception, match="sqs:ListQueues"):
            as_user(cloudmock).list_queues()

    def test_default_mode(cloudmock):
        assert cloudmock.iam.mode == MODE
        cloudmock.iam  # the handle offers it in every mode

    @pytest.mark.cloudmock(iam="audit")
    def test_audit_failure_lists_denials(cloudmock):
        as_user(cloudmock).list_queues()
        assert False, "fails on purpose"
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:cacheprovider -p no:hypothesispytest -p no:benchmark")
    monkeypatch.setenv("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache"))
    return pytester


def test_marker_mode_and_report(inner: pytest.Pytester) -> None:
    inner.makepyfile(INNER.replace("MODE", "'off'"))
    result = inner.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "*cloudmock: IAM denials (call)*",
        "would deny (audit): sqs.ListQueues: User: arn:aws:iam::123456789012:user/u is not authorized to perform: "
        "sqs:ListQueues because no identity-based policy allows the sqs:ListQueues action",
    ])


def test_flag_and_ini_set_the_default_mode(inner: pytest.Pytester) -> None:
    inner.makepyfile(INNER.replace("MODE", "'audit'"))
    inner.runpytest("-p", "no:randomly", "--cloudmock-iam", "audit").assert_outcomes(passed=2, failed=1)
    inner.makeini("[pytest]\ncloudmock_iam = audit\n")
    inner.runpytest("-p", "no:randomly").assert_outcomes(passed=2, failed=1)
    bad = inner.runpytest("-p", "no:randomly", "--cloudmock-iam", "strict")
    assert "must be one of off, audit, enforce" in bad.stderr.str()
