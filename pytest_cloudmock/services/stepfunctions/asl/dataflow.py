"""Data flow between states: JSONPath templates (`Parameters`, `ResultSelector`,
`ItemSelector`, `.$` keys), and JSONata expressions (`{% ... %}` strings with `$states`
and workflow variables)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jsonata

from . import intrinsics
from .errors import StatesError
from .paths import select

_JSONATA_LOCK = threading.Lock()  # jsonata-python's evaluator keeps per-instance state


def render(template: Any, data: Any, context: Any, variables: dict[str, Any] | None = None) -> Any:
    """A payload template with its `.$` fields replaced by path or intrinsic results."""
    if isinstance(template, dict):
        out: dict[str, Any] = {}
        for key, value in template.items():
            if key.endswith(".$") and isinstance(value, str):
                out[key[:-2]] = _dynamic(key, value, data, context, variables)
            else:
                out[key] = render(value, data, context, variables)
        return out
    if isinstance(template, list):
        return [render(item, data, context, variables) for item in template]
    return template


def _dynamic(key: str, value: str, data: Any, context: Any, variables: dict[str, Any] | None) -> Any:
    if intrinsics.is_intrinsic(value):
        return intrinsics.evaluate(value, data, context, variables)
    return select(value, data, context, variables, field=key)


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}")


@lru_cache(maxsize=2048)
def _compile(text: str) -> jsonata.Jsonata:
    return jsonata.Jsonata(text)


def compile_check(text: str) -> str | None:
    """The syntax error of a JSONata expression, None when it parses."""
    try:
        _compile(text[2:-2].strip())
    except Exception as exc:  # noqa: BLE001 - the library raises its own JException
        return str(exc)
    return None


def _random(seed: Any = None) -> float:
    return random.Random(seed).random() if seed is not None else random.random()


#: The functions Step Functions adds to JSONata, with the argument rules of their intrinsic twins.
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "partition": intrinsics.FUNCTIONS["States.ArrayPartition"][0],
    "range": intrinsics.FUNCTIONS["States.ArrayRange"][0],
    "hash": intrinsics.FUNCTIONS["States.Hash"][0],
    "parse": intrinsics.FUNCTIONS["States.StringToJson"][0],
    "uuid": intrinsics.FUNCTIONS["States.UUID"][0],
    "random": _random,
}


def evaluate(text: str, states: dict[str, Any], variables: dict[str, Any]) -> Any:
    """Evaluate one `{% ... %}` expression; a failure is `States.QueryEvaluationError`."""
    try:
        expression = _compile(text[2:-2].strip())
    except Exception as exc:  # noqa: BLE001
        raise StatesError("States.QueryEvaluationError", f"JSONata syntax error: {exc}") from None
    with _JSONATA_LOCK:
        frame = expression.create_frame()
        for name, function in _FUNCTIONS.items():
            frame.bind(name, jsonata.Jsonata.JLambda(function))
        frame.bind("states", states)
        for name, value in variables.items():
            frame.bind(name, value)
        try:
            return expression.evaluate(None, frame)
        except Exception as exc:  # noqa: BLE001
            raise StatesError("States.QueryEvaluationError", str(exc)) from None


def resolve(value: Any, states: dict[str, Any], variables: dict[str, Any]) -> Any:
    """A JSONata-mode field: expressions evaluated anywhere inside objects and arrays."""
    if is_expression(value):
        return evaluate(value, states, variables)
    if isinstance(value, dict):
        return {k: resolve(v, states, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, states, variables) for v in value]
    return value
