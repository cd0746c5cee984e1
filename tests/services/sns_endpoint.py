"""A local HTTP(S) subscriber for SNS tests: records every POST, can confirm by itself."""

from __future__ import annotations

import datetime
import json
import ssl
import tempfile
import threading
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Endpoint:
    """An HTTP server on 127.0.0.1 that SNS can deliver to; `stop()` it when done."""

    def __init__(
        self, auto_confirm: bool = False, status: int = 200, tls: bool = False,
        hold: threading.Event | None = None,
    ) -> None:
        """`hold`: notifications wait until it is set (a slow subscriber, without sleeping)."""
        self.auto_confirm = auto_confirm
        self.hold = hold
        self.arrived = threading.Event()
        self.status = status
        self.received: list[Received] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                got = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                endpoint.received.append(got)
                if endpoint.hold is not None and got.headers.get("x-amz-sns-message-type") == "Notification":
                    endpoint.arrived.set()
                    endpoint.hold.wait(10)
                if endpoint.auto_confirm and got.headers.get("x-amz-sns-message-type") == "SubscriptionConfirmation":
                    with urllib.request.urlopen(got.json["SubscribeURL"], timeout=5) as confirmed:
                        confirmed.read()
                self.send_response(endpoint.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            self._server.socket = _self_signed_context().wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}/hook"

    def of_type(self, kind: str) -> list[Received]:
        return [r for r in self.received if r.headers.get("x-amz-sns-message-type") == kind]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def _self_signed_context() -> ssl.SSLContext:
    """A server TLS context with a throwaway self-signed certificate for 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(hours=1)).sign(key, hashes.SHA256()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context.load_cert_chain(cert_file, key_file)
    return context
