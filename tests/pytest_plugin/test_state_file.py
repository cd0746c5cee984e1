"""State that outlives a process: GET/PUT /api/state, `serve --state`, snapshots in files (issue 13)."""

from __future__ import annotations

import collections
import datetime
import decimal
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock import state_file
from pytest_cloudmock.gateway import Snapshot


def admin(cloudmock: Any, method: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(cloudmock.admin_endpoint + "/api/state", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def seed(cloudmock: Any) -> str:
    s3 = cloudmock.client("s3")
    s3.create_bucket(Bucket="photos")
    s3.put_object(Bucket="photos", Key="cat.jpg", Body=b"\x00meow" * 1000, Metadata={"k": "v"})
    sqs = cloudmock.client("sqs")
    url = sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job", MessageGroupId="g", MessageDeduplicationId="d")
    ddb = cloudmock.client("dynamodb")
    ddb.create_table(TableName="users", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    ddb.put_item(TableName="users", Item={"id": {"S": "u1"}, "n": {"N": "1.50"}, "b": {"B": b"\x01"},
                                          "ss": {"SS": ["a", "b"]}})
    return cloudmock.client("sts").get_session_token()["Credentials"]["AccessKeyId"]


def check(cloudmock: Any, key: str) -> None:
    s3 = cloudmock.client("s3")
    got = s3.get_object(Bucket="photos", Key="cat.jpg")
    assert got["Body"].read() == b"\x00meow" * 1000 and got["Metadata"] == {"k": "v"}
    sqs = cloudmock.client("sqs")
    url = sqs.get_queue_url(QueueName="jobs.fifo")["QueueUrl"]
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url)["Messages"]] == ["job"]
    item = cloudmock.client("dynamodb").get_item(TableName="users", Key={"id": {"S": "u1"}})["Item"]
    assert item == {"id": {"S": "u1"}, "n": {"N": "1.5"}, "b": {"B": b"\x01"}, "ss": {"SS": ["a", "b"]}}
    assert key in cloudmock.gateway.identities.snapshot()


def test_export_then_import_over_the_admin_api_brings_every_store_back(cloudmock: Any) -> None:
    key = seed(cloudmock)
    status, doc = admin(cloudmock, "GET")
    assert status == 200 and doc["format"] == "pytest-cloudmock-state" and doc["version"] == 1
    assert {"s3", "sqs", "dynamodb", "sts"} <= set(doc["stores"])
    cloudmock.reset()
    assert cloudmock.client("s3").list_buckets()["Buckets"] == []
    status, answer = admin(cloudmock, "PUT", doc)
    assert status == 200 and answer["credentials"] == 1 and "s3" in answer["loaded"], answer
    check(cloudmock, key)


def test_a_file_from_another_version_or_a_bad_one_is_refused_and_nothing_is_loaded(cloudmock: Any) -> None:
    seed(cloudmock)
    _, doc = admin(cloudmock, "GET")
    cloudmock.reset()
    cloudmock.client("sqs").create_queue(QueueName="before")
    older = {**doc, "cloudmock": "0.0.1"}
    status, answer = admin(cloudmock, "PUT", older)
    assert status == 400
    assert "written by pytest-cloudmock '0.0.1'" in answer["error"] and "read only by the version" in answer["error"]
    broken = {**doc, "stores": {**doc["stores"], "sqs": {"$obj": "os:system", "state": "echo hi"}}}
    status, answer = admin(cloudmock, "PUT", broken)
    assert status == 400 and "only pytest_cloudmock's own state classes load" in answer["error"]
    truncated = {**doc, "stores": {**doc["stores"], "sqs": {"$map": {"x": {"$ref": 10**6}}}}}
    assert admin(cloudmock, "PUT", truncated)[0] == 400
    assert admin(cloudmock, "PUT", {"hello": "world"})[1]["error"].endswith(
        'is not a pytest-cloudmock state file (no "format": "pytest-cloudmock-state")')
    queues = cloudmock.client("sqs").list_queues()["QueueUrls"]
    assert [u.rsplit("/", 1)[1] for u in queues] == ["before"]  # untouched by every refused load
    assert cloudmock.client("s3").list_buckets()["Buckets"] == []


def test_a_snapshot_is_written_to_and_read_from_a_state_file(cloudmock: Any, tmp_path: Path) -> None:
    key = seed(cloudmock)
    path = state_file.write(cloudmock.snapshot(), tmp_path / "world.json")
    cloudmock.reset()
    cloudmock.restore(state_file.read(path))
    check(cloudmock, key)
    path.write_text("{")
    with pytest.raises(state_file.StateFileError, match="world.json is not JSON"):
        state_file.read(path)


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
           | st.binary(max_size=8) | st.decimals(allow_nan=False, allow_infinity=False).map(decimal.Decimal)
           | st.datetimes(timezones=st.just(datetime.timezone.utc)))
HASHABLE = st.recursive(SCALARS, lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
                        max_leaves=6)
VALUES = st.recursive(
    HASHABLE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    | st.dictionaries(HASHABLE, inner, max_size=3) | st.sets(HASHABLE, max_size=3)
    | st.lists(inner, max_size=3).map(collections.deque),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(VALUES)
def test_typed_json_round_trips_every_supported_value(value: Any) -> None:
    snapshot = Snapshot({"svc": value}, {})
    doc = json.loads(json.dumps(state_file.to_document(snapshot)))
    back = state_file.from_document(doc).stores["svc"]
    assert back == value and type(back) is type(value)


def test_shared_and_cyclic_references_come_back_shared() -> None:
    shared: list[Any] = [1]
    cyclic: dict[str, Any] = {"a": shared, "b": shared}
    cyclic["self"] = cyclic
    back = state_file.from_document(json.loads(json.dumps(state_file.to_document(Snapshot({"s": cyclic}, {})))))
    value = back.stores["s"]
    assert value["a"] is value["b"] and value["self"] is value


def test_serve_loads_its_state_file_at_start_and_saves_it_on_a_clean_stop(tmp_path: Path) -> None:
    path = tmp_path / "state.json"

    def serve() -> tuple[subprocess.Popen[str], list[str], str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pytest_cloudmock.cli", "serve", "--port", "0", "--admin-port", "0",
             "--state", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = []
        while not lines or "AWS endpoint" not in lines[-1]:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, proc.stderr.read()  # type: ignore[union-attr]
            lines.append(line.strip())
        lines.append(proc.stdout.readline().strip())  # type: ignore[union-attr]
        match = re.search(r"AWS endpoint (http://\S+)", lines[-2])
        assert match
        return proc, lines, match[1]

    def stop(proc: subprocess.Popen[str]) -> str:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        return out

    def s3(endpoint: str) -> Any:
        return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id="123456789012", aws_secret_access_key="x")

    proc, lines, endpoint = serve()
    try:
        assert f"cloudmock: state file {path} does not exist yet" in lines[0]
        s3(endpoint).create_bucket(Bucket="kept-bucket")
        assert "state saved to" in stop(proc)
        proc, lines, endpoint = serve()
        assert lines[0].startswith(f"cloudmock: state loaded from {path}: s3;")
        assert [b["Name"] for b in s3(endpoint).list_buckets()["Buckets"]] == ["kept-bucket"]
        stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    path.write_text(json.dumps({**json.loads(path.read_text()), "cloudmock": "9.9"}))
    refused = subprocess.run(
        [sys.executable, "-m", "pytest_cloudmock.cli", "serve", "--port", "0", "--admin-port", "0",
         "--state", str(path)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "written by pytest-cloudmock '9.9'" in refused.stderr
