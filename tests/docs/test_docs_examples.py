"""The user guide's Python blocks paste and run (issue 13, item 5): see tests/docs/blocks.py."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from pytest_cloudmock.pytest_plugin import EXTENSION_MODULES

from .blocks import DOCS, KINDS, defined_fixtures, pages, python_blocks, requested_fixtures

PYTEST_FIXTURES = {
    "request", "pytestconfig", "monkeypatch", "tmp_path", "tmp_path_factory", "tmpdir", "capsys",
    "capfd", "caplog", "recwarn", "cache", "record_property", "subtests",
}
EXAMPLES = DOCS / "examples"


def plugin_fixtures() -> set[str]:
    names = set()
    for module in ("pytest_cloudmock.pytest_plugin", *EXTENSION_MODULES):
        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin is not None
        names |= defined_fixtures(ast.parse(Path(spec.origin).read_text()))
    return names


KNOWN = PYTEST_FIXTURES | plugin_fixtures()
PAGES = [p for p in pages() if python_blocks(p)]
RUN_PAGES = [p for p in PAGES if any(b.kind for b in python_blocks(p))]
assert RUN_PAGES, "no docs-test blocks found"


def page_id(page: Path) -> str:
    return str(page.relative_to(DOCS))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_blocks_parse_and_ask_only_for_fixtures_users_have(page: Path) -> None:
    blocks = python_blocks(page)
    trees = {}
    for block in blocks:
        assert block.kind in (None, *KINDS), f"{block.where}: unknown marker docs-test: {block.kind}"
        if block.included:
            name = block.code.split('"')[1]
            assert (EXAMPLES / name).is_file(), f"{block.where}: includes a missing docs/examples/{name}"
            continue
        try:
            trees[block.where] = ast.parse(block.code)
        except SyntaxError as exc:
            pytest.fail(f"{block.where}: not Python: {exc}")
    page_fixtures = set().union(*(defined_fixtures(t) for t in trees.values()))
    unknown = [
        f"{where}: {func}() asks for {arg!r}"
        for where, tree in trees.items()
        for func, arg in requested_fixtures(tree)
        if arg not in KNOWN | page_fixtures
    ]
    assert not unknown, "fixtures users do not have:\n" + "\n".join(unknown)


def test_marked_blocks_run_as_shown(pytester: pytest.Pytester) -> None:
    """One inner session for every page (one gateway start): each page in its own folder."""
    modules = {}
    for page in RUN_PAGES:
        slug = page_id(page).removesuffix(".md").replace("/", "_").replace("-", "_")
        folder = pytester.mkpydir(slug)
        for block in python_blocks(page):
            if block.kind == "conftest":
                (folder / "conftest.py").write_text(block.code)
            elif block.kind == "test":
                name = f"test_{slug}_{block.line}"
                (folder / f"{name}.py").write_text(block.code)
                modules[f"{slug}/{name}.py"] = block
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:benchmark", "-p", "no:cacheprovider", "-rA")
    out = result.stdout.str()
    silent = [b.where for name, b in modules.items() if f"PASSED {name}::" not in out]
    bad = [line for line in out.splitlines() if line.startswith(("FAILED", "ERROR", "SKIPPED"))]
    assert not silent and not bad, f"blocks without a passing test: {silent}\n{out}"
