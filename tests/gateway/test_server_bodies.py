"""Request bodies as the HTTP server collects them: in memory within a budget, else spooled."""

from __future__ import annotations

import gc
import http.client
import io

from pytest_cloudmock.gateway.http_framing import FixedBody, MemoryBudget

from .test_server import HEADERS, echo  # noqa: F401 (the echo service's fixture)


def fed(body: FixedBody, data: bytes, step: int) -> FixedBody:
    for start in range(0, len(data), step):
        piece = data[start:start + step]
        assert body.feed_bytes(piece) == len(piece)
    return body


def test_a_body_within_the_budget_is_read_whole_from_memory_and_the_budget_comes_back() -> None:
    budget = MemoryBudget(100)
    data = bytes(range(90))
    body = fed(FixedBody(90, spool_memory=10, budget=budget), data, 7)
    assert body.done and budget.left == 10
    stream = body.stream()
    assert isinstance(stream, io.BytesIO) and stream.read(90) == data
    del body
    assert budget.left == 10  # (lent to the stream now)
    del stream
    gc.collect()
    assert budget.left == 100


def test_a_body_past_the_budget_is_spooled_and_reads_the_same() -> None:
    budget = MemoryBudget(50)
    data = b"&x" * 45
    body = fed(FixedBody(90, spool_memory=10, budget=budget), data, 8)
    assert budget.left == 50 and body.ampersands == 45
    stream = body.stream()
    assert not isinstance(stream, io.BytesIO) and stream.read() == data
    stream.close()


def test_received_bytes_past_the_body_are_left_for_the_next_request() -> None:
    body = FixedBody(4, spool_memory=10)
    assert body.feed_bytes(b"abcdNEXT") == 4
    assert body.done and body.stream().read() == b"abcd"


def test_large_bodies_over_http_come_back_whole_and_return_the_budget(echo) -> None:  # noqa: F811
    server = echo._server.server  # type: ignore[union-attr]
    before = server._budget.left
    conn = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=10)
    for size in (3 << 20, (1 << 20) + 1, 5):
        data = bytes(range(256)) * (size // 256) + b"z" * (size % 256)
        conn.request("POST", "/", body=data, headers=HEADERS)
        assert conn.getresponse().read() == data
    conn.close()
    gc.collect()
    assert server._budget.left == before
