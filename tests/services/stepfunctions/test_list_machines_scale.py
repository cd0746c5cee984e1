"""ListStateMachines and ListActivities read their pages from the machines and activities kept in
(creation date, name) order instead of sorting them all per page: hypothesis compares pages and
tokens with sorting every one."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.paging import offset_page

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ROLE = "arn:aws:iam::123456789012:role/r"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=st.lists(st.tuples(st.text("abc", min_size=1, max_size=2), st.sampled_from([0, 1, 3]), st.booleans()),
                     max_size=10, unique_by=lambda m: m[0]), size=st.integers(1, 4))
def test_pages_equal_sorting_every_machine(aws, sfn, frozen, made, size):
    aws.reset()
    for name, second, deleted in made:
        frozen.set(f"2026-01-05T10:00:0{second}Z")  # same dates and a clock set back
        arn = sfn.create_state_machine(name=name, definition=PASS, roleArn=ROLE)["stateMachineArn"]
        if deleted:
            sfn.delete_state_machine(stateMachineArn=arn)
    state = aws.registry.get("stepfunctions").store.get("123456789012", "us-east-1")
    chosen = [m.arn for m in sorted(state.machines.values(), key=lambda m: (m.created, m.name))]
    assert _listed_pages(sfn.list_state_machines, size, "stateMachines", "stateMachineArn") == _pages(
        chosen, size, "machines")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=st.lists(st.tuples(st.text("abc", min_size=1, max_size=2), st.sampled_from([0, 1, 3]), st.booleans()),
                     max_size=10, unique_by=lambda m: m[0]), size=st.integers(1, 4))
def test_activity_pages_equal_sorting_every_activity(aws, sfn, frozen, made, size):
    aws.reset()
    for name, second, deleted in made:
        frozen.set(f"2026-01-05T10:00:0{second}Z")
        arn = sfn.create_activity(name=name)["activityArn"]
        if deleted:
            sfn.delete_activity(activityArn=arn)
    state = aws.registry.get("stepfunctions").store.get("123456789012", "us-east-1")
    chosen = [a.arn for a in sorted(state.activities.values(), key=lambda a: (a.created, a.name))]
    assert _listed_pages(sfn.list_activities, size, "activities", "activityArn") == _pages(chosen, size, "activities")


def _pages(chosen: list[str], size: int, scope: str) -> list[tuple[list[str], str | None]]:
    """The (page, next token) pairs of paging through `chosen` in order (the reference)."""
    pages, token = [], None
    while True:
        page, token = offset_page(chosen, token, size, bad_token=AssertionError, scope=scope)
        pages.append((page, token))
        if not token:
            return pages


def _listed_pages(list_call, size: int, member: str, arn_key: str) -> list[tuple[list[str], str | None]]:
    """The (ARNs, next token) pairs a Step Functions listing gives, page after page."""
    pages, token = [], None
    while True:
        answer = list_call(maxResults=size, **({"nextToken": token} if token else {}))
        token = answer.get("nextToken")
        pages.append(([entry[arn_key] for entry in answer[member]], token))
        if not token:
            return pages
