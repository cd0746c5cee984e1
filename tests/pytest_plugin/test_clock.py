"""The `cloudmock_clock` fixture: a frozen, movable gateway clock, undone after the test."""

from __future__ import annotations

import pytest


def test_the_fixture_freezes_moves_and_is_undone_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import time

        import pytest

        def test_messages_come_back_when_the_clock_passes_their_timeout(cloudmock_clock, cloudmock_client):
            sqs = cloudmock_client("sqs")
            url = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody="job")
            assert len(sqs.receive_message(QueueUrl=url).get("Messages", [])) == 1
            assert "Messages" not in sqs.receive_message(QueueUrl=url)
            before = cloudmock_clock.now()
            assert cloudmock_clock.advance(31) == before + 31
            assert len(sqs.receive_message(QueueUrl=url).get("Messages", [])) == 1
            assert cloudmock_clock.frozen

        def test_the_next_test_sees_real_time_again(cloudmock):
            assert not cloudmock.clock.frozen
            assert abs(cloudmock.clock.now() - time.time()) < 1

        @pytest.mark.cloudmock_clock("2030-05-01T12:00:00Z")
        def test_the_marker_picks_the_time(cloudmock_clock, cloudmock_client):
            assert cloudmock_clock.utcnow().isoformat() == "2030-05-01T12:00:00+00:00"
            s3 = cloudmock_client("s3")
            s3.create_bucket(Bucket="dated")
            s3.put_object(Bucket="dated", Key="k", Body=b"x")
            assert s3.head_object(Bucket="dated", Key="k")["LastModified"].year == 2030
            cloudmock_clock.unfreeze()
            assert not cloudmock_clock.frozen and cloudmock_clock.now() >= 1903867200

        @pytest.mark.cloudmock_clock("not a date")
        def test_a_bad_marker_fails_clearly(cloudmock_clock):
            pass
        """
    )
    result = pytester.runpytest("--strict-markers", "-p", "no:randomly")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.cloudmock_clock: Invalid isoformat string*"])
