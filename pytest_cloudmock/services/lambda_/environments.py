"""Execution environments: a subprocess talking to the Runtime API, or a thread in this process.

An environment runs one invocation at a time. `invoke()` hands it an `Invocation`,
waits (on the gateway clock) for the answer, and reports the outcome; a timeout
kills the environment (its whole process group) so the pool starts a fresh one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...clock import Clock

if TYPE_CHECKING:
    from .runtime_api import RuntimeApi

INIT_LIMIT = 10.0  # seconds Lambda allows an environment's init phase
log = logging.getLogger("pytest_cloudmock")
_SENTINEL = "\x1ecloudmock-end "  # our runtime clients print this (and flush) before answering
_INIT_END = "init"  # after the sentinel: the end of the init output (the Python runtime client's mark)


class LaunchError(Exception):
    """An environment could not start; `body` is the function error Lambda reports for it."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.body = {"errorType": error_type, "errorMessage": message}


@dataclass
class Invocation:
    """One request to an environment and, once `done`, its outcome."""

    request_id: str
    payload: bytes
    function_arn: str
    timeout: float
    client_context: str = ""
    started: bool = False
    done: bool = False
    logs_done: bool = False
    error: bool = False
    error_type: str = ""
    result: bytes = b""
    timed_out: bool = False
    logs: list[str] = field(default_factory=list)
    deadline_ms: int = 0
    started_at: float = 0.0  # gateway clock
    started_real: float = 0.0  # time.monotonic() when the handler got it (Duration excludes init)

    def headers(self) -> dict[str, str]:
        trace = os.urandom(16).hex()
        headers = {"Lambda-Runtime-Aws-Request-Id": self.request_id,
                   "Lambda-Runtime-Deadline-Ms": str(self.deadline_ms),
                   "Lambda-Runtime-Invoked-Function-Arn": self.function_arn,
                   "Lambda-Runtime-Trace-Id": f"Root=1-{trace[:8]}-{trace[8:]};Sampled=0",
                   "Content-Type": "application/json"}
        if self.client_context:
            headers["Lambda-Runtime-Client-Context"] = self.client_context
        return headers


Deliver = Callable[["Invocation | None"], bool]
"""Sends a runtime's waiting `/next` its answer (None: the environment stops); False when its
connection is gone."""


@dataclass(frozen=True)
class Launch:
    """What starting an environment needs (the pool builds it from the function version)."""

    command: list[str]
    env: dict[str, str]
    cwd: str
    runtime: str
    handler: str
    task_root: str
    marks_log_end: bool  # the runtime client prints the sentinel line after each invocation
    marks_init_end: bool = False  # ... and after its init output, before its first /next


class Environment:
    """What the pool needs from either kind of environment."""

    id: str
    key: tuple[Any, ...]
    busy: bool = False
    retired: bool = False  # stale (code or configuration changed, or the pool stopped): never reused
    last_used: float = 0.0
    init_logs: list[str]
    init_duration_ms: float | None = None

    @property
    def alive(self) -> bool:
        raise NotImplementedError

    def invoke(self, invocation: Invocation, clock: Clock) -> Invocation:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class SubprocessEnvironment(Environment):
    """A process (in its own process group) looping on the Runtime API."""

    def __init__(self, key: tuple[Any, ...], launch: Launch, api: RuntimeApi, env_id: str) -> None:
        self.id, self.key, self.launch = env_id, key, launch
        self.cond = threading.Condition()
        self.pending: Invocation | None = None
        self.current: Invocation | None = None
        self.init_error: tuple[bytes, str] | None = None
        self._last: Invocation | None = None  # the latest invocation (its output may trail its answer)
        self._parked: Deliver | None = None  # a kept-alive `/next` waiting for the next invocation
        self.stopping = False
        self.init_logs = []
        self._fresh = True
        self._init_output_done = False
        started = time.monotonic()
        self._started = started
        env = {**launch.env, "AWS_LAMBDA_RUNTIME_API": f"{api.address}/{env_id}"}
        api.environments[env_id] = self  # before the process starts: its first /next must find it
        try:
            self.process = subprocess.Popen(  # noqa: S603 - the runtime command is ours or the zip's bootstrap
                launch.command, cwd=launch.cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        except OSError as exc:
            api.environments.pop(env_id, None)
            raise LaunchError("Runtime.InvalidEntrypoint", f"fork/exec {launch.command[0]}: "
                                                           f"{(exc.strerror or str(exc)).lower()}") from None
        self._reader = threading.Thread(target=self._read, name=f"cloudmock-lambda-log-{env_id}", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return not self.stopping and self.process.poll() is None

    # -- the Runtime API side ------------------------------------------------------------
    def next_invocation(self) -> Invocation | None:
        """The next invocation, waiting for it (None when the environment stops)."""
        with self.cond:
            while self.pending is None and not self.stopping:
                self.cond.wait(1.0)
            if self.stopping or self.pending is None:
                return None
            invocation, self.pending = self.pending, None
            self._begin(invocation)
            self.cond.notify_all()
            return invocation

    def park(self, deliver: Deliver) -> None:
        """A kept-alive `/next`: answered now if an invocation waits, else by the `invoke` that
        brings one, from its own thread (no hand-off to the server's thread and back)."""
        with self.cond:
            invocation = None
            if not self.stopping:
                if self.pending is None:
                    self._parked = deliver
                    return
                invocation, self.pending = self.pending, None
                self._begin(invocation)
                self.cond.notify_all()
        deliver(invocation)

    def unpark(self, deliver: Deliver) -> None:
        """The connection of a parked `/next` closed: it answers nothing more."""
        with self.cond:
            if self._parked is deliver:
                self._parked = None

    def _begin(self, invocation: Invocation) -> None:
        """The runtime gets `invocation` now (lock held)."""
        if self._fresh:
            self.init_duration_ms = (time.monotonic() - self._started) * 1000
            self._fresh = False
            # the init output comes on another channel than /next: let the log reader take it all in
            # first (briefly), so that it goes before the first invocation's START, not into its logs
            patience = time.monotonic() + 2.0
            while (self.launch.marks_init_end and not self._init_output_done and self._running()
                   and time.monotonic() < patience):
                self.cond.wait(0.05)
        invocation.started, invocation.started_real = True, time.monotonic()
        invocation.deadline_ms = int((time.time() + invocation.timeout) * 1000)
        self.current = invocation

    def complete(self, request_id: str, body: bytes, *, error: bool, error_type: str = "", wake: bool = True) -> bool:
        """Take the runtime's answer to the current invocation (False: not its request id); without
        `wake`, the invoke learns of it on the caller's `wake()`."""
        with self.cond:
            invocation = self.current
            if invocation is None or invocation.request_id != request_id:
                return False
            invocation.result, invocation.error, invocation.error_type = body, error, error_type
            invocation.done = True
            if not self.launch.marks_log_end:
                invocation.logs_done = True
            self.current = None
            if wake:
                self.cond.notify_all()
            return True

    def wake(self) -> None:
        """Let the invoke look again (after a `complete` without `wake`)."""
        with self.cond:
            self.cond.notify_all()

    def init_failed(self, body: bytes, error_type: str) -> None:
        with self.cond:
            self.init_error = (body, error_type)
            self.cond.notify_all()

    # -- output ----------------------------------------------------------------------------
    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace")
            with self.cond:
                last = self._last
                # output after the answer belongs to it until its sentinel; before the first, to init
                target = self.current or (last if last is not None and last.done and not last.logs_done else None)
                if _SENTINEL in line:
                    before, after = line.split(_SENTINEL, 1)
                    if after.strip() == _INIT_END:
                        if before:
                            self.init_logs.append(before + "\n")
                        self._init_output_done = True
                        self.cond.notify_all()
                        continue
                    if target is not None and before:
                        target.logs.append(before + "\n")
                    if target is not None:
                        target.logs_done = True
                        if target.done:  # the invoke waits for the answer first, then for this
                            self.cond.notify_all()
                    continue
                (target.logs if target is not None and not target.logs_done else self.init_logs).append(line)
        with self.cond:  # the process closed its output: wake the invoke waiting on it
            self.cond.notify_all()

    # -- the service side --------------------------------------------------------------------
    def invoke(self, invocation: Invocation, clock: Clock) -> Invocation:
        """Run one invocation; on timeout or a crash the environment is stopped."""
        with self.cond:
            self._last = invocation
            deliver, self._parked = self._parked, None
            if deliver is not None:
                self._begin(invocation)
        if deliver is not None and not deliver(invocation):  # its connection broke: wait for another /next
            with self.cond:
                invocation.started, deliver = False, None
                if self.current is invocation:
                    self.current = None
        with self.cond:
            if deliver is None:
                self.pending = invocation
                self.cond.notify_all()
                clock.wait_until(clock.now() + INIT_LIMIT + invocation.timeout,
                                 lambda: invocation.started or self.init_error is not None or not self._running(),
                                 self.cond)
            if invocation.started:
                invocation.started_at = clock.now()
                # the answer and its output's end (the sentinel, usually read before the answer lands)
                clock.wait_until(invocation.started_at + invocation.timeout,
                                 lambda: invocation.done and invocation.logs_done or not self._running(), self.cond)
            if invocation.done:
                if not invocation.logs_done:  # output trailing the answer: a little longer
                    clock.wait_until(clock.now() + 2.0, lambda: invocation.logs_done or not self._running(),
                                     self.cond)
                return invocation
            self.pending = None
        if self.init_error is not None:
            body, error_type = self.init_error
            invocation.result, invocation.error, invocation.error_type = body, True, error_type
            invocation.logs = self.init_logs + invocation.logs
        elif self._running():
            invocation.timed_out = True
        else:
            self._reader.join(timeout=2.0)  # the process is gone: let its last output in first
            invocation.error, invocation.error_type = True, "Runtime.ExitError"
            invocation.result = json.dumps({
                "errorType": "Runtime.ExitError",
                "errorMessage": f"RequestId: {invocation.request_id} Error: Runtime exited with error: "
                                f"exit status {self.process.returncode}"}).encode()
            invocation.logs = self.init_logs + invocation.logs
            # AWS puts this output only in the log stream; a test also sees it in its captured log
            log.warning("cloudmock lambda: the %s environment of %s exited with status %s; its output:\n%s",
                        self.launch.runtime, self.launch.handler, self.process.returncode,
                        "".join(invocation.logs)[-4000:] or "(none)")
        invocation.done = True
        self.stop()
        return invocation

    def _running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the environment's whole process group and wait for it."""
        with self.cond:
            self.stopping = True
            deliver, self._parked = self._parked, None
            self.cond.notify_all()
        if deliver is not None:
            deliver(None)
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


class InProcessEnvironment(Environment):
    """A Python handler called in a thread of this process (breakpoints work; no isolation
    of `sys.modules` beyond the handler's own module, which is loaded under a private name).

    The environment keeps its worker thread between invocations, as a warm container keeps
    its process: `invoke` hands the thread the next invocation and waits for it to finish.
    """

    def __init__(self, key: tuple[Any, ...], launch: Launch, env_id: str) -> None:
        self.id, self.key, self.launch = env_id, key, launch
        self.init_logs = []
        self._handler: Any = None
        self._init_error: tuple[bytes, str] | None = None
        self._dead = False
        self._loaded = False
        self._added_paths: list[str] = []
        self._cond = threading.Condition()  # guards `_next` and the invocations' `done`
        self._next: Invocation | None = None  # handed to the worker, not yet taken
        self._worker: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return not self._dead

    def _load(self) -> None:
        from .runtime import python_runtime

        self._loaded = True
        started = time.monotonic()
        for root in reversed(self.launch.env["CLOUDMOCK_PYTHONPATH"].split(os.pathsep)):
            if root not in sys.path:
                sys.path.insert(0, root)
                self._added_paths.append(root)
        try:
            self._handler = python_runtime.load_handler(self.launch.handler, self.launch.task_root,
                                                        private_name=f"_cloudmock_lambda_{self.id}")
        except python_runtime.InitError as exc:
            self._init_error = (json.dumps(exc.body).encode(), exc.body["errorType"])
        self.init_duration_ms = (time.monotonic() - started) * 1000

    def invoke(self, invocation: Invocation, clock: Clock) -> Invocation:
        if not self._loaded:
            self._load()
        if self._init_error is not None:
            invocation.result, invocation.error_type = self._init_error
            invocation.error = invocation.done = invocation.logs_done = True
            return invocation
        invocation.started, invocation.started_real = True, time.monotonic()
        invocation.started_at = clock.now()
        invocation.deadline_ms = int((time.time() + invocation.timeout) * 1000)
        with self._cond:
            self._next = invocation
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name=f"cloudmock-lambda-{self.id}", daemon=True)
                self._worker.start()
            else:
                self._cond.notify_all()
            clock.wait_until(invocation.started_at + invocation.timeout, lambda: invocation.done, self._cond)
            if not invocation.done:
                invocation.timed_out = invocation.done = True
                # the thread cannot be killed: it is abandoned (it ends after the handler returns),
                # the environment replaced
                self._dead = True
        return invocation

    def _work(self) -> None:
        """The worker thread: run each invocation handed over until the environment stops."""
        while True:
            with self._cond:
                while self._next is None and not self._dead:
                    self._cond.wait()
                if self._dead:
                    return
                invocation, self._next = self._next, None
            self._run(invocation)
            with self._cond:
                invocation.done = invocation.logs_done = True
                self._cond.notify_all()

    def _run(self, invocation: Invocation) -> None:
        """Call the handler with the invocation's event; its answer, error and output go on `invocation`."""
        from .runtime import python_runtime

        context = python_runtime.LambdaContext(invocation.request_id, invocation.deadline_ms,
                                               invocation.function_arn, self.launch.env)
        with python_runtime.captured(invocation.logs):
            try:
                result = self._handler(json.loads(invocation.payload or b"{}"), context)
                invocation.result = python_runtime.to_json(result, invocation.request_id)
            except Exception as exc:  # noqa: BLE001 - the handler's error becomes the answer
                body = exc.body if isinstance(exc, python_runtime.MarshalError) else python_runtime.error_body(
                    exc, invocation.request_id, traceback.extract_tb(exc.__traceback__.tb_next))
                invocation.result, invocation.error, invocation.error_type = (
                    json.dumps(body).encode(), True, body["errorType"])
                invocation.logs.append(python_runtime.error_log(body))

    def stop(self) -> None:
        """Forget the environment; its worker ends (after its handler returns, if hung); its code's
        folders leave `sys.path`."""
        with self._cond:
            self._dead = True
            self._cond.notify_all()
        for root in self._added_paths:
            with contextlib.suppress(ValueError):
                sys.path.remove(root)
        self._added_paths = []
