"""Protocol-neutral HTTP request and response values that the codecs read and write."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from werkzeug.datastructures import Headers, ImmutableHeadersMixin
from werkzeug.exceptions import BadRequestKeyError

from .api import AWSError


class IndexedHeaders(ImmutableHeadersMixin, Headers):  # type: ignore[misc]
    """Request headers from pairs already checked (a transport's own), read through an index.

    Read-only, as werkzeug's `EnvironHeaders` of an HTTP request are; a name looks up in
    one dict (`lowered`: lower-cased name -> first value) instead of a scan of every pair.
    The list of pairs given is kept as it is.
    """

    def __init__(self, pairs: list[tuple[str, str]], lowered: dict[str, str] | None = None) -> None:
        """`lowered`, when the caller has it already, must index `pairs` (first value per name)."""
        self._list = pairs  # (all `Headers.__init__` would do: an empty list, then no defaults)
        if lowered is None:
            lowered = {}
            for name, value in pairs:
                lowered.setdefault(name.lower(), value)
        self.lowered = lowered

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return self.lowered[key.lower()]
            except KeyError:
                raise BadRequestKeyError(key) from None
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # noqa: A002 - werkzeug's name
        value = self.lowered.get(key.lower())
        if value is None:
            return default
        if type is None:
            return value
        try:
            return type(value)
        except ValueError:
            return default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self.lowered


@dataclass
class WireRequest:
    """An HTTP request as it came off the socket.

    `path` is the raw (still percent-encoded) path, `query` the parsed query
    string with blank values kept, `headers` case-insensitive. The body is read
    lazily from `stream` the first time `body` is used, so a streaming service
    (S3) can read `stream` itself instead.
    """

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: Headers = field(default_factory=Headers)
    stream: IO[bytes] | None = None
    content_length: int | None = None
    _body: bytes | None = None
    _source: WireRequest | None = field(default=None, repr=False)

    @classmethod
    def from_parts(
        cls,
        method: str,
        url: str,
        headers: dict[str, str] | Headers | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = b"",
    ) -> WireRequest:
        """Build a request from a method, a URL (path and query) and a body."""
        parts = urlsplit(url)
        raw = body.encode() if isinstance(body, str) else (body or b"")
        return cls(
            method=method.upper(),
            path=parts.path or "/",
            query=parse_query(parts.query),
            headers=Headers(headers or {}),
            _body=raw,
        )

    def at_path(self, path: str) -> WireRequest:
        """A view of this request at another path (S3 virtual-host -> path style).

        The request itself is never changed (its path is what the client signed); the
        view shares its headers, stream and body, which is read at most once for both.
        """
        return WireRequest(self.method, path, self.query, self.headers, self.stream,
                           self.content_length, _source=self)

    @property
    def body_read(self) -> bool:
        """Whether the body has been read into memory (then `stream` is spent)."""
        return self._body is not None or (self._source is not None and self._source.body_read)

    def set_body(self, data: bytes) -> None:
        """Give the request its whole body (a transport that has it in memory)."""
        self._body, self.content_length, self.stream = data, len(data), None

    @property
    def body(self) -> bytes:
        """The whole body, read once."""
        if self._body is None and self._source is not None:
            return self._source.body
        if self._body is None:
            if self.stream is None:
                self._body = b""
            elif self.content_length is not None:
                self._body = self.stream.read(self.content_length)
            else:
                self._body = self.stream.read()
        return self._body

    @cached_property
    def unquoted_path(self) -> str:
        """The path with percent-escapes decoded."""
        return unquote(self.path)

    @property
    def host(self) -> str:
        return self.headers.get("Host", "")

    def query_value(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None


def parse_query(query_string: str) -> dict[str, list[str]]:
    """Parse a query string keeping blank values (`?uploads` -> {"uploads": [""]})."""
    if not query_string:
        return {}
    parsed: dict[str, list[str]] = {}
    for name, value in form_pairs(query_string):
        parsed.setdefault(name, []).append(value)
    return parsed


def form_pairs(text: str) -> list[tuple[str, str]]:
    """`parse_qsl(text, keep_blank_values=True)`, decoding (`+` as a space, then `%XX` escapes,
    UTF-8 with replacement) only the pairs that need it: most of what botocore sends does not."""
    pairs = []
    for pair in text.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            if "%" in pair or "+" in pair:
                name, value = _form_decoded(name), _form_decoded(value)
            pairs.append((name, value))
    return pairs


def _form_decoded(text: str) -> str:
    """One name or value of a form, decoded as `parse_qsl` decodes it (short ones, such as
    ARNs sent again and again, remembered)."""
    return _short_form_decoded(text) if len(text) <= 256 else _decoded(text)


def _decoded(text: str) -> str:
    return unquote(text.replace("+", " ") if "+" in text else text)


_short_form_decoded = lru_cache(maxsize=1024)(_decoded)


@dataclass
class WireResponse:
    """An HTTP response ready for the socket. `body` may be bytes or an iterable of bytes."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""


def decompress_body(request: WireRequest, limit: int) -> None:
    """Undo the request compression an operation's model allows (`requestcompression`:
    botocore gzips CloudWatch PutMetricData bodies over 10 KiB), bounded by `limit` bytes.

    Only for operations that declare it: elsewhere `Content-Encoding` is the object's own
    metadata (S3 PutObject stores a gzipped file as it is).
    """
    if request.headers.get("Content-Encoding", "").strip().lower() != "gzip":
        return
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(request.body, limit + 1)
    except zlib.error:
        raise AWSError("SerializationException", "The request body is not valid gzip") from None
    if len(data) > limit:
        raise AWSError("RequestEntityTooLarge", "Request body is too large", 413)
    if not inflater.eof:
        raise AWSError("SerializationException", "The request body is not valid gzip")
    request.set_body(data)
