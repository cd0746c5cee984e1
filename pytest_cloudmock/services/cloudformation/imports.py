"""Which live stacks import an export (`Fn::ImportValue`), for ListImports and delete protection."""

from __future__ import annotations

from typing import Any

from .state import CfnState


def importing_stacks(state: CfnState, export: str, owner: str = "") -> list[str]:
    return sorted(stack.name for stack in list(state.stacks.values())
                  if stack.active and stack.stack_id != owner
                  and (export in stack.imports or export in imported_names(stack.processed)))


def imported_names(value: Any) -> set[str]:
    """The export names a template imports with a literal (or `Fn::Sub`-free) name."""
    found: set[str] = set()
    _walk(value, found)
    return found


def _walk(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        if set(value) == {"Fn::ImportValue"} and isinstance(value["Fn::ImportValue"], str):
            found.add(value["Fn::ImportValue"])
            return
        for item in value.values():
            _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)
