"""The two floors the transports are measured against: canned answers with no gateway behind them.

Both replay, per operation, an answer recorded from the gateway, so botocore
does all its usual work (serialize, sign, parse) and nothing else happens:

- `before_send_floor`: a `before-send` handler returns the canned `AWSResponse`
  (the least any in-process mock can cost);
- `socket_floor`: the gateway's own keep-alive server with a WSGI app that only
  reads the body and writes the canned answer (the least any HTTP mock can cost).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from pytest_cloudmock.gateway.server import ServerThread

Canned = dict[str, tuple[int, dict[str, str], bytes]]  # operation -> status, headers, body
OP_HEADER = "x-bench-operation"


@contextmanager
def recording(canned: Canned, creds: dict[str, str]) -> Iterator[Callable[[str], Any]]:
    """Clients answered by a fresh gateway in-process, each operation's last answer kept in `canned`."""
    from pytest_cloudmock.gateway import Gateway
    from pytest_cloudmock.transport.inprocess import send

    gateway = Gateway().start()
    session = boto3.Session(**creds)

    def record(request: Any, event_name: str, **_: Any) -> AWSResponse:
        response = send(gateway.app, request)
        data = response.content
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("transfer-encoding", "date")}
        headers["Content-Length"] = str(len(data))
        canned[_operation(event_name)] = (response.status_code, headers, data)
        return AWSResponse(request.url, response.status_code, dict(headers), _Raw(data))

    def client(name: str) -> Any:
        c = session.client(name, endpoint_url=gateway.endpoint)
        c.meta.events.register_first("before-send", record)
        return c

    try:
        yield client
    finally:
        gateway.stop()


def _operation(event_name: str) -> str:
    return event_name.rsplit(".", 1)[-1]


class _Raw:
    """A raw body as botocore reads one (read, stream)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, amt: int | None = None) -> bytes:
        if amt is None or amt < 0:
            data, self._data = self._data, b""
        else:
            data, self._data = self._data[:amt], self._data[amt:]
        return data

    def stream(self, amt: int | None = None, **_: Any) -> Iterator[bytes]:
        while data := self.read(amt):
            yield data


@contextmanager
def before_send_floor(canned: Canned, creds: dict[str, str]) -> Iterator[Callable[[str], Any]]:
    session = boto3.Session(**creds)

    def answer(request: Any, event_name: str, **_: Any) -> AWSResponse:
        body = request.body
        if hasattr(body, "read"):
            while body.read(1 << 20):
                pass
        status, headers, data = canned[_operation(event_name)]
        return AWSResponse(request.url, status, dict(headers), _Raw(data))

    def client(name: str) -> Any:
        c = session.client(name, endpoint_url="http://127.0.0.1:1")
        c.meta.events.register_first("before-send", answer)
        return c

    yield client


@contextmanager
def socket_floor(canned: Canned, creds: dict[str, str]) -> Iterator[Callable[[str], Any]]:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        stream = environ["wsgi.input"]
        while stream.read(1 << 20):
            pass
        status, headers, data = canned[environ["HTTP_X_BENCH_OPERATION"]]
        start_response(f"{status} OK", list(headers.items()))
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else data]

    def name_operation(request: Any, event_name: str, **_: Any) -> None:
        request.headers[OP_HEADER] = _operation(event_name)

    server = ServerThread(app, name="bench-floor")
    server.start()
    session = boto3.Session(**creds)

    def client(name: str) -> Any:
        c = session.client(name, endpoint_url=f"http://127.0.0.1:{server.port}")
        c.meta.events.register_first("before-send", name_operation)
        return c

    try:
        yield client
    finally:
        server.stop()
