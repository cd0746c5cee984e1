"""The HTTP layer: keep-alive, 100-continue, chunked bodies, port 0, clean stop."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from pytest_cloudmock import Response, ServiceProfile
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.gateway.server import INLINE_FOR, LINGER

from .rawhttp import read_response


class Echo:
    """A raw service answering with the body it received."""

    name = "echo"
    profile = ServiceProfile(target_prefix="Echo_1", raw_requests=True)

    def actions(self):
        return []

    def handle_request(self, ctx):
        return Response(ctx.body, headers={"Content-Type": "application/octet-stream"})

    def health_check(self):
        return True

    def reset(self):
        pass


@pytest.fixture
def echo(aws: Gateway) -> Iterator[Gateway]:
    aws.registry.register(Echo())
    yield aws
    aws.registry.unregister("echo")


HEADERS = {"X-Amz-Target": "Echo_1.Echo"}


def test_keep_alive_reuses_one_connection(echo: Gateway) -> None:
    server = echo._server.server  # type: ignore[union-attr]
    before = server.accepted
    conn = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=5)
    for i in range(50):
        conn.request("POST", "/", body=b"x" * i, headers=HEADERS)
        resp = conn.getresponse()
        assert resp.read() == b"x" * i
        assert resp.getheader("Connection") is None
    conn.close()
    assert server.accepted - before == 1


def test_expect_100_continue_answered_once(echo: Gateway) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as sock:
        sock.sendall(
            b"PUT / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Echo_1.Echo\r\n"
            b"Content-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        first = sock.recv(1024)
        assert first == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hello")
        data = b""
        while not data.endswith(b"hello"):
            chunk = sock.recv(4096)
            assert chunk
            data += chunk
        assert data.count(b"100 Continue") == 0
        assert data.startswith(b"HTTP/1.1 200")


def test_chunked_request_body_then_next_request(echo: Gateway) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as sock:
        request = (
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Echo_1.Echo\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        )
        sock.sendall(request + request)
        data = b""
        while data.count(b"abcde") < 2:
            chunk = sock.recv(4096)
            assert chunk
            data += chunk
        assert data.count(b"HTTP/1.1 200") == 2


def test_unread_body_is_drained_for_the_next_request(aws: Gateway) -> None:
    """A request answered without reading its body must not corrupt the next one."""
    conn = http.client.HTTPConnection("127.0.0.1", aws.port, timeout=5)
    conn.request("POST", "/", body=b"garbage" * 1000, headers={"X-Amz-Target": "Nope_1.Op"})
    first = conn.getresponse()
    first.read()
    assert first.status == 400
    conn.request("POST", "/", body=b"{}", headers={"X-Amz-Target": "Nope_1.Op"})
    assert conn.getresponse().status == 400
    conn.close()


def test_port_zero_and_two_gateways_do_not_share_state() -> None:
    from .widgets import WidgetService

    one, two = Gateway(Config()).start(), Gateway(Config()).start()
    try:
        assert one.port != two.port and 0 not in (one.port, two.port)
        one.registry.register(WidgetService())
        two.registry.register(WidgetService())
        from .signed import json_call

        json_call(one.endpoint, "MyService_20260101.CreateWidget", {"WidgetName": "a"}, "myservice")
        listed = json_call(two.endpoint, "MyService_20260101.ListWidgets", {}, "myservice").json()
        assert listed == {"Widgets": []}
    finally:
        one.stop()
        two.stop()


def test_stop_closes_idle_keep_alive_connections_and_threads() -> None:
    before = set(threading.enumerate())
    gw = Gateway(Config()).start()
    gw.registry.register(Echo())
    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=5)
    conn.request("POST", "/", body=b"1", headers=HEADERS)
    conn.getresponse().read()
    gw.stop()
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leftover:
        t.join(timeout=2)
    assert not [t for t in leftover if t.is_alive()]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", gw._admin_server.port if gw._admin_server else 1), timeout=1)
    conn.close()


def test_head_response_has_no_body(echo: Gateway) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=5)
    conn.request("HEAD", "/", headers=HEADERS)
    resp = conn.getresponse()
    assert resp.read() == b""
    conn.request("POST", "/", body=b"after", headers=HEADERS)
    assert conn.getresponse().read() == b"after"
    conn.close()


def raw_exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    return data


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", b"505"),
        (b"NONSENSE\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(101)) + b"\r\n", b"431"),
        (b"GET / HTTP/1.1\r\nX-Long: " + b"v" * 70000 + b"\r\n\r\n", b"431"),
    ],
)
def test_bad_request_heads_get_http_errors(aws: Gateway, request_bytes: bytes, status: bytes) -> None:
    assert raw_exchange(aws.port, request_bytes).startswith(b"HTTP/1.1 " + status)


def test_folded_and_repeated_headers_reach_the_service(echo: Gateway) -> None:
    seen = {}

    class Headers(Echo):
        def handle_request(self, ctx):
            seen.update(folded=ctx.headers.get("X-Folded"), repeated=ctx.headers.get("X-Rep"))
            return super().handle_request(ctx)

    echo.registry.register(Headers())
    reply = raw_exchange(
        echo.port,
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Echo_1.Echo\r\nX-Folded: a\r\n b\r\n"
        b"X-Rep: 1\r\nX-Rep: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    )
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"ok")
    assert seen == {"folded": "a b", "repeated": "1,2"}


def test_keep_alive_head_and_body_in_two_writes_are_framed_by_the_worker(echo: Gateway) -> None:
    """urllib3 writes a request's head and body separately: the worker that answered the last
    request reads both (no hand-off through the loop, which would wake it)."""
    server = echo._server.server  # type: ignore[union-attr]
    wakes = []
    wake = server._poller.wake
    server._poller.wake = lambda: (wakes.append(1), wake())[1]  # type: ignore[method-assign]
    try:
        with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(20):
                body = b"body-%d" % i
                sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Echo_1.Echo\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(body))
                sock.sendall(body)
                status, _, answer = read_response(sock)
                assert (status, answer) == (200, body)
    finally:
        server._poller.wake = wake  # type: ignore[method-assign]
    assert len(wakes) < 10  # (the old path woke the loop for every one of them)


def test_keep_alive_body_slower_than_the_inline_window_is_framed_by_the_loop(echo: Gateway) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as sock:
        for _ in range(2):
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Echo_1.Echo\r\nContent-Length: 6\r\n\r\nab")
            time.sleep(INLINE_FOR * 2)  # a slow client, not a wait for the gateway
            sock.sendall(b"cd")
            time.sleep(LINGER * 2)
            sock.sendall(b"ef")
            status, _, answer = read_response(sock)
            assert (status, answer) == (200, b"abcdef")
