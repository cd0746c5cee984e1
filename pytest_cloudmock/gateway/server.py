"""A threaded werkzeug server with real HTTP/1.1 keep-alive.

werkzeug's own handler answers `Connection: close` and drains the socket after
every response, so each boto3 call would open a new TCP connection. This
handler bounds the request body by `Content-Length` (or decodes chunked
bodies), reads what the application left unread, keeps the connection open
for the next request, answers `Expect: 100-continue` once, and sets
`TCP_NODELAY` (without it every keep-alive request stalls ~40 ms on Nagle vs
delayed ACK). `stop()` closes idle keep-alive connections too, so no thread
or socket outlives the server.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http import HTTPStatus
from typing import IO, Any

from werkzeug.serving import DechunkedInput, ThreadedWSGIServer, WSGIRequestHandler

IDLE_TIMEOUT = 120.0
MAX_LINE = 65536
MAX_HEADERS = 100
MAX_DRAIN = 1 << 20  # unread body bytes worth reading to keep a connection alive


class BoundedInput:
    """A request body stream that stops at Content-Length."""

    def __init__(self, stream: IO[bytes], length: int) -> None:
        self._stream = stream
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self._stream.read(size)
        self.remaining -= len(data)
        if not data:
            self.remaining = 0
        return data

    def readline(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        limit = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self._stream.readline(limit)
        self.remaining -= len(data)
        return data

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


class RequestHeaders:
    """Request headers as read off the wire: case-insensitive `get`, original `items()`.

    Parsed with plain line splitting (http.server's own parser goes through the
    email package, the largest cost of a keep-alive request).
    """

    __slots__ = ("_pairs", "_lower")

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs
        self._lower: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            self._lower[key] = f"{self._lower[key]},{value}" if key in self._lower else value

    def get(self, name: str, default: Any = None) -> Any:
        return self._lower.get(name.lower(), default)

    def __getitem__(self, name: str) -> str | None:
        return self._lower.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._lower

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


class HeaderError(Exception):
    """Headers too long or too many: answered 431."""


def read_headers(rfile: IO[bytes]) -> RequestHeaders:
    """Read header lines up to the blank line (obsolete line folding joined)."""
    pairs: list[tuple[str, str]] = []
    while True:
        line = rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise HeaderError("Line too long")
        if line in (b"\r\n", b"\n", b""):
            return RequestHeaders(pairs)
        if len(pairs) >= MAX_HEADERS:
            raise HeaderError("Too many headers")
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t") and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {text.strip()}")
            continue
        name, sep, value = text.partition(":")
        if sep and name and name == name.strip():
            pairs.append((name, value.strip()))


class KeepAliveHandler(WSGIRequestHandler):
    """WSGIRequestHandler that keeps HTTP/1.1 connections open."""

    protocol_version = "HTTP/1.1"
    server: KeepAliveServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection.settimeout(IDLE_TIMEOUT)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The gateway keeps its own request log."""

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base
        """Idle keep-alive timeouts and resets are not errors worth printing."""

    def parse_request(self) -> bool:
        """Request line and headers (HTTP/1.0 and 1.1), as http.server does, but faster."""
        self.command = None  # type: ignore[assignment]
        self.request_version = self.default_request_version
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3 or words[2] not in ("HTTP/1.0", "HTTP/1.1"):
            version = words[2] if len(words) == 3 else ""
            self.request_version = "HTTP/1.1"  # answer with a status line (not HTTP/0.9 style)
            if version.startswith("HTTP/") and version >= "HTTP/2":
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, f"Invalid HTTP version ({version})")
            else:
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({self.requestline!r})")
            return False
        self.command, self.path, self.request_version = words
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")
        try:
            self.headers = read_headers(self.rfile)  # type: ignore[assignment]
        except HeaderError as err:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, str(err))
            return False
        connection = self.headers.get("Connection", "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive"
        )
        if (
            self.headers.get("Expect", "").lower() == "100-continue"
            and self.request_version == "HTTP/1.1"
        ):
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def run_wsgi(self) -> None:
        environ = self.make_environ()
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body: Any = DechunkedInput(self.rfile)
        else:
            length = self.headers.get("Content-Length", "0")
            body = BoundedInput(self.rfile, int(length) if length.isdigit() else 0)
        environ["wsgi.input"] = body
        environ["wsgi.input_terminated"] = True
        client_wants_close = (
            self.headers.get("Connection", "").lower() == "close" or self.request_version == "HTTP/1.0"
        )
        head = environ["REQUEST_METHOD"] == "HEAD"
        state: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            state["status"], state["headers"] = status, headers
            return lambda data: None  # the legacy write() callable is not used by the gateway

        app_iter = self.server.app(environ, start_response)
        if isinstance(body, BoundedInput) and body.remaining > MAX_DRAIN:
            client_wants_close = True  # cheaper to drop the connection than to read it all
        try:
            code_str, _, msg = state["status"].partition(" ")
            code = int(code_str)
            names = {k.lower() for k, _ in state["headers"]}
            chunked = not head and "content-length" not in names and code not in (204, 304)
            lines = [f"HTTP/1.1 {code} {msg}", f"Date: {self.date_time_string()}"]
            lines.extend(f"{key}: {value}" for key, value in state["headers"])
            if chunked:
                lines.append("Transfer-Encoding: chunked")
            if client_wants_close:
                lines.append("Connection: close")
            head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            if isinstance(app_iter, list) and not chunked:  # the whole answer in one write
                self.wfile.write(head_bytes if head else head_bytes + b"".join(app_iter))
            else:
                self.wfile.write(head_bytes)
                for data in app_iter:
                    if head or not data:
                        continue
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        if not client_wants_close:  # read what the app left so the next request starts clean
            while body.read(1 << 20):
                pass
        self.close_connection = client_wants_close

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True


class KeepAliveServer(ThreadedWSGIServer):
    """Threaded WSGI server that tracks open connections so `stop()` can close them."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self.accepted = 0
        super().__init__(*args, **kwargs)

    def track(self, conn: socket.socket, alive: bool) -> None:
        with self._conn_lock:
            if alive:
                self.accepted += 1
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def close_connections(self) -> None:
        with self._conn_lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class ServerThread:
    """Runs one WSGI app on host:port in a background thread."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, name: str = "cloudmock") -> None:
        self.server = KeepAliveServer(host, port, app, handler=KeepAliveHandler)
        self.host = host
        self.port = self.server.server_port
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.close_connections()
        self.server.server_close()
        self._thread.join(timeout=5)
