"""Modes, their checks, and the enforcer's guard: a bug in evaluation never becomes a 500."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from pytest_cloudmock.config import Config, ConfigError
from pytest_cloudmock.iam_policy import enforcer


def test_modes_are_checked_everywhere(aws):
    with pytest.raises(ValueError, match="off, audit, enforce"):
        aws.iam.set_mode("strict")
    with pytest.raises(ConfigError, match="iam must be one of off, audit, enforce"):
        Config(iam="on").validate()
    assert Config.load(env={"CLOUDMOCK_IAM": "audit"}).iam == "audit"
    request = urllib.request.Request(f"{aws.admin_endpoint}/api/iam/mode", data=json.dumps({"mode": "x"}).encode(),
                                     method="PUT", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request)
    assert info.value.code == 400
    assert aws.iam.mode == "off"


def test_off_leaves_the_hooks_empty(aws):
    assert aws.iam.interceptor.before is None and aws.iam.interceptor.after is None
    aws.iam.set_mode("audit")
    try:
        assert aws.iam.interceptor.before is not None
    finally:
        aws.iam.set_mode("off")


def test_an_evaluation_bug_lets_the_call_through(aws, client, monkeypatch, caplog):
    iam = client("iam")
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    sqs = client("sqs", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(enforcer, "resource_checks", broken)
    aws.iam.set_mode("enforce")
    try:
        assert sqs.list_queues().get("QueueUrls", []) == []
    finally:
        aws.iam.set_mode("off")
    assert "IAM evaluation failed for sqs.ListQueues" in caplog.text
