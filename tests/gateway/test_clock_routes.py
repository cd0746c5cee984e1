"""`GET/POST /api/clock`: read, freeze, set, advance and reset the clock of `cloudmock serve`."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from pytest_cloudmock.gateway import Gateway

from .test_admin import admin


@pytest.fixture
def gw(aws: Gateway) -> Iterator[Gateway]:
    yield aws
    aws.clock.reset()


def test_get_shows_a_running_clock(gw: Gateway) -> None:
    status, body = admin(gw, "/api/clock")
    assert status == 200 and body["frozen"] is False
    assert abs(body["epoch"] - time.time()) < 5


def test_post_freezes_sets_advances_and_unfreezes(gw: Gateway) -> None:
    status, body = admin(gw, "/api/clock", "POST", {"freeze": True, "set": "2026-01-01T00:00:00Z", "advance": 90})
    assert status == 200
    assert body == {"now": "2026-01-01T00:01:30+00:00", "epoch": 1767225690.0, "frozen": True}
    assert gw.clock.now() == 1767225690.0
    status, body = admin(gw, "/api/clock", "POST", {"freeze": False})
    assert status == 200 and body["frozen"] is False and body["epoch"] >= 1767225690.0
    status, body = admin(gw, "/api/clock", "POST", {"reset": True})
    assert abs(body["epoch"] - time.time()) < 5


def test_a_moved_clock_moves_what_the_services_see(gw: Gateway, client) -> None:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="admin-clock")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    admin(gw, "/api/clock", "POST", {"freeze": True})
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    admin(gw, "/api/clock", "POST", {"advance": 60})
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url)["Messages"]] == ["later"]


@pytest.mark.parametrize("body", [
    {"advance": -1}, {"advance": "soon"}, {"advance": True}, {"set": "yesterday"}, {"set": 5},
    {"freeze": "yes"}, {"rewind": 3},
])
def test_bad_changes_are_400_and_change_nothing(gw: Gateway, body: dict) -> None:
    status, answer = admin(gw, "/api/clock", "POST", body)
    assert status == 400 and answer["error"]
    assert not gw.clock.frozen and abs(gw.clock.now() - time.time()) < 5
