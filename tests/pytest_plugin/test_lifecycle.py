"""Gateway lifecycle: nothing until a fixture asks, one gateway per session / xdist worker."""

from __future__ import annotations

import json

import pytest


def test_unused_plugin_imports_and_starts_nothing_until_a_fixture_asks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys, threading

        HEAVY = ("boto3", "botocore", "werkzeug", "yaml", "pytest_cloudmock.gateway",
                 "pytest_cloudmock.config", "pytest_cloudmock.pytest_support.handle")

        def cloudmock_threads():
            return [t.name for t in threading.enumerate() if t.name.startswith("cloudmock")]

        def test_1_unused():
            assert [m for m in HEAVY if m in sys.modules] == []
            assert cloudmock_threads() == []

        def test_2_asks(cloudmock_endpoint):
            assert cloudmock_endpoint.startswith("http://127.0.0.1:")
            assert cloudmock_threads() == ["cloudmock-gateway", "cloudmock-admin"]
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "cloudmock: http://127.0.0.1:<free port> (started on first use); config: defaults",
        "cloudmock: gateway at http://127.0.0.1:* answered 0 requests in this session",
    ])


def test_xdist_workers_each_get_their_own_gateway_and_state(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        import json, os
        import pytest
        from conftest import names

        @pytest.mark.parametrize("n", range(6))
        def test_isolated(repos, cloudmock, n, tmp_path_factory):
            repos.create_repository(repositoryName=f"r{n}")
            record = [os.environ["PYTEST_XDIST_WORKER"], cloudmock.endpoint, n, names(repos)]
            out = tmp_path_factory.getbasetemp().parent / f"seen-{n}.json"
            out.write_text(json.dumps(record))
        """
    )
    result = inner.runpytest("-n", "2", "--cloudmock-reset=session")
    result.assert_outcomes(passed=6)
    seen = [json.loads(p.read_text()) for p in inner.path.parent.rglob("seen-*.json")]
    ran_on = {worker: {f"r{n}" for w, _, n, _ in seen if w == worker} for worker, *_ in seen}
    assert set(ran_on) == {"gw0", "gw1"}
    assert len({(worker, endpoint) for worker, endpoint, *_ in seen}) == 2  # one gateway per worker
    for worker, _, n, listed in seen:  # state kept for the session, but only the worker's own
        assert f"r{n}" in listed
        assert set(listed) <= ran_on[worker]


def test_xdist_workers_run_pending_finalizers_before_reporting_finished(pytester: pytest.Pytester) -> None:
    """Issue 13, item 7: finalizers that ran after a worker's report were cut short by SIGINT."""
    pytester.makeconftest(
        """
        import os

        def pytest_testnodedown(node, error):  # on the controller, when a worker reports finished
            worker = node.workerinput["workerid"]
            with open("report-order.txt", "a") as out:
                out.write(f"{worker} finished, finalized: {os.path.exists(f'finalized-{worker}')}\\n")
        """
    )
    pytester.makepyfile(
        """
        import gc, os, weakref
        import pytest

        class Cycle:
            def __init__(self):
                self.me = self

        @pytest.mark.parametrize("n", range(4))
        def test_leaves_garbage_with_a_finalizer(cloudmock, n):
            gc.disable()  # as for garbage in an old generation: only a full collection finds it
            worker = os.environ["PYTEST_XDIST_WORKER"]
            weakref.finalize(Cycle(), open, f"finalized-{worker}", "w")
        """
    )
    result = pytester.runpytest("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=4)
    order = sorted((pytester.path / "report-order.txt").read_text().splitlines())
    assert order == ["gw0 finished, finalized: True", "gw1 finished, finalized: True"]
