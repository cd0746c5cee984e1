"""Opt-in entries INFERRED from a botocore model alone, for services with no entry.

Every `Create<Noun>` operation becomes a resource type, served with the
`Describe<Noun>`/`Get<Noun>`, `List<Noun>s`, `Update<Noun>` and `Delete<Noun>`
operations the model has; the identifier is the create input's required
`<Noun>Name`/`Name`/`<Noun>Id` member (or an id the create output names,
generated). Inferred entries are labelled as such (`Entry.inferred`, their
description, and a warning logged on first use): they follow naming
conventions, not the service's documented behaviour.
"""

from __future__ import annotations

import re

from ..config import ConfigError
from ..models import service_model
from .entry import CREATE, DELETE, DESCRIBE, LIST, LIST_TAGS, TAG, UNTAG, UPDATE, ActionSpec, Entry
from .entry import ResourceType as RT
from .shapes import norm

_TAGGING = (("TagResource", "UntagResource", "ListTagsForResource"),
            ("AddTagsToResource", "RemoveTagsFromResource", "ListTagsForResource"))


def _plurals(noun: str) -> list[str]:
    forms = [noun + "s", noun + "es"]
    if noun.endswith("y"):
        forms.insert(0, noun[:-1] + "ies")
    return forms


def _kebab(noun: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", noun).lower()


def infer_entry(service: str, where: str = "infer") -> Entry:
    """An entry for `service` guessed from its botocore model (see the module docstring)."""
    try:
        model = service_model(service)
    except KeyError:
        raise ConfigError(f"{where}: cannot infer a stub for {service!r}: botocore has no model of it") from None
    ops = set(model.operation_names)
    signing = model.signing_name or model.endpoint_prefix or service
    actions: dict[str, ActionSpec] = {}
    resources: dict[str, RT] = {}
    for create in sorted(op for op in ops if op.startswith("Create")):
        noun = create[len("Create"):]
        found = {
            DESCRIBE: next((o for o in (f"Describe{noun}", f"Get{noun}") if o in ops), None),
            LIST: next((o for o in [f"List{p}" for p in _plurals(noun)]
                        + [f"Describe{p}" for p in _plurals(noun)] if o in ops), None),
            UPDATE: f"Update{noun}" if f"Update{noun}" in ops else None,
            DELETE: f"Delete{noun}" if f"Delete{noun}" in ops else None,
        }
        if not (found[DESCRIBE] or found[LIST]):
            continue
        op = model.operation_model(create)
        required = {norm(m): m for m in (op.input_shape.required_members if op.input_shape else [])}
        outputs = {norm(m): m for m in (op.output_shape.members if op.output_shape else {})}
        base = norm(noun)
        id_field = next((required[k] for k in (base + "name", "name", base + "id", base + "identifier")
                         if k in required), None)
        if id_field is None:
            id_field = next((outputs[k] for k in (base + "id", "id", base + "arn", "arn") if k in outputs),
                            f"{noun}Id")
        resources[noun] = RT(
            noun, id_field, f"arn:{{partition}}:{signing}:{{region}}:{{account}}:{_kebab(noun)}/{{id}}"
        )
        actions[create] = ActionSpec(create, CREATE, noun)
        for kind, name in found.items():
            if name and name not in actions:
                actions[name] = ActionSpec(name, kind, noun)
    for trio in _TAGGING:
        if all(name in ops for name in trio):
            for name, kind in zip(trio, (TAG, UNTAG, LIST_TAGS), strict=True):
                actions[name] = ActionSpec(name, kind)
            break
    if not resources:
        raise ConfigError(f"{where}: cannot infer a stub for {service!r}: no Create/Describe operation pairs")
    return Entry(
        service=service, actions=actions, resource_types=resources, inferred=True,
        description=f"INFERRED from the botocore model of {service} (operation names and shapes "
                    "only, not documented behaviour)",
    )
