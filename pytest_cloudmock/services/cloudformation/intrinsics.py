"""Evaluating intrinsic functions and conditions against a stack's scope.

`Evaluator.resolve(value)` walks a template fragment and replaces every `Ref`,
`Fn::*` and `Condition` reference with its value; `AWS::NoValue` removes the key or
list item that holds it. What a function reads (parameters, resources, exports) comes
from a `Scope`, so the same code serves deployment, change-set planning and outputs.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import errors


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()
#: Stands for a value known only once a resource exists (change-set planning).
UNKNOWN = "{{cloudmock:unknown}}"
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


@dataclass
class Scope:
    """What intrinsic functions can see."""

    parameters: dict[str, Any]
    pseudo: dict[str, Any]
    mappings: dict[str, Any] = field(default_factory=dict)
    condition_defs: dict[str, Any] = field(default_factory=dict)
    #: logical id -> physical id (what `Ref` gives) for resources that exist.
    ref: Callable[[str], Any] = lambda name: UNKNOWN
    #: (logical id, attribute) -> value.
    get_att: Callable[[str, str], Any] = lambda name, attr: UNKNOWN
    import_value: Callable[[str], Any] = lambda name: UNKNOWN
    resource_names: frozenset[str] = frozenset()
    conditions: dict[str, bool] = field(default_factory=dict)


class Evaluator:
    """Resolves template fragments in one scope."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._evaluating: set[str] = set()

    # -- conditions -------------------------------------------------------------------
    def condition(self, name: str) -> bool:
        scope = self.scope
        if name in scope.conditions:
            return scope.conditions[name]
        if name not in scope.condition_defs:
            raise errors.template_format(f"Unresolved dependencies [{name}]. Cannot reference resources in the "
                                         "Conditions block of the template")  # AWS's exact text unknown
        if name in self._evaluating:
            raise errors.template_format(f"Circular dependency between conditions: [{name}]")  # wording approximate
        self._evaluating.add(name)
        try:
            value = self._truth(self.resolve(scope.condition_defs[name]))
        finally:
            self._evaluating.discard(name)
        scope.conditions[name] = value
        return value

    def all_conditions(self) -> dict[str, bool]:
        for name in self.scope.condition_defs:
            self.condition(name)
        return dict(self.scope.conditions)

    @staticmethod
    def _truth(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise errors.template_error("Fn::If, Fn::And, Fn::Or and Fn::Not require boolean conditions")  # wording unknown

    # -- values -----------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if len(value) == 1:
                (key, arg), = value.items()
                handler = _FUNCTIONS.get(key)
                if handler is not None:
                    return handler(self, arg)
            out = {}
            for key, item in value.items():
                resolved = self.resolve(item)
                if resolved is not NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(value, list):
            return [r for r in (self.resolve(item) for item in value) if r is not NO_VALUE]
        return value

    def text(self, value: Any, function: str) -> str:
        resolved = self.resolve(value)
        if isinstance(resolved, bool):
            return "true" if resolved else "false"
        if isinstance(resolved, (int, float)):
            return str(resolved)
        if not isinstance(resolved, str):
            raise errors.template_error(f"every {function} object requires a string value")  # wording approximate
        return resolved

    def ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            raise errors.template_format("Every Ref object must have a single String value.")
        scope = self.scope
        if name in scope.pseudo:
            return scope.pseudo[name]
        if name in scope.parameters:
            return scope.parameters[name]
        if name in scope.resource_names:
            return scope.ref(name)
        raise errors.template_format(f"Unresolved resource dependencies [{name}] in the Resources block of the template")

    def get_att(self, arg: Any) -> Any:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[0], str):
            raise errors.template_error("every Fn::GetAtt object requires two non-empty parameters.")
        name, attribute = arg[0], self.resolve(arg[1])
        if not isinstance(attribute, str):
            raise errors.template_error("every Fn::GetAtt object requires two non-empty parameters.")
        if name not in self.scope.resource_names:
            raise errors.template_format(
                f"Unresolved resource dependencies [{name}] in the Resources block of the template")
        return self.scope.get_att(name, attribute)

    def sub(self, arg: Any) -> str:
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, variables = arg[0], {k: self.resolve(v) for k, v in arg[1].items()}
        elif isinstance(arg, str):
            template, variables = arg, {}
        else:
            raise errors.template_error("One or more Fn::Sub intrinsic functions don't specify expected arguments. "
                                        "Specify a string as first argument, and an optional second argument to "
                                        "specify a mapping of values to replace in the string")
        if not isinstance(template, str):
            raise errors.template_error("Fn::Sub requires a string as its first argument")  # wording approximate

        def replace(match: re.Match[str]) -> str:
            name = match[1]
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            name = name.strip()
            if name in variables:
                value = variables[name]
            elif "." in name and not name.startswith("AWS::"):
                value = self.get_att(name.split(".", 1))
            else:
                value = self.ref(name)
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            return _string(value)

        return _SUB_VAR.sub(replace, template)

    def find_in_map(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            raise errors.template_error("Fn::FindInMap requires three arguments")  # wording approximate
        name, top, second = (self.resolve(a) for a in arg[:3])
        default = NO_VALUE
        if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
            default = self.resolve(arg[3]["DefaultValue"])
        try:
            return self.scope.mappings[name][top][second]
        except (KeyError, TypeError):
            if default is not NO_VALUE:
                return default
            if name not in self.scope.mappings:
                raise errors.template_error(f"Mapping named '{name}' is not present in the 'Mappings' section "
                                            "of template.") from None  # wording approximate
            raise errors.template_error(f"Unable to get mapping for {name}::{top}::{second}") from None


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _join(ev: Evaluator, arg: Any) -> str:
    if not isinstance(arg, list) or len(arg) != 2:
        raise errors.template_error("every Fn::Join object requires two parameters, (1) a string delimiter and "
                                    "(2) a list of strings to be joined or a function that returns a list of "
                                    "strings (such as Fn::GetAZs) to be joined.")
    delimiter, items = ev.resolve(arg[0]), ev.resolve(arg[1])
    if not isinstance(items, list):
        raise errors.template_error("every Fn::Join object requires two parameters, (1) a string delimiter and "
                                    "(2) a list of strings to be joined or a function that returns a list of "
                                    "strings (such as Fn::GetAZs) to be joined.")
    return str(delimiter).join(_string(i) for i in items)


def _select(ev: Evaluator, arg: Any) -> Any:
    if not isinstance(arg, list) or len(arg) != 2:
        raise errors.template_error("Fn::Select requires a list argument with two elements: an integer index "
                                    "and a list")  # wording approximate
    index, items = ev.resolve(arg[0]), ev.resolve(arg[1])
    if isinstance(items, str):
        items = items.split(",")
    try:
        position = int(index)
    except (TypeError, ValueError):
        raise errors.template_error("Fn::Select requires an integer index") from None  # wording approximate
    if not isinstance(items, list) or not 0 <= position < len(items):
        raise errors.template_error(f"Fn::Select cannot select nonexistent value at index {position}")
    return items[position]


def _split(ev: Evaluator, arg: Any) -> list[str]:
    if not isinstance(arg, list) or len(arg) != 2:
        raise errors.template_error("Fn::Split requires a delimiter and a source string")  # wording approximate
    delimiter, source = ev.resolve(arg[0]), ev.resolve(arg[1])
    if not isinstance(delimiter, str) or not isinstance(source, str):
        raise errors.template_error("Fn::Split requires a delimiter and a source string")
    return source.split(delimiter)


def _if(ev: Evaluator, arg: Any) -> Any:
    if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
        raise errors.template_error("Fn::If requires a list argument with three elements")  # wording approximate
    return ev.resolve(arg[1] if ev.condition(arg[0]) else arg[2])


def _equals(ev: Evaluator, arg: Any) -> bool:
    if not isinstance(arg, list) or len(arg) != 2:
        raise errors.template_error("Fn::Equals requires a list argument with two elements")  # wording approximate
    left, right = ev.resolve(arg[0]), ev.resolve(arg[1])
    return _string(left) == _string(right) if not (isinstance(left, list) or isinstance(right, list)) else left == right


def _conditions(ev: Evaluator, arg: Any, function: str, low: int, high: int) -> list[bool]:
    if not isinstance(arg, list) or not low <= len(arg) <= high:
        raise errors.template_error(f"{function} requires a list argument with {low} to {high} elements")  # approx.
    return [ev._truth(ev.resolve(item)) for item in arg]


def _get_azs(ev: Evaluator, arg: Any) -> list[str]:
    region = ev.resolve(arg) or ev.scope.pseudo["AWS::Region"]
    return [f"{region}{zone}" for zone in "abc"]


def _base64(ev: Evaluator, arg: Any) -> str:
    return base64.b64encode(ev.text(arg, "Fn::Base64").encode()).decode()


def _cidr(ev: Evaluator, arg: Any) -> list[str]:
    if not isinstance(arg, list) or len(arg) != 3:
        raise errors.template_error("Fn::Cidr requires an ipBlock, a count and cidrBits")  # wording approximate
    block, count, bits = (ev.resolve(a) for a in arg)
    try:
        network = ipaddress.ip_network(str(block), strict=False)
        prefix = network.max_prefixlen - int(bits)
        subnets = network.subnets(new_prefix=prefix)
        return [str(next(subnets)) for _ in range(int(count))]
    except (ValueError, StopIteration):
        raise errors.template_error(f"Fn::Cidr cannot carve {count} /{bits} subnets out of {block}") from None


def _condition_ref(ev: Evaluator, arg: Any) -> bool:
    if not isinstance(arg, str):
        raise errors.template_format("Condition references must be strings")  # wording approximate
    return ev.condition(arg)


def _length(ev: Evaluator, arg: Any) -> int:
    items = ev.resolve(arg)
    if not isinstance(items, list):
        raise errors.template_error("Fn::Length requires a list")  # wording approximate
    return len(items)


def _import(ev: Evaluator, arg: Any) -> Any:
    name = ev.resolve(arg)
    if not isinstance(name, str):
        raise errors.template_error("Fn::ImportValue requires a string export name")  # wording approximate
    return ev.scope.import_value(name)


_FUNCTIONS: dict[str, Callable[[Evaluator, Any], Any]] = {
    "Ref": lambda ev, arg: NO_VALUE if arg == "AWS::NoValue" else ev.ref(arg),
    "Fn::GetAtt": Evaluator.get_att,
    "Fn::Sub": Evaluator.sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::And": lambda ev, arg: all(_conditions(ev, arg, "Fn::And", 2, 10)),
    "Fn::Or": lambda ev, arg: any(_conditions(ev, arg, "Fn::Or", 2, 10)),
    "Fn::Not": lambda ev, arg: not _conditions(ev, arg, "Fn::Not", 1, 1)[0],
    "Fn::FindInMap": Evaluator.find_in_map,
    "Fn::GetAZs": _get_azs,
    "Fn::Base64": _base64,
    "Fn::Cidr": _cidr,
    "Fn::ImportValue": _import,
    "Condition": _condition_ref,
    "Fn::Length": _length,
    "Fn::ToJsonString": lambda ev, arg: json.dumps(ev.resolve(arg), separators=(",", ":")),
}


def references(value: Any) -> set[str]:
    """Every logical name `value` refers to (Ref, Fn::GetAtt, Fn::Sub variables)."""
    found: set[str] = set()
    _collect(value, found)
    return found


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
                return
            if key == "Fn::GetAtt":
                target = arg.split(".", 1)[0] if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg else None
                if isinstance(target, str):
                    found.add(target)
                if isinstance(arg, list):
                    _collect(arg[1:], found)
                return
            if key == "Fn::Sub":
                template, variables = (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else (arg, {})
                if isinstance(template, str):
                    for match in _SUB_VAR.finditer(template):
                        name = match[1].strip()
                        if not name.startswith("!") and name.split(".", 1)[0] not in (variables or {}):
                            found.add(name if name.startswith("AWS::") else name.split(".", 1)[0])
                _collect(variables, found)
                return
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)
