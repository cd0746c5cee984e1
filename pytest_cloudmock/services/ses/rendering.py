"""Template rendering with SES's rules: a Handlebars subset over the JSON template data.

Supported: `{{name}}` and dotted paths `{{user.name}}` (HTML-escaped in the HTML part, as
Handlebars escapes), `{{{raw}}}`, `{{#if x}}...{{else}}...{{/if}}`, `{{#unless x}}`,
`{{#each list}}` (with `{{this}}`, `{{@index}}` and the items' fields) and `{{#with obj}}`.
A plain `{{name}}` the data lacks is a rendering failure (AWS refuses to send such a
message: a `RenderingFailure` event, or `MissingRenderingAttribute` from
`TestRenderTemplate`); conditions and loops over missing values are simply false/empty.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from ... import json_depth

_TOKEN = re.compile(r"\{\{\{\s*(.+?)\s*\}\}\}|\{\{\s*([#/]?)\s*([^{}]*?)\s*\}\}")
_MISSING = object()


class RenderingError(Exception):
    """The template cannot be rendered with this data (`attribute` names what is missing)."""

    def __init__(self, message: str, attribute: str | None = None) -> None:
        super().__init__(message)
        self.attribute = attribute


def missing_attribute(name: str) -> RenderingError:
    # The wording of SES's rendering-failure event example; TestRenderTemplate's text is assumed the same.
    return RenderingError(f"Attribute '{name}' is not present in the rendering data.", name)


# Deepest JSON SES takes here (template data, policies, contact imports). AWS's own limit is
# not documented; this one is ours, far above real documents and far below the parser's.
MAX_JSON_DEPTH = 100


def load_json(text: str) -> Any:
    """`json.loads`, also raising ValueError for nesting deeper than `MAX_JSON_DEPTH`."""
    return json_depth.loads(text, MAX_JSON_DEPTH)


def parse_data(text: str | None) -> dict[str, Any]:
    """The template data as JSON (an object); raises ValueError when it is not one."""
    data = load_json(text or "{}")
    if not isinstance(data, dict):
        raise ValueError("template data is not a JSON object")
    return data


def _lookup(scopes: list[Any], path: str) -> Any:
    if path in ("this", "."):
        return scopes[-1]
    if path.startswith("this."):
        path = path[5:]
    parts = path.split(".")
    for scope in reversed(scopes):
        if isinstance(scope, dict) and parts[0] in scope:
            value: Any = scope
            for part in parts:
                if isinstance(value, dict) and part in value:
                    value = value[part]
                elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                    value = value[int(part)]
                else:
                    return _MISSING
            return value
    return _MISSING


def _truthy(value: Any) -> bool:
    return value is not _MISSING and bool(value) and value != []


def _text(value: Any) -> str:
    if value is None or value is _MISSING:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _parse(template: str) -> list[Any]:
    """Nodes: str, ("var", path, escape), ("block", kind, arg, body, else_body)."""
    root: list[Any] = []
    stack: list[tuple[tuple[str, str, list[Any], list[Any]], list[Any]]] = []  # (block, enclosing list)
    current = root
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            current.append(template[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:
            current.append(("var", m.group(1), False))
            continue
        sigil, body = m.group(2), m.group(3)
        if sigil == "#":
            kind, _, arg = body.partition(" ")
            block: tuple[str, str, list[Any], list[Any]] = (kind, arg.strip(), [], [])
            current.append(block)
            stack.append((block, current))
            current = block[2]
        elif sigil == "/":
            if not stack or stack[-1][0][0] != body:
                raise RenderingError(f"Template has an unmatched closing tag {{{{/{body}}}}}.")  # AWS's text unknown
            current = stack.pop()[1]
        elif body == "else" and stack:
            current = stack[-1][0][3]
        elif body.startswith("!"):
            continue
        else:
            current.append(("var", body, True))
    if stack:
        raise RenderingError(f"Template has an unclosed block {{{{#{stack[-1][0][0]}}}}}.")  # AWS's text unknown
    if pos < len(template):
        current.append(template[pos:])
    return root


def _render(nodes: list[Any], scopes: list[Any], escape: bool, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif len(node) == 3:
            _kind, path, esc = node
            value = _lookup(scopes, path)
            if value is _MISSING:
                raise missing_attribute(path)
            text = _text(value)
            out.append(html.escape(text) if escape and esc else text)
        else:
            kind, arg, body, else_body = node
            value = _lookup(scopes, arg)
            if kind == "if":
                _render(body if _truthy(value) else else_body, scopes, escape, out)
            elif kind == "unless":
                _render(else_body if _truthy(value) else body, scopes, escape, out)
            elif kind == "each":
                items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
                if not items:
                    _render(else_body, scopes, escape, out)
                for index, item in enumerate(items):
                    _render(body, [*scopes, {"@index": index, "@first": index == 0,
                                             "@last": index == len(items) - 1}, item], escape, out)
            elif kind == "with":
                _render(body if _truthy(value) else else_body, [*scopes, value] if _truthy(value) else scopes,
                        escape, out)
            else:
                raise RenderingError(f"Template uses an unsupported helper {{{{#{kind}}}}}.")  # AWS's text unknown


def render(template: str | None, data: dict[str, Any], *, escape: bool = False) -> str | None:
    """One part of a template rendered with `data` (None stays None); raises RenderingError."""
    if template is None:
        return None
    out: list[str] = []
    _render(_parse(template), [data], escape, out)
    return "".join(out)


def render_parts(subject: str | None, text: str | None, html_part: str | None,
                 data: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(subject, text, html) rendered; the HTML part escapes `{{var}}` values as Handlebars does."""
    return render(subject, data) or "", render(text, data), render(html_part, data, escape=True)
