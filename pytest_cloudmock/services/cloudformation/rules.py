"""The template's `Rules`: assertions on parameter values checked before anything is created.

Rule functions (`Fn::Contains`, `Fn::EachMemberEquals`, `Fn::EachMemberIn`, `Fn::RefAll`,
`Fn::ValueOf`, `Fn::ValueOfAll`) are evaluated here; the condition functions and `Ref`
come from intrinsics.py.
"""

from __future__ import annotations

from typing import Any

from . import errors
from .intrinsics import Evaluator, Scope


class RuleEvaluator(Evaluator):
    """An evaluator that also knows the rule-only functions."""

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            (key, arg), = value.items()
            handler = _RULE_FUNCTIONS.get(key)
            if handler is not None:
                return handler(self, arg)
        return super().resolve(value)


def _contains(ev: Evaluator, arg: Any) -> bool:
    items, value = ev.resolve(arg[0]), ev.resolve(arg[1])
    return str(value) in [str(i) for i in items]


def _each_member_equals(ev: Evaluator, arg: Any) -> bool:
    items, value = ev.resolve(arg[0]), ev.resolve(arg[1])
    return all(str(i) == str(value) for i in items)


def _each_member_in(ev: Evaluator, arg: Any) -> bool:
    items, allowed = ev.resolve(arg[0]), [str(a) for a in ev.resolve(arg[1])]
    return all(str(i) in allowed for i in items)


_RULE_FUNCTIONS = {
    "Fn::Contains": _contains,
    "Fn::EachMemberEquals": _each_member_equals,
    "Fn::EachMemberIn": _each_member_in,
    # cloudmock does not look up resource attributes of AWS-specific parameter values.
    "Fn::RefAll": lambda ev, arg: [],
    "Fn::ValueOf": lambda ev, arg: "",
    "Fn::ValueOfAll": lambda ev, arg: [],
}


def check_rules(template: dict[str, Any], parameters: dict[str, Any], pseudo: dict[str, Any]) -> None:
    """ValidationError with the assertion's description when a rule's assertion fails."""
    rules = template.get("Rules") or {}
    if not isinstance(rules, dict):
        raise errors.template_format("Rules must be an object")  # wording approximate
    ev = RuleEvaluator(Scope(parameters={k: p.resolved for k, p in parameters.items()}, pseudo=pseudo))
    for name, rule in rules.items():
        if not isinstance(rule, dict):
            continue
        if "RuleCondition" in rule and not ev._truth(ev.resolve(rule["RuleCondition"])):
            continue
        for assertion in rule.get("Assertions") or []:
            if not ev._truth(ev.resolve(assertion.get("Assert"))):
                raise errors.validation(assertion.get("AssertDescription") or f"Template error: rule {name} failed")
