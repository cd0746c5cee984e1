"""What an update would do, resource by resource: the `Changes` of a change set."""

from __future__ import annotations

from typing import Any

from .graph import creation_order, dependencies
from .intrinsics import UNKNOWN
from .scope import evaluator
from .state import CfnState, Stack


def plan(service: Any, stack: Stack, state: CfnState, processed: dict[str, Any],
         parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """Add / Modify (Replacement True, False or Conditional) / Remove, as DescribeChangeSet lists them."""
    ev = evaluator(stack, state, processed, parameters, strict=False)
    conditions = ev.all_conditions()
    resources = {k: v for k, v in (processed.get("Resources") or {}).items()
                 if "Condition" not in v or conditions.get(v["Condition"], True)}
    # What refers to a resource being replaced (its Ref) or modified (its attributes) is known only
    # when the update runs: those values are UNKNOWN, which makes their changes Dynamic/Conditional.
    replaced: set[str] = set()
    modified: set[str] = set()
    ref, get_att = ev.scope.ref, ev.scope.get_att
    ev.scope.ref = lambda name: UNKNOWN if name in replaced else ref(name)
    ev.scope.get_att = lambda name, attribute: UNKNOWN if name in replaced | modified else get_att(name, attribute)
    changes = []
    for logical_id in creation_order(dependencies(resources)):
        definition = resources[logical_id]
        old = stack.resources.get(logical_id)
        type_name = str(definition.get("Type"))
        if old is None or not old.physical_id:
            changes.append(_change("Add", logical_id, type_name))
            continue
        props = ev.resolve(definition.get("Properties") or {})
        changed = sorted(k for k in set(props) | set(old.properties) if props.get(k) != old.properties.get(k))
        if not changed and old.type == type_name and old.definition == definition:
            continue
        provider = service.provider(type_name)
        replaces = set(getattr(provider, "replaces", frozenset()))
        if getattr(provider, "replacing", None) is not None:  # replacement turns on a nested property
            replaces = set(provider.replacing(old.properties, props))
        details, replacement = [], "False"
        for name in changed:
            dynamic = _unknown(props.get(name))
            recreate = "*" in replaces or name in replaces
            details.append({"Target": {"Attribute": "Properties", "Name": name,
                                       "RequiresRecreation": ("Conditionally" if dynamic else "Always")
                                       if recreate else "Never"},
                            "Evaluation": "Dynamic" if dynamic else "Static", "ChangeSource": "DirectModification"})
            if recreate:
                replacement = "True" if not dynamic or replacement == "True" else "Conditional"
        if old.type != type_name:
            replacement = "True"
        modified.add(logical_id)
        if replacement != "False":
            replaced.add(logical_id)
        change = _change("Modify", logical_id, type_name, replacement, old.physical_id)
        change["ResourceChange"]["Scope"] = ["Properties"] if changed else []
        change["ResourceChange"]["Details"] = details
        changes.append(change)
    for logical_id, old in stack.resources.items():
        if logical_id not in resources and old.physical_id:
            changes.append(_change("Remove", logical_id, old.type, None, old.physical_id))
    return changes


def _change(action: str, logical_id: str, type_name: str, replacement: str | None = None,
            physical_id: str | None = None) -> dict[str, Any]:
    change: dict[str, Any] = {"Action": action, "LogicalResourceId": logical_id, "ResourceType": type_name,
                              "Scope": [], "Details": []}
    if physical_id:
        change["PhysicalResourceId"] = physical_id
    if replacement is not None:
        change["Replacement"] = replacement
    return {"Type": "Resource", "ResourceChange": change}


def _unknown(value: Any) -> bool:
    if isinstance(value, str):
        return UNKNOWN in value
    if isinstance(value, dict):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_unknown(v) for v in value)
    return False
