"""First light: create, invoke, read back."""

from __future__ import annotations

import json

from .conftest import payload_of


def test_invoke_echo(lam, make_function):
    created = make_function("echo")
    assert created["State"] == "Pending"
    out = lam.invoke(FunctionName="echo", Payload=json.dumps({"a": 1}), LogType="Tail")
    assert out["StatusCode"] == 200
    body = payload_of(out)
    assert body["event"] == {"a": 1}
    assert out["ExecutedVersion"] == "$LATEST"
    import base64
    logs = base64.b64decode(out["LogResult"]).decode()
    assert "echo {'a': 1}" in logs and "REPORT RequestId" in logs
