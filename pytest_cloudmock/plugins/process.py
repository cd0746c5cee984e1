"""Spawned plugin processes: a free port, their own process group, no orphans.

The command gets the address in `CLOUDMOCK_PLUGIN_ADDRESS` (`127.0.0.1:PORT`,
also `CLOUDMOCK_PLUGIN_PORT`) and in any `{port}` placeholder of its
arguments, plus `CLOUDMOCK_PLUGIN_PROTO` (the shipped `plugin.proto`) and
`CLOUDMOCK_PARENT_PID` (the SDK's `serve()` exits when that process is gone).
Stopping sends SIGTERM to the whole process group, then SIGKILL; every live
process is also stopped at interpreter exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .errors import PluginError

ENV_ADDRESS = "CLOUDMOCK_PLUGIN_ADDRESS"
ENV_PORT = "CLOUDMOCK_PLUGIN_PORT"
ENV_PROTO = "CLOUDMOCK_PLUGIN_PROTO"
ENV_PARENT = "CLOUDMOCK_PARENT_PID"
PROTO_PATH = Path(__file__).resolve().parents[1] / "_proto" / "cloudmock" / "plugin" / "v1" / "plugin.proto"
_INTERPRETERS = {".py": [sys.executable], ".js": ["node"], ".mjs": ["node"], ".cjs": ["node"]}
_OUTPUT_TAIL = 4000

_live: set[PluginProcess] = set()
_live_lock = threading.Lock()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def command_for(target: str | list[str]) -> list[str]:
    """The argv for a command line, list, or a lone script path (`.py` runs with this Python,
    `.js` with node)."""
    argv = shlex.split(target) if isinstance(target, str) else list(target)
    if len(argv) == 1 and Path(argv[0]).suffix in _INTERPRETERS:
        return [*_INTERPRETERS[Path(argv[0]).suffix], argv[0]]
    return argv


class PluginProcess:
    """One plugin server process started for the gateway."""

    def __init__(self, name: str, command: str | list[str], env: dict[str, str] | None = None) -> None:
        self.name = name
        self.command = command_for(command)
        self.env = dict(env or {})
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.stopped = False
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> str:
        """Start the process; returns the address it was told to listen on."""
        self.port = free_port()
        argv = [arg.replace("{port}", str(self.port)) for arg in self.command]
        env = {
            **os.environ,
            ENV_ADDRESS: self.address,
            ENV_PORT: str(self.port),
            ENV_PROTO: str(PROTO_PATH),
            ENV_PARENT: str(os.getpid()),
            **self.env,
        }
        try:
            self.proc = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=self._output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        except OSError as exc:
            raise PluginError(f"plugin {self.name}: cannot run {shlex.join(argv)}: {exc}") from exc
        with _live_lock:
            _live.add(self)
        return self.address

    def check_alive(self) -> None:
        """Raise `PluginError` with the process's output if it has exited."""
        if self.proc is not None and self.proc.poll() is not None:
            raise PluginError(
                f"plugin {self.name}: process {shlex.join(self.command)} exited with code "
                f"{self.proc.returncode} before becoming healthy; its output:\n{self.output()}"
            )

    def output(self) -> str:
        """The last few KB of the process's stdout and stderr."""
        self._output.seek(0, os.SEEK_END)
        size = self._output.tell()
        self._output.seek(max(0, size - _OUTPUT_TAIL))
        return self._output.read().decode("utf-8", "replace")

    def stop(self, grace: float = 3.0) -> None:
        """SIGTERM the process group, SIGKILL it after `grace` seconds; idempotent."""
        if self.stopped:
            return
        self.stopped = True
        proc = self.proc
        if proc is not None:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
            # children the plugin left behind in its group
            _signal_group(proc, signal.SIGKILL)
        with _live_lock:
            _live.discard(self)
        self._output.close()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, sig)
        elif proc.poll() is None:
            proc.kill()


@atexit.register
def _stop_all() -> None:
    with _live_lock:
        live = list(_live)
    for process in live:
        process.stop(grace=1.0)
