"""Issue 11: a seeded fuzz of the live gateway across the protocol families.

Zero 5xx other than 501, zero dropped connections, zero hangs, every answer
readable by botocore. Failures whose fix belongs to another part are listed in
`KNOWN_ISSUES`, each with its owner and a repro asserted to still fail (so a
fixed issue leaves the list); nothing outside the list may fail. The larger run is
`python benchmarks/fuzz_gateway.py` (100,000 requests).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from pytest_cloudmock.gateway import Gateway

from .fuzzgen import Case, run
from .rawhttp import exchange

SEED = int(os.environ.get("CLOUDMOCK_FUZZ_SEED", "20261203"))
COUNT = 3000

Matcher = Callable[[Case, str], bool]


@dataclass(frozen=True)
class KnownIssue:
    """A failure owned elsewhere: how to recognise it in the fuzz, and a repro that must still fail."""

    owner: str
    matches: Matcher
    repro: bytes  # a raw request whose answer shows the issue
    symptom: Callable[[int, bytes], bool]


def _signed(service: str) -> bytes:
    return (b"Authorization: AWS4-HMAC-SHA256 Credential=AKIAFUZZ/20260101/us-east-1/" + service.encode()
            + b"/aws4_request, SignedHeaders=host, Signature=00\r\n")


def _json(target: bytes, body: bytes) -> bytes:
    return (b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: " + target + b"\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: %d\r\n\r\n" % len(body) + body)


KNOWN_ISSUES = {
    "router (lead): an unroutable query/EC2 request is answered in JSON, unreadable to an XML client": KnownIssue(
        "router",
        lambda case, problem: case.protocol in ("query", "ec2") and "has no operation matching" in problem,
        b"POST / HTTP/1.1\r\nHost: localhost\r\n" + _signed("sns") + b"Content-Length: 0\r\n\r\n",
        lambda status, body: status == 400 and body.startswith(b"{"),
    ),
    "validation: a value of the wrong type reaches the service (AttributeError ... 'strip')": KnownIssue(
        "validation",
        lambda case, problem: "status 500" in problem and "object has no attribute" in problem and "strip" in problem,
        _json(b"AmazonSQS.ListQueues", b'{"MaxResults": {"k": "v"}}'),
        lambda status, body: status == 500,
    ),
    "sqs: a QueueUrl holding '[' or ']' is a 500 (urlsplit's ValueError)": KnownIssue(
        "sqs",
        lambda case, problem: case.service == "sqs" and "status 500" in problem and "ValueError" in problem,
        _json(b"AmazonSQS.GetQueueAttributes", b'{"QueueUrl": "a[b"}'),
        lambda status, body: status == 500,
    ),
    "validation: a missing required member reaches the service (KeyError), e.g. KMS ReEncrypt": KnownIssue(
        "validation",
        lambda case, problem: "status 500" in problem and "KeyError" in problem,
        _json(b"TrentService.ReEncrypt", b'{"DestinationKeyId": "k"}'),
        lambda status, body: status == 500,
    ),
    "route53 stub/rest-xml codec: a non-integer maxitems is a 500 (int() on the query value)": KnownIssue(
        "route53 stub",
        lambda case, problem: case.service == "route53" and "invalid literal for int()" in problem,
        b"GET /2013-04-01/hostedzone?maxitems=abc HTTP/1.1\r\nHost: localhost\r\n" + _signed("route53") + b"\r\n",
        lambda status, body: status == 500,
    ),
}


def known_issue(case: Case, problem: str) -> str | None:
    return next((name for name, issue in KNOWN_ISSUES.items() if issue.matches(case, problem)), None)


@pytest.mark.parametrize("name", list(KNOWN_ISSUES))
def test_known_issue_still_fails(gateway: Gateway, name: str) -> None:
    """Each listed issue still shows; once fixed, its entry must go (and the fuzz covers it)."""
    issue = KNOWN_ISSUES[name]
    status, _, body, _ = exchange(gateway.port, issue.repro)
    assert issue.symptom(status, body), f"fixed? remove it from KNOWN_ISSUES: {name} ({status} {body[:200]!r})"


def test_fuzz_gateway(gateway: Gateway) -> None:
    from .fuzzgen import SERVICES

    services = [s for s in SERVICES if s in gateway.registry]
    try:
        outcome = run(gateway.port, SEED, COUNT, services)
    finally:
        gateway.reset()
    assert outcome.sent + outcome.unsendable == COUNT
    unknown = [
        f"#{case.index} {case.service} {case.operation}: {problem} | {case.repro()}"
        for case, problem in outcome.failures
        if known_issue(case, problem) is None
    ]
    assert not unknown, f"seed {SEED}: {len(unknown)} new failures:\n" + "\n".join(unknown[:30])
    assert not [p for _, p in outcome.failures if p.startswith("connection")]
