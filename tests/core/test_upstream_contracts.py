"""Contracts with upstream internals we still lean on, each named, so an upgrade that
breaks one fails here with the symbol's name instead of somewhere deep in a run.

Where a public API does the job, we use it; these are what is left:

- `_pytest` items' `_fixtureinfo.name2fixturedefs` (plugins/fixtures.py): fixture scopes at
  collection time, to order the plugin-marker fixture after wider-scoped ones; pytest has no
  public API for a fixture's scope before setup.
- botocore's `HeadersDict._dict` and werkzeug's `Headers._list` (transport/inprocess.py,
  wire.IndexedHeaders): the in-process transport copies headers without per-header validation
  (measured ~20 us a call).
- botocore's `Session._credentials` (pytest_support/isolation.py): the credentials cache boto3's
  default session keeps, dropped between tests so the account never leaks.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, tostring

import pytest
from botocore.awsrequest import HeadersDict
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import Headers

from pytest_cloudmock.protocols.xml_writer import _escape_attribute, _escape_text


def test_pytest_items_carry_fixture_definitions_with_scopes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    info = request.node._fixtureinfo  # noqa: SLF001 - the contract under test
    assert info.name2fixturedefs["tmp_path_factory"][-1].scope == "session"


def test_botocore_headers_dict_keeps_names_as_given_in_dict() -> None:
    headers = HeadersDict({"X-Amz-Date": "20260101T000000Z"})
    items = headers._dict.items()  # noqa: SLF001
    assert [(str(name), value) for name, value in items] == [("X-Amz-Date", "20260101T000000Z")]


def test_werkzeug_headers_keep_pairs_in_list() -> None:
    headers = Headers()
    headers._list = [("Host", "x")]  # noqa: SLF001
    assert headers.get("host") == "x" and list(headers.items()) == [("Host", "x")]


_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40)


@given(_XML_TEXT)
def test_our_xml_escapes_write_what_elementtree_writes(text: str) -> None:
    """Text and attributes escape byte for byte as `ElementTree.tostring` (a public API)."""
    node = Element("a", v=text)
    node.text = text
    assert tostring(node, encoding="unicode") == f'<a v="{_escape_attribute(text)}">{_escape_text(text)}</a>'


def test_botocore_session_caches_resolved_credentials_in_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """`pytest_support/isolation.py` forgets boto3's default session's resolved credentials by
    clearing botocore's `Session._credentials` (no public API drops that cache)."""
    import botocore.session

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIACONTRACT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    session = botocore.session.get_session()
    resolved = session.get_credentials()
    assert session._credentials is resolved and resolved.method == "env"  # noqa: SLF001
