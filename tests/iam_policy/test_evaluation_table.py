"""The evaluation logic, case by case (cases.py), and IAM's policy simulator agreeing with
it on every case the simulator can express (SimulateCustomPolicy through boto3)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.iam_policy.context import RequestContextKeys
from pytest_cloudmock.iam_policy.evaluation import Principal, Request, evaluate
from pytest_cloudmock.iam_policy.policy import BOUNDARY, IDENTITY, RESOURCE, SCP, SESSION, parse

from .cases import ACCOUNT, CASES, ROLE, USER, Case
from .cases import SESSION as SESSION_ARN

NOTHING = {"Effect": "Allow", "Action": "none:none", "Resource": "*"}  # PolicyInputList needs one policy


def _doc(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements or [NOTHING]})


def principal_of(case: Case) -> Principal:
    identity = (parse(_doc(case.identity), IDENTITY, "identity"),)
    boundary = parse(_doc(case.boundary), BOUNDARY, "boundary") if case.boundary is not None else None
    session = (parse(_doc(case.session), SESSION, "session"),) if case.session is not None else None
    scps = tuple(parse(_doc(s), SCP, f"scp{i}") for i, s in enumerate(case.scps)) if case.scps is not None else None
    if case.principal == "root":
        return Principal(f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT, "root", scps=scps)
    if case.principal == "session":
        return Principal(SESSION_ARN, ACCOUNT, "role-session", role_arn=ROLE, identity_policies=identity,
                         boundary=boundary, session_policies=session, scps=scps)
    return Principal(USER, ACCOUNT, "user", identity_policies=identity, boundary=boundary, scps=scps)


def request_of(case: Case) -> Request:
    lookup = RequestContextKeys({k.lower(): v for k, v in case.context.items()})
    policy = parse(_doc(case.resource_policy), RESOURCE, "resource") if case.resource_policy is not None else None
    return Request(case.action, case.resource, lookup, case.resource_account, policy)


def test_the_table_has_at_least_a_hundred_cases() -> None:
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_evaluation(case: Case) -> None:
    decision = evaluate(principal_of(case), request_of(case))
    assert decision.decision == case.expected
    if case.denied_by:
        assert decision.denied_by == case.denied_by


@pytest.fixture(scope="module")
def simulated(gateway: Any, boto_session: Any) -> dict[str, str]:
    """Every simulable case's decision from SimulateCustomPolicy, one call per case."""
    iam = boto_session.client("iam", endpoint_url=gateway.endpoint)
    out: dict[str, str] = {}
    for case in CASES:
        if not case.simulable:
            continue
        params: dict[str, Any] = {
            "PolicyInputList": [_doc(case.identity)], "ActionNames": [case.action], "ResourceArns": [case.resource],
            "CallerArn": USER, "ResourceOwner": f"arn:aws:iam::{case.resource_account or ACCOUNT}:root",
            "ContextEntries": [{"ContextKeyName": k, "ContextKeyValues": v,
                                "ContextKeyType": "stringList" if len(v) > 1 else "string"}
                               for k, v in case.context.items()],
        }
        if case.boundary is not None:
            params["PermissionsBoundaryPolicyInputList"] = [_doc(case.boundary)]
        if case.resource_policy is not None:
            params["ResourcePolicy"] = _doc(case.resource_policy)
        out[case.name] = iam.simulate_custom_policy(**params)["EvaluationResults"][0]["EvalDecision"]
    return out


SIMULABLE = [c for c in CASES if c.simulable]


@pytest.mark.parametrize("case", SIMULABLE, ids=[c.name for c in SIMULABLE])
def test_simulator_agrees(case: Case, simulated: dict[str, str]) -> None:
    assert simulated[case.name] == case.expected == evaluate(principal_of(case), request_of(case)).decision
