"""The `cloudmock_faults` marker and the per-test undo of faults, in a real inner session."""

from __future__ import annotations

import pytest


def test_faults_are_undone_after_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cloudmock_faults("sqs", "ListQueues")
        def test_marked(cloudmock):
            cloudmock.faults.add("sns")
            assert len(cloudmock.faults.list()) == 2

        def test_next(cloudmock):
            assert cloudmock.faults.list() == []
            cloudmock.client("sqs").list_queues()

        @pytest.mark.cloudmock_faults("sqs", probability=3)
        def test_bad_marker(cloudmock):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "--strict-markers")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.cloudmock_faults: probability must be between 0 and 1*"])
