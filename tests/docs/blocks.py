"""Fenced Python blocks of the user guide (docs/**/*.md), and the markers that say how to run them.

A block is marked by an HTML comment on the line just before its fence (invisible on the site):

- `<!-- docs-test -->`: a complete test module; the docs tests run it with pytester and it
  must pass (at least one test, none failing);
- `<!-- docs-test: conftest -->`: the `conftest.py` of the page's `docs-test` blocks.

Every Python block, marked or not, must parse, and its test functions may ask only for
fixtures a user has (the plugin's, pytest's own, or ones the page defines). Blocks that
are `--8<--` includes of docs/examples/ files are run by tests/pytest_plugin/test_examples.py.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(
    r"^(?P<indent> *)(?:<!-- docs-test(?::\s*(?P<kind>\w+))? -->\n(?P=indent))?```python[^\n]*\n(?P<code>.*?)^(?P=indent)```",
    re.S | re.M,
)
KINDS = ("test", "conftest")


@dataclass
class Block:
    page: Path
    line: int
    kind: str | None  # "test", "conftest", or None (not run)
    code: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(DOCS.parent)}:{self.line}"

    @property
    def included(self) -> bool:
        return self.code.lstrip().startswith("--8<--")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def python_blocks(page: Path) -> list[Block]:
    text = page.read_text()
    blocks = []
    for m in FENCE.finditer(text):
        marked = "<!-- docs-test" in m.group(0).split("```", 1)[0]
        kind = (m.group("kind") or "test") if marked else None
        line = text.count("\n", 0, m.start()) + 1
        blocks.append(Block(page, line, kind, textwrap.dedent(m.group("code"))))
    return blocks


def defined_fixtures(tree: ast.AST) -> set[str]:
    """Names of functions decorated with `pytest.fixture` (called or not) in `tree`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    names.add(node.name)
    return names


def requested_fixtures(tree: ast.AST) -> list[tuple[str, str]]:
    """(test or fixture name, argument) for every argument of a test function or fixture,
    less the names a `parametrize` decorator gives."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        is_fixture = node.name in defined_fixtures(node)
        if not (node.name.startswith("test") or is_fixture):
            continue
        params: set[str] = set()
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith("parametrize") and dec.args:
                first = dec.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    params |= {p.strip() for p in first.value.split(",")}
        for arg in node.args.args:
            if arg.arg not in params and arg.arg not in ("self", "cls"):
                out.append((node.name, arg.arg))
    return out
