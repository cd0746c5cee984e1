"""ListExecutions reads a page from its machine's (or Map run's) executions kept newest first, not
by sorting every execution of the region: the same pages and tokens as filtering and sorting them
all, compared by hypothesis over start times (ties and a clock set back), statuses, redrives and
versions; and a page costs the same beside 10,000 executions of another machine."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.paging import offset_page

from ...work import calls_made

WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
_STARTS = st.lists(st.tuples(st.sampled_from([0, 1, 2, 5]), st.sampled_from(["run", "stop", "redrive"]),
                             st.booleans()), max_size=10)


def _reference(executions, arn, machine_arn, status, redriven, size):
    """The listing as it was: every execution of the region filtered, sorted newest first, offset pages."""
    chosen = [e for e in executions if e.machine_arn == machine_arn and not e.map_run_arn]
    if arn != machine_arn:
        chosen = [e for e in chosen if arn in (e.version_arn, e.alias_arn)]
    if status:
        chosen = [e for e in chosen if e.status == status]
    if redriven == "REDRIVEN":
        chosen = [e for e in chosen if e.redrive_count]
    elif redriven == "NOT_REDRIVEN":
        chosen = [e for e in chosen if not e.redrive_count]
    chosen.sort(key=lambda e: e.started, reverse=True)
    pages, token = [], None
    while True:
        page, token = offset_page([e.arn for e in chosen], token, size, bad_token=AssertionError,
                                  scope=f"executions:{arn}")
        pages.append((page, token))
        if not token:
            return pages


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(starts=_STARTS, status=st.sampled_from([None, "RUNNING", "ABORTED"]),
       redriven=st.sampled_from([None, "REDRIVEN", "NOT_REDRIVEN"]), through_version=st.booleans(),
       size=st.integers(1, 4))
def test_pages_equal_sorting_every_execution(aws, sfn, machine, frozen, starts, status, redriven, through_version,
                                             size):
    aws.reset()
    frozen.set("2026-01-05T10:00:00Z")
    arn = machine(WAIT)
    other = machine(WAIT)
    version = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    for i, (second, action, versioned) in enumerate(starts):
        frozen.set(f"2026-01-05T10:00:0{second}Z")  # ties and a clock set back
        execution = sfn.start_execution(stateMachineArn=version if versioned else arn, name=f"e{i}")["executionArn"]
        sfn.start_execution(stateMachineArn=other, name=f"o{i}")
        if action != "run":
            sfn.stop_execution(executionArn=execution)
        if action == "redrive":
            sfn.redrive_execution(executionArn=execution)
    aws.settle()
    listed = version if through_version else arn
    filters = {k: v for k, v in (("statusFilter", status), ("redriveFilter", redriven)) if v}
    pages, token = [], None
    while True:
        answer = sfn.list_executions(stateMachineArn=listed, maxResults=size, **filters,
                                     **({"nextToken": token} if token else {}))
        token = answer.get("nextToken")
        pages.append(([e["executionArn"] for e in answer["executions"]], token))
        if not token:
            break
    executions = list(aws.registry.get("stepfunctions").store.get("123456789012", "us-east-1").executions.values())
    assert pages == _reference(executions, listed, arn, status, redriven, size)


def test_a_page_costs_the_same_beside_executions_of_another_machine(aws, sfn, machine):
    """Counted work (not time): a page of one machine's executions beside 10,000 of another's."""
    mine, other = machine(WAIT), machine(WAIT)
    for i in range(20):
        sfn.start_execution(stateMachineArn=mine, name=f"m{i}", input=json.dumps({}))
    where = {"account_id": "123456789012", "region": "us-east-1"}

    def calls() -> None:
        aws.registry.call("stepfunctions", "ListExecutions", {"stateMachineArn": mine, "maxResults": 10}, **where)

    small = calls_made(calls)
    state = aws.registry.get("stepfunctions").store.get("123456789012", "us-east-1")
    template = next(iter(state.executions.values()))
    from pytest_cloudmock.services.stepfunctions.state import record_execution

    for i in range(10_000):  # seeded through the store: 10,000 executions would take seconds
        arn = f"{other.replace(':stateMachine:', ':execution:')}:x{i}"
        record_execution(state, type(template)(**{**vars(template), "arn": arn, "machine_arn": other, "events": []}))
    large = calls_made(calls)
    assert large < small * 1.2 + 100, (small, large)  # filtering and sorting 10,000 executions was ~9 ms
