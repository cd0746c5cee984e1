"""Template parameters: declared types, the values a request gives, defaults and constraints.

Messages follow CloudFormation's ("Parameters: [X] must have values", "Parameter 'X'
must be one of AllowedValues"); `AWS::SSM::Parameter::Value<...>` parameters are
resolved from our SSM when the stack operation starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import errors

_SIMPLE = frozenset({"String", "Number", "List<Number>", "CommaDelimitedList"})
_AWS_TYPE = re.compile(r"^(List<)?AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+(>)?$")
_SSM_TYPE = re.compile(r"^AWS::SSM::Parameter::(Name|Value<(.+)>)$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
MASK = "****"


@dataclass
class Resolved:
    """One parameter of a stack: what the user gave, and what functions see."""

    key: str
    value: str
    resolved: Any  # a list for list types
    no_echo: bool = False
    ssm_resolved: str | None = None  # ResolvedValue of an SSM parameter type


def check_declarations(declarations: dict[str, Any]) -> None:
    for name, declaration in declarations.items():
        if not isinstance(declaration, dict):
            raise errors.template_format(f"Invalid template parameter property '{name}'")
        kind = str(declaration.get("Type", ""))
        if "Type" not in declaration:
            raise errors.template_format("Every Parameters object must contain a Type member.")
        if kind not in _SIMPLE and not _AWS_TYPE.match(kind) and not _SSM_TYPE.match(kind):
            raise errors.template_format(f"Unrecognized parameter type: {kind}")


def resolve(declarations: dict[str, Any], given: list[dict[str, Any]], previous: dict[str, str] | None,
            ssm_lookup: Callable[[str], str]) -> dict[str, Resolved]:
    """The stack's parameters from the request's `Parameters`, defaults and the previous values."""
    check_declarations(declarations)
    values: dict[str, str] = {}
    for item in given:
        key = item.get("ParameterKey")
        if not key:
            continue
        if key not in declarations:
            raise errors.validation(f"Parameters: [{key}] do not exist in the template")
        if item.get("UsePreviousValue"):
            if previous is None or key not in previous:
                raise errors.validation(f"Invalid input for parameter key {key}. Cannot specify "
                                        "usePreviousValue as true for a parameter key not in the previous template")
            values[key] = previous[key]
        else:
            values[key] = str(item.get("ParameterValue", ""))
    missing = [k for k, d in declarations.items() if k not in values and "Default" not in d]
    if missing:
        raise errors.validation(f"Parameters: [{', '.join(missing)}] must have values")
    out = {}
    for key, declaration in declarations.items():
        raw = values.get(key, _default_text(declaration.get("Default")))
        out[key] = _check(key, declaration, raw, ssm_lookup)
    return out


def _default_text(default: Any) -> str:
    if isinstance(default, list):
        return ",".join(str(d) for d in default)
    if isinstance(default, bool):
        return "true" if default else "false"
    return "" if default is None else str(default)


def _check(key: str, declaration: dict[str, Any], raw: str, ssm_lookup: Callable[[str], str]) -> Resolved:
    kind = str(declaration["Type"])
    no_echo = str(declaration.get("NoEcho", "false")).lower() == "true"
    ssm = _SSM_TYPE.match(kind)
    if ssm and ssm[2]:
        value = ssm_lookup(raw)
        inner = ssm[2]
        resolved: Any = [v.strip() for v in value.split(",")] if inner.startswith("List<") or inner == "CommaDelimitedList" else value
        return Resolved(key, raw, resolved, no_echo, ssm_resolved=value)
    is_list = kind.startswith("List<") or kind == "CommaDelimitedList"
    items = [v.strip() for v in raw.split(",")] if is_list and raw != "" else [] if is_list else [raw]
    allowed = declaration.get("AllowedValues")
    for item in items:
        if kind in ("Number", "List<Number>") and not _NUMBER.match(item):
            raise errors.validation(f"Parameter '{key}' must be a number.")
        if allowed is not None and item not in [_default_text(a) for a in allowed]:
            raise errors.validation(f"Parameter '{key}' must be one of AllowedValues")
        pattern = declaration.get("AllowedPattern")
        if pattern is not None and kind == "String" and not re.fullmatch(str(pattern), item):
            raise errors.validation(declaration.get("ConstraintDescription")
                                    and f"Parameter '{key}' failed to satisfy constraint: {declaration['ConstraintDescription']}"
                                    or f"Parameter '{key}' must match pattern {pattern}")
        if kind == "String":
            if "MinLength" in declaration and len(item) < int(declaration["MinLength"]):
                raise errors.validation(f"Parameter '{key}' must contain at least {declaration['MinLength']} characters")
            if "MaxLength" in declaration and len(item) > int(declaration["MaxLength"]):
                raise errors.validation(f"Parameter '{key}' must contain at most {declaration['MaxLength']} characters")
        if kind in ("Number", "List<Number>"):
            if "MinValue" in declaration and float(item) < float(declaration["MinValue"]):
                raise errors.validation(f"Parameter '{key}' must be a number not less than {declaration['MinValue']}")
            if "MaxValue" in declaration and float(item) > float(declaration["MaxValue"]):
                raise errors.validation(f"Parameter '{key}' must be a number not greater than {declaration['MaxValue']}")
    return Resolved(key, raw, items if is_list else raw, no_echo)


