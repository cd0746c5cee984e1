"""A seeded request fuzzer for the live gateway (the fuzz test and `benchmarks/fuzz_gateway.py`).

Each case is a botocore-serialized, SigV4-signed request for a random operation of
one service per protocol family, with inputs from the codec tests' shape generator,
then mutated (a member dropped, a value of the wrong type, odd strings, a truncated
or corrupted body, a mangled path or target). Each answer must come back on the
same keep-alive connection, within the deadline, with a status below 500 (or 501
for an operation that is truly not implemented), and botocore's parser for the
protocol must read it.
"""

from __future__ import annotations

import http.client
import random
import socket
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import prepare_request_dict
from botocore.credentials import Credentials
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from urllib3.response import HTTPHeaderDict

from tests.codecs.shapegen import GenOptions, generate

# one or more services per protocol family (cbor joins when a cbor service is registered)
SERVICES = ["sqs", "kms", "glue", "batch", "eks", "sns", "iam", "sts", "rds", "s3", "route53",
            "ec2", "cloudwatch"]
MUTATIONS = ["valid", "drop_member", "wrong_type", "odd_string", "truncate_body", "corrupt_body",
             "mangle_path", "mangle_target", "bad_query"]
ODD_STRINGS = ["", " ", "\u0000", "\ud800", "\U0001f600" * 3, "a" * 3000, "<x>&amp;", '"\\', "[", "%zz",
               "../../etc/passwd", "\r\n", "-1", "null", "\u00e9\u00e8"]
OPTIONS = GenOptions(max_depth=3, special_floats=False)
CREDENTIALS = Credentials("AKIAFUZZFUZZFUZZ0001", "fuzz-secret")
REGION = "us-east-1"


@dataclass(frozen=True)
class Case:
    """One generated request, reproducible from (seed, index)."""

    index: int
    service: str
    protocol: str
    operation: str
    mutation: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.service, self.operation, self.mutation)

    def repro(self) -> str:
        return f"{self.method} {self.path[:120]} {self.mutation} {self.body[:160]!r}"


@dataclass
class Outcome:
    """What the fuzzer saw: counts and the cases that broke a rule."""

    sent: int = 0
    unsendable: int = 0  # http.client refused to write the request (e.g. a header outside Latin-1)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[tuple[Case, str]] = field(default_factory=list)
    seconds: float = 0.0


@cache
def _model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def protocol_of(model: ServiceModel) -> str:
    protocols = model.metadata.get("protocols") or [model.protocol]
    return "smithy-rpc-v2-cbor" if "smithy-rpc-v2-cbor" in protocols else model.protocol


def cases(seed: int, count: int, services: list[str]) -> Iterator[Case]:
    """`count` cases, round-robin over `services`, all from `seed`."""
    rng = random.Random(seed)
    ops = {s: [o for o in _model(s).operation_names if not _skip(_model(s).operation_model(o))] for s in services}
    for index in range(count):
        service = services[index % len(services)]
        operation, mutation = rng.choice(ops[service]), rng.choice(MUTATIONS)
        for attempt in (mutation, "valid"):
            try:
                yield _case(index, service, operation, attempt, rng)
                break
            except Exception:  # noqa: S112 - botocore itself cannot write this request: try it valid
                continue


def _skip(op: OperationModel) -> bool:
    return op.has_event_stream_input or op.has_event_stream_output or bool(op.deprecated)


def _case(index: int, service: str, operation: str, mutation: str, rng: random.Random) -> Case:
    model = _model(service)
    op = model.operation_model(operation)
    protocol = protocol_of(model)
    params = generate(op.input_shape, rng, OPTIONS) if op.input_shape else {}
    if mutation in ("drop_member", "wrong_type", "odd_string") and params:
        _mutate_params(params, op, mutation, rng)
    request = create_serializer(protocol, include_validation=False).serialize_to_request(params, op)
    prepare_request_dict(request, endpoint_url="http://localhost", user_agent="cloudmock-fuzz")
    from botocore.awsrequest import create_request_object

    aws_request = create_request_object(request)
    body = aws_request.data
    if hasattr(body, "read"):
        body = body.read()
    aws_request.data = body if isinstance(body, bytes) else (body or "").encode() if isinstance(body, str) else b""
    signer_class = S3SigV4Auth if model.signature_version in ("s3", "s3v4") else SigV4Auth
    signer_class(CREDENTIALS, model.signing_name or model.endpoint_prefix, REGION).add_auth(aws_request)
    prepared = aws_request.prepare()
    parts = urlsplit(prepared.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {k: v for k, v in prepared.headers.items() if k.lower() not in ("content-length", "host")}
    data = prepared.body or b""
    if hasattr(data, "read"):
        data = data.read()
    data = data.encode() if isinstance(data, str) else bytes(data)
    path, headers, data = _mutate_wire(mutation, path, headers, data, rng)
    return Case(index, service, protocol, operation, mutation, prepared.method, path, headers, data)


def _mutate_params(params: dict[str, Any], op: OperationModel, mutation: str, rng: random.Random) -> None:
    name = rng.choice(sorted(params))
    if mutation == "drop_member":
        del params[name]
    elif mutation == "wrong_type":
        value = params[name]
        params[name] = rng.choice([123, "text", ["a"], {"k": "v"}, True]) if not isinstance(value, str) else 7
    else:
        strings = [k for k, v in params.items() if isinstance(v, str)]
        if strings:
            params[rng.choice(strings)] = rng.choice(ODD_STRINGS)


def _mutate_wire(
    mutation: str, path: str, headers: dict[str, str], body: bytes, rng: random.Random
) -> tuple[str, dict[str, str], bytes]:
    if mutation == "truncate_body" and body:
        body = body[: rng.randrange(len(body))]
    elif mutation == "corrupt_body" and body:
        data = bytearray(body)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        body = bytes(data)
    elif mutation == "mangle_path":
        path = rng.choice(["/%", "/..%2f..", "/" + "a" * 2000, path + "/extra/[x]", "/?Action=", "//"])
    elif mutation == "mangle_target":
        if "X-Amz-Target" in headers:
            headers["X-Amz-Target"] = rng.choice(["", ".", "Nope.Op", headers["X-Amz-Target"] + "x"])
        else:
            headers["Content-Type"] = rng.choice(["text/plain", "application/json", "multipart/form-data"])
    elif mutation == "bad_query":
        path += ("&" if "?" in path else "?") + rng.choice(["%", "a=%zz", "=x", "&&&", "x=%C3%A9%ZZ"])
    return path, headers, body


def check(case: Case, status: int, headers: HTTPHeaderDict, body: bytes) -> str | None:
    """The rule an answer broke, or None."""
    if status >= 500 and status != 501:
        return f"status {status}: {body[:600]!r}"
    op = _model(case.service).operation_model(case.operation)
    response = {"status_code": status, "headers": headers, "body": body,
                "context": {"operation_name": case.operation}}
    if status < 300 and (op.has_streaming_output or case.method == "HEAD"):
        return None  # a streamed payload is the caller's to read
    try:
        create_parser(case.protocol).parse(response, op.output_shape)
    except Exception as exc:
        return f"botocore cannot parse the {status} answer: {type(exc).__name__}: {exc}"[:300]
    return None


def _head(case: Case) -> bytes:
    lines = [f"{case.method} {case.path} HTTP/1.1", "Host: localhost", f"Content-Length: {len(case.body)}"]
    for name, value in case.headers.items():
        if "\r" in value or "\n" in value:
            raise ValueError("a header value with a line break cannot be sent")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def run(port: int, seed: int, count: int, services: list[str], timeout: float = 10.0) -> Outcome:
    """Send every case over one keep-alive connection (reopened only when the server says close)."""
    outcome = Outcome()
    started = time.perf_counter()
    sock: socket.socket | None = None
    for case in cases(seed, count, services):
        try:
            head = _head(case)
        except (UnicodeEncodeError, ValueError):
            outcome.unsendable += 1
            continue
        try:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
            sock.sendall(head + case.body)
            answer = http.client.HTTPResponse(sock, method=case.method)
            answer.begin()
            body = answer.read()
            headers = HTTPHeaderDict()
            for name, value in answer.getheaders():
                headers.add(name, value)
            problem = check(case, answer.status, headers, body)
            outcome.statuses[answer.status] += 1
            if answer.will_close:
                sock.close()
                sock = None
        except (OSError, http.client.HTTPException) as exc:
            problem = f"connection: {type(exc).__name__}: {exc}"
            if sock is not None:
                sock.close()
            sock = None
        outcome.sent += 1
        if problem:
            outcome.failures.append((case, problem))
    if sock is not None:
        sock.close()
    outcome.seconds = time.perf_counter() - started
    return outcome
