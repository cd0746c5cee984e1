"""Issue 11, items 1, 5, 6, 9 and 10: framing, truncation, slow and idle clients, limits."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

from .rawhttp import exchange, is_closed, read_response

TIMEOUT = 0.3


@pytest.fixture(scope="module")
def gw() -> Iterator[Gateway]:
    gateway = Gateway(Config(header_timeout=TIMEOUT, body_timeout=TIMEOUT, idle_timeout=TIMEOUT,
                             max_body_size=1 << 20, worker_threads=4, admin_port=None)).start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="module")
def sqs(gw: Gateway) -> object:
    return boto3.client("sqs", endpoint_url=gw.endpoint, region_name="us-east-1", aws_access_key_id="AKIDTEST",
                        aws_secret_access_key="x", config=BotoConfig(retries={"total_max_attempts": 1}))


def sqs_request(body: bytes, *, extra: bytes = b"", target: bytes = b"SendMessage") -> bytes:
    return (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
            b"X-Amz-Target: AmazonSQS." + target + b"\r\n" + extra + b"\r\n" + body)


def send_body(url: str) -> bytes:
    return json.dumps({"QueueUrl": url, "MessageBody": "cut-off message"}).encode()


def test_chunked_body_cut_mid_chunk_is_never_executed_and_the_server_lives(gw: Gateway, sqs) -> None:
    url = sqs.create_queue(QueueName="chunks")["QueueUrl"]
    body = send_body(url)
    for _ in range(5):  # a chunk size larger than any read, then the client goes away
        with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
            sock.sendall(sqs_request(b"100000\r\n" + body, extra=b"Transfer-Encoding: chunked\r\n"))
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        sock.sendall(sqs_request(chunked, extra=b"Transfer-Encoding: chunked\r\n"))
        assert read_response(sock)[0] == 200
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1


@pytest.mark.parametrize("chunks", [b"zz\r\n", b"1" * 5000, b"5\r\nabcdefgh\r\n0\r\n\r\n", b"-1\r\n"],
                         ids=["not-hex", "size-line-too-long", "data-longer-than-size", "negative"])
def test_malformed_chunked_framing_is_400_and_closed(gw: Gateway, chunks: bytes) -> None:
    status, _, body, closed = exchange(gw.port, sqs_request(chunks, extra=b"Transfer-Encoding: chunked\r\n"))
    assert (status, closed) == (400, True)
    assert json.loads(body)["__type"] == "BadRequest"


def test_chunked_body_over_the_size_limit_is_413(gw: Gateway) -> None:
    status, _, _, closed = exchange(gw.port, sqs_request(b"200000\r\n", extra=b"Transfer-Encoding: chunked\r\n"))
    assert (status, closed) == (413, True)


def test_truncated_content_length_body_is_never_executed(gw: Gateway, sqs) -> None:
    url = sqs.create_queue(QueueName="truncated")["QueueUrl"]
    body = send_body(url)
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
        sock.sendall(sqs_request(body[:-5], extra=b"Content-Length: %d\r\n" % len(body)))
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)


@pytest.mark.parametrize("value", ["\u00b2", "abc", "1, 2", "-1", "+5", "0x10", "5 5"])
def test_bad_content_length_is_400_and_closed(gw: Gateway, value: str) -> None:
    raw = sqs_request(b"{}", extra=f"Content-Length: {value}\r\n".encode(), target=b"ListQueues")
    status, _, _, closed = exchange(gw.port, raw)
    assert (status, closed) == (400, True)


def test_equal_duplicate_content_lengths_are_accepted(gw: Gateway) -> None:
    raw = sqs_request(b"{}", extra=b"Content-Length: 2\r\nContent-Length: 2\r\n", target=b"ListQueues")
    assert exchange(gw.port, raw)[0] == 200


def test_content_length_with_transfer_encoding_is_400(gw: Gateway) -> None:
    raw = sqs_request(b"0\r\n\r\n", extra=b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")
    assert exchange(gw.port, raw)[:1] == (400,)


def test_slow_headers_get_408(gw: Gateway) -> None:
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\n")
        status, headers, _ = read_response(sock)
        assert status == 408 and headers["connection"] == "close"


def test_missing_body_gets_408_not_500(gw: Gateway) -> None:
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
        sock.sendall(sqs_request(b"{", extra=b"Content-Length: 100\r\n"))
        assert read_response(sock)[0] == 408


def test_idle_keep_alive_connection_is_closed(gw: Gateway) -> None:
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
        sock.sendall(sqs_request(b"{}", extra=b"Content-Length: 2\r\n", target=b"ListQueues"))
        assert read_response(sock)[0] == 200
        assert is_closed(sock)  # after idle_timeout, without a 408


def test_expect_100_continue_is_not_sent_for_a_body_too_large(gw: Gateway) -> None:
    raw = sqs_request(b"", extra=b"Content-Length: 5000000\r\nExpect: 100-continue\r\n")
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as sock:
        sock.sendall(raw)
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 413") and b"100 Continue" not in first


def test_client_resets_log_no_traceback(gw: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="pytest_cloudmock")
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", gw.port), timeout=5)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(sqs_request(b"{", extra=b"Content-Length: 10\r\n"))
        sock.close()  # RST
    assert exchange(gw.port, sqs_request(b"{}", extra=b"Content-Length: 2\r\n", target=b"ListQueues"))[0] == 200
    assert not [r for r in caplog.records if r.exc_info]


def test_slow_connections_do_not_delay_normal_calls_and_threads_stay_bounded() -> None:
    gateway = Gateway(Config(admin_port=None, worker_threads=8, header_timeout=30)).start()
    slow: list[socket.socket] = []
    try:
        for i in range(300):
            sock = socket.create_connection(("127.0.0.1", gateway.port), timeout=5)
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n" if i % 2 else sqs_request(b"{", extra=b"Content-Length: 9\r\n"))
            slow.append(sock)
        threads_before = threading.active_count()
        sqs = boto3.client("sqs", endpoint_url=gateway.endpoint, region_name="us-east-1",
                           aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
        sqs.list_queues()  # first call pays for the client's setup
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            sqs.list_queues()
            timings.append(time.perf_counter() - started)
        assert sorted(timings)[len(timings) // 2] < 0.1
        assert gateway._server.server.thread_count <= 8  # type: ignore[union-attr]
        assert threading.active_count() <= threads_before + 8
    finally:
        for sock in slow:
            sock.close()
        gateway.stop()


def test_max_connections_makes_room_by_closing_the_longest_waiting() -> None:
    gateway = Gateway(Config(admin_port=None, max_connections=20, header_timeout=30)).start()
    slow = [socket.create_connection(("127.0.0.1", gateway.port), timeout=5) for _ in range(40)]
    try:
        raw = sqs_request(b"{}", extra=b"Content-Length: 2\r\n", target=b"ListQueues")
        assert exchange(gateway.port, raw)[0] == 200
        assert gateway._server.server.connection_count <= 20  # type: ignore[union-attr]
    finally:
        for sock in slow:
            sock.close()
        gateway.stop()


def test_non_latin1_and_control_characters_never_reach_response_headers() -> None:
    from pytest_cloudmock.gateway.http_framing import header_line

    assert header_line("X-Amz-Meta-Name", "caf\u00e9") == "X-Amz-Meta-Name: caf\u00e9"
    assert header_line("X-Amz-Meta-Name", "\u732b") == "X-Amz-Meta-Name: =?UTF-8?B?54yr?="
    for bad in ("a\r\nSet-Cookie: x=1", "a\rb", "a\nb", "a\x00b"):
        assert header_line("Content-Type", bad) is None
    assert header_line("Bad Name", "v") is None


def test_form_body_with_too_many_fields_is_refused_before_parsing(gateway: Gateway) -> None:
    from pytest_cloudmock.gateway.http_framing import MAX_FORM_FIELDS

    body = b"Action=ListTopics&Version=2010-03-31" + b"&a=1" * (MAX_FORM_FIELDS + 10)
    raw = (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body) + body)
    status, _, answer, closed = exchange(gateway.port, raw)
    assert (status, closed) == (413, True) and b"RequestEntityTooLarge" in answer


def test_a_10_mb_body_costs_less_than_100_mib(gateway: Gateway) -> None:
    import tracemalloc

    body = b'{"QueueUrl": "x", "MessageBody": "' + b"x" * (10 << 20) + b'"}'
    raw = sqs_request(body, extra=b"Content-Length: %d\r\n" % len(body))
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        status = exchange(gateway.port, raw, timeout=30)[0]
        peak = tracemalloc.get_traced_memory()[1] - baseline - len(raw)
    finally:
        tracemalloc.stop()
    assert 400 <= status < 500  # SQS answered (no such queue) after the body was read whole
    assert peak < 100 << 20
