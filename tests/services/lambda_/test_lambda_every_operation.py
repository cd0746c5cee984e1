"""Every operation of Lambda's botocore model answers (never NotImplemented, never a 5xx)."""

from __future__ import annotations

from ..every_operation import call_every_operation


def test_every_operation_answers(lam, make_function):
    make_function("existing")
    failures = call_every_operation(lam, seed=16, rounds=2)
    # InvalidRuntimeException (502) is Lambda's own answer for a runtime this host cannot start
    assert [f for f in failures if "InvalidRuntimeException" not in f] == []
