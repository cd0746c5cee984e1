"""Invoke through boto3: handlers that call AWS, errors, timeouts, logs, limits, async."""

from __future__ import annotations

import base64
import json

import pytest

from ..aws_errors import error_with_status
from .conftest import payload_of

WRITER = """
import json, boto3

def handler(event, context):
    boto3.client("s3").put_object(Bucket="out", Key=event["key"], Body=json.dumps(event).encode())
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName="out")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=event["key"])
    who = boto3.client("sts").get_caller_identity()["Arn"]
    return {"written": event["key"], "as": who}
"""

FAILING = """
def helper(x):
    raise ValueError(f"bad value {x}")

def handler(event, context):
    print("about to fail")
    helper(event.get("x"))
"""

CONTEXT = """
import os

def handler(event, context):
    return {
        "aws_request_id": context.aws_request_id, "function_name": context.function_name,
        "function_version": context.function_version, "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb, "remaining": context.get_remaining_time_in_millis(),
        "log_group_name": context.log_group_name, "log_stream_name": context.log_stream_name,
        "env": {k: os.environ.get(k) for k in ("_HANDLER", "AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "GREETING",
                                               "AWS_LAMBDA_FUNCTION_MEMORY_SIZE")},
    }
"""


@pytest.fixture
def outputs(client):
    s3, sqs = client("s3"), client("sqs")
    s3.create_bucket(Bucket="out")
    url = sqs.create_queue(QueueName="out")["QueueUrl"]
    return s3, sqs, url


def test_handler_writes_to_s3_and_sqs_as_its_role_sync_and_async(aws, lam, make_function, outputs):
    s3, sqs, url = outputs
    make_function("writer", WRITER, Timeout=30)
    out = lam.invoke(FunctionName="writer", Payload=json.dumps({"key": "sync"}))
    assert "FunctionError" not in out, payload_of(out)
    body = payload_of(out)
    assert body["written"] == "sync"
    assert body["as"].startswith("arn:aws:sts::123456789012:assumed-role/lambda-role/writer")
    assert lam.invoke(FunctionName="writer", InvocationType="Event",
                      Payload=json.dumps({"key": "async"}))["StatusCode"] == 202
    aws.settle(timeout=30)
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket="out")["Contents"]) == ["async", "sync"]
    bodies = sorted(m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"])
    assert bodies == ["async", "sync"]


def test_unhandled_error_is_shaped_as_lambda_shapes_it(lam, make_function):
    make_function("failing", FAILING)
    out = lam.invoke(FunctionName="failing", Payload=b'{"x": 7}', LogType="Tail")
    assert out["StatusCode"] == 200 and out["FunctionError"] == "Unhandled"
    error = payload_of(out)
    assert list(error) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert error["errorMessage"] == "bad value 7" and error["errorType"] == "ValueError"
    assert len(error["stackTrace"]) == 2
    assert error["stackTrace"][0].startswith('  File "') and "in handler\n" in error["stackTrace"][0]
    assert 'raise ValueError(f"bad value {x}")' in error["stackTrace"][1]
    logs = base64.b64decode(out["LogResult"]).decode()
    assert "about to fail" in logs and "[ERROR] ValueError: bad value 7" in logs
    assert logs.index("START RequestId") < logs.index("about to fail") < logs.index("END RequestId")


def test_timeout_kills_and_replaces_the_environment(lam, make_function, lambda_service):
    make_function("sleepy", "import time\ndef handler(e, c):\n    time.sleep(e.get('s', 0))\n    return 'ok'\n",
                  Timeout=1)
    out = lam.invoke(FunctionName="sleepy", Payload=b'{"s": 30}')
    assert out["FunctionError"] == "Unhandled"
    error = payload_of(out)
    assert error["errorType"] == "Sandbox.Timedout"
    assert error["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert lambda_service.pool.pids() == []  # killed, not reused
    assert payload_of(lam.invoke(FunctionName="sleepy", Payload=b"{}")) == "ok"
    records = lambda_service.invocations("sleepy")
    assert [r.timed_out for r in records] == [True, False] and records[1].cold_start


def test_context_object_and_environment(lam, make_function):
    make_function("ctx", CONTEXT, MemorySize=256, Timeout=5, Environment={"Variables": {"GREETING": "hi"}})
    body = payload_of(lam.invoke(FunctionName="ctx"))
    assert body["function_name"] == "ctx" and body["function_version"] == "$LATEST"
    assert body["invoked_function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:ctx"
    assert body["memory_limit_in_mb"] == "256"
    assert 0 < body["remaining"] <= 5000
    assert body["log_group_name"] == "/aws/lambda/ctx" and "[$LATEST]" in body["log_stream_name"]
    assert body["env"] == {"_HANDLER": "lambda_function.handler", "AWS_REGION": "us-east-1",
                           "AWS_LAMBDA_FUNCTION_NAME": "ctx", "GREETING": "hi", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}


def test_warm_environment_is_reused_and_a_change_cold_starts(lam, make_function, lambda_service):
    make_function("warm", "import os\nCOUNT = 0\ndef handler(e, c):\n    global COUNT\n    COUNT += 1\n"
                          "    return [COUNT, os.environ.get('VV')]\n")
    assert payload_of(lam.invoke(FunctionName="warm")) == [1, None]
    assert payload_of(lam.invoke(FunctionName="warm")) == [2, None]
    lam.update_function_configuration(FunctionName="warm", Environment={"Variables": {"VV": "2"}})
    assert payload_of(lam.invoke(FunctionName="warm")) == [1, "2"]
    assert [r.cold_start for r in lambda_service.invocations("warm")] == [True, False, True]


def test_dry_run_payload_limits_and_bad_json(lam, make_function):
    make_function("dry")
    assert lam.invoke(FunctionName="dry", InvocationType="DryRun")["StatusCode"] == 204
    code, message, status = error_with_status(lam.invoke, FunctionName="dry", Payload=b"x" * (6 * 1024 * 1024 + 1))
    assert (code, status) == ("RequestTooLargeException", 413)
    assert message == "Request must be smaller than 6291456 bytes for the InvokeFunction operation"
    code, _, status = error_with_status(lam.invoke, FunctionName="dry", Payload=b"{not json")
    assert (code, status) == ("InvalidRequestContentException", 400)
    code, message, status = error_with_status(lam.invoke, FunctionName="nope")
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert message == "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"


def test_reserved_concurrency_zero_throttles(lam, make_function):
    make_function("off")
    lam.put_function_concurrency(FunctionName="off", ReservedConcurrentExecutions=0)
    code, message, status = error_with_status(lam.invoke, FunctionName="off")
    assert (code, message, status) == ("TooManyRequestsException", "Rate Exceeded.", 429)


def test_import_error_and_missing_handler(lam, make_function):
    make_function("noimport", "import not_a_module\ndef handler(e, c):\n    return 1\n")
    error = payload_of(lam.invoke(FunctionName="noimport"))
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"] == "Unable to import module 'lambda_function': No module named 'not_a_module'"
    make_function("nohandler", "def other(e, c):\n    return 1\n")
    error = payload_of(lam.invoke(FunctionName="nohandler"))
    assert (error["errorType"], error["errorMessage"]) == (
        "Runtime.HandlerNotFound", "Handler 'handler' missing on module 'lambda_function'")


def test_missing_runtime_is_named(lam, make_function):
    make_function("ruby", runtime="ruby3.3", handler="handler.handle")
    code, message, status = error_with_status(lam.invoke, FunctionName="ruby")
    assert (code, status) == ("InvalidRuntimeException", 502) and "ruby3.3" in message


def test_response_stream(lam, make_function):
    make_function("streamer")
    out = lam.invoke_with_response_stream(FunctionName="streamer", Payload=b'{"s": 1}')
    events = list(out["EventStream"])
    assert json.loads(events[0]["PayloadChunk"]["Payload"])["event"] == {"s": 1}
    assert events[-1] == {"InvokeComplete": {}}


def test_logs_reach_cloudwatch_logs(client, lam, make_function):
    logs = client("logs")
    make_function("logged")
    lam.invoke(FunctionName="logged", Payload=b'{"z": 1}')
    (stream,) = logs.describe_log_streams(logGroupName="/aws/lambda/logged")["logStreams"]
    assert "/[$LATEST]" in stream["logStreamName"]
    messages = [e["message"] for e in logs.get_log_events(logGroupName="/aws/lambda/logged",
                                                          logStreamName=stream["logStreamName"])["events"]]
    assert "runs on this host's Python" in messages[0]  # the init output comes before START
    assert messages[1].startswith("START RequestId: ") and messages[1].endswith(" Version: $LATEST")
    assert messages[2] == "echo {'z': 1}"
    assert messages[3].startswith("END RequestId: ") and messages[4].startswith("REPORT RequestId: ")
    assert "\tInit Duration: " in messages[4]


RENDEZVOUS = """
import os, time

def handler(event, context):
    # each invocation checks in, then waits for the others: none ends before all three run at once
    folder = event["folder"]
    open(os.path.join(folder, str(os.getpid())), "w").close()
    deadline = time.time() + 20
    while len(os.listdir(folder)) < 3 and time.time() < deadline:
        time.sleep(0.01)
    return os.getpid()
"""


def test_concurrent_invokes_get_their_own_environments(client, make_function, lambda_service, tmp_path):
    # Over HTTP this once stalled: the server's pool promised one idle worker to two requests
    # (tests/gateway/test_server_pool.py keeps that fixed).
    from concurrent.futures import ThreadPoolExecutor

    make_function("parallel", RENDEZVOUS, Timeout=30)
    lam = client("lambda")
    payload = json.dumps({"folder": str(tmp_path)})
    with ThreadPoolExecutor(3) as pool:
        pids = list(pool.map(lambda _: payload_of(lam.invoke(FunctionName="parallel", Payload=payload)), range(3)))
    assert len(set(pids)) == 3, [(r.cold_start, r.duration_ms, r.logs.splitlines()[-1][-80:])
                                 for r in lambda_service.invocations("parallel")]
    assert len(lambda_service.pool.pids()) == 3  # all warm, reused next time
    assert payload_of(lam.invoke(FunctionName="parallel", Payload=payload)) in pids


def test_stream_error_and_event_payload_limit(lam, make_function):
    make_function("stream-fail", "def handler(e, c):\n    raise ValueError('streamed')\n")
    events = list(lam.invoke_with_response_stream(FunctionName="stream-fail")["EventStream"])
    assert events == [{"InvokeComplete": {"ErrorCode": "ValueError", "ErrorDetails": "streamed"}}]
    code, message, status = error_with_status(lam.invoke, FunctionName="stream-fail", InvocationType="Event",
                                              Payload=b'"' + b"x" * 262144 + b'"')
    assert (code, status) == ("RequestTooLargeException", 413) and "262144 bytes" in message


def test_layer_site_packages_and_inprocess_layers(lam, make_function, lambda_service):
    import sys

    from pytest_cloudmock.services.lambda_ import lambda_zip

    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    layer = lam.publish_layer_version(LayerName="deps", Content={"ZipFile": lambda_zip(
        {f"python/lib/{version}/site-packages/vendored_dep.py": "VALUE = 42\n"})})["LayerVersionArn"]
    source = "import vendored_dep\ndef handler(e, c):\n    return vendored_dep.VALUE\n"
    make_function("deps", source, Layers=[layer])
    assert payload_of(lam.invoke(FunctionName="deps")) == 42
    lambda_service.set_executor("inprocess")
    make_function("deps-local", source, Layers=[layer])
    assert payload_of(lam.invoke(FunctionName="deps-local")) == 42


@pytest.mark.parametrize("executor", ["subprocess", "inprocess"])
def test_a_result_that_is_not_json_is_a_marshal_error(lam, make_function, lambda_service, executor):
    lambda_service.set_executor(executor)
    make_function(f"marshal-{executor}", "def handler(e, c):\n    return {1, 2}\n")
    out = lam.invoke(FunctionName=f"marshal-{executor}")
    error = payload_of(out)
    assert out["FunctionError"] == "Unhandled"
    assert (error["errorType"], error["errorMessage"]) == (
        "Runtime.MarshalError", "Unable to marshal response: Object of type set is not JSON serializable")


def test_init_output_goes_before_the_first_start_however_long(lam, make_function, lambda_service):
    # a runtime process's init output reaches the log reader on another channel than its first /next
    lambda_service.set_executor("subprocess")
    make_function("chatty", "import sys\nsys.stdout.write(''.join(f'init line {n}\\n' for n in range(20000)))\n"
                            "def handler(e, c):\n    print('handler line')\n    return 1\n")
    out = lam.invoke(FunctionName="chatty", LogType="Tail")
    assert "FunctionError" not in out
    (record,) = lambda_service.invocations("chatty")
    assert record.logs.count("init line ") == 20000 and record.logs.count("handler line") == 1
    assert record.logs.rindex("init line 19999") < record.logs.index("START RequestId") < record.logs.index(
        "handler line") < record.logs.index("END RequestId")
