"""The Lambda Runtime API, served to execution environments on 127.0.0.1.

One small threaded HTTP server per Lambda service, started on the first invoke and
stopped on reset and at gateway stop. Each environment's `AWS_LAMBDA_RUNTIME_API`
is `127.0.0.1:<port>/<environment id>`, so every runtime's own URL building
(`http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next`) lands on
its environment:

- `GET  /2018-06-01/runtime/invocation/next` waits for an invocation: on a kept-alive
  connection it is parked and the invoke sends the answer itself, while the server's
  thread reads the connection's next request (the answer's POST);
- `POST /2018-06-01/runtime/invocation/{id}/response` and `.../{id}/error`;
- `POST /2018-06-01/runtime/init/error`.
"""

from __future__ import annotations

import email.utils
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import StreamRequestHandler
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .environments import Deliver, Invocation, SubprocessEnvironment

_ROUTE = re.compile(r"^/(?P<env>[0-9a-f]+)/2018-06-01/runtime/(?:invocation/(?P<id>[^/]+)/(?P<what>response|error)"
                    r"|invocation/(?P<next>next)|init/(?P<init>error))$")


class RuntimeApi:
    """The server and the environments it serves, by id."""

    def __init__(self) -> None:
        self.environments: dict[str, SubprocessEnvironment] = {}
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        """`127.0.0.1:<port>` (starting the server if needed)."""
        with self._lock:
            if self._server is None:
                server = _Server(("127.0.0.1", 0), _Handler)
                server.api = self  # type: ignore[attr-defined]
                threading.Thread(target=server.serve_forever, name="cloudmock-lambda-runtime-api",
                                 daemon=True, kwargs={"poll_interval": 0.2}).start()
                self._server = server
            return f"127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a killed environment drops its connection mid-request; that is not an error here."""


_SERVER_HEADER = f"Server: {BaseHTTPRequestHandler.server_version} {BaseHTTPRequestHandler.sys_version}\r\n"
_NOT_FOUND = b'{"errorMessage":"not found","errorType":"InvalidRequest"}'
_ACCEPTED = b'{"status":"OK"}'
_MAX_LINE, _MAX_HEADERS = 65536, 100  # http.server's limits
_REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found", 410: "Gone", 414: "URI Too Long",
            431: "Request Header Fields Too Large", 501: "Not Implemented", 505: "HTTP Version Not Supported"}


class _Date:
    """The `Date` header's text, made once per second."""

    second, text = -1, ""

    @classmethod
    def now(cls) -> str:
        second = int(time.time())
        if second != cls.second:
            cls.text, cls.second = email.utils.formatdate(second, usegmt=True), second
        return cls.text


class _Handler(StreamRequestHandler):
    """HTTP/1.1 with keep-alive for the runtimes' few requests: the request line, headers read as
    `name: value` lines, a Content-Length body; each answer sent in one write. (http.server's
    generic parsing, through the email package, cost more than the rest of an invocation's round trip.)"""

    def setup(self) -> None:
        super().setup()
        # without it every answer waits for the client's delayed ACK (~40 ms, Nagle)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        api: RuntimeApi = self.server.api  # type: ignore[attr-defined]
        self._parked: tuple[SubprocessEnvironment, Deliver] | None = None
        try:
            while self._one(api):
                pass
        finally:
            if self._parked is not None:
                env, deliver = self._parked
                env.unpark(deliver)

    def _one(self, api: RuntimeApi) -> bool:
        """Answer one request; whether the connection stays open for another."""
        line = self.rfile.readline(_MAX_LINE + 1)
        if not line:
            return False
        if len(line) > _MAX_LINE:
            return self._reply(414, b"", close=True)
        words = line.decode("latin-1").split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            return self._reply(505 if len(words) == 3 and words[2].startswith("HTTP/") else 400, b"", close=True)
        method, path, version = words
        headers: dict[str, str] = {}
        while (header := self.rfile.readline(_MAX_LINE + 1)) not in (b"\r\n", b"\n", b""):
            if len(headers) >= _MAX_HEADERS or len(header) > _MAX_LINE:
                return self._reply(431, b"", close=True)
            name, _, value = header.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        close = connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive")
        if method not in ("GET", "POST"):
            return self._reply(501, b"", close=True)
        if headers.get("expect", "").lower() == "100-continue":  # curl's way with larger bodies
            self.connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body = self.rfile.read(int(headers.get("content-length") or 0))
        except ValueError:
            return self._reply(400, b"", close=True)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        match = _ROUTE.match(path)
        env = api.environments.get(match["env"]) if match else None
        if env is None or match is None:
            return self._reply(404, _NOT_FOUND, close=close)
        if method == "GET":
            if not match["next"]:
                return self._reply(404, _NOT_FOUND, close=close)
            if close:  # answered by this thread before the connection closes
                return self._send_invocation(env.next_invocation(), close=True)
            deliver = self._deliver  # one bound method: `unpark` knows it by identity
            self._parked = (env, deliver)
            env.park(deliver)  # answered (now, or by the invoke) while this thread reads the next request
            return True
        if match["what"] not in ("response", "error") and not match["init"]:
            return self._reply(404, _NOT_FOUND, close=close)
        error_type = headers.get("lambda-runtime-function-error-type", "")
        if match["init"]:
            env.init_failed(body, error_type)
            return self._reply(202, _ACCEPTED, close=close)
        if not env.complete(match["id"], body, error=match["what"] == "error", error_type=error_type, wake=False):
            return self._reply(400, json.dumps({"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}
                                               ).encode(), close=close)
        try:
            keep_open = self._reply(202, _ACCEPTED, close=close)
            if keep_open and self._pipelined_next():
                # cloudmock's Python runtime client sends its next /next right behind an answer: parked
                # before the invoke wakes, the invoke that follows finds it and sends the event itself
                keep_open = self._one(api)
        finally:
            env.wake()
        return keep_open

    def _pipelined_next(self) -> bool:
        """Whether a whole `GET` request head has already arrived (looked at without waiting)."""
        self.connection.settimeout(0)
        try:
            arrived = self.rfile.peek(1)
        except OSError:
            arrived = b""
        finally:
            self.connection.settimeout(None)
        return arrived.startswith(b"GET ") and b"\r\n\r\n" in arrived

    def _deliver(self, invocation: Invocation | None) -> bool:
        """Answer the parked `/next` (from whichever thread has the invocation)."""
        try:
            self._send_invocation(invocation, close=False)
        except OSError:
            return False
        return True

    def _send_invocation(self, invocation: Invocation | None, *, close: bool) -> bool:
        if invocation is None:  # the environment is stopping
            return self._reply(410, b'{"errorMessage":"environment stopped","errorType":"Gone"}', close=True)
        return self._reply(200, invocation.payload, invocation.headers(), close=close)

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None, *, close: bool) -> bool:
        """Send one answer in one write; whether the connection stays open."""
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        if close:
            extra += "Connection: close\r\n"
        head = (f"HTTP/1.1 {status} {_REASONS[status]}\r\n{_SERVER_HEADER}Date: {_Date.now()}\r\n{extra}"
                f"Content-Length: {len(body)}\r\n\r\n")
        self.connection.sendall(head.encode("latin-1") + body)
        return not close
