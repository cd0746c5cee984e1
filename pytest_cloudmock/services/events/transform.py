"""What a target receives: the event, `Input`, `InputPath` or `InputTransformer`.

An input template's `<name>` placeholders take the values of the input paths map
and EventBridge's own `<aws.events.rule-arn>`, `<aws.events.rule-name>`,
`<aws.events.event.ingestion-time>`, `<aws.events.event>` (the event without its
`detail`) and `<aws.events.event.json>` (the whole event). A path that finds nothing
makes its placeholder empty in a string and `null` elsewhere (AWS documents only that
the variable "isn't created"). As AWS renders them: inside a JSON string a string value
goes in bare (escaped), outside one every value goes in as JSON; a template that
is plain text (not starting with `{`, `[` or `"`) takes string values bare.
"""

from __future__ import annotations

import json
import re
from typing import Any

_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+|\*)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]")
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")
_MISSING = object()


def json_path(document: Any, path: str) -> Any:
    """The value at a JSONPath of the forms EventBridge supports (`$.a.b`, `$.a[0]`, `$['a-b']`,
    wildcards `[*]` / `.*` giving a list); `_MISSING` if absent."""
    if not path.startswith("$"):
        return _MISSING
    return _walk(document, path[1:])


def _walk(value: Any, rest: str) -> Any:
    if not rest:
        return value
    step = _STEP.match(rest)
    if step is None:
        return _MISSING
    rest = rest[step.end():]
    key, index, quoted, dquoted = step.groups()
    if index == "*" or key == "*":
        items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
        found = [_walk(item, rest) for item in items]
        return [item for item in found if item is not _MISSING]
    if index is not None:
        if not isinstance(value, list) or int(index) >= len(value):
            return _MISSING
        return _walk(value[int(index)], rest)
    name = key if key is not None else (quoted if quoted is not None else dquoted)
    if not isinstance(value, dict) or name not in value:
        return _MISSING
    return _walk(value[name], rest)


def target_input(target: dict[str, Any], event: dict[str, Any], rule_name: str, rule_arn: str,
                 ingestion_ms: int) -> str:
    """The payload a target gets for `event`."""
    if "Input" in target:
        return target["Input"]
    if "InputPath" in target:
        value = json_path(event, target["InputPath"])
        return "null" if value is _MISSING else json.dumps(value)
    transformer = target.get("InputTransformer")
    if not transformer:
        return json.dumps(event)
    values: dict[str, Any] = {
        name: json_path(event, path) for name, path in (transformer.get("InputPathsMap") or {}).items()
    }
    values.update({
        "aws.events.rule-arn": rule_arn, "aws.events.rule-name": rule_name,
        "aws.events.event.ingestion-time": _iso_ms(ingestion_ms),
        # as AWS documents them: the event without its detail, and the whole event, both as JSON
        "aws.events.event": {k: v for k, v in event.items() if k != "detail"}, "aws.events.event.json": event,
    })
    return render(transformer["InputTemplate"], values)


def _iso_ms(ms: int) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def render(template: str, values: dict[str, Any]) -> str:
    """Fill `<name>` placeholders of an input template (unknown names stay as written)."""
    plain = not template.lstrip().startswith(("{", "[", '"'))
    out: list[str] = []
    in_string = False
    position = 0
    while position < len(template):
        char = template[position]
        if char == "\\" and in_string:
            out.append(template[position:position + 2])
            position += 2
            continue
        if char == '"':
            in_string = not in_string
        if char == "<":
            match = _PLACEHOLDER.match(template, position)
            if match and match.group(1) in values:
                out.append(_value_text(values[match.group(1)], in_string, plain))
                position = match.end()
                continue
        out.append(char)
        position += 1
    return "".join(out)


def _value_text(value: Any, in_string: bool, plain: bool) -> str:
    if value is _MISSING:
        return "" if in_string or plain else "null"
    if isinstance(value, str) and (in_string or plain):
        return json.dumps(value)[1:-1] if in_string else value
    text = json.dumps(value)
    return json.dumps(text)[1:-1] if in_string and not isinstance(value, (int, float, bool)) else text
