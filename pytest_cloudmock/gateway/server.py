"""The gateway's HTTP/1.1 server: one I/O loop, a fixed worker pool, keep-alive.

One thread (the loop) accepts connections and reads every request with
`selectors`: request line, headers and the whole body (`Content-Length` or
`Transfer-Encoding: chunked`, decoded here, bounded) are framed before anything
else sees them, so a slow, idle, truncated or malformed request never holds a
worker (beyond `INLINE_FOR`, below) and is never handed to a service. A complete request goes to one of
`ServerLimits.workers` threads, which runs the WSGI app and writes the answer;
the worker then waits briefly (`LINGER`) for the client's next request and frames
it itself when it comes whole within `INLINE_FOR` (saving two thread hand-offs per
back-to-back keep-alive call), else the connection goes back to the loop.
Bodies up to `spool_memory` and, within the server-wide `body_memory` budget,
larger ones are kept in memory as received; the rest spool to a temporary file.

Threads: at most `workers + 1`, whatever the number of connections. Framing
(`http_framing`) is strict: what it refuses is a 400 and the connection is closed. Slow headers or bodies get 408, idle
keep-alive connections are closed after `idle_timeout`, and at
`max_connections` the longest-waiting connection makes room for a new one.
`Expect: 100-continue` is answered only once the head has passed these checks
(a too-large body gets the app's 413 without it). Response headers whose name is
not a token or whose value holds CR, LF or NUL are dropped; values outside
Latin-1 are sent RFC 2047-encoded, as S3 does for metadata. `TCP_NODELAY` is set
on every connection (keep-alive stalls ~40 ms on Nagle vs delayed ACK without it).
"""

from __future__ import annotations

import contextlib
import io
import logging
import queue
import select
import selectors
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from typing import IO, Any
from urllib.parse import unquote_to_bytes

from ..wire import IndexedHeaders
from .http_framing import (
    MAX_FORM_FIELDS,
    MAX_HEAD,
    ChunkedBody,
    FixedBody,
    FramingError,
    Head,
    MemoryBudget,
    error_response,
    header_block,
    parse_head,
)

log = logging.getLogger("pytest_cloudmock")

SWEEP_INTERVAL = 0.25
LINGER = 0.01  # seconds a worker waits for a keep-alive client's next bytes before handing it back
INLINE_FOR = 0.05  # seconds a worker spends at most framing a keep-alive client's next request
_RECV = 262144
COALESCE = 65536  # an answer's body up to this size is written in one piece with its head
#: The environ key of the request's headers, indexed as werkzeug's `EnvironHeaders` reads them.
HEADERS_KEY = "cloudmock.headers"


@dataclass(frozen=True)
class ServerLimits:
    """Bounds of one server (config keys of the same names; see docs/config.md)."""

    workers: int = 32
    max_connections: int = 1024
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    idle_timeout: float = 60.0
    write_timeout: float = 30.0
    max_body_size: int = 5 * 1024**3
    spool_memory: int = 1 << 20  # body bytes kept in memory before spooling to a temp file
    body_memory: int = 256 << 20  # larger bodies' bytes held in memory at once (the rest spool)


def limits_from(config: Any, workers: int | None = None) -> ServerLimits:
    """The server limits a `Config` names (`workers` overrides `worker_threads`)."""
    return ServerLimits(
        workers=workers or config.worker_threads,
        max_connections=config.max_connections,
        header_timeout=config.header_timeout,
        body_timeout=config.body_timeout,
        idle_timeout=config.idle_timeout,
        max_body_size=config.max_body_size,
    )


class Conn:
    """One client connection, owned by the loop or (while busy) by a worker."""

    __slots__ = ("sock", "addr", "buf", "head", "body", "deadline", "started", "scanned", "closing")

    def __init__(self, sock: socket.socket, addr: Any, deadline: float) -> None:
        self.sock = sock
        self.addr = addr
        self.buf = bytearray()
        self.head: Head | None = None
        self.body: FixedBody | ChunkedBody | None = None
        self.deadline = deadline
        self.started = False  # some bytes of the current request have arrived
        self.scanned = 0  # head bytes already searched for the blank line
        self.closing = False


class Poller:
    """Readiness of the listening socket and of connections, each armed for one event.

    With epoll (Linux) any thread re-arms a connection without waking the loop (a
    worker hands a keep-alive connection back this way); elsewhere re-arming goes
    through the loop with a queue and a wake-up socket.
    """

    LISTENER = "listener"

    def __init__(self, listener: socket.socket) -> None:
        self._listener = listener
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._conns: dict[int, Conn] = {}
        self._pending: deque[Conn] = deque()
        self._epoll = select.epoll() if hasattr(select, "epoll") else None
        self._selector = None if self._epoll else selectors.DefaultSelector()
        for sock in (listener, self._wake_r):
            if self._epoll:
                self._epoll.register(sock.fileno(), select.EPOLLIN)
            else:
                self._selector.register(sock, selectors.EVENT_READ)  # type: ignore[union-attr]

    def arm(self, conn: Conn, new: bool = False) -> None:
        """Watch `conn` for its next readable event (any thread)."""
        fd = conn.sock.fileno()
        if fd < 0:
            return
        self._conns[fd] = conn
        if self._epoll is None:
            self._pending.append(conn)
            self.wake()
            return
        try:
            if new:
                self._epoll.register(fd, _ONESHOT_IN)
            else:
                self._epoll.modify(fd, _ONESHOT_IN)
        except FileNotFoundError:
            self._epoll.register(fd, _ONESHOT_IN)
        except OSError:
            self._conns.pop(fd, None)

    def forget(self, conn: Conn) -> None:
        """Stop watching `conn` (call before closing it)."""
        fd = conn.sock.fileno()
        if fd < 0 or self._conns.get(fd) is not conn:
            return
        del self._conns[fd]
        with contextlib.suppress(KeyError, ValueError, OSError):
            if self._epoll:
                self._epoll.unregister(fd)
            else:
                self._selector.unregister(conn.sock)  # type: ignore[union-attr]

    def wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")

    def wait(self, timeout: float) -> list[Any]:
        """The listener marker and the connections that became readable."""
        ready: list[Any] = []
        if self._epoll is not None:
            events = [fd for fd, _ in self._epoll.poll(timeout)]
        else:
            while self._pending:
                conn = self._pending.popleft()
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._selector.register(conn.sock, selectors.EVENT_READ)  # type: ignore[union-attr]
            events = [key.fd for key, _ in self._selector.select(timeout)]  # type: ignore[union-attr]
        for fd in events:
            if fd == self._listener.fileno():
                ready.append(self.LISTENER)
            elif fd == self._wake_r.fileno():
                with contextlib.suppress(OSError):
                    self._wake_r.recv(4096)
            elif (conn := self._conns.get(fd)) is not None:
                if self._epoll is None:  # one-shot, like EPOLLONESHOT
                    with contextlib.suppress(KeyError, ValueError, OSError):
                        self._selector.unregister(conn.sock)  # type: ignore[union-attr]
                ready.append(conn)
        return ready

    def close(self) -> None:
        for closable in (self._epoll, self._selector, self._wake_r, self._wake_w):
            if closable is not None:
                with contextlib.suppress(OSError):
                    closable.close()


_ONESHOT_IN = getattr(select, "EPOLLIN", 1) | getattr(select, "EPOLLONESHOT", 0)


class KeepAliveServer:
    """Accepts, frames and dispatches requests to a bounded worker pool."""

    def __init__(self, host: str, port: int, app: Any, limits: ServerLimits | None = None) -> None:
        self.app = app
        self.limits = limits or ServerLimits()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.socket.listen(1024)
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()
        self.server_port: int = self.server_address[1]
        self.accepted = 0
        self._poller = Poller(self.socket)
        self._waiting: dict[socket.socket, Conn] = {}  # not busy; oldest activity first
        self._busy: set[Conn] = set()
        self._buffered: deque[Conn] = deque()  # back from a worker with a pipelined request
        self._stopping = threading.Event()
        self._jobs: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._idle = 0
        self._idle_lock = threading.Lock()
        self._date = (0, "")
        self._budget = MemoryBudget(self.limits.body_memory)

    @property
    def connection_count(self) -> int:
        return len(self._waiting) + len(self._busy)

    @property
    def thread_count(self) -> int:
        """Worker threads started so far (at most `limits.workers`)."""
        return len(self._workers)

    # -- the loop ------------------------------------------------------------------------
    def serve_forever(self) -> None:
        next_sweep = time.monotonic() + SWEEP_INTERVAL
        try:
            while not self._stopping.is_set():
                for item in self._poller.wait(SWEEP_INTERVAL):
                    if item is Poller.LISTENER:
                        self._accept()
                    elif item.sock in self._waiting:
                        try:
                            self._readable(item)
                        except Exception:  # a bug must cost one connection, never the server
                            log.exception("cloudmock: HTTP framing failed; connection closed")
                            self._close(item)
                while self._buffered:
                    conn = self._buffered.popleft()
                    self._waiting[conn.sock] = conn
                    self._busy.discard(conn)
                    self._progress(conn)
                now = time.monotonic()
                if now >= next_sweep:
                    self._sweep(now)
                    next_sweep = now + SWEEP_INTERVAL
        finally:
            for conn in list(self._waiting.values()):
                _hard_close(conn.sock)
            for conn in list(self._busy):  # its worker closes it once the write fails
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)
            self._waiting.clear()
            self._poller.close()

    def _accept(self) -> None:
        for _ in range(64):
            try:
                sock, addr = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of descriptors: leave the rest in the backlog
                log.warning("cloudmock: accept failed: %s", exc)
                return
            if self.connection_count >= self.limits.max_connections and not self._evict():
                _hard_close(sock)
                continue
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.accepted += 1
            conn = Conn(sock, addr, time.monotonic() + self.limits.header_timeout)
            self._waiting[sock] = conn
            self._poller.arm(conn, new=True)

    def _evict(self) -> bool:
        """Close the connection that has waited longest (idle or slow) to make room."""
        for conn in list(self._waiting.values()):
            self._close(conn)
            return True
        return False

    def _readable(self, conn: Conn) -> None:
        try:
            data = conn.sock.recv(_RECV)
        except (BlockingIOError, InterruptedError):
            self._poller.arm(conn)
            return
        except OSError:
            data = b""
        if not data:  # the client closed: whatever it sent of a request is dropped unexecuted
            self._close(conn)
            return
        if not conn.closing:
            _received(conn, data)
            del self._waiting[conn.sock]  # most recent activity last
            self._waiting[conn.sock] = conn
            self._advance(conn)
        self._progress_done(conn)

    def _progress(self, conn: Conn) -> None:
        self._advance(conn)
        self._progress_done(conn)

    def _progress_done(self, conn: Conn) -> None:
        if conn.sock in self._waiting:  # still reading this request (or draining after a refusal)
            self._poller.arm(conn)

    def _advance(self, conn: Conn) -> None:
        """Frame as much of the current request as `conn.buf` holds; dispatch when complete."""
        now = time.monotonic()
        try:
            if conn.head is None:
                if not conn.buf:
                    return
                if not conn.started:
                    conn.started = True
                    conn.deadline = now + self.limits.header_timeout
                if not self._read_head(conn):
                    return
                conn.deadline = now + self.limits.body_timeout
            if self._feed_body(conn, now):
                self._dispatch(conn)
        except FramingError as err:
            self._refuse(conn, err, conn.head)

    def _feed_body(self, conn: Conn, now: float) -> bool:
        """Hand the buffered bytes to the request's body; True once the request is complete."""
        body = conn.body
        if body is None:
            return True
        if conn.buf:
            del conn.buf[:body.feed(conn.buf)]
        conn.deadline = now + self.limits.body_timeout
        if conn.head.form and body.ampersands >= MAX_FORM_FIELDS:  # type: ignore[union-attr]
            raise FramingError(413, "RequestEntityTooLarge", f"A form body may hold at most {MAX_FORM_FIELDS} fields")
        return body.done

    def _read_head(self, conn: Conn) -> bool:
        buf = conn.buf
        while buf[:2] == b"\r\n":  # blank lines before a request line are allowed
            del buf[:2]
        end = buf.find(b"\r\n\r\n", max(0, conn.scanned - 3))
        sep = 4
        if end < 0:
            end, sep = buf.find(b"\n\n", max(0, conn.scanned - 1)), 2
        if end < 0:
            conn.scanned = len(buf)
            if len(buf) > MAX_HEAD:
                raise FramingError(431, "RequestHeaderFieldsTooLarge", "Request head too large")
            return False
        if end > MAX_HEAD:
            raise FramingError(431, "RequestHeaderFieldsTooLarge", "Request head too large")
        head = parse_head(bytes(buf[:end]), self.limits.max_body_size)
        del buf[:end + sep]
        conn.head = head
        if head.chunked:
            conn.body = ChunkedBody(self.limits.max_body_size, self.limits.spool_memory)
        elif head.length and head.length <= self.limits.max_body_size:
            conn.body = FixedBody(head.length, self.limits.spool_memory, self._budget)
        else:  # no body, or one too large to read: the app answers 413 and we close
            conn.body = None
        if head.expect_continue:
            with contextlib.suppress(OSError):
                conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def _dispatch(self, conn: Conn) -> None:
        del self._waiting[conn.sock]
        self._busy.add(conn)
        self._submit(self._take(conn))

    def _take(self, conn: Conn) -> tuple[Conn, Head, dict[str, Any], bool]:
        """The job for the request just framed on `conn` (which is ready for the next one)."""
        head, body = conn.head, conn.body
        assert head is not None
        conn.head, conn.body, conn.started, conn.scanned = None, None, False, 0
        too_large = body is None and bool(head.length)
        stream: IO[bytes]
        if body is None:
            stream, size = io.BytesIO(), head.length or 0
        else:
            stream, size = body.stream(), body.size
        return conn, head, self._environ(conn, head, stream, size), head.close or too_large

    def _submit(self, job: tuple[Any, ...]) -> None:
        """Queue a job for an idle worker, promised to it here (so two jobs queued at once never
        wait on the same idle worker), or for a new worker while the pool may grow."""
        with self._idle_lock:
            grow = self._idle == 0 and len(self._workers) < self.limits.workers
            if not grow and self._idle:
                self._idle -= 1
        self._jobs.put(job)
        if grow:
            worker = threading.Thread(target=self._worker, name=f"cloudmock-worker-{len(self._workers)}",
                                      daemon=True)
            self._workers.append(worker)
            worker.start()

    def _sweep(self, now: float) -> None:
        """408 for slow heads and bodies; close idle and lingering connections."""
        for conn in [c for c in self._waiting.values() if c.deadline <= now]:
            if conn.closing or not (conn.started or conn.head is not None):
                self._close(conn)
            else:
                what = "request body" if conn.head is not None else "request headers"
                self._refuse(conn, FramingError(408, "RequestTimeout", f"Timed out waiting for the {what}"),
                             conn.head)

    def _refuse(self, conn: Conn, err: FramingError, head: Head | None) -> None:
        """Answer a framing error ourselves, then half-close and drain until the client closes."""
        json_client = head.json_client if head is not None else b"x-amz-target" in bytes(conn.buf[:MAX_HEAD]).lower()
        with contextlib.suppress(OSError):
            conn.sock.send(error_response(err, json_client, self._http_date()))
            conn.sock.shutdown(socket.SHUT_WR)
        conn.closing = True
        conn.head = conn.body = None
        conn.buf.clear()
        conn.deadline = time.monotonic() + 1.0

    def _close(self, conn: Conn) -> None:
        self._waiting.pop(conn.sock, None)
        self._poller.forget(conn)
        _hard_close(conn.sock)

    # -- workers ---------------------------------------------------------------------------
    def _environ(self, conn: Conn, head: Head, stream: IO[bytes], size: int) -> dict[str, Any]:
        target = head.target
        if target.startswith("//"):
            target = "/" + target.lstrip("/")
        path, _, query = target.partition("?")
        if "://" in path:  # absolute form
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        environ: dict[str, Any] = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": stream,
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REQUEST_METHOD": head.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
            "QUERY_STRING": query,
            "REQUEST_URI": target,
            "RAW_URI": target,
            "REMOTE_ADDR": conn.addr[0] if isinstance(conn.addr, tuple) else "",
            "REMOTE_PORT": conn.addr[1] if isinstance(conn.addr, tuple) else 0,
            "SERVER_NAME": str(self.server_address[0]),
            "SERVER_PORT": str(self.server_port),
            "SERVER_PROTOCOL": head.version,
        }
        names: dict[str, tuple[str, str]] = {}  # environ key -> the header's names as read from it
        for name, value in head.headers:
            if "_" in name:
                continue  # ambiguous with '-' once in the environ (as werkzeug does)
            key, title, lower = _environ_names(name)
            if key in environ and key[0] == "H":  # (Content-Type and -Length: the last one)
                value = f"{environ[key]},{value}"
            environ[key] = value
            names[key] = (title, lower)
        if head.chunked:
            environ["CONTENT_LENGTH"] = str(size)
            names["CONTENT_LENGTH"] = ("Content-Length", "content-length")
        pairs: list[tuple[str, str]] = []
        lowered: dict[str, str] = {}
        for key, (title, lower) in names.items():
            value = environ[key]
            if value or key[0] == "H":  # an empty Content-Type/-Length is no header (EnvironHeaders)
                pairs.append((title, value))
                lowered[lower] = value
        environ[HEADERS_KEY] = IndexedHeaders(pairs, lowered)
        return environ

    def _worker(self) -> None:
        while True:
            job = self._jobs.get()  # promised to this pool by `_submit` (idle count already taken)
            if job is None:
                return
            while job is not None:  # the next request of a keep-alive client, if it comes at once
                job = self._work(*job)
            with self._idle_lock:
                self._idle += 1

    def _work(self, conn: Conn, head: Head, environ: dict[str, Any], close: bool) -> tuple[Any, ...] | None:
        """Answer one request; returns the connection's next request when it arrived within `LINGER`."""
        keep = False
        try:
            conn.sock.settimeout(self.limits.write_timeout)
            self._respond(conn.sock, head, environ, close)
            keep = not close
        except OSError:
            pass  # the client went away or stopped reading: just close
        except Exception:
            log.exception("cloudmock: the HTTP server failed to answer %s %s", head.method, head.target[:200])
        finally:
            with contextlib.suppress(Exception):
                environ["wsgi.input"].close()
        if keep and not self._stopping.is_set():
            try:
                job = self._next_inline(conn)
            except (OSError, FramingError):
                keep = False
            else:
                if job is not None:
                    return job
        if not keep or self._stopping.is_set():
            self._poller.forget(conn)
            _hard_close(conn.sock)
            self._busy.discard(conn)
            return None
        conn.sock.setblocking(False)
        if conn.buf or conn.head is not None:  # part of the next request: the loop frames the rest
            self._buffered.append(conn)
            self._poller.wake()
            return None
        conn.deadline = time.monotonic() + self.limits.idle_timeout
        self._waiting[conn.sock] = conn
        self._busy.discard(conn)
        self._poller.arm(conn)
        return None

    def _next_inline(self, conn: Conn) -> tuple[Any, ...] | None:
        """Wait up to `LINGER` for the client's next request and frame it here, saving two thread
        hand-offs on back-to-back keep-alive calls; only when no other request is waiting.

        Each read waits at most `LINGER` and the whole request at most `INLINE_FOR` (clients
        often send the head and the body in two writes); a request slower than that stays on
        `conn` for the loop. Returns its job when it arrived whole. Raises `OSError` when the
        client closed, `FramingError` (after answering it) when it is malformed.
        """
        if conn.buf or not self._jobs.empty():
            return None
        sock = conn.sock
        sock.settimeout(LINGER)
        give_up = 0.0
        try:
            while True:
                try:
                    data = sock.recv(_RECV)
                except (TimeoutError, BlockingIOError):
                    return None
                if not data:
                    raise ConnectionResetError("closed by the client")
                _received(conn, data)
                now = time.monotonic()
                if not give_up:
                    give_up = now + INLINE_FOR
                    conn.started, conn.deadline = True, now + self.limits.header_timeout
                if conn.head is None:
                    if not self._read_head(conn):
                        if now >= give_up:
                            return None
                        continue
                    conn.deadline = now + self.limits.body_timeout
                if self._feed_body(conn, now):
                    return self._take(conn)
                if now >= give_up:
                    return None
        except FramingError as err:
            json_client = conn.head.json_client if conn.head is not None else False
            with contextlib.suppress(OSError):
                sock.sendall(error_response(err, json_client, self._http_date()))
            raise

    def _respond(self, sock: socket.socket, head: Head, environ: dict[str, Any], close: bool) -> None:
        state: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            state["status"], state["headers"] = status, headers
            return lambda data: None  # the legacy write() callable is not used by the gateway

        app_iter = self.app(environ, start_response)
        try:
            code_str, _, reason = state["status"].partition(" ")
            code = int(code_str)
            is_head = head.method == "HEAD"
            fields, has_length = header_block(state["headers"])
            chunked = not is_head and not has_length and code not in (204, 304)
            lines = [f"HTTP/1.1 {code} {reason}", f"Date: {self._http_date()}", *fields]
            if chunked:
                lines.append("Transfer-Encoding: chunked")
            if close:
                lines.append("Connection: close")
            head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            body = app_iter
            if not (chunked or is_head or isinstance(body, list)) and _declared(state["headers"]) <= COALESCE:
                body = [b"".join(body)]  # a small body of known length (S3 GetObject's): sent with the head
            if isinstance(body, list) and not chunked:
                data = b"" if is_head else b"".join(body)
                if len(data) <= COALESCE:  # the whole answer in one write
                    sock.sendall(head_bytes + data)
                else:  # (not copied behind the head)
                    sock.sendall(head_bytes)
                    sock.sendall(data)
            else:
                sock.sendall(head_bytes)
                for data in app_iter:
                    if is_head or not data:
                        continue
                    sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()

    def _http_date(self) -> str:
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, formatdate(now, usegmt=True))
        return self._date[1]

    # -- lifecycle ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._stopping.set()
        self._poller.wake()

    def server_close(self) -> None:
        for _ in self._workers:
            self._jobs.put(None)
        for worker in self._workers:
            worker.join(timeout=5)
        with contextlib.suppress(OSError):
            self.socket.close()


@lru_cache(maxsize=1024)
def _environ_names(name: str) -> tuple[str, str, str]:
    """A request header's WSGI environ key, the name werkzeug's `EnvironHeaders` reads back
    from that key, and the lower-cased name."""
    key = name.upper().replace("-", "_")
    if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        key = "HTTP_" + key
    title = (key[5:] if key[0] == "H" else key).replace("_", "-").title()
    return key, title, title.lower()


def _declared(headers: list[tuple[str, Any]]) -> int:
    """The `Content-Length` an answer's headers declare (a huge number when none or unreadable)."""
    length = next((str(value) for name, value in headers if name.lower() == "content-length"), "")
    return int(length) if length.isascii() and length.isdigit() else sys.maxsize


def _received(conn: Conn, data: bytes) -> None:
    """Bytes just read from `conn`: straight into the body being read when none are buffered
    before them (no copy), else buffered for framing."""
    body = conn.body
    if body is not None and not conn.buf and isinstance(body, FixedBody):
        used = body.feed_bytes(data)
        if used < len(data):
            conn.buf += memoryview(data)[used:]
    else:
        conn.buf += data


def _hard_close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


class ServerThread:
    """Runs one WSGI app on host:port in a background thread (plus its worker pool)."""

    def __init__(
        self, app: Any, host: str = "127.0.0.1", port: int = 0, name: str = "cloudmock",
        limits: ServerLimits | None = None,
    ) -> None:
        self.server = KeepAliveServer(host, port, app, limits)
        self.host = host
        self.port = self.server.server_port
        self._thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)
        self.server.server_close()
