"""Model-wide round trips between our codecs and botocore, for any protocol.

For a service and one of its protocols, each sampled operation is checked three ways:

1. request: botocore's serializer (`botocore.serialize.create_serializer`) writes
   generated params, botocore's `AWSRequest` prepares the HTTP request, our codec's
   `find_operation` must name the operation and its `parse` must give the params back;
2. response: our `serialize` writes a generated output dict and botocore's parser
   (`botocore.parsers.create_parser`) must read back the same dict and request id;
3. errors: every modelled error shape of the operation goes through our
   `serialize_error`, then through the same steps botocore's client takes
   (parse, modelled error fields, query-compatible code override, exception class
   lookup): the client must see the modelled code, the message, the status, the
   fields and the request id.

Comparison normalises only what a wire cannot carry (`normalise`):

- NaN is compared as the string `"NaN"` (NaN != NaN); JSON-family bodies carry the
  float specials as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, which is what
  botocore's JSON parser hands back, so a float member equal to that string matches;
- timestamps compare as instants (botocore answers in local time); requests carry
  milliseconds only in ISO 8601 (botocore writes epoch and RFC 822 in whole seconds);
- empty lists and maps vanish where the wire has no way to write them: in headers and
  query strings, in query request bodies (maps, and ec2 lists), and as flattened XML
  lists and maps; an empty structure vanishes from query/ec2 request bodies (and with
  it its list item);
- the error code's own places belong to the envelope: error members named `Code` or
  `Type` in XML error bodies, and members bound to the `x-amzn-ErrorType` header, are
  not compared;
- a header map without a prefix reads back every response header: only the headers
  sent are compared;
- a member bound to the `Content-Length` header comes back even if not sent: the HTTP
  layer always writes the header (and so does one bound to `Content-Type`, which
  botocore writes on requests with a body and an event stream on its responses);
- rest payloads: an empty blob or string payload is no body, and no body is the same
  as an empty payload, `{}` (structure; botocore even sends `{}` for it in rest-json)
  or `b""` (blob); a blob payload comes back as a `StreamingBody`, which is read;
- an absent `statusCode` member reads back as the response status;
- a HEAD error has no body, so no message or body fields (and rest-xml clients name
  it by its status alone: `404`, `Not Found`).

Event-stream operations round-trip their events too: a generated list of events
(non-exception members of the stream) is the stream member of the output; our
codec frames it and botocore's own parser and `EventStream` must yield the same
events (after the rpc protocols' `initial-response`, which carries the other
members); every modelled exception event of the stream, raised by the service
after the first event, must reach the client as an `EventStreamError` with its
code and message. An event's absent `eventpayload` member is an empty payload,
which botocore reads as an empty blob, string or structure. botocore has no
serializer for input event streams, so their requests are botocore's serializer
for everything else (URI, headers) and for each event's body, framed by our
encoder (which the output checks prove against botocore's decoder).

Operations that cannot round-trip this way are listed in `EXCLUSIONS` with reasons.
"""

from __future__ import annotations

import http.client
import io
import math
import os
import random
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import botocore.handlers
import pytest
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.errorfactory import ClientExceptionsFactory
from botocore.exceptions import EventStreamError
from botocore.model import OperationModel, Shape
from botocore.parsers import create_parser
from botocore.response import StreamingBody
from botocore.serialize import create_serializer
from shapegen import GenOptions, generate
from urllib3 import HTTPHeaderDict

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import available_services, index, service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.protocols.base import Codec
from pytest_cloudmock.protocols.eventstream import EventBodies, event_message
from pytest_cloudmock.protocols.values import (
    DEFAULT_TIMESTAMP_FORMATS,
    ISO8601,
    UNIX,
    timestamp_format,
)

ENDPOINT = "https://cloudmock.us-east-1.amazonaws.com"
FULL_SWEEP = os.environ.get("CLOUDMOCK_FULL_SWEEP") == "1"
# Default sample: this many operations of every service, or this share of a big one.
OPS_PER_SERVICE = int(os.environ.get("CLOUDMOCK_OPS_PER_SERVICE", "3"))
OPS_SHARE = 0.04
REQUEST_ID = "c0ffee00-0000-4000-8000-000000000001"

# Individually excluded operations: "service:Operation" -> reason.
_SAME_WIRE = "deprecated twin of {}: the same HTTP request, so the wire cannot tell them apart"
EXCLUSIONS: dict[str, str] = {
    "s3:GetBucketLifecycle": _SAME_WIRE.format("GetBucketLifecycleConfiguration"),
    "s3:PutBucketLifecycle": _SAME_WIRE.format("PutBucketLifecycleConfiguration"),
    "s3:GetBucketNotification": _SAME_WIRE.format("GetBucketNotificationConfiguration"),
    "s3:PutBucketNotification": _SAME_WIRE.format("PutBucketNotificationConfiguration"),
    "s3:ListDirectoryBuckets": "without parameters it is `GET /` like ListBuckets; only the "
    "s3express signing name tells them apart, and the harness does not sign requests",
}

INPUT_OPTIONS = GenOptions(timestamp_ms=True)
OUTPUT_OPTIONS = GenOptions(timestamp_ms=True)


def services_for(protocol: str) -> list[str]:
    """Every botocore service that lists `protocol` (from the routing index: no model loads)."""
    protocols = index().protocols
    return [name for name in available_services() if protocol in protocols.get(name, ())]


def roundtrip_test(protocol: str):
    """The parametrised test a `test_roundtrip_<protocol>.py` module exposes."""

    @pytest.mark.parametrize("service", services_for(protocol))
    def test_roundtrip(service: str, roundtrip_seed: int, record_roundtrip) -> None:
        result = run_service(service, protocol, roundtrip_seed)
        record_roundtrip(result)
        assert result.tried + len(result.excluded) > 0
        assert not result.failures, f"seed {roundtrip_seed} (CLOUDMOCK_SEED)\n{result.report()}"

    return test_roundtrip


def exclusion(op: OperationModel) -> str | None:
    """Why an operation is not round-tripped, or None."""
    return EXCLUSIONS.get(f"{op.service_model.service_name}:{op.name}")


@dataclass
class ServiceResult:
    """What one service's round trip did, for the per-protocol table."""

    service: str
    protocol: str
    tried: int = 0
    passed: int = 0
    excluded: dict[str, str] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)

    def report(self) -> str:
        lines = [f"{self.service} ({self.protocol}): {len(self.failures)} of {self.tried} failed"]
        for op, problems in self.failures.items():
            lines += [f"  {op}:", *(f"    - {p}" for p in problems)]
        return "\n".join(lines)


def run_service(service: str, protocol: str, seed: int) -> ServiceResult:
    """Round-trip a seeded sample of the service's operations (all with FULL_SWEEP)."""
    model = service_model(service)
    codec = codec_for(protocol, service)
    result = ServiceResult(service, protocol)
    names = sorted(model.operation_names)
    rng = random.Random(f"{seed}:{service}:{protocol}")
    sample = max(OPS_PER_SERVICE, math.ceil(len(names) * OPS_SHARE))
    if not FULL_SWEEP and len(names) > sample:
        names = sorted(rng.sample(names, sample))
    for name in names:
        op = model.operation_model(name)
        reason = exclusion(op)
        if reason:
            result.excluded[name] = reason
            continue
        result.tried += 1
        problems = check_operation(codec, protocol, op, random.Random(f"{seed}:{service}:{name}"))
        if problems:
            result.failures[name] = problems
        else:
            result.passed += 1
    return result


def check_operation(
    codec: Codec, protocol: str, op: OperationModel, rng: random.Random
) -> list[str]:
    """All three round trips of one operation; the problems found (empty if none)."""
    problems = []
    for check in (check_request, check_response, check_errors):
        try:
            problems += check(codec, protocol, op, rng)
        except Exception as exc:  # report, do not stop the sweep
            problems.append(f"{check.__name__}: {_describe(exc)}")
    return problems


# -- 1. requests -------------------------------------------------------------


@cache
def _serializer(protocol: str, validate: bool = True) -> Any:
    return create_serializer(protocol, include_validation=validate)


def botocore_request(
    protocol: str,
    op: OperationModel,
    params: dict[str, Any],
    validate: bool = True,
    event_stream: bytes | None = None,
):
    """The `WireRequest` botocore sends for `params` (serializer + `AWSRequest.prepare`).

    With `event_stream`, that is the body (`params` then lacks the required stream
    member, so `validate` is off).
    """
    from pytest_cloudmock.wire import WireRequest

    request_dict = _serializer(protocol, validate).serialize_to_request(params, op)
    if event_stream is not None:
        request_dict["body"] = event_stream
        request_dict["headers"]["Content-Type"] = "application/vnd.amazon.eventstream"
    prepare_request_dict(request_dict, endpoint_url=ENDPOINT, user_agent="cloudmock-harness")
    prepared = create_request_object(request_dict).prepare()
    parts = urlsplit(prepared.url)
    body = prepared.body
    if hasattr(body, "read"):
        body = body.read()
    url = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), *prepared.headers.items()]
    return WireRequest.from_parts(prepared.method, url, headers, body or b"")


def generate_events(stream: Shape, rng: random.Random, options: GenOptions) -> list[dict[str, Any]]:
    """One to three events of random (non-exception) members of an event stream."""
    names = [n for n, m in stream.members.items() if not m.metadata.get("exception")]
    return [
        {name: generate(stream.members[name], rng, options)}
        for name in (rng.choice(names) for _ in range(rng.randint(1, 3)))
    ]


def botocore_event_stream_request(protocol: str, op: OperationModel, params: dict[str, Any]):
    """The request for an input event stream: botocore's for the other members, the body
    our framing of the events, each event's body written by botocore's serializer."""
    name = op.input_shape.serialization["payload"]
    serializer = _serializer(protocol, validate=False)
    bodies = EventBodies(
        "application/json" if protocol == "rest-json" else "text/xml",
        lambda shape, value: serializer._serialize_body_params(value, shape),
        lambda shape, data: None,
    )
    stream = op.input_shape.members[name]
    body = b"".join(
        event_message(event_name, stream.members[event_name], value, bodies)
        for event in params.get(name, ())
        for event_name, value in event.items()
    )
    others = {k: v for k, v in params.items() if k != name}
    return botocore_request(protocol, op, others, validate=False, event_stream=body)


def check_request(codec: Codec, protocol: str, op: OperationModel, rng: random.Random) -> list[str]:
    params = generate(op.input_shape, rng, INPUT_OPTIONS) if op.input_shape is not None else {}
    stream = op.get_event_stream_input()
    if stream is not None:
        params[op.input_shape.serialization["payload"]] = generate_events(stream, rng, INPUT_OPTIONS)
        wire = botocore_event_stream_request(protocol, op, params)
    else:
        wire = botocore_request(protocol, op, params)
    found = codec.find_operation(wire, op.service_model)
    if found != op.name:
        return [f"request: find_operation gave {found!r}"]
    parsed = codec.parse(wire, op)
    shape = op.input_shape
    if stream is not None:
        name = shape.serialization["payload"]
        sent, got = params.pop(name), list(parsed.pop(name, ()))
        if normalise_events(sent, stream, protocol, "input") != normalise_events(
            got, stream, protocol, "input"
        ):
            return [f"request: events mismatch {_diff(sent, got)}"]
    for name, member in shape.members.items() if shape is not None else ():
        header = member.serialization.get("name", "").lower()
        located = member.serialization.get("location") == "header"
        if located and header in ("content-length", "content-type") and name not in params:
            parsed.pop(name, None)  # the HTTP layer and botocore write these anyway
    expected = normalise(params, shape, protocol, "input")
    got = normalise(parsed, shape, protocol, "input")
    if expected != got:
        return [f"request: parse mismatch {_diff(expected, got)}"]
    return []


# -- 2. responses ------------------------------------------------------------


def response_dict(wire_response, op: OperationModel) -> dict[str, Any]:
    """The response dict botocore's endpoint hands its parser (`convert_to_response_dict`)."""
    body = wire_response.body
    chunks = [body] if isinstance(body, (bytes, bytearray)) else list(body)
    body = b"".join(chunks)
    headers = HTTPHeaderDict()
    for key, value in wire_response.headers.items():
        headers.add(key, value)
    out: dict[str, Any] = {
        "headers": headers,
        "status_code": wire_response.status,
        "context": {"operation_name": op.name},
    }
    if wire_response.status < 300 and op.has_event_stream_output:
        out["body"] = RawStream(chunks)
    elif wire_response.status < 300 and op.has_streaming_output:
        out["body"] = StreamingBody(io.BytesIO(bytes(body)), len(body))
    else:
        out["body"] = bytes(body)
    return out


class RawStream:
    """The raw HTTP body botocore hands an `EventStream` (urllib3's `stream()`), chunk by chunk."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def stream(self) -> Any:
        return iter(self.chunks)

    def close(self) -> None:
        pass


def check_response(
    codec: Codec, protocol: str, op: OperationModel, rng: random.Random
) -> list[str]:
    shape = op.output_shape
    result = generate(shape, rng, OUTPUT_OPTIONS) if shape is not None else {}
    stream = op.get_event_stream_output()
    problems = []
    if stream is not None:
        name = shape.event_stream_name or shape.serialization["payload"]
        events = result[name] = generate_events(stream, rng, OUTPUT_OPTIONS)
        problems += check_exception_events(codec, protocol, op, name, stream)
    wire = codec.serialize(result, op, REQUEST_ID)
    raw = response_dict(wire, op)
    parsed = create_parser(protocol).parse(raw, shape)
    if (op.service_model.service_name, op.name) == ("s3", "GetBucketLocation"):
        # botocore's client reads this body in a handler, not in its parser; an empty
        # root (us-east-1) reads as None
        http = SimpleNamespace(raw=True, content=raw["body"])
        botocore.handlers.parse_get_bucket_location(parsed, http)
        if parsed["LocationConstraint"] is None:
            del parsed["LocationConstraint"]
    metadata = parsed.pop("ResponseMetadata", {})
    if stream is not None:
        got = list(parsed.pop(name))
        result = {k: v for k, v in result.items() if k != name}
        if normalise_events(events, stream, protocol, "output") != normalise_events(
            got, stream, protocol, "output"
        ):
            problems.append(f"response: events mismatch {_diff(events, got)}")
    if request_id(metadata) != REQUEST_ID:
        problems.append(f"response: request id {request_id(metadata)!r}")
    for name, member in shape.members.items() if shape is not None else ():
        located = member.serialization.get("location") == "header"
        header = member.serialization.get("name", "").lower()
        if located and header == "content-type" and stream is not None and name not in result:
            parsed.pop(name, None)  # an event stream's own Content-Type
        if member.serialization.get("location") == "statusCode" and name not in result:
            result = {**result, name: wire.status}  # botocore always reads the status
        if member.serialization.get("location") == "headers" and not member.serialization.get(
            "name"
        ):  # a header map without prefix collects every header, the protocol's too
            parsed[name] = {
                k: v for k, v in parsed.get(name, {}).items() if k in result.get(name, {})
            }
            if not parsed[name] and name not in result:
                del parsed[name]
    expected = normalise(result, shape, protocol, "output")
    got = normalise(parsed, shape, protocol, "output")
    if expected != got:
        problems.append(f"response: parse mismatch {_diff(expected, got)}")
    return problems


def check_exception_events(
    codec: Codec, protocol: str, op: OperationModel, name: str, stream: Shape
) -> list[str]:
    """Each modelled exception of the stream, raised after a first event, reaches the
    client as an `EventStreamError` with its member name and message."""
    problems = []
    first = next(n for n, m in stream.members.items() if not m.metadata.get("exception"))
    for member_name, member in stream.members.items():
        if not member.metadata.get("exception"):
            continue

        error = AWSError(member.name, f"{member.name} happened")
        wire = codec.serialize({name: _fail_after_one(first, error)}, op, REQUEST_ID)
        parsed = create_parser(protocol).parse(response_dict(wire, op), op.output_shape)
        try:
            list(parsed[name])
            problems.append(f"exception event {member_name}: no error raised")
        except EventStreamError as exc:
            want = {"Code": member_name, "Message": f"{member.name} happened"}
            if exc.response["Error"] != want:
                problems.append(f"exception event {member_name}: {exc.response['Error']}")
    return problems


def _fail_after_one(first: str, error: AWSError) -> Any:
    yield {first: {}}
    raise error


def normalise_events(
    events: list[dict[str, Any]], stream: Shape, protocol: str, direction: str
) -> list[Any]:
    """Events as compared: each normalised per its member's shape; an absent
    `eventpayload` member as the empty value botocore reads from an empty payload."""
    out = []
    for event in events:
        for name, value in event.items():
            shape = stream.members[name]
            value = dict(value or {})
            for member_name, member in shape.members.items():
                if member.serialization.get("eventpayload") and value.get(member_name) is None:
                    value[member_name] = _EMPTY_EVENT_PAYLOADS.get(member.type_name, {})
            out.append({name: _norm(value, shape, protocol, direction, None, top=True)})
    return out


_EMPTY_EVENT_PAYLOADS = {"blob": b"", "string": ""}


def request_id(metadata: dict[str, Any]) -> str | None:
    """The request id botocore reports, else the one in the headers (botocore's rpc-v2
    parser reads none for operations without output)."""
    headers = metadata.get("HTTPHeaders", {})
    return (
        metadata.get("RequestId")
        or headers.get("x-amzn-requestid")
        or headers.get("x-amz-request-id")
    )


# -- 3. errors ---------------------------------------------------------------


@cache
def _client_exceptions(service: str) -> Any:
    return ClientExceptionsFactory().create_client_exceptions(service_model(service))


def message_member(shape: Shape) -> str | None:
    """The error shape's message member (`message` or `Message`), if any."""
    return next((m for m in shape.members if m.lower() == "message"), None)


def client_error(protocol: str, op: OperationModel, wire_response) -> tuple[dict[str, Any], str]:
    """What botocore's client makes of an error response: the parsed dict and the code
    it looks the exception class up by."""
    parser = create_parser(protocol)
    raw = response_dict(wire_response, op)
    parsed = parser.parse(raw, op.output_shape)
    # botocore.endpoint.Endpoint._add_modeled_error_fields
    code = parsed.get("Error", {}).get("Code")
    error_shape = op.service_model.shape_for_error_code(code) if code is not None else None
    if error_shape is not None:
        parsed.update(parser.parse(raw, error_shape))
    # botocore.client.BaseClient._make_api_call (+ the after-call.sqs.* handler)
    context: dict[str, Any] = {}
    if op.service_model.service_name == "sqs":
        botocore.handlers._handle_sqs_compatible_error(parsed, context)
    return parsed, context.get("error_code_override") or parsed.get("Error", {}).get("Code")


def check_errors(codec: Codec, protocol: str, op: OperationModel, rng: random.Random) -> list[str]:
    problems = []
    exceptions = _client_exceptions(op.service_model.service_name)
    for shape in op.error_shapes:
        status = shape.metadata.get("error", {}).get("httpStatusCode", 400)
        fields = generate(shape, rng, GenOptions(optional=1.0, max_depth=2))
        msg_name = message_member(shape)
        message = fields.pop(msg_name, "") if msg_name else ""
        if not message:
            message = f"{shape.name} happened"
        error = AWSError(shape.name, message, status, fields=fields)
        wire = codec.serialize_error(error, op.service_model, op, REQUEST_ID)
        parsed, code = client_error(protocol, op, wire)
        err = parsed.get("Error", {})
        where = f"error {shape.name}"
        want = shape.error_code
        if op.http.get("method") == "HEAD":  # no body: no message, only header fields
            message = ""
            fields = {
                k: v for k, v in fields.items() if shape.members[k].serialization.get("location")
            }
            if protocol == "rest-xml":  # S3: botocore names the error by its status alone
                want, message = str(status), http.client.responses[status]
        # Two shapes may share a code (CloudWatch): botocore maps the code to one class.
        unmapped = want == shape.error_code and exceptions.from_code(code) is exceptions.ClientError
        if code != want or unmapped:
            problems.append(f"{where}: client sees code {code!r}, want {want!r}")
        if err.get("Message") != message:
            problems.append(f"{where}: message {err.get('Message')!r}")
        meta = parsed.get("ResponseMetadata", {})
        if meta.get("HTTPStatusCode") != status:
            problems.append(f"{where}: status {meta.get('HTTPStatusCode')}, want {status}")
        if request_id(meta) != REQUEST_ID:
            problems.append(f"{where}: request id {request_id(meta)!r}")
        # The body must carry the fields, whether or not botocore's client surfaces them
        # (it does not when Error.Code is a legacy query code, as for SQS). The message
        # travels as Error.Message (checked above); XML bodies carry it only there.
        got = create_parser(protocol).parse(response_dict(wire, op), shape)
        if got.pop(msg_name, message) != message:
            problems.append(f"{where}: modelled {msg_name} differs from {message!r}")
        for name in [n for n in fields if _is_error_envelope(shape.members[n], n, protocol)]:
            fields.pop(name)
            got.pop(name, None)
        expected = normalise(fields, shape, protocol, "output")
        got = normalise(got, shape, protocol, "output")
        if expected != got:
            problems.append(f"{where}: fields mismatch {_diff(expected, got)}")
    return problems


# -- comparison --------------------------------------------------------------

_XML = ("query", "ec2", "rest-xml")
_XML_ERROR_ENVELOPE = {"Code", "Type", "RequestId", "HostId"}
_JSON_SPECIALS = {"NaN", "Infinity", "-Infinity"}


def _is_error_envelope(member: Shape, name: str, protocol: str) -> bool:
    """Whether an error member is where the protocol writes the error code itself."""
    if member.serialization.get("location") == "header":
        return member.serialization.get("name", "").lower() == "x-amzn-errortype"
    return protocol in _XML and name in _XML_ERROR_ENVELOPE


def normalise(value: Any, shape: Shape | None, protocol: str, direction: str) -> Any:
    """`value` with what the wire cannot carry taken out (see the module docstring)."""
    if shape is None:
        return value
    payload = shape.serialization.get("payload")
    if payload and isinstance(value, dict):
        value = dict(value)
        kind = shape.members[payload].type_name
        if value.get(payload) in (b"", ""):
            del value[payload]  # an empty body is no body
        if payload not in value and kind in _EMPTY_PAYLOADS:
            value[payload] = _EMPTY_PAYLOADS[kind]  # ... and no body reads as empty
    return _norm(value, shape, protocol, direction, None, top=True)


_EMPTY_PAYLOADS = {"structure": {}, "blob": b""}


def _request_timestamp_format(shape: Shape, protocol: str, location: str | None) -> str:
    """The format botocore's serializer writes a timestamp in."""
    if protocol == "smithy-rpc-v2-cbor":
        return UNIX  # tag 1 epoch seconds, whatever the trait
    default = DEFAULT_TIMESTAMP_FORMATS.get(location or "", DEFAULT_TIMESTAMP_FORMATS[protocol])
    return timestamp_format(shape, default)


def _drops_empty(shape: Shape, protocol: str, direction: str, location: str | None) -> bool:
    if location in ("header", "headers", "querystring"):
        return True
    if direction == "input" and protocol in ("query", "ec2"):
        return shape.type_name in ("map", "structure") or protocol == "ec2"
    return protocol in _XML and bool(shape.serialization.get("flattened"))


def _norm(
    value: Any, shape: Shape, protocol: str, direction: str, location: str | None, top: bool = False
) -> Any:
    kind = shape.type_name
    location = shape.serialization.get("location", location)
    if value is None:
        return None
    if kind == "structure" and not shape.is_document_type and isinstance(value, dict):
        out = {}
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                out[name] = item
                continue
            norm = _norm(item, member, protocol, direction, None)
            if norm is _EMPTY:
                continue
            out[name] = norm
        if not out and not top and _drops_empty(shape, protocol, direction, location):
            return _EMPTY
        return out
    if kind == "list" and isinstance(value, list):
        items = [_norm(v, shape.member, protocol, direction, location) for v in value]
        kept = [item for item in items if item is not _EMPTY]
        if len(kept) < len(items) and not kept:
            return _EMPTY  # only vanished items: the list left nothing on the wire
        if not kept and _drops_empty(shape, protocol, direction, location):
            return _EMPTY
        return kept
    if kind == "map" and isinstance(value, dict):
        items = {k: _norm(v, shape.value, protocol, direction, location) for k, v in value.items()}
        kept = {k: v for k, v in items.items() if v is not _EMPTY}  # e.g. an empty query list
        if not kept and _drops_empty(shape, protocol, direction, location):
            return _EMPTY
        return kept
    if kind in ("float", "double"):
        if isinstance(value, float) and math.isnan(value):
            return "NaN"
        if isinstance(value, float) and math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if isinstance(value, str) and value in _JSON_SPECIALS:
            return value
        return (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else value
        )
    if kind == "timestamp" and isinstance(value, datetime):
        if direction == "input" and _request_timestamp_format(shape, protocol, location) != ISO8601:
            return float(int(value.timestamp()))  # botocore sends whole seconds
        return round(value.timestamp(), 6)
    if kind == "blob" and isinstance(value, StreamingBody):
        return value.read()
    return value


class _Empty:
    def __repr__(self) -> str:
        return "<empty>"


_EMPTY = _Empty()


def _diff(expected: Any, got: Any, path: str = "") -> str:
    """The first place two normalised values differ, as `path: expected != got`."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got), key=str):
            if expected.get(key, _EMPTY) != got.get(key, _EMPTY):
                return _diff(expected.get(key, _EMPTY), got.get(key, _EMPTY), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            if a != b:
                return _diff(a, b, f"{path}[{i}]")
    return f"at {path or '<root>'}: sent {_short(expected)}, got {_short(got)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "..."


def _describe(exc: Exception) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc} ({os.path.basename(frame.filename)}:{frame.lineno})"
