"""Runtimes other than Python subprocesses: provided (a shell bootstrap), Node.js, in-process Python;
and the processes environments leave behind (none)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import lambda_zip

from .conftest import ECHO, ROLE, payload_of

BOOTSTRAP = """#!/bin/sh
set -eu
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$API/next")" || exit 0
  ID="$(grep -i Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)"
  echo "shell got $EVENT"
  curl -sS -X POST "$API/$ID/response" -d "{\\"shell\\": $EVENT, \\"fn\\": \\"$AWS_LAMBDA_FUNCTION_NAME\\"}" >/dev/null
  rm -f "$HEADERS"
done
"""

NODE = """
exports.handler = async (event, context) => {
  console.log("node got", JSON.stringify(event));
  if (event.fail) { throw new TypeError("node failure"); }
  return { node: event, name: context.functionName, left: context.getRemainingTimeInMillis() > 0 };
};
"""


@pytest.mark.skipif(shutil.which("curl") is None, reason="the shell bootstrap uses curl")
def test_provided_runtime_runs_the_zips_bootstrap(lam):
    lam.create_function(FunctionName="shell", Runtime="provided.al2023", Role=ROLE, Handler="unused",
                        Code={"ZipFile": lambda_zip({"bootstrap": BOOTSTRAP})})
    out = lam.invoke(FunctionName="shell", Payload=b'{"x": 1}', LogType="Tail")
    assert payload_of(out) == {"shell": {"x": 1}, "fn": "shell"}
    assert payload_of(lam.invoke(FunctionName="shell", Payload=b'{"x": 2}')) == {"shell": {"x": 2}, "fn": "shell"}


@pytest.mark.skipif(shutil.which("node") is None, reason="no `node` on PATH: Node.js functions cannot run here")
def test_node_function(lam):
    lam.create_function(FunctionName="nodefn", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                        Code={"ZipFile": lambda_zip({"index.js": NODE})})
    out = lam.invoke(FunctionName="nodefn", Payload=b'{"a": 1}')
    assert payload_of(out) == {"node": {"a": 1}, "name": "nodefn", "left": True}
    failed = lam.invoke(FunctionName="nodefn", Payload=b'{"fail": true}')
    assert failed["FunctionError"] == "Unhandled"
    error = payload_of(failed)
    assert (error["errorType"], error["errorMessage"]) == ("TypeError", "node failure")


def test_inprocess_executor_runs_the_handler_in_this_process(lam, make_function, lambda_service):
    lambda_service.set_executor("inprocess")
    try:
        make_function("local", "import os\ndef handler(e, c):\n    print('in here')\n"
                               "    return [os.getpid(), c.function_name, e]\n")
        body = payload_of(lam.invoke(FunctionName="local", Payload=b'{"k": 1}', LogType="Tail"))
        assert body == [os.getpid(), "local", {"k": 1}]
        assert "in here" in lambda_service.invocations("local")[0].logs
        make_function("local-fail", "def handler(e, c):\n    raise KeyError('k')\n")
        error = payload_of(lam.invoke(FunctionName="local-fail"))
        assert error["errorType"] == "KeyError" and len(error["stackTrace"]) == 1
    finally:
        lambda_service.set_executor("subprocess")


def _children() -> set[int]:
    """Processes whose parent is this process (Linux /proc)."""
    me = str(os.getpid())
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                found.add(int(entry))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts children through /proc")
def test_no_process_is_left_after_the_gateway_stops():
    before = _children()
    gateway = Gateway(Config()).start()
    try:
        import boto3

        lam = boto3.client("lambda", endpoint_url=gateway.endpoint, region_name="us-east-1",
                           aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x")
        lam.create_function(FunctionName="p", Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                            Code={"ZipFile": lambda_zip(ECHO)})
        lam.create_function(FunctionName="q", Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                            Code={"ZipFile": lambda_zip(ECHO)})
        for name in ("p", "q"):
            assert json.loads(lam.invoke(FunctionName=name)["Payload"].read())["event"] == {}
        assert len(_children() - before) == 2
    finally:
        gateway.stop()
    assert _children() - before == set()


KILLED_PARENT = """
import json, sys, boto3
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import lambda_zip

gateway = Gateway(Config()).start()
lam = boto3.client("lambda", endpoint_url=gateway.endpoint, region_name="us-east-1",
                   aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x")
lam.create_function(FunctionName="orphan", Runtime="python3.12", Role="arn:aws:iam::123456789012:role/r",
                    Handler="lambda_function.handler",
                    Code={"ZipFile": lambda_zip("import os\\ndef handler(e, c):\\n    return os.getpid()\\n")})
print(json.loads(lam.invoke(FunctionName="orphan")["Payload"].read()), flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="watches processes through /proc")
def test_environments_exit_when_the_test_process_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", KILLED_PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              cwd=os.getcwd())
    try:
        env_pid = int(parent.stdout.readline())
        assert os.path.exists(f"/proc/{env_pid}")
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while not _gone(env_pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # an unrelated process's exit: there is no gateway left to wait on
    assert _gone(env_pid)


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for init to reap it counts)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize(("files", "message"), [
    ({"readme.txt": "no bootstrap"}, "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"),
    ({"bootstrap": b"\x7fELF not really"}, "exec format error"),
])
def test_a_bootstrap_that_cannot_start_is_a_function_error(lam, files, message):
    lam.create_function(FunctionName="broken", Runtime="provided.al2023", Role=ROLE, Handler="x",
                        Code={"ZipFile": lambda_zip(files)})
    out = lam.invoke(FunctionName="broken")
    error = payload_of(out)
    assert out["FunctionError"] == "Unhandled" and error["errorType"] == "Runtime.InvalidEntrypoint"
    assert message in error["errorMessage"]


def test_an_environment_that_dies_at_start_says_why(lam, caplog):
    """Runtime.ExitError as AWS answers it, and the process's own output in the test's log."""
    code = lambda_zip({"bootstrap": "#!/bin/sh\necho 'missing config: DB_URL' >&2\nexit 3\n"})
    lam.create_function(FunctionName="dies", Runtime="provided.al2023", Role=ROLE, Handler="x",
                        Code={"ZipFile": code})
    with caplog.at_level("WARNING", logger="pytest_cloudmock"):
        out = lam.invoke(FunctionName="dies", Payload=b"{}")
    assert out["FunctionError"] == "Unhandled"
    error = payload_of(out)
    assert error["errorType"] == "Runtime.ExitError" and error["errorMessage"].endswith("exit status 3")
    assert any("exited with status 3" in r.getMessage() and "missing config: DB_URL" in r.getMessage()
               for r in caplog.records)
