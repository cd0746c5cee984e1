"""A botocore request answered by the gateway's app without a socket.

`to_wire_request` gives the app the same `WireRequest` the HTTP server would
(raw percent-encoded path, headers as sent plus `Host`, the body as bytes or as
the stream botocore would have written to the socket); `to_aws_response` gives
botocore what urllib3 would (`Content-Length` added, no body for HEAD, a raw
body that streams the app's chunks without copying them).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict, _HeaderKey

from ..wire import IndexedHeaders, WireRequest, WireResponse, parse_query

_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


@lru_cache(maxsize=512)
def split_url(url: str) -> tuple[str, str, str, str]:
    """(scheme, netloc, path, query) of an absolute URL, the path kept percent-encoded
    (remembered for the last few hundred URLs: a client calls the same ones again)."""
    scheme, _, rest = url.partition("://")
    netloc, slash, target = rest.partition("/")
    path, _, query = target.partition("?")
    return scheme, netloc, slash + path if slash else "/", query.partition("#")[0]


def to_wire_request(request: AWSPreparedRequest) -> tuple[WireRequest, str]:
    """The `WireRequest` the HTTP server would build for `request`, and its `Host`."""
    scheme, netloc, path, query = split_url(request.url)
    host = netloc.removesuffix(_DEFAULT_PORTS.get(scheme, "\0"))  # as http.client writes it
    pairs, lowered = sent_headers(request)
    headers = IndexedHeaders(pairs, lowered)
    if "host" not in headers.lowered:  # as http.client adds it
        pairs.insert(0, ("Host", host))  # (the headers keep this list)
        headers.lowered["host"] = host
    host = headers.lowered["host"]
    body = request.body
    wire = WireRequest(method=request.method, path=path, query=parse_query(query) if query else {}, headers=headers)
    if body is None or isinstance(body, (bytes, bytearray, str)):
        data = body.encode() if isinstance(body, str) else bytes(body or b"")
        wire._body, wire.content_length = data, len(data)
    elif hasattr(body, "read"):  # a file or botocore's aws-chunked wrapper: streamed, as on the socket
        wire.stream = body
        length = headers.get("Content-Length")
        wire.content_length = int(length) if length and length.isdigit() else None
    else:  # any other iterable of bytes (urllib3 sends it chunked)
        wire._body = b"".join(body)
        wire.content_length = len(wire._body)
    return wire, host


def sent_headers(request: AWSPreparedRequest) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The request's headers as (name, value) pairs, as http.client writes them, and their
    index by lower-cased name (first value each)."""
    sent = request.headers
    pairs: list[tuple[str, str]] = []
    lowered: dict[str, str] = {}
    if type(sent) is HeadersDict:
        # botocore's HeadersDict goes through MutableMapping (a key object per lookup); its own
        # dict holds `_HeaderKey`s that keep the name as given and lower-cased, one per name.
        for key, value in sent._dict.items():
            text = value.decode("latin-1") if value.__class__ is bytes else str(value)
            pairs.append((key._key, text))
            lowered[key._lower] = text
        return pairs, lowered
    for name, value in sent.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        pairs.append((str(name), text))
        lowered.setdefault(str(name).lower(), text)
    return pairs, lowered


def to_aws_response(url: str, method: str, response: WireResponse) -> AWSResponse:
    """What botocore's urllib3 session returns for `response`: headers completed, body streaming."""
    # botocore's HeadersDict filled through its own dict (its MutableMapping `update` costs a
    # call per header and a key object per lookup); as there, a name given twice keeps its
    # first spelling and its last value.
    keyed: dict[_HeaderKey, Any] = {}
    for name, value in response.headers.items():
        keyed[_header_key(name)] = value
    body = response.body
    if isinstance(body, (bytes, bytearray, memoryview)):
        if _CONTENT_LENGTH not in keyed:
            keyed[_CONTENT_LENGTH] = str(len(body))
    elif _CONTENT_LENGTH not in keyed and response.status not in (204, 304) and method != "HEAD":
        keyed[_header_key("Transfer-Encoding")] = "chunked"
    if method == "HEAD":
        close = getattr(body, "close", None)
        if close is not None:
            close()
        body = b""
    keyed[_DATE] = http_date()
    headers = HeadersDict.__new__(HeadersDict)
    headers._dict = keyed
    # `AWSResponse.__init__` would copy an empty HeadersDict through MutableMapping first
    answer = AWSResponse.__new__(AWSResponse)
    answer.url, answer.status_code, answer.headers = url, response.status, headers
    answer.raw, answer._content = ResponseBody(body), None
    return answer


@lru_cache(maxsize=1024)
def _header_key(name: str) -> _HeaderKey:
    """botocore's key object of a header name (made once per name: they are never changed)."""
    return _HeaderKey(name)


_CONTENT_LENGTH = _HeaderKey("Content-Length")
_DATE = _HeaderKey("Date")


_date_cache: tuple[int, str] = (0, "")


def http_date() -> str:
    """The `Date` header value (formatted once per second)."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, email.utils.formatdate(now, usegmt=True))
    return _date_cache[1]


class ResponseBody:
    """A response body for botocore's `StreamingBody`, read from the app's bytes or chunks.

    Supports what botocore and its users call on urllib3's response: `read(amt)`,
    `readinto`, `stream()`, `tell`, `readable`, `close`. Chunks are handed on as
    they are when they fit, so a large object is copied at most once (by a
    whole `read()`).
    """

    def __init__(self, body: bytes | bytearray | memoryview | Iterable[bytes]) -> None:
        if isinstance(body, (bytes, bytearray, memoryview)):
            self._source: Any = None
            self._chunks: Iterator[bytes] = iter((bytes(body),) if body else ())
        else:
            self._source = body
            self._chunks = iter(body)
        self._buffer = b""
        self._offset = 0
        self._position = 0
        self.closed = False

    def _next_chunk(self) -> bool:
        for chunk in self._chunks:
            if chunk:
                self._buffer, self._offset = bytes(chunk), 0
                return True
        self.close()
        return False

    def read(self, amt: int | None = None) -> bytes:
        if amt is None or amt < 0:
            parts = [self._buffer[self._offset:]] if self._offset < len(self._buffer) else []
            parts.extend([bytes(chunk) for chunk in self._chunks])
            self._buffer, self._offset = b"", 0
            self.close()
            data = parts[0] if len(parts) == 1 else b"".join(parts)
        else:
            parts, need = [], amt
            while need > 0:
                if self._offset >= len(self._buffer) and not self._next_chunk():
                    break
                buffer, offset = self._buffer, self._offset
                if offset == 0 and len(buffer) <= need:
                    piece = buffer
                else:
                    piece = buffer[offset:offset + need]
                self._offset = offset + len(piece)
                need -= len(piece)
                parts.append(piece)
            data = parts[0] if len(parts) == 1 else b"".join(parts)
        self._position += len(data)
        return data

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def stream(self, amt: int | None = None, decode_content: bool | None = None) -> Iterator[bytes]:
        """The body's chunks as they come (at most `amt` bytes each when given)."""
        if amt is not None:
            while data := self.read(amt):
                yield data
            return
        if self._offset < len(self._buffer):
            yield self.read(len(self._buffer) - self._offset)
        while self._next_chunk():
            yield self.read(len(self._buffer))

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            close = getattr(self._source, "close", None)
            if close is not None:
                close()


def send(app: Any, request: AWSPreparedRequest) -> AWSResponse:
    """Answer `request` with the gateway `app` (`GatewayApp.handle`), as botocore's HTTP session would."""
    wire, host = to_wire_request(request)
    response = to_aws_response(request.url, request.method, app.handle(wire, host))
    if not request.stream_output:  # read it all now, as botocore's urllib3 session does
        response._content = response.raw.read()  # (what `.content` keeps, without its chunk loop)
    return response
