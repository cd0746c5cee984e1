"""cloudmock's Python runtime client: imports the handler and loops on the Runtime API.

Run as a script in an execution environment (`python python_runtime.py`), with
Lambda's environment variables; the in-process executor imports the helpers.
Standard library only: it runs on whatever interpreter the pool chose.
"""

from __future__ import annotations

import contextlib
import decimal
import importlib.util
import json
import logging
import os
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

SENTINEL = "\x1ecloudmock-end "
_RUNTIME_FILE = os.path.abspath(__file__)


class InitError(Exception):
    """The handler could not be loaded; `body` is the error Lambda reports."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["errorMessage"])
        self.body = body


def load_handler(handler: str, task_root: str, private_name: str | None = None) -> Callable[..., Any]:
    """The function `module.func` names (`path/module.func` for a module in a folder)."""
    module_path, _, func_name = handler.rpartition(".")
    if not module_path or not func_name:
        raise InitError({"errorMessage": f"Bad handler '{handler}': not enough values to unpack (expected 2, got 1)",
                         "errorType": "Runtime.MalformedHandlerName", "requestId": "", "stackTrace": []})
    module_name = module_path.replace("/", ".")
    try:
        if private_name is None:
            module = importlib.import_module(module_name)
        else:  # in-process: a private copy, so two functions' `app.py` do not share a module
            file = os.path.join(task_root, *module_name.split(".")) + ".py"
            spec = importlib.util.spec_from_file_location(private_name, file)
            if spec is None or spec.loader is None or not os.path.exists(file):
                raise ModuleNotFoundError(f"No module named '{module_name}'")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
    except ImportError as exc:
        raise InitError({"errorMessage": f"Unable to import module '{module_name}': {exc}",
                         "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []}) from None
    except SyntaxError as exc:
        raise InitError({"errorMessage": f"Syntax error in module '{module_name}': {exc}",
                         "errorType": "Runtime.UserCodeSyntaxError", "requestId": "", "stackTrace": []}) from None
    except Exception as exc:  # noqa: BLE001 - any error at import time is an init error
        body = error_body(exc, "", traceback.extract_tb(exc.__traceback__))
        raise InitError(body) from None
    func = getattr(module, func_name, None)
    if func is None:
        raise InitError({"errorMessage": f"Handler '{func_name}' missing on module '{module_name}'",
                         "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []})
    return func


def error_body(exc: BaseException, request_id: str, frames: traceback.StackSummary) -> dict[str, Any]:
    """The error document the Python runtime posts for a handler's exception."""
    kept = traceback.StackSummary.from_list([f for f in frames if os.path.abspath(f.filename) != _RUNTIME_FILE])
    return {"errorMessage": str(exc), "errorType": type(exc).__name__, "requestId": request_id,
            "stackTrace": traceback.format_list(kept)}


def error_log(body: dict[str, Any]) -> str:
    """The log record the runtime writes for an unhandled error."""
    trace = "".join(body["stackTrace"])
    return f"[ERROR] {body['errorType']}: {body['errorMessage']}\nTraceback (most recent call last):\n{trace}"


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class MarshalError(Exception):
    """The handler's result is not JSON (the runtime's `Runtime.MarshalError`)."""

    def __init__(self, exc: Exception, request_id: str) -> None:
        super().__init__(str(exc))
        self.body = {"errorMessage": f"Unable to marshal response: {exc}", "errorType": "Runtime.MarshalError",
                     "requestId": request_id, "stackTrace": []}


def to_json(result: Any, request_id: str = "") -> bytes:
    try:
        return json.dumps(result, default=_default).encode()
    except (TypeError, ValueError) as exc:
        raise MarshalError(exc, request_id) from None


class LambdaContext:
    """The handler's `context` argument."""

    def __init__(self, request_id: str, deadline_ms: int, invoked_arn: str, env: dict[str, str] | os._Environ[str],
                 client_context: Any = None, identity: Any = None) -> None:
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_arn
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.client_context = client_context
        self.identity = identity
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)


# -- in-process output capture: writes from a handler's thread go to its invocation's log --------
class _ThreadRouter:
    def __init__(self, underlying: Any, sinks: dict[int, list[str]]) -> None:
        self.underlying, self._sinks = underlying, sinks

    def write(self, text: str) -> int:
        sink = self._sinks.get(threading.get_ident())
        if sink is None:
            return self.underlying.write(text)
        sink.append(text)
        return len(text)

    def flush(self) -> None:
        if threading.get_ident() not in self._sinks:
            self.underlying.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.underlying, name)


_sinks: dict[int, list[str]] = {}
_install_lock = threading.Lock()


@contextlib.contextmanager
def captured(logs: list[str]) -> Iterator[None]:
    """Route this thread's `print`s (stdout and stderr) into `logs` while the block runs.

    The router goes on `sys.stdout`/`sys.stderr` whenever they are not one already (a test
    framework may have swapped them while an abandoned handler still holds a sink), and comes
    off when no sink is left."""
    ident = threading.get_ident()
    with _install_lock:
        if not isinstance(sys.stdout, _ThreadRouter):
            sys.stdout = _ThreadRouter(sys.stdout, _sinks)  # type: ignore[assignment]
        if not isinstance(sys.stderr, _ThreadRouter):
            sys.stderr = _ThreadRouter(sys.stderr, _sinks)  # type: ignore[assignment]
        _sinks[ident] = logs
    try:
        yield
    finally:
        with _install_lock:
            del _sinks[ident]
            if not _sinks:
                if isinstance(sys.stdout, _ThreadRouter):
                    sys.stdout = sys.stdout.underlying
                if isinstance(sys.stderr, _ThreadRouter):
                    sys.stderr = sys.stderr.underlying


# -- the subprocess loop ------------------------------------------------------------------------------
class _RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = self.request_id
        return True


class RuntimeApiClient:
    """HTTP/1.1 to the Runtime API over one kept-alive socket: cloudmock's server answers every
    request with a Content-Length, so a request is one write and an answer three reads."""

    def __init__(self, address: str) -> None:
        host, _, prefix = address.partition("/")
        self.base = f"/{prefix}/2018-06-01/runtime" if prefix else "/2018-06-01/runtime"
        self._host = host
        name, _, port = host.rpartition(":")
        self._sock = socket.create_connection((name, int(port)))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._answers = self._sock.makefile("rb")

    def request(self, method: str, path: str, body: bytes = b"",
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """(status, headers by lower-case name, body); `OSError` when the API is gone."""
        self._sock.sendall(self.encode(method, path, body, headers))
        return self.answer()

    def encode(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        head = (f"{method} {self.base}{path} HTTP/1.1\r\nHost: {self._host}\r\n"
                f"Content-Length: {len(body)}\r\n{extra}\r\n")
        return head.encode("latin-1") + body

    def send(self, *requests: bytes) -> None:
        """Send encoded requests in one write (their answers come in order: `answer()` each)."""
        self._sock.sendall(b"".join(requests))

    def answer(self) -> tuple[int, dict[str, str], bytes]:
        """The next answer: (status, headers by lower-case name, body)."""
        status_line = self._answers.readline()
        if not status_line:
            raise ConnectionError("the Runtime API closed the connection")
        status = int(status_line.split(None, 2)[1])
        found: dict[str, str] = {}
        while (line := self._answers.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            found[name.strip().lower()] = value.strip()
        return status, found, self._answers.read(int(found.get("content-length") or 0))


def main() -> None:
    api = RuntimeApiClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    for path in reversed([p for p in os.environ.get("CLOUDMOCK_PYTHONPATH", "").split(os.pathsep) if p]):
        sys.path.insert(0, path)
    print(f"cloudmock: {os.environ.get('AWS_EXECUTION_ENV', 'python')} runs on this host's Python "
          f"{sys.version.split()[0]} ({sys.executable})", flush=True)
    request_filter = _RequestIdFilter()
    handler_out = logging.StreamHandler(sys.stdout)
    handler_out.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t"
                                               "%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler_out.addFilter(request_filter)
    logging.getLogger().addHandler(handler_out)

    try:
        func = load_handler(os.environ["_HANDLER"], task_root)
    except InitError as exc:
        print(error_log(exc.body), flush=True)
        api.request("POST", "/init/error", json.dumps(exc.body).encode(),
                    {"Lambda-Runtime-Function-Error-Type": exc.body["errorType"]})
        sys.exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.stdout.write(f"{SENTINEL}init\n")  # the init output ends here (it goes before the first START)
    sys.stdout.flush()
    next_request = api.encode("GET", "/invocation/next")
    asked = False  # whether /next went out right behind the last answer
    while True:
        try:
            if not asked:
                api.send(next_request)
            status, headers, payload = api.answer()
        except (OSError, ValueError, IndexError):
            return  # the Runtime API is gone: the gateway stopped (or the test process died)
        if status != 200:
            return
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        request_filter.request_id = request_id
        context = LambdaContext(request_id, int(headers.get("lambda-runtime-deadline-ms", "0")),
                                headers.get("lambda-runtime-invoked-function-arn", ""), os.environ)
        try:
            result = to_json(func(json.loads(payload or b"{}"), context), request_id)
            path, extra = f"/invocation/{request_id}/response", {}
        except Exception as exc:  # noqa: BLE001 - the handler's error becomes the answer
            body = exc.body if isinstance(exc, MarshalError) else error_body(
                exc, request_id, traceback.extract_tb(exc.__traceback__))
            print(error_log(body), end="")
            result = json.dumps(body).encode()
            path, extra = f"/invocation/{request_id}/error", {"Lambda-Runtime-Function-Error-Type": body["errorType"]}
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout.write(f"{SENTINEL}{request_id}\n")
        sys.stdout.flush()
        try:  # the answer, and right behind it the next /next (HTTP/1.1 pipelining)
            api.send(api.encode("POST", path, result, extra), next_request)
            api.answer()
            asked = True
        except (OSError, ValueError, IndexError):
            return


if __name__ == "__main__":
    main()
