"""The property names and required properties of resource types, from AWS's resource schemas.

`type_schemas.json` holds, per type, its schema's `properties` names and `required` list (for
the API Gateway, Cognito, SES and EC2 types; generated from the schemas cfn-lint ships, which
tests/services/cloudformation/test_provider_validation.py checks it against). A type not
listed is not checked.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path


@functools.cache
def _schemas() -> dict[str, dict[str, list[str]]]:
    return json.loads((Path(__file__).with_name("type_schemas.json")).read_text())


def known_types() -> frozenset[str]:
    """The types whose properties are checked."""
    return frozenset(_schemas())


def required(type_name: str) -> tuple[str, ...]:
    """The properties `type_name`'s schema requires (none for a type not listed)."""
    return tuple(_schemas().get(type_name, {}).get("required", ()))


def unsupported(type_name: str, names: list[str]) -> list[str]:
    """Those of `names` that are not properties of `type_name` (none for a type not listed)."""
    schema = _schemas().get(type_name)
    return [] if schema is None else [name for name in names if name not in schema["properties"]]
