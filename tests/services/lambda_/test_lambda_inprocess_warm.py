"""The in-process executor's warm environments: one worker thread per environment, kept
between invocations (as a warm container keeps its process), ended when the environment is."""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import payload_of

WHO = """
import threading
def handler(e, c):
    print("run", e.get("n"))
    return threading.current_thread().name
"""


def _thread(name: str) -> threading.Thread:
    (found,) = [t for t in threading.enumerate() if t.name == name]
    return found


@pytest.fixture
def inprocess(lambda_service: Any) -> Iterator[Any]:
    lambda_service.set_executor("inprocess")
    yield lambda_service
    lambda_service.set_executor("subprocess")


def test_warm_invokes_share_the_environments_thread_until_it_goes_stale(lam, make_function, inprocess):
    make_function("who", WHO)
    names = [payload_of(lam.invoke(FunctionName="who", Payload=f'{{"n": {n}}}'.encode())) for n in range(3)]
    assert len(set(names)) == 1 and names[0] != threading.current_thread().name
    worker = _thread(names[0])
    assert [r.cold_start for r in inprocess.invocations("who")] == [True, False, False]
    assert [r.logs.count("run ") for r in inprocess.invocations("who")] == [1, 1, 1]
    assert [f"run {n}" in r.logs for n, r in enumerate(inprocess.invocations("who"))] == [True] * 3
    lam.update_function_configuration(FunctionName="who", Environment={"Variables": {"VV": "1"}})
    fresh = payload_of(lam.invoke(FunctionName="who", Payload=b'{"n": 3}'))
    assert fresh != names[0] and inprocess.invocations("who")[-1].cold_start
    worker.join(timeout=5)
    assert not worker.is_alive()  # the stale environment's worker ended


def test_a_timed_out_handler_is_abandoned_and_the_next_invoke_starts_afresh(lam, make_function, inprocess):
    make_function("slow", "import threading, time\ndef handler(e, c):\n"
                          "    print('on', threading.current_thread().name)\n    time.sleep(e.get('s', 0))\n"
                          "    return threading.current_thread().name\n", Timeout=1)
    out = lam.invoke(FunctionName="slow", Payload=b'{"s": 1.3}')
    error = payload_of(out)
    assert out["FunctionError"] == "Unhandled" and error["errorType"] == "Sandbox.Timedout"
    assert error["errorMessage"].endswith("Task timed out after 1.00 seconds")
    abandoned = _thread(inprocess.invocations("slow")[0].logs.split("on ", 1)[1].split()[0])
    swapped = io.StringIO()
    with contextlib.redirect_stdout(swapped):  # as a test framework swaps it, the abandoned handler still running
        name = payload_of(lam.invoke(FunctionName="slow"))
    assert name != abandoned.name
    assert f"on {name}" in inprocess.invocations("slow")[1].logs and swapped.getvalue() == ""
    assert [(r.timed_out, r.cold_start) for r in inprocess.invocations("slow")] == [(True, True), (False, True)]
    abandoned.join(timeout=5)
    assert not abandoned.is_alive()  # it ends once the handler returns, never to be handed more


def test_reset_ends_the_worker_threads(aws, lam, make_function, inprocess):
    make_function("gone", WHO)
    worker = _thread(payload_of(lam.invoke(FunctionName="gone")))
    aws.reset()
    worker.join(timeout=5)
    assert not worker.is_alive()
