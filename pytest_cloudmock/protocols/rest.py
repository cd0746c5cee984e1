"""Shared machinery of the REST protocols (rest-json, rest-xml).

- Routing: `find_operation` matches method, path and query against every
  operation's `http.requestUri` with werkzeug's URL map (built once per service
  model). Several operations may share a path (S3's `/{Bucket}/{Key+}`): the most
  specific wins, i.e. the one whose static query keys (`?uploads`,
  `?list-type=2`) and required query/header members (`uploadId`,
  `x-amz-copy-source`) the request carries. An `x-id=Op` query parameter names
  the operation outright.
- Locations: `uri` labels, `querystring`, `header`, `headers` prefix maps and
  `statusCode`, both ways, as botocore's `BaseRestSerializer` and
  `BaseRestParser` write and read them.
- `RestCodec`: the protocol-neutral half of both codecs; subclasses only read
  and write bodies and errors.
- `virtual_host_bucket`/`to_path_style`: S3 virtual-host requests to path style.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any
from urllib.parse import parse_qsl, unquote

from botocore.model import OperationModel, ServiceModel, Shape
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, Rule

from ..api import AWSError
from ..wire import WireRequest, WireResponse
from .base import Codec
from .values import ISO8601, RFC822, scalar_from_text, scalar_to_text

_LABEL = re.compile(r"{([^}]+)}")
_READ_CHUNK = 64 * 1024


# -- routing -------------------------------------------------------------------------


class _Label(BaseConverter):
    """One path segment (or part of one), percent-decoded."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)


class _Greedy(BaseConverter):
    """A greedy `{Key+}` label: any characters, slashes included, percent-decoded."""

    regex = ".+?"
    part_isolating = False

    def to_python(self, value: str) -> str:
        return unquote(value)


class _MatchRule(Rule):
    """A rule that only matches requests.

    werkzeug compiles a URL builder (generated code) for every rule, which is most
    of the cost of a map; routing never builds URLs, so the builder is a stub.
    """

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., Any]:
        return _no_builder


def _no_builder(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("cloudmock's REST rules only match, they do not build URLs")


def _url_map(templates: Iterable[str]) -> Map:
    return Map(
        [_MatchRule(t, endpoint=t) for t in sorted(templates)],
        converters={"label": _Label, "greedy": _Greedy},
        strict_slashes=False,
        merge_slashes=False,
    )


def _match(url_map: Map, path: str, method: str | None = None) -> tuple[str, dict[str, str]] | None:
    """werkzeug's match of a raw path (a trailing slash also matches without it)."""
    adapter = url_map.bind("localhost")
    paths = (path, path.rstrip("/") or "/") if path.endswith("/") and path != "/" else (path,)
    for candidate in paths:
        try:
            rule, values = adapter.match(candidate, method=method)
        except HTTPException:
            continue
        return str(rule), values
    return None


@dataclass(frozen=True)
class UriTemplate:
    """An operation's `requestUri`, split into a werkzeug rule and static query keys."""

    rule: str  # werkzeug rule with positional labels: /<label:p0>/<greedy:p1>
    labels: tuple[str, ...]  # model label names, in rule order (p0, p1, ...)
    query: tuple[tuple[str, str], ...]  # static query keys and required values ('' = any)

    @classmethod
    def parse(cls, request_uri: str) -> UriTemplate:
        path, _, query = request_uri.partition("?")
        labels: list[str] = []

        def label(match: re.Match[str]) -> str:
            name = match.group(1)
            greedy = name.endswith("+")
            labels.append(name.rstrip("+"))
            return f"<{'greedy' if greedy else 'label'}:p{len(labels) - 1}>"

        rule = _LABEL.sub(label, path)
        static = tuple(parse_qsl(query, keep_blank_values=True))
        return cls(rule, tuple(labels), static)

    def query_score(self, query: Mapping[str, list[str]]) -> int | None:
        """How many static query keys the request carries, or None if one is missing.

        `x-id` (the operation name newer SDKs add) is optional: absent it still matches.
        """
        score = 0
        for key, value in self.query:
            got = query.get(key)
            if got is None:
                if key == "x-id":
                    continue
                return None
            if value and value not in got:
                return None
            score += 1
        return score


@dataclass
class _Candidate:
    name: str
    template: UriTemplate
    required_query: tuple[str, ...]
    required_headers: tuple[str, ...]
    known_query: frozenset[str]
    express: bool  # an S3 Express control-plane operation (`UseS3ExpressControlEndpoint`)
    deprecated: bool
    order: int

    def score(
        self, request: WireRequest, header_names: set[str], express: bool
    ) -> tuple[int, ...] | None:
        """How well the request fits (higher is better), or None if it cannot be this one."""
        static = self.template.query_score(request.query)
        if static is None:
            return None
        present = sum(1 for k in self.required_query if k in request.query) + sum(
            1 for h in self.required_headers if h in header_names
        )
        complete = present == len(self.required_query) + len(self.required_headers)
        known = sum(1 for k in request.query if k in self.known_query)
        return (
            static,
            complete,
            present,
            known,
            self.express == express,
            not self.deprecated,
            -self.order,
        )


@dataclass
class _Router:
    """werkzeug maps (one per HTTP method, built on first use) over a service's URI templates."""

    templates: dict[str, set[str]] = field(default_factory=dict)
    candidates: dict[tuple[str, str], list[_Candidate]] = field(default_factory=dict)
    by_name: dict[str, _Candidate] = field(default_factory=dict)
    maps: dict[str, Map] = field(default_factory=dict)

    @classmethod
    def build(cls, model: ServiceModel) -> _Router:
        router = cls()
        for order, name in enumerate(model.operation_names):
            op = model.operation_model(name)
            method = op.http.get("method", "POST").upper()
            template = UriTemplate.parse(op.http.get("requestUri", "/"))
            candidate = _candidate(op, template, order)
            router.by_name[name] = candidate
            router.candidates.setdefault((method, template.rule), []).append(candidate)
            router.templates.setdefault(method, set()).add(template.rule)
        return router

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        """The matching rule and its positional label values, or None."""
        url_map = self.maps.get(method)
        if url_map is None:
            templates = self.templates.get(method)
            if not templates:
                return None
            url_map = self.maps[method] = _url_map(templates)
        return _match(url_map, path, method)

    def find(self, request: WireRequest) -> str | None:
        matched = self.match(request.method, request.path)
        if matched is None:
            return None
        candidates = self.candidates[(request.method, matched[0])]
        explicit = request.query_value("x-id")
        if explicit and any(c.name == explicit for c in candidates):
            return explicit
        best: tuple[tuple[int, ...], str] | None = None
        header_names = {key.lower() for key, _ in request.headers.items()}
        express = _signed_for(request, "s3express")
        for candidate in candidates:
            score = candidate.score(request, header_names, express)
            if score is not None and (best is None or score > best[0]):
                best = (score, candidate.name)
        return best[1] if best else None

    def labels(self, request: WireRequest, operation: str) -> dict[str, str]:
        """The operation's URI label values in the request path (model names, decoded)."""
        template = self.by_name[operation].template
        if not template.labels:
            return {}
        matched = self.match(request.method, request.path)
        if matched is None or matched[0] != template.rule:
            matched = _match(_single_rule_map(template.rule), request.path)
        if matched is None:
            return {}
        return {template.labels[int(k[1:])]: v for k, v in matched[1].items()}


def _candidate(op: OperationModel, template: UriTemplate, order: int) -> _Candidate:
    shape = op.input_shape
    required_query: list[str] = []
    required_headers: list[str] = []
    known = {k for k, _ in template.query}
    if shape is not None:
        required = set(shape.required_members)
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "querystring":
                known.add(wire_name)
                if name in required and member.type_name != "map":
                    required_query.append(wire_name)
            elif location == "header" and name in required:
                required_headers.append(wire_name.lower())
    return _Candidate(
        op.name,
        template,
        tuple(required_query),
        tuple(required_headers),
        frozenset(known),
        any(
            p.name == "UseS3ExpressControlEndpoint" and p.value
            for p in op.static_context_parameters
        ),
        bool(op.deprecated),
        order,
    )


def _signed_for(request: WireRequest, service: str) -> bool:
    """Whether the request's SigV4 credential scope names `service` (header or presigned).

    S3 Express control operations share paths with S3's (`GET /` lists directory
    buckets or general ones): only the signing name tells them apart.
    """
    scope = request.headers.get("Authorization", "") or request.query_value("X-Amz-Credential")
    return f"/{service}/aws4_request" in (scope or "")


@lru_cache(maxsize=256)
def _single_rule_map(rule: str) -> Map:
    return _url_map((rule,))


@lru_cache(maxsize=512)
def router_for(model: ServiceModel) -> _Router:
    """The (cached) router of a service model."""
    return _Router.build(model)


def find_operation(request: WireRequest, model: ServiceModel) -> str | None:
    """The operation a REST request calls (method + path + query + headers), or None."""
    return router_for(model).find(request)


# -- S3 virtual hosts ----------------------------------------------------------------


def virtual_host_bucket(
    host: str, hostname: str, is_service: Callable[[str], bool] | None = None
) -> str | None:
    """The bucket named by an S3 virtual-host `Host`, or None for a path-style host.

    `b.s3.localhost:4566`, `b.s3.us-east-1.localhost` and `b.s3-us-west-2.localhost`
    name bucket `b` (the last `s3` label counts: bucket names may contain one).
    `hostname` is the gateway's own host name (`localhost`). With `is_service`, a
    host without an `s3` label (`b.localhost`) names a bucket unless its first label
    is a service (`sqs.localhost`).
    """
    host = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    suffix = "." + hostname.lower()
    if not host.endswith(suffix):
        return None
    labels = host[: -len(suffix)].split(".")
    for i in range(len(labels) - 1, -1, -1):
        if labels[i] == "s3" or labels[i].startswith("s3-"):
            return ".".join(labels[:i]) or None
    if is_service is not None and not is_service(labels[0]):
        return ".".join(labels)
    return None


def to_path_style(
    request: WireRequest, hostname: str, is_service: Callable[[str], bool] | None = None
) -> bool:
    """Rewrite a virtual-host S3 request to path style (`/bucket/key`) in place.

    Returns whether the request was rewritten (see `virtual_host_bucket`).
    """
    bucket = virtual_host_bucket(request.host, hostname, is_service)
    if not bucket:
        return False
    request.path = "/" + bucket + (request.path if request.path != "/" else "")
    request.__dict__.pop("unquoted_path", None)
    return True


# -- locations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A structure member bound to a non-body location."""

    name: str
    shape: Shape
    location: str  # uri, querystring, header, headers, statusCode
    wire_name: str  # label, query key, header name or header prefix (model spelling)


@lru_cache(maxsize=4096)
def located_members(shape: Shape | None) -> tuple[Located, ...]:
    """Every member of a structure bound to a non-body location (cached per shape)."""
    if shape is None:
        return ()
    return tuple(
        Located(
            name, member, member.serialization["location"], member.serialization.get("name", name)
        )
        for name, member in shape.members.items()
        if member.serialization.get("location")
    )


def has_body_members(shape: Shape | None) -> bool:
    """Whether the shape has members that travel in the body (no location)."""
    return shape is not None and any(
        "location" not in m.serialization for m in shape.members.values()
    )


def split_header_list(value: str) -> list[str]:
    """Items of a comma-separated header list (RFC 7230), quoted items unescaped."""
    items: list[str] = []
    i, n = 0, len(value)
    while i <= n:
        while i < n and value[i] in " \t":
            i += 1
        if i < n and value[i] == '"':
            i += 1
            buf = []
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(value[i])
                i += 1
            items.append("".join(buf))
            i = value.find(",", i)
            i = n + 1 if i < 0 else i + 1
            continue
        end = value.find(",", i)
        end = n if end < 0 else end
        items.append(value[i:end].strip())
        i = end + 1
    return items


def join_header_list(shape: Shape, values: Iterable[Any]) -> str:
    """A list member as one header value, as botocore writes it."""
    parts = []
    for value in values:
        if value is None:
            continue
        if shape.member.type_name == "string":
            text = str(value)
            if '"' in text or "," in text:
                text = '"' + text.replace('"', '\\"') + '"'
            parts.append(text)
        else:
            parts.append(header_text(shape.member, value))
    return ",".join(parts)


def header_text(shape: Shape, value: Any) -> str:
    """A scalar or `jsonvalue` member as a header value."""
    if shape.serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()
    if shape.type_name == "list":
        return join_header_list(shape, value)
    return scalar_to_text(shape, value, RFC822)


def header_value(shape: Shape, text: str) -> Any:
    """The typed value of a header (lists split, `jsonvalue` decoded)."""
    if shape.type_name == "list":
        return [header_value(shape.member, item) for item in split_header_list(text)]
    if shape.serialization.get("jsonvalue"):
        return json.loads(base64.b64decode(text).decode("utf-8"))
    return scalar_from_text(shape, text, RFC822)


def lower_headers(headers: Headers | Mapping[str, str]) -> dict[str, str]:
    """Headers by lower-cased name (the first value of a repeated header)."""
    out: dict[str, str] = {}
    for key, value in headers.items():
        out.setdefault(key.lower(), value)
    return out


def _query_value(shape: Shape, values: list[str]) -> Any:
    if shape.type_name == "list":
        return [scalar_from_text(shape.member, v, ISO8601) for v in values]
    return scalar_from_text(shape, values[0], ISO8601)


def parse_locations(
    request: WireRequest, operation: OperationModel, headers: Headers | None = None
) -> dict[str, Any]:
    """Params read from the URI labels, query string and headers of a request.

    `headers` overrides the request's headers (e.g. with aws-chunked trailers added).
    Raises ValueError (or a JSON/base64 error) when a value does not fit its shape.
    """
    shape = operation.input_shape
    params: dict[str, Any] = {}
    if shape is None:
        return params
    by_name = lower_headers(request.headers if headers is None else headers)
    labels = router_for(operation.service_model).labels(request, operation.name)
    claimed = {
        k for k, _ in router_for(operation.service_model).by_name[operation.name].template.query
    }
    rest_map: tuple[str, Shape] | None = None
    for m in located_members(shape):
        name, member, location, wire_name = m.name, m.shape, m.location, m.wire_name
        if location == "uri":
            if wire_name in labels:
                params[name] = scalar_from_text(member, labels[wire_name], ISO8601)
        elif location == "querystring":
            if member.type_name == "map":
                rest_map = (name, member)
                continue
            claimed.add(wire_name)
            values = request.query.get(wire_name)
            if values:
                params[name] = _query_value(member, values)
        elif location == "header":
            text = by_name.get(wire_name.lower())
            if text is not None and not (member.type_name == "list" and text == ""):
                params[name] = header_value(member, text)
        elif location == "headers":
            prefix = wire_name.lower()
            found = {
                key[len(prefix) :]: value
                for key, value in by_name.items()
                if key.startswith(prefix)
            }
            if found:
                params[name] = found
    if rest_map is not None:
        name, member = rest_map
        value_shape = member.value
        found_map = {
            key: _query_value(value_shape, values)
            for key, values in request.query.items()
            if key not in claimed
        }
        if found_map:
            params[name] = found_map
    return params


def write_locations(
    result: Mapping[str, Any], shape: Shape | None, headers: dict[str, str]
) -> int | None:
    """Write an output's header/headers members into `headers`; return its statusCode member."""
    status = None
    for m in located_members(shape):
        name, member, location, wire_name = m.name, m.shape, m.location, m.wire_name
        value = result.get(name)
        if value is None:
            continue
        if location == "statusCode":
            status = int(value)
        elif location == "header":
            if member.type_name == "list" and not value:
                continue
            headers[wire_name] = header_text(member, value)
        elif location == "headers":
            for key, item in value.items():
                headers[wire_name + key] = str(item)
    return status


# -- aws-chunked request bodies ------------------------------------------------------


def is_aws_chunked(request: WireRequest) -> bool:
    """Whether the body uses the `aws-chunked` content encoding (streaming SigV4, trailers)."""
    encoding = request.headers.get("Content-Encoding", "")
    sha = request.headers.get("x-amz-content-sha256", "")
    return "aws-chunked" in encoding or sha.startswith("STREAMING-")


def incomplete_body() -> AWSError:
    """S3's error for a body shorter than it said it would be."""
    return AWSError(
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
    )


def malformed_trailer() -> AWSError:
    """S3's error for `aws-chunked` trailers that are broken or missing."""
    return AWSError(
        "MalformedTrailerError",
        "The request contained trailing data that was not well-formed or did not conform to our "
        "published schema.",
    )


class AwsChunkedReader(io.RawIOBase):
    """Reads the payload out of an `aws-chunked` stream, chunk by chunk.

    The framing is `<hex size>[;chunk-signature=..]\\r\\n<data>\\r\\n` repeated, a
    zero-size chunk, then trailing headers (`x-amz-checksum-crc32:..`), which are in
    `trailers` (lower-case names) once the payload has been read; `decoded` counts
    the payload bytes. Chunk signatures are not checked. A broken framing raises
    `AWSError` (`IncompleteBody`, `InvalidRequest`, `MalformedTrailerError`).
    """

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream
        self._left = 0  # bytes left in the current chunk
        self._done = False
        self.trailers: dict[str, str] = {}
        self.decoded = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if not self._left and not self._done:
            self._next_chunk()
        if self._done or not len(view):
            return 0
        data = self._stream.read(min(len(view), self._left))
        if not data:
            raise incomplete_body()
        view[: len(data)] = data
        self._left -= len(data)
        self.decoded += len(data)
        if not self._left and self._stream.read(2) != b"\r\n":
            raise incomplete_body()
        return len(data)

    def _next_chunk(self) -> None:
        line = self._stream.readline(4096)
        if not line.endswith(b"\n"):
            raise incomplete_body()
        try:
            self._left = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise AWSError("InvalidRequest", "Invalid chunk header in aws-chunked body") from None
        if self._left == 0:
            self._done = True
            self._read_trailers()

    def _read_trailers(self) -> None:
        while line := self._stream.readline(8192).strip():
            key, sep, value = line.decode("utf-8", "replace").partition(":")
            if not sep:
                raise malformed_trailer()
            if key.strip().lower() != "x-amz-trailer-signature":
                self.trailers[key.strip().lower()] = value.strip()


def unchunked_headers(headers: Headers) -> Headers:
    """The headers as the payload sees them once `aws-chunked` framing is removed.

    `aws-chunked` leaves `Content-Encoding` (as S3 drops it) and the decoded length
    becomes `Content-Length`.
    """
    out = Headers(headers)
    encodings = [
        e.strip()
        for e in out.get("Content-Encoding", "").split(",")
        if e.strip() and e.strip() != "aws-chunked"
    ]
    if encodings:
        out["Content-Encoding"] = ",".join(encodings)
    else:
        out.pop("Content-Encoding", None)
    decoded = out.get("x-amz-decoded-content-length")
    if decoded is not None:
        out["Content-Length"] = decoded
    return out


def decode_aws_chunked(body: bytes) -> tuple[bytes, dict[str, str]]:
    """The payload and trailing headers of a whole `aws-chunked` body (see `AwsChunkedReader`)."""
    reader = AwsChunkedReader(io.BytesIO(body))
    return reader.read(), reader.trailers


def payload_stream(request: WireRequest) -> IO[bytes]:
    """The request's payload as a stream, `aws-chunked` framing removed.

    For services that read a streaming payload themselves (`stream_payload`); the
    stream is bounded by `Content-Length` when the request has one. A body that
    was already read is served from memory.
    """
    if request.stream is None or request._body is not None:
        stream: IO[bytes] = io.BytesIO(request.body)
    elif request.content_length is not None:
        stream = _Bounded(request.stream, request.content_length)
    else:
        stream = request.stream
    return AwsChunkedReader(stream) if is_aws_chunked(request) else stream


class _Bounded(io.RawIOBase):
    """At most `limit` bytes of a stream (never reads into the next request)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self._stream, self._left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(min(len(view), self._left)) if self._left else b""
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._left if size is None or size < 0 else min(size, self._left)
        line = self._stream.readline(limit) if limit else b""
        self._left -= len(line)
        return line


# -- streaming response bodies -------------------------------------------------------


def iter_stream(stream: IO[bytes]) -> Iterator[bytes]:
    """Read a file-like object in chunks, closing it at the end."""
    try:
        while chunk := stream.read(_READ_CHUNK):
            yield chunk
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()


def payload_body(value: Any) -> bytes | Iterable[bytes]:
    """A blob/string payload as a response body: bytes, or an iterable for streams."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if hasattr(value, "read"):
        return iter_stream(value)
    return value  # an iterable of bytes


# -- request ids ---------------------------------------------------------------------

_S3_STYLE = ("s3", "s3control")


def is_s3(model: ServiceModel | None) -> bool:
    return model is not None and model.service_name == "s3"


def request_id_headers(model: ServiceModel | None, request_id: str) -> dict[str, str]:
    """`x-amz-request-id` + `x-amz-id-2` for S3 and S3 Control, else `x-amzn-RequestId`."""
    if model is not None and model.service_name in _S3_STYLE:
        return {"x-amz-request-id": request_id, "x-amz-id-2": host_id(request_id)}
    return {"x-amzn-RequestId": request_id}


def host_id(request_id: str) -> str:
    """An S3 `HostId` (`x-amz-id-2`) derived from the request id."""
    return base64.b64encode(hashlib.sha256(request_id.encode()).digest()).decode()


@lru_cache(maxsize=4096)
def _models_header(shape: Shape | None, header: str) -> bool:
    """Whether an output shape binds a member to `header` (or to all headers)."""
    return any(
        (m.location == "header" and m.wire_name.lower() == header)
        or (m.location == "headers" and header.startswith(m.wire_name.lower()))
        for m in located_members(shape)
    )


# -- the shared codec ----------------------------------------------------------------


class RestCodec(Codec):
    """URI routing, locations and payloads shared by rest-json and rest-xml.

    Subclasses implement the body format (`parse_body`, `write_body`), the
    error body, and the bad-body error.
    """

    content_type: str = "application/json"

    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        return find_operation(request, model)

    def parse(
        self, request: WireRequest, operation: OperationModel | None, *, stream_payload: bool = False
    ) -> dict[str, Any]:
        """See `Codec.parse`.

        A blob or string payload (S3 `Body`) is the raw body, present only when the
        body is not empty (botocore sends the same request for an absent and an
        empty payload). With `stream_payload`, a streaming payload is left out and
        the body left unread, for the service to read `ctx.wire.stream` itself.
        """
        shape = operation.input_shape
        if shape is None:
            return {}
        payload_name = shape.serialization.get("payload")
        payload = shape.members[payload_name] if payload_name else None
        streaming = payload is not None and payload.type_name in ("blob", "string")
        chunked = is_aws_chunked(request)
        headers = unchunked_headers(request.headers) if chunked else request.headers
        body = b""
        if not (stream_payload and streaming):
            body = request.body
            if chunked:
                body, trailers = decode_aws_chunked(body)
                headers.update(trailers)
        try:
            params = parse_locations(request, operation, headers)
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise self.bad_location(exc) from exc
        if payload is None:
            if body.strip():
                params.update(self.parse_body(body, shape, None))
        elif streaming:
            if not stream_payload:
                if payload.type_name == "string":
                    if body:
                        params[payload_name] = body.decode("utf-8", "replace")
                elif body:
                    params[payload_name] = body
        elif body.strip():
            params[payload_name] = self.parse_body(body, payload, payload_name)
        return params

    def serialize(
        self, result: dict[str, Any], operation: OperationModel, request_id: str, status: int = 0
    ) -> WireResponse:
        shape = operation.output_shape
        model = operation.service_model
        headers = request_id_headers(model, request_id)
        result = result or {}
        status = (
            write_locations(result, shape, headers)
            or status
            or int(operation.http.get("responseCode", 200))
        )
        body: bytes | Iterable[bytes] = b""
        payload_name = shape.serialization.get("payload") if shape is not None else None
        if payload_name:
            payload = shape.members[payload_name]
            value = result.get(payload_name)
            if payload.type_name in ("blob", "string"):
                body = payload_body(value)
                if value is not None and not _models_header(shape, "content-type"):
                    headers["Content-Type"] = (
                        "application/octet-stream" if payload.type_name == "blob" else "text/plain"
                    )
            elif value is not None:
                body = self.write_body(value, payload, payload_name, operation)
        elif has_body_members(shape):
            body = self.write_body(result, shape, None, operation)
        if body and not _models_header(shape, "content-type"):
            headers.setdefault("Content-Type", self.content_type)
        if operation.http.get("method") == "HEAD":
            body = b""
        return WireResponse(status, headers, body)

    @abstractmethod
    def parse_body(self, body: bytes, shape: Shape, member_name: str | None) -> Any:
        """The value of a structure body (`member_name` None: the input's body members)."""

    @abstractmethod
    def write_body(
        self, value: Any, shape: Shape, member_name: str | None, operation: OperationModel
    ) -> bytes:
        """A structure as a body (`member_name` None: the output's body members)."""

    @abstractmethod
    def bad_location(self, exc: Exception) -> AWSError:
        """The error for a header, label or query value that does not fit its shape."""
