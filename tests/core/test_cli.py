"""`cloudmock serve` as a user runs it: a foreground process stopped with Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path


def test_serve_answers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    config = tmp_path / "cloudmock.yaml"
    config.write_text("region: eu-west-1\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest_cloudmock.cli", "serve", "--config", str(config),
         "--port", "0", "--admin-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        match = re.search(r"AWS endpoint (http://\S+)\s+admin (http://\S+)", line)
        assert match, line
        with urllib.request.urlopen(match[2] + "/api/health", timeout=5) as resp:
            assert json.load(resp)["status"] == "healthy"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped" in out


def test_serve_bad_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("regoin: eu-west-1\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest_cloudmock.cli", "serve", "--config", str(config)],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2
    assert "did you mean 'region'" in done.stderr
