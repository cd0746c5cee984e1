"""What the pytest plugin costs: unused, used, and the gateway's start-up.

    python benchmarks/plugin_overhead.py [--runs 7] [--tests 200]

1. Wall and CPU time of a suite of N empty tests with the plugin installed but
   unused, against the same run with `-p no:cloudmock`, and with the core plugin
   alone (the fixture modules of stubs and gRPC plugins blocked).
2. The same suite where every test asks for the `cloudmock` fixture (one gateway
   for the session, a state reset after each test).
3. In a fresh interpreter: importing the gateway, constructing and starting it,
   its first answered request, and a first boto3 call through it.
Medians over the runs; each pytest run is a fresh process, as a user's is, with
bytecode caching on (in a temporary pycache prefix) as a user's usually is, after
one warm-up run of each variant.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pytest_cloudmock.pytest_plugin import EXTENSION_MODULES

# Plugins that cost every run the same large, noisy amount (hypothesis imports itself at
# session end), left out so that the difference being measured stands out.
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark")
PLUGIN_IMPORT = r"""
import json, sys, time
import pytest
t0 = time.process_time()
import pytest_cloudmock.pytest_plugin
t1 = time.process_time()
print(json.dumps({"import the plugin module (after pytest, CPU)": round((t1 - t0) * 1000, 2)}))
"""
STARTUP = r"""
import http.client, json, time
t0 = time.perf_counter()
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
t1 = time.perf_counter()
gw = Gateway(Config()).start()
t2 = time.perf_counter()
conn = http.client.HTTPConnection("127.0.0.1", gw.port)
conn.request("POST", "/", body=b"{}", headers={"X-Amz-Target": "AmazonSQS.ListQueues",
             "Content-Type": "application/x-amz-json-1.0"})
conn.getresponse().read()
t3 = time.perf_counter()
import boto3
sts = boto3.client("sts", endpoint_url=gw.endpoint, region_name="us-east-1",
                   aws_access_key_id="123456789012", aws_secret_access_key="test")
t4 = time.perf_counter()
sts.get_caller_identity()
t5 = time.perf_counter()
gw.stop()
ms = lambda a, b: round((b - a) * 1000, 2)
print(json.dumps({"import gateway": ms(t0, t1), "construct + start": ms(t1, t2),
                  "start to first answered request": ms(t2, t3),
                  "boto3 import + first client": ms(t3, t4), "first boto3 call (sts)": ms(t4, t5)}))
"""


def write_suite(root: Path, tests: int) -> None:
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "test_unused.py").write_text("".join(f"def test_{i}():\n    pass\n\n\n" for i in range(tests)))
    used = root / "used"
    used.mkdir()
    (used / "test_used.py").write_text(
        "".join(f"def test_{i}(cloudmock):\n    pass\n\n\n" for i in range(tests))
    )


def child_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    return env


def run_pytest(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one pytest process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", *QUIET, *args], cwd=cwd,
                            env=child_env(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"pytest {' '.join(args)} failed ({proc.returncode})")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tests", type=int, default=200)
    opts = parser.parse_args()
    without_extensions = [arg for name in EXTENSION_MODULES for arg in ("-p", f"no:{name}")]
    variants = {
        "unused, plugin installed": ["test_unused.py"],
        "unused, -p no:cloudmock": ["test_unused.py", "-p", "no:cloudmock"],
        "unused, without extension modules": ["test_unused.py", *without_extensions],
        "every test uses `cloudmock`": ["used"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_suite(root, opts.tests)
        wall: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        for args in variants.values():
            run_pytest(args, root)  # warm-up: bytecode caches
        for _ in range(opts.runs):  # interleaved, so machine load hits every variant alike
            for name, args in variants.items():
                w, c = run_pytest(args, root)
                wall[name].append(w)
                cpu[name].append(c)
        print(f"{opts.tests} tests, {opts.runs} runs each, seconds (wall median / wall min / CPU median):")
        for name in variants:
            print(f"  {name:34} {statistics.median(wall[name]):.3f} / {min(wall[name]):.3f}"
                  f" / {statistics.median(cpu[name]):.3f}")
        baseline = statistics.median(cpu["unused, -p no:cloudmock"])
        for name in ("unused, plugin installed", "unused, without extension modules"):
            delta = statistics.median(cpu[name]) - baseline
            print(f"  CPU overhead vs -p no:cloudmock, {name}: {delta * 1000:+.1f} ms")
        print("fresh interpreter (median ms):")
        for script in (PLUGIN_IMPORT, STARTUP):
            python(script, root)  # warm-up: bytecode caches
            samples = [json.loads(python(script, root)) for _ in range(opts.runs)]
            for key in samples[0]:
                print(f"  {key:44} {statistics.median(s[key] for s in samples):8.2f}")


def python(script: str, root: Path) -> str:
    return subprocess.run([sys.executable, "-c", script], env=child_env(root), check=True,
                          capture_output=True, text=True).stdout


if __name__ == "__main__":
    main()
