"""The in-process transport: same answers as HTTP, no socket, streaming bodies."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, IncompleteReadError
from botocore.response import StreamingBody
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.interception import Interceptor
from pytest_cloudmock.transport import Attachment
from pytest_cloudmock.transport.inprocess import ResponseBody

from .conftest import CREDS, accepted


def test_client_built_from_aws_endpoint_url_goes_in_process(
    gw: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Application code that builds its own client from the environment opens no socket."""
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # a fresh default session, dropped after
    monkeypatch.setenv("AWS_ENDPOINT_URL", gw.endpoint)
    for name, value in CREDS.items():
        monkeypatch.setenv(name.upper().replace("REGION_NAME", "AWS_DEFAULT_REGION"), value)
    before, seq = accepted(gw), gw.request_log.last_seq
    sqs = boto3.client("sqs")  # as application code would
    url = sqs.create_queue(QueueName="app-queue")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hi")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hi"
    assert accepted(gw) == before
    calls = gw.request_log.since(seq)
    assert [c.operation for c in calls] == ["CreateQueue", "SendMessage", "ReceiveMessage"]
    assert {c.account_id for c in calls} == {"111122223333"}  # account from the access key


def test_http_transport_uses_the_socket(attached: Attachment, gw: Gateway, session: boto3.Session) -> None:
    attached.transport = "http"
    before = accepted(gw)
    sts = session.client("sts", endpoint_url=gw.endpoint)
    assert sts.get_caller_identity()["Account"] == "111122223333"
    assert accepted(gw) == before + 1


def test_host_prefixed_calls_go_in_process(gw: Gateway, session: boto3.Session) -> None:
    """botocore puts `stream-` before the host for Logs live tail: no resolver knows
    `stream-127.0.0.1`, the in-process path still serves it (and nothing else)."""
    logs = session.client("logs", endpoint_url=gw.endpoint)  # host prefixes injected (the default)
    logs.create_log_group(logGroupName="g")
    arn = logs.describe_log_groups()["logGroups"][0]["logGroupArn"].removesuffix(":*")
    events = logs.start_live_tail(logGroupIdentifiers=[arn])["responseStream"]
    assert "sessionStart" in next(iter(events))
    attachment = Attachment(gw)
    assert attachment.serves("stream-127.0.0.1") and attachment.serves("123456789012.localhost")
    assert not attachment.serves("example.com") and not attachment.serves("127.0.0.1.evil.com")


def test_s3_bodies_stream(gw: Gateway, session: boto3.Session) -> None:
    s3 = session.client("s3", endpoint_url=gw.endpoint)
    s3.create_bucket(Bucket="streams")
    data = os.urandom(3 * 1024 * 1024 + 17)
    s3.upload_fileobj(io.BytesIO(data), "streams", "big")  # aws-chunked, trailing checksum
    got = s3.get_object(Bucket="streams", Key="big")
    assert got["ContentLength"] == len(data)
    body = got["Body"]
    assert body.read(10) == data[:10]
    assert b"".join(body.iter_chunks(65536)) == data[10:]
    assert body.read() == b""
    ranged = s3.get_object(Bucket="streams", Key="big", Range="bytes=100-199")
    assert ranged["ContentRange"] == f"bytes 100-199/{len(data)}"
    assert ranged["Body"].read() == data[100:200]
    head = s3.head_object(Bucket="streams", Key="big")
    assert head["ContentLength"] == len(data)
    assert head["ResponseMetadata"]["HTTPHeaders"]["content-length"] == str(len(data))


def test_errors_and_request_log_are_the_same(gw: Gateway, session: boto3.Session) -> None:
    s3 = session.client("s3", endpoint_url=gw.endpoint)
    with pytest.raises(ClientError) as exc:
        s3.head_object(Bucket="no-such-bucket", Key="k")
    assert exc.value.response["Error"]["Code"] == "404"
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket="no-such-bucket", Key="k")
    assert exc.value.response["Error"]["Code"] == "NoSuchBucket"
    record = gw.request_log.since(gw.request_log.last_seq - 1)[0]
    assert (record.service, record.operation, record.status) == ("s3", "GetObject", 404)


@pytest.fixture(scope="module")
def s3(attached: Attachment, session: boto3.Session) -> object:
    """One S3 client for the module (the transport is chosen per request, not per client)."""
    return session.client("s3", endpoint_url=attached.gateway.endpoint)


@settings(max_examples=25, deadline=None)
@given(key=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
       .filter(lambda k: len(k.encode()) <= 1024))
def test_keys_round_trip_between_transports(attached: Attachment, s3: object, key: str) -> None:
    """A key written over HTTP reads back in-process (both transports see the same raw path)."""
    client: Any = s3
    try:
        attached.transport = "inprocess"
        client.create_bucket(Bucket="keys")
        attached.transport = "http"
        client.put_object(Bucket="keys", Key=key, Body=b"h")
        attached.transport = "inprocess"
        assert client.get_object(Bucket="keys", Key=key)["Body"].read() == b"h"
        assert [o["Key"] for o in client.list_objects_v2(Bucket="keys")["Contents"]] == [key]
    finally:
        attached.transport = "inprocess"
        attached.gateway.reset()


def test_response_body_hands_chunks_on_without_copying() -> None:
    big, tail = b"a" * (1 << 20), b"b" * 10
    assert list(ResponseBody([big, tail]).stream()) == [big, tail]
    assert next(ResponseBody([big, tail]).stream()) is big
    assert ResponseBody(big).read() is big
    body = ResponseBody(iter([b"abc", b"", b"defg"]))
    assert (body.read(2), body.read(3), body.tell(), body.read(), body.read(5)) == (b"ab", b"cde", 5, b"fg", b"")


def test_streaming_body_checks_content_length() -> None:
    short = StreamingBody(ResponseBody([b"abc"]), 5)
    with pytest.raises(IncompleteReadError):
        short.read()


def test_response_body_closes_its_source() -> None:
    closed = []

    def chunks():
        try:
            yield b"x"
            yield b"y"
        finally:
            closed.append(True)

    body = ResponseBody(chunks())
    assert body.read(1) == b"x"
    body.close()
    assert closed == [True]


def test_detach_of_the_last_gateway_leaves_botocore_as_it_was() -> None:
    script = """
import botocore.httpsession, botocore.session
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import attach, detach
create, send = botocore.session.Session.create_client, botocore.httpsession.URLLib3Session.send
gw = Gateway().start()
first, second = attach(gw), attach(gw, transport="http")
detach(first)
assert botocore.session.Session.create_client is not create
detach(second)
gw.stop()
assert botocore.session.Session.create_client is create
assert botocore.httpsession.URLLib3Session.send is send
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_request_headers_read_as_over_http(gw: Gateway, session: boto3.Session) -> None:
    """A service sees an in-process request's headers as it sees an HTTP request's: looked up
    by any case (the first of repeated ones), and read-only."""
    from werkzeug.exceptions import BadRequestKeyError

    from pytest_cloudmock.wire import IndexedHeaders

    seen: list[Any] = []
    interceptor = gw.registry.interceptors.add(Interceptor("sqs", before=lambda ctx: seen.append(ctx.headers)))
    try:
        session.client("sqs", endpoint_url=gw.endpoint).list_queues()
    finally:
        gw.registry.interceptors.remove(interceptor)
    (headers,) = seen
    assert isinstance(headers, IndexedHeaders)
    assert headers["x-amz-target"] == headers.get("X-AMZ-TARGET") == "AmazonSQS.ListQueues"
    assert "HOST" in headers and headers["Host"] == gw.endpoint.removeprefix("http://")
    assert headers.get("Content-Length", type=int) == int(headers["content-length"])
    assert headers.get("nope", "default") == "default" and "nope" not in headers
    with pytest.raises(BadRequestKeyError):
        headers["nope"]
    with pytest.raises(TypeError):
        headers["X-New"] = "1"
    twice = IndexedHeaders([("X-A", "1"), ("x-a", "2")])
    assert twice["X-A"] == "1" and twice.getlist("x-a") == ["1", "2"] and twice[1] == ("x-a", "2")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab=&%+;2 é\x00", max_size=20))
def test_form_pairs_read_as_parse_qsl(text: str) -> None:
    from urllib.parse import parse_qs, parse_qsl

    from pytest_cloudmock.wire import form_pairs, parse_query

    assert form_pairs(text) == parse_qsl(text, keep_blank_values=True)
    assert parse_query(text) == (parse_qs(text, keep_blank_values=True) if text else {})


def test_answer_headers_read_as_botocore_builds_them() -> None:
    from botocore.awsrequest import HeadersDict

    from pytest_cloudmock.transport.inprocess import to_aws_response
    from pytest_cloudmock.wire import WireResponse

    given = {"x-amz-request-id": "1", "Content-Type": "text/xml", "date": "old"}
    answer = to_aws_response("http://h/", "GET", WireResponse(200, dict(given), b"abc"))
    assert isinstance(answer.headers, HeadersDict)
    assert answer.headers["X-Amz-Request-Id"] == "1" and answer.headers["content-length"] == "3"
    assert list(answer.headers) == ["x-amz-request-id", "Content-Type", "date", "Content-Length"]
    assert answer.headers["Date"] != "old" and answer.content == b"abc"
    streamed = to_aws_response("http://h/", "GET", WireResponse(200, {}, iter([b"a", b"b"])))
    assert streamed.headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in streamed.headers
    head = to_aws_response("http://h/", "HEAD", WireResponse(200, {"Content-Length": "9"}, b""))
    assert head.headers["content-length"] == "9" and head.content == b""
