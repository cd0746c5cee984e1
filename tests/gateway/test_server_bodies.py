"""Bodies through the HTTP server: requests' in memory within a budget (else spooled), answers
written whole or streamed."""

from __future__ import annotations

import gc
import http.client
import io
import socket
import threading

import pytest

from pytest_cloudmock import Response
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.gateway.http_framing import FixedBody, MemoryBudget
from pytest_cloudmock.gateway.server import COALESCE

from .test_server import HEADERS, Echo, echo  # noqa: F401 (the echo service's fixture)


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


class Chunks(Echo):
    """Answers the request's body back as chunks of 100 bytes, with or without its length."""

    def handle_request(self, ctx):
        body = ctx.body
        headers = {"Content-Type": "application/octet-stream"}
        if not ctx.headers.get("X-Unknown-Length"):
            headers["Content-Length"] = str(len(body))
        return Response((body[i:i + 100] for i in range(0, len(body), 100)), headers=headers)


@pytest.mark.parametrize("size", [0, 1024, COALESCE, COALESCE + 1, 300_000])
@pytest.mark.parametrize("length_known", [True, False])
def test_streamed_answers_of_every_size_arrive_whole(aws: Gateway, size: int, length_known: bool) -> None:
    aws.registry.register(Chunks())
    try:
        data = bytes(range(256)) * (size // 256) + b"t" * (size % 256)
        extra = {} if length_known else {"X-Unknown-Length": "1"}
        conn = http.client.HTTPConnection("127.0.0.1", aws.port, timeout=10)
        for _ in range(2):  # (and the connection stays usable)
            conn.request("POST", "/", body=data, headers={**HEADERS, **extra})
            answer = conn.getresponse()
            assert answer.read() == data
            assert answer.getheader("Transfer-Encoding") == (None if length_known else "chunked")
        conn.close()
    finally:
        aws.registry.unregister("echo")


def test_a_small_streamed_answer_of_known_length_is_one_write_with_its_head(
        aws: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[bytes] = []
    sendall = socket.socket.sendall

    def counted(sock: socket.socket, data: bytes, *args: object) -> None:
        if threading.current_thread().name.startswith("cloudmock-worker"):
            writes.append(bytes(data))
        sendall(sock, data, *args)

    aws.registry.register(Chunks())
    try:
        conn = http.client.HTTPConnection("127.0.0.1", aws.port, timeout=5)
        monkeypatch.setattr(socket.socket, "sendall", counted)
        conn.request("POST", "/", body=b"b" * 1024, headers=HEADERS)
        assert conn.getresponse().read() == b"b" * 1024
        monkeypatch.undo()
        conn.close()
    finally:
        aws.registry.unregister("echo")
    assert len(writes) == 1 and writes[0].startswith(b"HTTP/1.1 200") and writes[0].endswith(b"b" * 1024)
