"""The request headers the HTTP server indexes for the gateway read as werkzeug's
`EnvironHeaders` reads the same WSGI environ (names, values, order, lookups)."""

from __future__ import annotations

import io
import string
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import EnvironHeaders

from pytest_cloudmock.gateway import http_framing
from pytest_cloudmock.gateway.http_framing import FramingError, parse_head
from pytest_cloudmock.gateway.server import HEADERS_KEY, Conn, KeepAliveServer
from pytest_cloudmock.protocols.rest_routing import headers_by_lower_name
from pytest_cloudmock.wire import IndexedHeaders

NAMES = ["Content-Type", "content-length", "Host", "X-Amz-Date", "x-amz-date", "X-AMZ-Target",
         "x_underscore", "Authorization", "x-amz-meta-Key", "Expect"]
token = st.text(string.ascii_letters + string.digits + "-_!#$%&'*+.^`|~", min_size=1, max_size=12)
value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=20)


@pytest.fixture(scope="module")
def server() -> Iterator[KeepAliveServer]:
    server = KeepAliveServer("127.0.0.1", 0, None)
    yield server
    server.socket.close()


def environ_of(server: KeepAliveServer, fields: list[tuple[str, str]], chunked: bool = False) -> dict:
    lines = [f"{name}: {text}" for name, text in fields if name.lower() != "content-length" or not chunked]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    head = parse_head("\r\n".join(["POST /p?q=1 HTTP/1.1", *lines]).encode("latin-1"), 1 << 30)
    return server._environ(Conn(None, ("127.0.0.1", 1), 0.0), head, io.BytesIO(), 7)  # type: ignore[arg-type]


def assert_read_alike(environ: dict, asked: list[str]) -> None:
    indexed, werkzeug = environ[HEADERS_KEY], EnvironHeaders(environ)
    assert isinstance(indexed, IndexedHeaders)
    assert list(indexed.items()) == list(werkzeug.items())
    assert headers_by_lower_name(indexed) == headers_by_lower_name(werkzeug)
    for name in asked:
        for spelled in (name, name.lower(), name.upper()):
            if "_" in spelled or (spelled.lower() in ("content-type", "content-length")
                                  and environ.get(spelled.upper().replace("-", "_")) == ""):
                continue  # EnvironHeaders finds 'x-a' by 'x_a', and an empty Content-Type by name
            assert indexed.get(spelled) == werkzeug.get(spelled)
            assert (spelled in indexed) == (spelled in werkzeug)
            assert indexed.getlist(spelled) == werkzeug.getlist(spelled)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI box
@given(fields=st.lists(st.tuples(st.sampled_from(NAMES) | token, value), max_size=12), chunked=st.booleans())
def test_indexed_headers_read_as_environ_headers(server: KeepAliveServer, fields: list[tuple[str, str]],
                                                  chunked: bool) -> None:
    lengths = {text.strip(" \t") for name, text in fields if name.lower() == "content-length"}
    if len(lengths) > 1 or any(not (n.isascii() and n.isdigit()) for n in lengths):
        fields = [(name, text) for name, text in fields if name.lower() != "content-length"]
    fields = [(name, text) for name, text in fields if name.lower() not in ("transfer-encoding", "expect")]
    environ = environ_of(server, fields, chunked)
    assert_read_alike(environ, [name for name, _ in fields] + NAMES)


def test_repeated_headers_join_and_an_empty_content_type_is_no_header(server: KeepAliveServer) -> None:
    environ = environ_of(server, [("X-Rep", "1"), ("Content-Type", ""), ("x-rep", "2"), ("X_Dropped", "v")],
                         chunked=True)
    headers = environ[HEADERS_KEY]
    assert list(headers.items()) == [("X-Rep", "1,2"), ("Transfer-Encoding", "chunked"), ("Content-Length", "7")]
    assert headers.get("x-REP") == "1,2" and headers.get("Content-Type", "") == ""
    assert_read_alike(environ, ["X-Rep", "Content-Length"])


well_formed = st.tuples(st.sampled_from(NAMES) | token, st.sampled_from([":", ": ", ":\t"]), value).map("".join)
odd = st.text("aZ -_:\t\x00\r\n", max_size=8)
field_line = st.one_of(well_formed, well_formed, well_formed, odd)  # mostly well formed


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI box
@given(lines=st.lists(field_line, max_size=8), ends=st.lists(st.sampled_from(["\r\n"] * 6 + ["\n", "\r\n "]),
                                                              min_size=8, max_size=8))
def test_heads_read_in_one_check_as_line_by_line(lines: list[str], ends: list[str]) -> None:
    """The head whose fields a few scans find plain reads as the careful line-by-line path does."""
    text = "POST / HTTP/1.1" + "".join(end + line for end, line in zip(ends, lines, strict=False))

    def read() -> object:
        try:
            return parse_head(text.encode("latin-1"), 1 << 30)
        except FramingError as err:
            return (err.status, err.code, err.message)

    quick = read()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(http_framing, "_plain_fields", lambda fields: None)  # always line by line
        assert read() == quick


response_name = st.sampled_from(["Content-Type", "content-length", "ETag", "x-amz-meta-k", "Bad Name", ""]) | token
response_value = (st.integers(0, 10**6) | value | st.text(max_size=6)
                  | st.sampled_from(["a\r\nSet-Cookie: x=1", "a\rb", "a\nb", "a\x00b", "caf\u00e9", "\u732b"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI box
@given(headers=st.lists(st.tuples(response_name, response_value), max_size=8))
def test_response_headers_checked_together_as_one_by_one(headers: list[tuple[str, object]]) -> None:
    lines, has_length = http_framing.header_block(headers)
    assert lines == [line for name, text in headers if (line := http_framing.header_line(name, text)) is not None]
    assert has_length == ("content-length" in {name.lower() for name, _ in headers})
