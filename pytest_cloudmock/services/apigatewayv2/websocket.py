"""The WebSocket side of WebSocket APIs: a small server on its own 127.0.0.1 port (werkzeug's
server cannot hand a socket over after `101 Switching Protocols`), started the first time a
WebSocket API is created, with one thread per connection.

Clients connect to the API's `ApiEndpoint` plus the stage:
`ws://127.0.0.1:<ws-port>/_aws/execute-api/<api-id>/<stage>` (or a Host of
`<api-id>.execute-api.localhost:<ws-port>` with the path `/<stage>`).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import socket
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from . import frames

_PATH_FORM = re.compile(r"^/_aws/execute-api/([A-Za-z0-9]+)/([^/?]+)")
_HOST_FORM = re.compile(r"^([a-z0-9]+)\.execute-api\.")
_ID_ALPHABET = string.ascii_letters + string.digits


def new_connection_id() -> str:
    """A connection id shaped like AWS's (15 characters and a trailing `=`)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(15)) + "="


@dataclass
class Connection:
    """One open WebSocket connection to a stage of an API."""

    connection_id: str
    api_id: str
    stage: str
    sock: socket.socket
    headers: dict[str, str]
    query: dict[str, list[str]]
    connected_at: datetime
    last_active_at: datetime
    account: str = ""
    region: str = ""
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True
    silent: bool = False  # forgotten at reset, or $disconnect already run

    def claim_disconnect(self) -> bool:
        """True exactly once, for whoever runs `$disconnect` (never after a reset)."""
        with self.send_lock:
            claimed, self.silent = not self.silent, True
            return claimed

    def send(self, data: bytes, text: bool) -> bool:
        with self.send_lock:
            if not self.open:
                return False
            try:
                self.sock.sendall(frames.frame(frames.TEXT if text else frames.BINARY, data))
                return True
            except OSError:
                return False

    def close(self, code: int = 1000) -> None:
        with self.send_lock:
            if not self.open:
                return
            self.open = False
            with contextlib.suppress(OSError):
                self.sock.sendall(frames.frame(frames.CLOSE, code.to_bytes(2, "big")))
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)


class Handler(Protocol):
    """What the server asks of the service (`WebSocketOps`)."""

    def connect(self, conn: Connection) -> tuple[int, str]:
        """(status, reason) for the handshake: 2xx accepts it."""
        ...

    def message(self, conn: Connection, payload: bytes, text: bool) -> None: ...

    def disconnect(self, conn: Connection, code: int, reason: str) -> None: ...

    def now(self) -> datetime: ...


def target_of(handshake: frames.Handshake) -> tuple[str, str] | None:
    """(api id, stage) a connection asks for."""
    path = urlsplit(handshake.path).path
    found = _PATH_FORM.match(path)
    if found:
        return found[1].lower(), found[2]
    host = _HOST_FORM.match(handshake.headers.get("host", "").split(":")[0].lower())
    stage = path.strip("/").split("/")[0]
    return (host[1], stage) if host and stage else None


class WebSocketServer:
    """Accepts connections on 127.0.0.1 and runs each on its own thread."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections: dict[str, Connection] = {}
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._accept, name="cloudmock-websocket-accept", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                sock, _addr = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), name="cloudmock-websocket", daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            handshake = frames.read_handshake(sock)
        except (frames.Closed, OSError):
            sock.close()
            return
        target = target_of(handshake)
        if handshake.headers.get("upgrade", "").lower() != "websocket" or not handshake.key or target is None:
            frames.answer(sock, "400 Bad Request", {"Content-Type": "text/plain"}, b"not a WebSocket request")
            sock.close()
            return
        now = self.handler.now()
        conn = Connection(new_connection_id(), target[0], target[1], sock, handshake.headers,
                          parse_qs(urlsplit(handshake.path).query), now, now)
        status, reason = self.handler.connect(conn)
        if status >= 300:
            frames.answer(sock, f"{status} {reason}", {"Content-Type": "application/json"},
                          b'{"message": "%s"}' % reason.encode())
            sock.close()
            return
        frames.answer(sock, "101 Switching Protocols", {"Upgrade": "websocket", "Connection": "Upgrade",
                                                        "Sec-WebSocket-Accept": frames.accept_key(handshake.key)})
        with self.lock:
            self.connections[conn.connection_id] = conn
        code, why = 1000, "Connection closed"
        try:
            while conn.open:
                kind, payload = frames.read_message(sock, lambda data: self._pong(conn, data))
                conn.last_active_at = self.handler.now()
                self.handler.message(conn, payload, kind == frames.TEXT)
        except frames.Closed as closed:
            code, why = closed.code, "Client-side close frame status not set" if closed.code == 1005 else str(closed)
        except OSError:
            code, why = 1006, "Going away"
        with self.lock:
            self.connections.pop(conn.connection_id, None)
        if conn.claim_disconnect():  # queued before the close is answered: settle() waits for it
            self.handler.disconnect(conn, code, why)
        conn.close()
        sock.close()

    @staticmethod
    def _pong(conn: Connection, data: bytes) -> None:
        with conn.send_lock:
            if conn.open:
                conn.sock.sendall(frames.frame(frames.PONG, data))

    def get(self, connection_id: str) -> Connection | None:
        with self.lock:
            return self.connections.get(connection_id)

    def drop(self, connection_id: str) -> bool:
        """Close a connection from the server side (DeleteConnection), `$disconnect` queued first."""
        with self.lock:
            conn = self.connections.pop(connection_id, None)
        if conn is None:
            return False
        if conn.claim_disconnect():
            self.handler.disconnect(conn, 1000, "Connection deleted")  # AWS's exact reason text unknown
        conn.close(1000)
        return True

    def close_all(self) -> None:
        with self.lock:
            connections, self.connections = list(self.connections.values()), {}
        for conn in connections:
            conn.open, conn.silent = False, True
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self.running = False
        self.close_all()
        with contextlib.suppress(OSError):
            self.listener.close()
