"""Raw-socket helpers for the HTTP hardening tests."""

from __future__ import annotations

import socket

SQS_HEADERS = b"Host: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n"


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one response (Content-Length framed or chunked) off a socket: status, headers, body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response head: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, headers, rest
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest


def is_closed(sock: socket.socket) -> bool:
    """True when the server has closed its side (EOF or reset)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def exchange(port: int, raw: bytes, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes, bool]:
    """Send raw bytes, read one response; also whether the server closed the connection after it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        status, headers, body = read_response(sock)
        closed = headers.get("connection") == "close" and is_closed(sock)
        return status, headers, body, closed
