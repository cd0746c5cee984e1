"""Execution environments per function version: unpack, launch, reuse, replace, stop.

Warm environments are keyed by (account, region, function, version, generation,
executor): a code or configuration change bumps the generation, so the next invoke
cold-starts. Several run at once up to the function's concurrency; idle ones stop
after `idle_seconds` (checked whenever the pool is used); all stop on reset and at
gateway stop. Each subprocess is its own process group, killed with its group.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import errors
from .environments import (
    Environment,
    InProcessEnvironment,
    Launch,
    LaunchError,
    SubprocessEnvironment,
)
from .runtime_api import RuntimeApi

RUNTIME_DIR = Path(__file__).parent / "runtime"


def unzip(data: bytes, target: Path) -> None:
    """Extract a zip keeping the Unix permission bits (a `bootstrap` stays executable)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            path = Path(archive.extract(info, target))
            mode = info.external_attr >> 16
            if mode and not info.is_dir():
                path.chmod(stat.S_IMODE(mode) | stat.S_IRUSR)


def runtime_command(runtime: str, task_root: Path, opt_root: Path) -> tuple[list[str], bool]:
    """(command, prints the log sentinel) for a runtime; `InvalidRuntimeException` when missing."""
    if runtime.startswith("python"):
        return [sys.executable, "-u", str(RUNTIME_DIR / "python_runtime.py")], True
    if runtime.startswith("nodejs"):
        node = shutil.which("node")
        if node is None:
            raise errors.runtime_missing(runtime, "no `node` executable on PATH")
        return [node, str(RUNTIME_DIR / "node_runtime.js")], True
    if runtime.startswith("java"):
        java, javac = shutil.which("java"), shutil.which("javac")
        if java is None or javac is None:
            raise errors.runtime_missing(runtime, "no `java` and `javac` executables on PATH")
        classpath = [str(java_runtime(javac)), str(task_root), str(task_root / "lib" / "*"),
                     str(opt_root / "java" / "lib" / "*")]
        return [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", os.pathsep.join(classpath),
                "CloudmockJavaRuntime"], True
    if runtime.startswith("provided"):
        found = [p for p in (task_root / "bootstrap", opt_root / "bootstrap") if p.is_file()]
        if not found:
            raise LaunchError("Runtime.InvalidEntrypoint",
                              "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]")
        return [str(found[0])], False
    raise errors.runtime_missing(runtime, "cloudmock runs python*, nodejs*, java* and provided* functions")


_JAVA_LOCK = threading.Lock()


def java_runtime(javac: str) -> Path:
    """The compiled Java runtime client (compiled once per source version, shared by processes)."""
    source = RUNTIME_DIR / "CloudmockJavaRuntime.java"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"cloudmock-java-runtime-{digest}"
    with _JAVA_LOCK:
        if not (target / "CloudmockJavaRuntime.class").is_file():
            staging = Path(tempfile.mkdtemp(prefix="cloudmock-java-"))
            done = subprocess.run([javac, "-d", str(staging), str(source)], capture_output=True, text=True,
                                  timeout=120)
            if done.returncode != 0:
                raise LaunchError("Runtime.Unknown", f"javac could not compile the runtime client: {done.stderr}")
            try:
                staging.rename(target)
            except OSError:  # another process got there first
                shutil.rmtree(staging, ignore_errors=True)
    return target


class Pool:
    """The environments of one Lambda service instance."""

    def __init__(self, idle_seconds: float = 300.0) -> None:
        self.idle_seconds = idle_seconds
        self.api = RuntimeApi()
        self._root: Path | None = None
        self._lock = threading.Condition()
        self._envs: dict[tuple[Any, ...], list[Environment]] = {}
        self.cold_starts = 0

    # -- code on disk --------------------------------------------------------------------------
    def unpacked(self, digest: str, code: bytes, layers: list[bytes]) -> tuple[Path, Path]:
        """(task root, opt root) of a code package and its layers, unpacked once per digest."""
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="cloudmock-lambda-"))
            root = self._root
        base = root / digest.replace("/", "_").replace("+", "-")
        task, opt = base / "task", base / "opt"
        if not base.exists():
            staging = root / f".{uuid.uuid4().hex}"
            unzip(code, staging / "task")
            (staging / "opt").mkdir(parents=True)
            for layer in layers:
                unzip(layer, staging / "opt")
            try:
                staging.rename(base)
            except OSError:  # another invoke unpacked it first
                shutil.rmtree(staging, ignore_errors=True)
        return task, opt

    # -- environments ---------------------------------------------------------------------------
    def acquire(self, key: tuple[Any, ...], limit: int, make_launch: Callable[[str], Launch],
                inprocess: bool, *, throttle: bool) -> tuple[Environment, bool]:
        """(an idle warm environment or a new one, whether it is new). With `limit` environments
        busy: `TooManyRequestsException` when `throttle` (a reserved concurrency), else wait."""
        self.reap()
        with self._lock:
            while True:
                envs = self._envs.setdefault(key, [])
                envs[:] = [e for e in envs if e.alive or e.busy]
                for env in envs:
                    if not env.busy and env.alive:
                        env.busy = True
                        return env, False
                if len(envs) < limit:
                    break
                if throttle:
                    raise errors.throttled()
                self._lock.wait(1.0)
            env_id = uuid.uuid4().hex
            placeholder = _Starting(env_id, key)
            envs.append(placeholder)
        try:
            launch = make_launch(env_id)
            env: Environment
            if inprocess:
                env = InProcessEnvironment(key, launch, env_id)
            else:
                env = SubprocessEnvironment(key, launch, self.api, env_id)
        except BaseException:
            with self._lock:
                envs.remove(placeholder)
                self._lock.notify_all()
            raise
        env.busy = True
        with self._lock:
            if placeholder in self._envs.get(key, []):
                envs[envs.index(placeholder)] = env
            else:  # the pool was stopped or the version went stale while it started
                env.retired = True
            self.cold_starts += 1
        return env, True

    def release(self, env: Environment) -> None:
        env.last_used = time.monotonic()
        with self._lock:
            env.busy = False
            self._lock.notify_all()
        if env.retired or not env.alive:
            self._discard(env)

    def _discard(self, env: Environment) -> None:
        with self._lock:
            envs = self._envs.get(env.key, [])
            if env in envs:
                envs.remove(env)
            self._lock.notify_all()
        self.api.environments.pop(env.id, None)
        env.stop()

    def reap(self) -> None:
        """Stop environments idle for longer than `idle_seconds`."""
        cutoff = time.monotonic() - self.idle_seconds
        with self._lock:
            idle = [e for envs in self._envs.values() for e in envs if not e.busy and e.last_used < cutoff
                    and not isinstance(e, _Starting)]
        for env in idle:
            self._discard(env)

    def stale(self, match: Callable[[tuple[Any, ...]], bool], *, busy_too: bool = False) -> None:
        """Stop the environments whose key matches: idle ones now, busy ones when released
        (or now, with `busy_too`: a reset kills invocations in flight)."""
        with self._lock:
            victims = []
            for key in [k for k in self._envs if match(k)]:
                for env in self._envs.pop(key):
                    env.retired = True
                    if busy_too or not env.busy:
                        victims.append(env)
        for env in victims:
            self.api.environments.pop(env.id, None)
            env.stop()

    def live(self) -> list[Environment]:
        with self._lock:
            return [e for envs in self._envs.values() for e in envs if not isinstance(e, _Starting)]

    def stop(self) -> None:
        """Stop every environment and the Runtime API; delete the unpacked code."""
        self.stale(lambda _key: True, busy_too=True)
        self.api.stop()
        with self._lock:
            root, self._root = self._root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)

    def pids(self) -> list[int]:
        return [e.process.pid for e in self.live() if isinstance(e, SubprocessEnvironment) and e.alive]


class _Starting(Environment):
    """A slot held while an environment starts (counts toward concurrency)."""

    def __init__(self, env_id: str, key: tuple[Any, ...]) -> None:
        self.id, self.key, self.busy, self.init_logs = env_id, key, True, []

    @property
    def alive(self) -> bool:
        return True

    def stop(self) -> None:
        """Nothing runs yet."""


def base_env() -> dict[str, str]:
    """The host variables an environment inherits (no AWS settings of the test process)."""
    return {k: v for k in ("PATH", "LANG", "SYSTEMROOT", "TMPDIR") if (v := os.environ.get(k))}
