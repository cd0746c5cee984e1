"""Issue 11, routing items: an unsigned query action finds its service by Version; a request
that cannot be routed is answered in the protocol of the service it names."""

from __future__ import annotations

from pytest_cloudmock.gateway import Gateway

from .rawhttp import exchange


def test_unsigned_iam_create_user_is_routed_to_iam(aws: Gateway) -> None:
    """No credential scope: `Version=2010-05-08` names IAM; today the first model with a
    `CreateUser` action (ElastiCache) wins."""
    body = b"Action=CreateUser&Version=2010-05-08&UserName=bob"
    raw = (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body) + body)
    status, _, answer, _ = exchange(aws.port, raw)
    assert b"iam.amazonaws.com" in answer and b"elasticache" not in answer


def test_routing_errors_answer_in_the_protocol_of_the_signed_service(aws: Gateway) -> None:
    """A request signed for SNS (query, XML) that names no action: the error must be XML.
    Today `guess_protocol` falls back to JSON when there is no form body or `Action`."""
    raw = (b"POST / HTTP/1.1\r\nHost: localhost\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIAX/20260101/"
           b"us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: 0\r\n\r\n")
    status, headers, answer, _ = exchange(aws.port, raw)
    assert status == 400 and answer.lstrip().startswith(b"<")
