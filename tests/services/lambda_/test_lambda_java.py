"""Java functions, when `java` and `javac` are on PATH: a deployment zip compiled here (with
the two aws-lambda-java-core interfaces it uses, as a real fat jar carries them) runs in
cloudmock's Java runtime client."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import attach, detach
from tests.conftest import REGION

from .conftest import ROLE, payload_of

pytestmark = pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None,
                                reason="no `java`/`javac` on PATH: Java functions cannot run here")

SOURCES = {
    "com/amazonaws/services/lambda/runtime/LambdaLogger.java": """
package com.amazonaws.services.lambda.runtime;
public interface LambdaLogger { void log(String message); void log(byte[] message); }
""",
    "com/amazonaws/services/lambda/runtime/Context.java": """
package com.amazonaws.services.lambda.runtime;
public interface Context {
    String getAwsRequestId(); String getFunctionName(); String getInvokedFunctionArn();
    int getRemainingTimeInMillis(); int getMemoryLimitInMB(); LambdaLogger getLogger();
}
""",
    "example/Order.java": """
package example;
public class Order {
    private String item; private int count;
    public String getItem() { return item; } public void setItem(String item) { this.item = item; }
    public int getCount() { return count; } public void setCount(int count) { this.count = count; }
}
""",
    "example/Hello.java": """
package example;
import com.amazonaws.services.lambda.runtime.Context;
import java.io.*;
import java.util.*;
public class Hello {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("java got " + event);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", event);
        out.put("function", context.getFunctionName());
        out.put("memory", context.getMemoryLimitInMB());
        out.put("left", context.getRemainingTimeInMillis() > 0);
        out.put("requestId", context.getAwsRequestId());
        return out;
    }
    public static String shout(String text) { return text.toUpperCase(); }
    public Order order(Order order, Context context) { order.setCount(order.getCount() * 2); return order; }
    public void stream(InputStream in, OutputStream out, Context context) throws IOException {
        out.write(("{\\"bytes\\": " + in.readAllBytes().length + "}").getBytes());
    }
    public Object fail(Map<String, Object> event) { throw new IllegalStateException("java failure"); }
}
""",
}


@pytest.fixture(scope="module")
def gateway():
    """One transport is enough here (JVM starts are the slow part): the runtime client reaches
    the Runtime API over HTTP whichever transport boto3 uses."""
    gw = Gateway(Config(region=REGION)).start()
    attachment = attach(gw, transport="inprocess")
    yield gw
    detach(attachment)
    gw.stop()


@pytest.fixture(scope="module")
def java_zip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("java-fn")
    for name, text in SOURCES.items():
        (root / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "src" / name).write_text(text)
    subprocess.run(["javac", "-d", str(root / "classes"), *(str(root / "src" / n) for n in SOURCES)], check=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted((root / "classes").rglob("*.class")):
            archive.write(path, str(path.relative_to(root / "classes")))
    return out.getvalue()


def make(lam, name: str, handler: str, code: bytes) -> None:
    lam.create_function(FunctionName=name, Runtime="java21", Role=ROLE, Handler=handler, Code={"ZipFile": code},
                        MemorySize=512, Timeout=30)


def test_a_java_handler_gets_the_event_and_the_context(lam, java_zip) -> None:
    make(lam, "java-hello", "example.Hello::handleRequest", java_zip)
    answer = lam.invoke(FunctionName="java-hello", Payload=b'{"name": "duke", "n": [1, 2.5, true, null]}',
                        LogType="Tail")
    body = payload_of(answer)
    assert body["event"] == {"name": "duke", "n": [1, 2.5, True, None]}
    assert (body["function"], body["memory"], body["left"]) == ("java-hello", 512, True)
    assert len(body["requestId"]) == 36
    assert "java got {name=duke" in base64.b64decode(answer["LogResult"]).decode()


@pytest.mark.parametrize(("handler", "payload", "expected"), [
    ("example.Hello::shout", b'"quiet"', "QUIET"),
    ("example.Hello::order", b'{"item": "tea", "count": 2, "unknown": 1}', {"item": "tea", "count": 4}),
    ("example.Hello::stream", b'{"abc": 1}', {"bytes": 10}),
])
def test_handler_shapes(lam, java_zip, handler: str, payload: bytes, expected) -> None:
    name = "java-" + handler.split("::")[1]
    make(lam, name, handler, java_zip)
    assert payload_of(lam.invoke(FunctionName=name, Payload=payload)) == expected


def test_errors_come_back_as_java_exceptions(lam, java_zip) -> None:
    make(lam, "java-fail", "example.Hello::fail", java_zip)
    answer = lam.invoke(FunctionName="java-fail", Payload=b"{}")
    error = payload_of(answer)
    assert answer["FunctionError"] == "Unhandled"
    assert (error["errorType"], error["errorMessage"]) == ("java.lang.IllegalStateException", "java failure")
    assert any("example.Hello.fail" in frame for frame in error["stackTrace"])
    make(lam, "java-missing", "example.Nope::handleRequest", java_zip)
    missing = payload_of(lam.invoke(FunctionName="java-missing", Payload=b"{}"))
    assert missing["errorType"] == "java.lang.ClassNotFoundException"


def test_the_runtime_client_is_compiled_once(java_zip) -> None:
    from pytest_cloudmock.services.lambda_.pool import java_runtime

    first = java_runtime(shutil.which("javac") or "javac")
    assert first == java_runtime("javac-is-not-called-again") and (Path(first) / "CloudmockJavaRuntime.class").is_file()
