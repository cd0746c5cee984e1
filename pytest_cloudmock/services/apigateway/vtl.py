"""API Gateway mapping templates: Velocity (VTL, rendered by `airspeed`) with the
`$input`, `$context`, `$util` and `$stageVariables` variables API Gateway defines."""

from __future__ import annotations

import base64
import json
import re
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import airspeed

_TOKEN = re.compile(r"\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['\"]([^'\"]*)['\"]\]|\[\*\]|\.\*")


class TemplateError(Exception):
    """A mapping template that does not render (API Gateway answers 500 for it)."""


def json_path(document: Any, path: str) -> Any:
    """The value at a simple JSONPath (`$`, `$.a.b`, `$.a[0]`, `$['a b']`, `$.items[*]`)."""
    path = (path or "$").strip()
    if not path.startswith("$"):
        path = "$." + path
    current: list[Any] = [document]
    wildcard = False
    for match in _TOKEN.finditer(path[1:]):
        name, index, quoted = match.group(1), match.group(2), match.group(3)
        nxt: list[Any] = []
        for node in current:
            if name is not None or quoted is not None:
                key = name if name is not None else quoted
                if isinstance(node, dict) and key in node:
                    nxt.append(node[key])
            elif index is not None:
                if isinstance(node, list) and int(index) < len(node):
                    nxt.append(node[int(index)])
            else:
                wildcard = True
                nxt.extend(node.values() if isinstance(node, dict) else node if isinstance(node, list) else [])
        current = nxt
    if wildcard:
        return current
    return current[0] if current else None


class InputVariable:
    """`$input`: the request (or integration response) payload and parameters."""

    def __init__(self, body: bytes, params: dict[str, dict[str, str]]) -> None:
        self._raw = body
        self._params = params

    @property
    def body(self) -> str:
        return self._raw.decode("utf-8", "replace")

    def _document(self) -> Any:
        try:
            return json.loads(self._raw or b"{}")
        except ValueError:
            return self.body

    def json(self, path: str = "$") -> str:
        return json.dumps(json_path(self._document(), path))

    def path(self, path: str = "$") -> Any:
        return json_path(self._document(), path)

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return self._params
        for where in ("path", "querystring", "header"):
            values = self._params.get(where, {})
            if name in values:
                return values[name]
            if where == "header":
                lower = {k.lower(): v for k, v in values.items()}
                if name.lower() in lower:
                    return lower[name.lower()]
        return ""


class UtilVariable:
    """`$util`: the helpers API Gateway documents for mapping templates."""

    @staticmethod
    def escapeJavaScript(value: Any) -> str:  # noqa: N802 (API Gateway's names)
        text = json.dumps("" if value is None else str(value))[1:-1]
        return text.replace("'", "\\'")

    @staticmethod
    def parseJson(value: str) -> Any:  # noqa: N802
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            raise TemplateError(f"Invalid JSON passed to $util.parseJson: {value!r}") from None

    @staticmethod
    def base64Encode(value: Any) -> str:  # noqa: N802
        data = value if isinstance(value, bytes) else str(value).encode()
        return base64.b64encode(data).decode()

    @staticmethod
    def base64Decode(value: Any) -> str:  # noqa: N802
        try:
            return base64.b64decode(str(value)).decode("utf-8", "replace")
        except ValueError:
            raise TemplateError("Invalid base64 passed to $util.base64Decode") from None

    @staticmethod
    def urlEncode(value: Any) -> str:  # noqa: N802
        return quote_plus(str(value), safe="*")  # Java URLEncoder, as API Gateway

    @staticmethod
    def urlDecode(value: Any) -> str:  # noqa: N802
        return unquote_plus(str(value))


def render(template: str, body: bytes, params: dict[str, dict[str, str]], context: dict[str, Any],
           stage_variables: dict[str, str]) -> bytes:
    """Render one mapping template; `TemplateError` when it does not render."""
    variables = {"input": InputVariable(body, params), "util": UtilVariable(), "context": context,
                 "stageVariables": dict(stage_variables)}
    try:
        return airspeed.Template(template).merge(variables).encode()
    except TemplateError:
        raise
    except Exception as exc:  # airspeed's parse and render errors have no common base
        raise TemplateError(f"{type(exc).__name__}: {exc}") from None
