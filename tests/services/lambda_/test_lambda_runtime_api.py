"""The Runtime API server as HTTP clients see it: keep-alive, `Expect: 100-continue`, HTTP/1.0,
unknown paths and methods, a wrong request id, and a stopping environment (real sockets,
an environment stand-in that records what the server hands it)."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_cloudmock.services.lambda_.environments import Deliver, Invocation
from pytest_cloudmock.services.lambda_.runtime_api import RuntimeApi

ENV = "0123abcd"
BASE = f"/{ENV}/2018-06-01/runtime"


class FakeEnvironment:
    """Hands out queued invocations and records the answers (as a subprocess environment does)."""

    def __init__(self) -> None:
        self.queue: list[Invocation | None] = []
        self.answers: list[tuple[str, bytes, bool, str]] = []
        self.init_errors: list[tuple[bytes, str]] = []
        self.parked: list[Deliver] = []
        self.calls: list[str] = []
        self.unparked: list[Deliver] = []
        self.waiting = threading.Event()  # set when a `/next` is parked
        self.closed = threading.Event()  # set when a parked connection closes
        self.woken = threading.Event()  # set when the server wakes the invoke

    def next_invocation(self) -> Invocation | None:
        return self.queue.pop(0)

    def park(self, deliver: Deliver) -> None:
        if self.queue:
            deliver(self.queue.pop(0))
        else:
            self.parked.append(deliver)
            self.calls.append("park")
            self.waiting.set()

    def unpark(self, deliver: Deliver) -> None:
        self.unparked.append(deliver)
        self.closed.set()

    def complete(self, request_id: str, body: bytes, *, error: bool, error_type: str = "", wake: bool = True) -> bool:
        if request_id != "req-1":
            return False
        self.answers.append((request_id, body, error, error_type))
        self.calls.append("complete" if wake else "complete, no wake")
        return True

    def wake(self) -> None:
        self.calls.append("wake")
        self.woken.set()

    def init_failed(self, body: bytes, error_type: str) -> None:
        self.init_errors.append((body, error_type))


@pytest.fixture
def served() -> Iterator[tuple[RuntimeApi, FakeEnvironment]]:
    api = RuntimeApi()
    env = FakeEnvironment()
    api.environments[ENV] = env  # type: ignore[assignment]
    yield api, env
    api.stop()


def _connection(api: RuntimeApi) -> http.client.HTTPConnection:
    host, port = api.address.split(":")
    return http.client.HTTPConnection(host, int(port), timeout=5)


def _ask(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPResponse, bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response, response.read()


def test_next_and_answers_on_one_kept_alive_connection(served):
    api, env = served
    env.queue = [Invocation("req-1", b'{"a": 1}', "arn:aws:lambda:us-east-1:123456789012:function:f", 3.0,
                            client_context="ctx")]
    conn = _connection(api)
    status, response, body = _ask(conn, "GET", f"{BASE}/invocation/next")
    assert (status, body) == (200, b'{"a": 1}')
    assert response.getheader("Lambda-Runtime-Aws-Request-Id") == "req-1"
    assert response.getheader("Lambda-Runtime-Invoked-Function-Arn").endswith(":function:f")
    assert response.getheader("Lambda-Runtime-Client-Context") == "ctx"
    assert response.getheader("Content-Type") == "application/json" and response.getheader("Date")
    sock = conn.sock
    assert _ask(conn, "POST", f"{BASE}/invocation/req-1/response", b'"done"')[::2] == (202, b'{"status":"OK"}')
    assert conn.sock is sock  # the same connection served both
    status, _, body = _ask(conn, "POST", f"{BASE}/invocation/other/error", b"{}")
    assert status == 400 and json.loads(body) == {"errorMessage": "Invalid request ID",
                                                  "errorType": "InvalidRequestID"}
    assert _ask(conn, "POST", f"{BASE}/init/error", b'{"errorType": "X"}',
                {"Lambda-Runtime-Function-Error-Type": "Runtime.X"})[0] == 202
    assert env.answers == [("req-1", b'"done"', False, "")]
    assert env.init_errors == [(b'{"errorType": "X"}', "Runtime.X")]


def test_a_parked_next_is_answered_by_the_invoking_thread_and_forgotten_when_its_connection_closes(served):
    api, env = served
    conn = _connection(api)
    conn.request("GET", f"{BASE}/invocation/next")
    assert env.waiting.wait(5)
    (deliver,) = env.parked
    answered = threading.Thread(target=deliver, args=(Invocation("req-1", b"[1]", "arn", 3.0),))
    answered.start()
    response = conn.getresponse()
    assert (response.status, response.read(), response.getheader("Lambda-Runtime-Aws-Request-Id")) == (
        200, b"[1]", "req-1")
    answered.join(5)
    assert _ask(conn, "POST", f"{BASE}/invocation/req-1/response", b"1")[0] == 202  # the same connection
    env.waiting.clear()
    conn.request("GET", f"{BASE}/invocation/next")
    assert env.waiting.wait(5)
    conn.close()
    assert env.closed.wait(5) and env.unparked == env.parked[-1:] and len(env.parked) == 2


def test_a_next_sent_right_behind_an_answer_is_parked_before_the_invoke_wakes(served):
    api, env = served
    host, port = api.address.split(":")
    with socket.create_connection((host, int(port)), 5) as sock:
        sock.sendall(f"POST {BASE}/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n[2]"
                     f"GET {BASE}/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answers = sock.makefile("rb")
        assert answers.readline() == b"HTTP/1.1 202 Accepted\r\n"
        assert env.waiting.wait(5)
        (deliver,) = env.parked
        assert deliver(Invocation("req-2", b"[3]", "arn", 3.0))
        while answers.readline() != b"\r\n":  # the rest of the 202
            pass
        assert answers.read(len(b'{"status":"OK"}')) == b'{"status":"OK"}'
        assert answers.readline() == b"HTTP/1.1 200 OK\r\n"
    assert env.woken.wait(5) and env.calls == ["complete, no wake", "park", "wake"]
    assert env.answers == [("req-1", b"[2]", False, "")]


def test_an_error_with_expect_100_continue_gets_the_go_ahead_first(served):
    api, env = served
    body = json.dumps({"errorMessage": "x" * 5000, "errorType": "Boom"}).encode()
    host, port = api.address.split(":")
    with socket.create_connection((host, int(port)), 5) as sock:
        sock.sendall(f"POST {BASE}/invocation/req-1/error HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
                     "Lambda-Runtime-Function-Error-Type: Boom\r\nExpect: 100-continue\r\n\r\n".encode())
        answers = sock.makefile("rb")
        assert answers.readline() == b"HTTP/1.1 100 Continue\r\n" and answers.readline() == b"\r\n"
        sock.sendall(body)
        assert answers.readline() == b"HTTP/1.1 202 Accepted\r\n"
    assert env.answers == [("req-1", body, True, "Boom")]


@pytest.mark.parametrize(("request_head", "status", "stays_open"), [
    (f"GET {BASE}/invocation/next HTTP/1.0\r\n\r\n", 410, False),  # a stopping environment: 410 and close
    ("GET /ffff/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n", 404, True),
    (f"GET {BASE}/nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404, True),
    (f"PUT {BASE}/invocation/next HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 501, False),
    ("nonsense\r\n\r\n", 400, False),
    (f"GET {BASE}/invocation/next HTTP/2.0\r\n\r\n", 505, False),
    (f"GET {BASE}/nowhere HTTP/1.0\r\n\r\n", 404, False),  # HTTP/1.0 closes unless kept alive
    (f"GET {BASE}/nowhere HTTP/1.1\r\nConnection: close\r\n\r\n", 404, False),
])
def test_other_requests(served, request_head, status, stays_open):
    api, env = served
    env.queue = [None]
    host, port = api.address.split(":")
    with socket.create_connection((host, int(port)), 5) as sock:
        sock.sendall(request_head.encode())
        answers = sock.makefile("rb")
        assert answers.readline().split(b" ", 2)[1] == str(status).encode()
        head: dict[str, Any] = {}
        while (line := answers.readline()) != b"\r\n":
            name, _, value = line.decode().partition(":")
            head[name.lower()] = value.strip()
        answers.read(int(head["content-length"]))
        assert (head.get("connection") != "close") is stays_open
        if not stays_open:
            assert answers.read() == b""  # the server closed its end
