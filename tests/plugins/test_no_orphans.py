"""No plugin process outlives its scope: not when the test fails, not when the session is
interrupted, not even when the gateway's process is killed outright."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from .conftest import WIDGET_PLUGIN, process_gone

INNER_TESTS = """
import json
from pathlib import Path

import pytest

from pytest_cloudmock.plugins import plugin_manager

pytestmark = pytest.mark.cloudmock_plugin({plugin!r}, name="myservice")


def record(cloudmock, name):
    pid = plugin_manager(cloudmock.gateway).plugins[name].process.pid
    with Path("pids.jsonl").open("a") as f:
        f.write(json.dumps([name, pid]) + "\\n")


@pytest.mark.cloudmock_plugin({plugin!r}, name="classy")
class TestShared:
    def test_one(self, cloudmock):
        record(cloudmock, "classy")

    def test_two(self, cloudmock):
        record(cloudmock, "classy")


@pytest.mark.cloudmock_plugin("plugin.py")
def test_marker_without_name(cloudmock):
    pass


def test_unknown_option(cloudmock_plugin):
    cloudmock_plugin("plugin.py", name="x", colour="blue")


def test_fails(cloudmock, cloudmock_plugin):
    assert "classy" not in plugin_manager(cloudmock.gateway).plugins
    cloudmock_plugin({plugin!r}, name="extra")
    record(cloudmock, "myservice")
    record(cloudmock, "extra")
    assert False, "this test fails on purpose"


def test_interrupted(cloudmock, cloudmock_plugin):
    cloudmock_plugin({plugin!r}, name="session-wide", scope="session")
    record(cloudmock, "session-wide")
    raise KeyboardInterrupt  # as if Ctrl-C were pressed during the session
"""


def test_plugins_live_for_their_scope_and_stop_on_failure_and_interrupt(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_inner=INNER_TESTS.format(plugin=WIDGET_PLUGIN))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", no_reraise_ctrlc=True)
    result.stdout.fnmatch_lines([
        '*use @pytest.mark.cloudmock_plugin("path/to/plugin.py", name="myservice")*',
        "*cloudmock_plugin 'x': unknown option(s) colour*",
        "*this test fails on purpose*",
        "*KeyboardInterrupt*",
    ])
    lines = (pytester.path / "pids.jsonl").read_text().splitlines()
    records = [tuple(json.loads(line)) for line in lines]
    names = [name for name, _ in records]
    assert names == ["classy", "classy", "myservice", "extra", "session-wide"]
    pids = {pid for _, pid in records}
    assert len(pids) == 4  # the class's two tests shared one process
    assert all(process_gone(pid) for pid in pids)


HARD_KILLED = """
import sys
from pytest_cloudmock.config import Config, PluginConfig
from pytest_cloudmock.gateway import Gateway
gateway = Gateway(Config(admin_port=None, plugins=[PluginConfig(name="myservice", command={plugin!r})]))
gateway.start()
from pytest_cloudmock.plugins import plugin_manager
print(plugin_manager(gateway).plugins["myservice"].process.pid, flush=True)
sys.stdin.read()
"""


def test_sdk_plugins_exit_when_the_gateway_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "gateway.py"
    script.write_text(textwrap.dedent(HARD_KILLED.format(plugin=WIDGET_PLUGIN)))
    gateway = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        plugin_pid = int(gateway.stdout.readline())
        os.kill(gateway.pid, signal.SIGKILL)  # no teardown, no atexit
        gateway.wait(5)
        deadline = time.monotonic() + 5
        while not _gone_or_zombie(plugin_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone_or_zombie(plugin_pid), "the plugin outlived the gateway process"
    finally:
        gateway.kill()
        gateway.wait()


def _gone_or_zombie(pid: int) -> bool:
    """The orphan is re-parented to init, which reaps it; until then it may be a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"
