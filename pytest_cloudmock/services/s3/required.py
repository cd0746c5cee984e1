"""Missing required members: the gateway's message at the top level, `MalformedXML` inside a body.

S3's profile turns the gateway's `required` check off and runs this instead,
before the operation's method: a missing top-level member gets the gateway's
own answer (one message for the whole house), while an XML body that lacks a
required element deeper down (`<Delete>` without `<Object>`, a tag without
`<Key>`) is `MalformedXML`, as S3 answers it.
"""

from __future__ import annotations

from typing import Any

from botocore.model import OperationModel, Shape

from ...validation.errors import error_for, family_code
from ...validation.plan import lower_first
from . import errors


def check_required(operation: OperationModel | None, params: dict[str, Any]) -> None:
    shape = operation.input_shape if operation is not None else None
    if shape is None:
        return
    missing = [name for name in shape.required_members if params.get(name) is None]
    if missing:
        code = family_code(operation, "rest-xml")  # type: ignore[arg-type]
        raise error_for([("required", (None, lower_first(n)), None, n) for n in missing], code, "rest-xml")
    for name, member in shape.members.items():
        body = not member.serialization.get("location") and params.get(name) is not None
        if body and not _complete(member, params[name]):
            raise errors.malformed_xml()


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
