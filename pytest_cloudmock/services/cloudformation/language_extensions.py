"""`AWS::LanguageExtensions`: `Fn::ForEach` loops expanded before deployment.

`Fn::Length`, `Fn::ToJsonString` and `Fn::FindInMap`'s `DefaultValue` are evaluated
with the other intrinsic functions (intrinsics.py).
"""

from __future__ import annotations

import re
from typing import Any

from . import errors


def expand_language_extensions(template: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    return {key: _expand(value, parameters) for key, value in template.items()}


def _expand(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_expand(v, parameters) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(key, str) and key.startswith("Fn::ForEach::"):
            out.update(_loop(key, item, parameters))
        else:
            out[key] = _expand(item, parameters)
    return out


def _loop(key: str, arg: Any, parameters: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str) or not isinstance(arg[2], dict):
        raise errors.validation(f"Transform AWS::LanguageExtensions failed with: {key} must be a list of an "
                                "identifier, a collection and an output map")  # AWS's exact text unknown
    identifier, collection, body = arg
    if isinstance(collection, dict) and set(collection) == {"Ref"}:
        found = parameters.get(collection["Ref"])
        collection = found.resolved if found is not None else None
    if not isinstance(collection, list):
        raise errors.validation(f"Transform AWS::LanguageExtensions failed with: {key} needs a list collection")
    out: dict[str, Any] = {}
    for element in collection:
        out.update(_expand(_substitute(body, identifier, str(element)), parameters))
    return out


def _substitute(value: Any, identifier: str, element: str) -> Any:
    if isinstance(value, str):
        alnum = re.sub(r"[^A-Za-z0-9]", "", element)
        return value.replace("${" + identifier + "}", element).replace("&{" + identifier + "}", alnum)
    if isinstance(value, list):
        return [_substitute(v, identifier, element) for v in value]
    if isinstance(value, dict):
        if value == {"Ref": identifier}:
            return element
        return {_substitute(k, identifier, element): _substitute(v, identifier, element) for k, v in value.items()}
    return value
