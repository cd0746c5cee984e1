"""A minimal RFC 6455 client for the tests (written apart from the server's framing, so the
two check each other): handshake, masked text frames, reading text and close frames."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
from urllib.parse import urlsplit

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class HandshakeRefused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Client:
    def __init__(self, url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
                 *(f"{k}: {v}" for k, v in (headers or {}).items())]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            head += chunk
        status = int(head.split(b" ", 2)[1])
        if status != 101:
            self.sock.close()
            raise HandshakeRefused(status)
        expected = base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest())
        assert b"Sec-WebSocket-Accept: " + expected in head

    def send(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        size = len(payload)
        head = struct.pack("!BB", 0x81, 0x80 | size) if size < 126 else struct.pack("!BBH", 0x81, 0x80 | 126, size)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _exact(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def receive(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame from the server (unmasked)."""
        first, second = self._exact(2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", self._exact(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", self._exact(8))[0]
        return first & 0x0F, self._exact(size)

    def receive_text(self) -> str:
        opcode, payload = self.receive()
        assert opcode == 0x1, (opcode, payload)
        return payload.decode()

    def close(self) -> None:
        mask = os.urandom(4)
        payload = (1000).to_bytes(2, "big")
        try:
            self.sock.sendall(struct.pack("!BB", 0x88, 0x80 | 2) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            self.receive()  # the server's close frame
        except OSError:
            pass
        self.sock.close()
