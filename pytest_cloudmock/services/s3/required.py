"""Missing required members: the gateway's message at the top level, `MalformedXML` inside a body.

S3's profile turns the gateway's `required` check off and runs this instead,
before the operation's method: a missing top-level member gets the gateway's
own answer (one message for the whole house), while an XML body that lacks a
required element deeper down (`<Delete>` without `<Object>`, a tag without
`<Key>`) is `MalformedXML`, as S3 answers it. What to look at is worked out
once per operation (`_plan`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from botocore.model import OperationModel, Shape

from ...validation.errors import error_for, family_code
from ...validation.plan import lower_first
from . import errors

#: (required top-level members, body members whose shape requires an element at some depth)
_Plan = tuple[tuple[str, ...], tuple[tuple[str, Shape], ...]]


def check_required(operation: OperationModel | None, params: dict[str, Any]) -> None:
    if operation is None or operation.input_shape is None:
        return
    required, deep = _plan(operation)
    if None in map(params.get, required):
        missing = [name for name in required if params.get(name) is None]
        code = family_code(operation, "rest-xml")
        raise error_for([("required", (None, lower_first(n)), None, n) for n in missing], code, "rest-xml")
    for name, member in deep:
        value = params.get(name)
        if value is not None and not _complete(member, value):
            raise errors.malformed_xml()


@lru_cache(maxsize=1024)
def _plan(operation: OperationModel) -> _Plan:
    """What `check_required` looks at for an operation (models are immutable: cached per model)."""
    shape = operation.input_shape
    deep = tuple(
        (name, member) for name, member in shape.members.items()
        if not member.serialization.get("location") and _requires_any(member, set())
    )
    return tuple(shape.required_members), deep


def _requires_any(shape: Shape, seen: set[str]) -> bool:
    """Whether a shape, or any shape inside it, has a required member."""
    if shape.name in seen:
        return False
    seen.add(shape.name)
    if shape.type_name == "structure":
        return bool(shape.required_members) or any(_requires_any(m, seen) for m in shape.members.values())
    if shape.type_name == "list":
        return _requires_any(shape.member, seen)  # type: ignore[attr-defined]
    if shape.type_name == "map":
        return _requires_any(shape.value, seen)  # type: ignore[attr-defined]
    return False


def _complete(shape: Shape, value: Any) -> bool:
    """Whether an XML body value has every required element, at every depth."""
    if shape.type_name == "structure" and isinstance(value, dict):
        if any(value.get(name) is None for name in shape.required_members):
            return False
        return all(_complete(shape.members[k], v) for k, v in value.items() if k in shape.members)
    if shape.type_name == "list" and isinstance(value, list):
        return all(_complete(shape.member, item) for item in value)  # type: ignore[attr-defined]
    if shape.type_name == "map" and isinstance(value, dict):
        return all(_complete(shape.value, item) for item in value.values())  # type: ignore[attr-defined]
    return True
