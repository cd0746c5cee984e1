"""The Lambda Runtime API, served to execution environments on 127.0.0.1.

One small threaded HTTP server per Lambda service, started on the first invoke and
stopped on reset and at gateway stop. Each environment's `AWS_LAMBDA_RUNTIME_API`
is `127.0.0.1:<port>/<environment id>`, so every runtime's own URL building
(`http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next`) lands on
its environment:

- `GET  /2018-06-01/runtime/invocation/next` blocks until an invocation is assigned;
- `POST /2018-06-01/runtime/invocation/{id}/response` and `.../{id}/error`;
- `POST /2018-06-01/runtime/init/error`.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .environments import SubprocessEnvironment

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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # without it every answer waits for the client's delayed ACK (~40 ms, Nagle)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: environments poll constantly."""

    def _reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _environment(self) -> tuple[SubprocessEnvironment | None, re.Match[str] | None]:
        match = _ROUTE.match(self.path)
        api: RuntimeApi = self.server.api  # type: ignore[attr-defined]
        env = api.environments.get(match["env"]) if match else None
        return env, match

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        env, match = self._environment()
        if env is None or match is None or not match["next"]:
            self._reply(404, b'{"errorMessage":"not found","errorType":"InvalidRequest"}')
            return
        invocation = env.next_invocation()
        if invocation is None:  # the environment is stopping
            self._reply(410, b'{"errorMessage":"environment stopped","errorType":"Gone"}')
            self.close_connection = True
            return
        self._reply(200, invocation.payload, invocation.headers())

    def do_POST(self) -> None:  # noqa: N802
        env, match = self._environment()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if env is None or match is None or (match["what"] not in ("response", "error") and not match["init"]):
            self._reply(404, b'{"errorMessage":"not found","errorType":"InvalidRequest"}')
            return
        if match["init"]:
            env.init_failed(body, self.headers.get("Lambda-Runtime-Function-Error-Type", ""))
        elif not env.complete(match["id"], body, error=match["what"] == "error",
                              error_type=self.headers.get("Lambda-Runtime-Function-Error-Type", "")):
            self._reply(400, json.dumps({"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}
                                        ).encode())
            return
        self._reply(202, b'{"status":"OK"}')
