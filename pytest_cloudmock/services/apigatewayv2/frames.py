"""RFC 6455 WebSocket framing, server side: the opening handshake and frames."""

from __future__ import annotations

import base64
import hashlib
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CLOSE, PING, PONG, CONTINUATION = 0x1, 0x2, 0x8, 0x9, 0xA, 0x0
MAX_MESSAGE = 1024 * 1024


class Closed(Exception):
    """The peer closed the connection (`code` from its close frame) or broke the protocol."""

    def __init__(self, reason: str = "", code: int = 1006) -> None:
        super().__init__(reason)
        self.code = code


@dataclass
class Handshake:
    """The HTTP request that opened a WebSocket connection."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names

    @property
    def key(self) -> str:
        return self.headers.get("sec-websocket-key", "")


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def read_handshake(sock: socket.socket, limit: int = 65536) -> Handshake:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise Closed("closed during the handshake")
        data += chunk
        if len(data) > limit:
            raise Closed("handshake too large")
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 3:
        raise Closed("bad request line")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Handshake(parts[0], parts[1], headers)


def answer(sock: socket.socket, status: str, headers: dict[str, str], body: bytes = b"") -> None:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    if status.startswith("101"):
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    else:
        lines += [f"Content-Length: {len(body)}", "Connection: close"]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def _read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise Closed("closed mid-frame")
        data += chunk
    return data


def read_frame(sock: socket.socket) -> tuple[bool, int, bytes]:
    """(fin, opcode, payload) of the next frame (client frames are masked)."""
    first, second = _read_exact(sock, 2)
    fin, opcode, masked, size = bool(first & 0x80), first & 0x0F, bool(second & 0x80), second & 0x7F
    if size == 126:
        size = struct.unpack("!H", _read_exact(sock, 2))[0]
    elif size == 127:
        size = struct.unpack("!Q", _read_exact(sock, 8))[0]
    if size > MAX_MESSAGE:
        raise Closed("frame too large")
    mask = _read_exact(sock, 4) if masked else b""
    payload = _read_exact(sock, size)
    if masked:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return fin, opcode, payload


def read_message(sock: socket.socket, on_ping: Callable[[bytes], None]) -> tuple[int, bytes]:
    """The next whole data message (fragments joined); pings are answered through `on_ping`."""
    kind, parts = None, []
    while True:
        fin, opcode, payload = read_frame(sock)
        if opcode == CLOSE:
            raise Closed("closed by the client", int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005)
        if opcode == PING:
            on_ping(payload)
            continue
        if opcode == PONG:
            continue
        if opcode in (TEXT, BINARY):
            kind, parts = opcode, [payload]
        elif opcode == CONTINUATION and kind is not None:
            parts.append(payload)
        else:
            raise Closed("protocol error")
        if sum(len(p) for p in parts) > MAX_MESSAGE:
            raise Closed("message too large")
        if fin:
            return kind, b"".join(parts)


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked (server) frame."""
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x80 | opcode, size)
    elif size < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, size)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, size)
    return head + payload
