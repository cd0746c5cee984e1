"""The order resources are made in: `DependsOn` plus every reference, as CloudFormation orders them."""

from __future__ import annotations

from typing import Any

from . import errors
from .intrinsics import references


def dependencies(resources: dict[str, Any], *, strict: bool = True) -> dict[str, set[str]]:
    """logical id -> the resources it waits for; "Unresolved resource dependencies" if one is
    missing (`strict`), or only those among `resources` (ordering a subset, to delete it)."""
    graph: dict[str, set[str]] = {}
    for logical_id, resource in resources.items():
        depends_on = resource.get("DependsOn") or []
        if isinstance(depends_on, str):
            depends_on = [depends_on]
        missing = [d for d in depends_on if d not in resources]
        if missing and strict:
            raise errors.template_format(f"Unresolved resource dependencies [{', '.join(missing)}] in the "
                                         "Resources block of the template")
        refs = references({k: v for k, v in resource.items() if k in ("Properties", "Metadata", "DeletionPolicy",
                                                                        "UpdateReplacePolicy")})
        graph[logical_id] = {r for r in refs if r in resources} | {d for d in depends_on if d in resources}
    return graph


def check_references(template: dict[str, Any]) -> None:
    """Every `Ref` and `Fn::GetAtt` names a parameter, pseudo parameter or resource."""
    known = set(template.get("Resources") or {}) | set(template.get("Parameters") or {})
    wanted = references({"R": template.get("Resources"), "O": template.get("Outputs")})
    missing = sorted(w for w in wanted if w not in known and not w.startswith("AWS::"))
    if missing:
        raise errors.template_format(f"Unresolved resource dependencies [{', '.join(missing)}] in the Resources "
                                     "block of the template")


def creation_order(graph: dict[str, set[str]]) -> list[str]:
    """A topological order (template order among equals); "Circular dependency" when there is none."""
    order: list[str] = []
    done: set[str] = set()
    pending = list(graph)
    while pending:
        ready = [n for n in pending if graph[n] <= done]
        if not ready:
            cycle = _cycle(graph, set(pending))
            raise errors.validation(f"Circular dependency between resources: [{', '.join(cycle)}]")
        for name in ready:
            order.append(name)
            done.add(name)
        pending = [n for n in pending if n not in done]
    return order


def _cycle(graph: dict[str, set[str]], pending: set[str]) -> list[str]:
    """The resources caught in cycles (those that cannot be ordered and that others wait on)."""
    stuck = set(pending)
    changed = True
    while changed:  # drop what only waits on the cycle but is not on it
        changed = False
        for name in list(stuck):
            if not any(name in graph[other] for other in stuck):
                stuck.discard(name)
                changed = True
    return sorted(stuck)
