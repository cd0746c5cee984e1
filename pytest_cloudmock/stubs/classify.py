"""Every operation of a catalog service's model, mapped: what the entry declares, and the rest
classified from the operation's name (verb + noun) onto resource types.

`complete(entry, model)` returns the resource types and actions the engine adds:

- a `Create<Noun>` (or `Register`/`Put`/`Start`/`Run`/`Import`/`Request<Noun>` where no create
  exists but the noun is read back by a `Get`/`Describe`/`List`) makes an automatic resource
  type, identified as `infer_entry` does;
- `Get`/`Describe`/`BatchGet<Noun>` describe it, `List`/`Search<Noun>s` (and `Get`/`Describe`
  of the plural) list it, `Update`/`Modify` update it, `Delete`/`Deregister`/`BatchDelete`
  delete it, `Start`/`Stop`/`Cancel` move it through its states;
- `Put`/`Set<Noun>` of a noun that is not a resource is a singleton setting, read by
  `Get`/`Describe<Noun>` and removed by `Delete<Noun>`; `Associate`/`Attach`/`Register`/
  `Add`/`Enable` and their inverses keep links;
- tagging operations are found by name; anything else answers a well-formed output
  shaped from the model (`ANSWER`).
"""

from __future__ import annotations

import re

from botocore.model import ServiceModel

from .entry import (
    ANSWER,
    ASSOCIATE,
    CREATE,
    DELETE,
    DESCRIBE,
    DISASSOCIATE,
    GET,
    LIST,
    LIST_TAGS,
    PUT,
    START,
    STOP,
    TAG,
    UNSET,
    UNTAG,
    UPDATE,
    ActionSpec,
    Entry,
    ResourceType,
)
from .shapes import norm

_VERBS = sorted((
    "BatchGet", "BatchDescribe", "BatchDelete", "BatchCreate", "BatchUpdate", "BatchPut", "BatchStop",
    "BatchStart", "Create", "Describe", "Get", "List", "Search", "Update", "Modify", "Delete", "Put", "Set",
    "Register", "Deregister", "Associate", "Disassociate", "Attach", "Detach", "Start", "Stop", "Cancel",
    "Run", "Import", "Request", "Add", "Remove", "Enable", "Disable", "Allocate", "Release",
), key=len, reverse=True)
_MAKERS = ("Register", "Put", "Start", "Run", "Import", "Request", "Allocate", "BatchCreate")
_READERS = ("Get", "Describe", "List", "BatchGet", "BatchDescribe", "Search")
_TAG = re.compile(r"^(Tag[A-Z]|AddTags|CreateTags)")
_UNTAG = re.compile(r"^(Untag|RemoveTags|DeleteTags)")
_LIST_TAGS = re.compile(r"^(ListTags|DescribeTags|GetTags|ListResourceTags)")
_SETTING_WORDS = ("policy", "configuration", "config", "settings", "setting", "preferences", "attributes")


def split(operation: str) -> tuple[str, str]:
    """(verb, noun) of an operation name: `DescribeClusters` -> (`Describe`, `Clusters`)."""
    for verb in _VERBS:
        if operation.startswith(verb) and operation[len(verb):len(verb) + 1].isupper():
            return verb, operation[len(verb):]
    return "", operation


def singular(noun: str) -> list[str]:
    """Loose singular forms of a noun, the noun itself first."""
    key = norm(noun)
    forms = [key]
    if key.endswith("ies"):
        forms.append(key[:-3] + "y")
    if key.endswith("es"):
        forms.append(key[:-2])
    if key.endswith("s"):
        forms.append(key[:-1])
    return forms


def _kebab(noun: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", noun).lower()


class Classifier:
    """Classifies the operations of one model for one entry (see the module docstring)."""

    def __init__(self, entry: Entry, model: ServiceModel) -> None:
        self.entry = entry
        self.model = model
        self.ops = list(model.operation_names)
        self.parts = {op: split(op) for op in self.ops}
        self.put_nouns = {norm(noun) for verb, noun in self.parts.values() if verb in ("Put", "Set")}
        self._makers: dict[str, str] | None = None
        self.names: dict[str, str] = {}  # loose noun -> resource key
        for key, rtype in entry.resource_types.items():
            self.names.setdefault(norm(rtype.name), key)
            self.names.setdefault(norm(key), key)
        self.auto: dict[str, ResourceType] = {}

    def resource(self, noun: str) -> str | None:
        for form in singular(noun):
            if form in self.names:
                return self.names[form]
        return None

    def complete(self) -> tuple[dict[str, ResourceType], dict[str, ActionSpec]]:
        """(automatic resource types, classified actions) for the operations the entry leaves."""
        pending = [op for op in self.ops if op not in self.entry.actions]
        self._make_types(pending)
        return self.auto, {op: self.classify(op) for op in pending}

    # -- automatic resource types -------------------------------------------------------
    def _make_types(self, pending: list[str]) -> None:
        verbs: dict[str, set[str]] = {}
        for verb, noun in self.parts.values():
            for form in singular(noun)[:1] if verb in ("Create", *_MAKERS) else singular(noun):
                verbs.setdefault(form, set()).add(verb)
        for op in pending:
            verb, noun = self.parts[op]
            key = norm(noun)
            if not noun or self.resource(noun) or key in self.names:
                continue
            makes = verb == "Create" or (
                verb in _MAKERS and "Create" not in verbs.get(key, ())
                and bool(verbs.get(key, set()) & set(_READERS))
                and not (verb in ("Put", "Register") and key.endswith(_SETTING_WORDS))
            )
            if verb == "BatchCreate":
                continue
            if makes:
                self._add_type(op, noun)

    def _add_type(self, op: str, noun: str) -> None:
        operation = self.model.operation_model(op)
        inputs = operation.input_shape
        required = {norm(m): m for m in (inputs.required_members if inputs else [])}
        outputs = {norm(m): m for m in (operation.output_shape.members if operation.output_shape else {})}
        base = norm(noun)
        id_field = next((required[k] for k in (base + "name", "name", base + "id", base + "identifier")
                         if k in required), None)
        if id_field is None:
            id_field = next((outputs[k] for k in (base + "id", "id", base + "arn", "arn") if k in outputs),
                            f"{noun}Id")
        signing = self.model.signing_name or self.model.endpoint_prefix or self.entry.service
        self.auto[noun] = ResourceType(
            noun, id_field, f"arn:{{partition}}:{signing}:{{region}}:{{account}}:{_kebab(noun)}/{{id}}",
            id_format="{uuid}", auto=True,
        )
        self.names[base] = noun

    # -- one operation ---------------------------------------------------------------------
    def classify(self, op: str) -> ActionSpec:
        if _UNTAG.match(op):
            return ActionSpec(op, UNTAG, auto=True)
        if _LIST_TAGS.match(op):
            return ActionSpec(op, LIST_TAGS, auto=True)
        if _TAG.match(op):
            return ActionSpec(op, TAG, auto=True)
        verb, noun = self.parts[op]
        resource = self.resource(noun)
        if resource is not None:
            kind = self._resource_kind(verb, noun, resource)
            if kind is not None:
                return ActionSpec(op, kind, resource, auto=True)
        kind = {"Put": PUT, "Set": PUT, "Associate": ASSOCIATE, "Attach": ASSOCIATE, "Register": ASSOCIATE,
                "Add": ASSOCIATE, "Enable": ASSOCIATE, "Disassociate": DISASSOCIATE, "Detach": DISASSOCIATE,
                "Deregister": DISASSOCIATE, "Remove": DISASSOCIATE, "Disable": DISASSOCIATE}.get(verb)
        if kind is not None:
            return ActionSpec(op, kind, setting=noun, auto=True)
        if verb in ("Get", "Describe", "Delete") and self._is_setting(noun):
            return ActionSpec(op, GET if verb != "Delete" else UNSET, setting=noun, auto=True)
        return ActionSpec(op, ANSWER, auto=True)

    def _resource_kind(self, verb: str, noun: str, resource: str) -> str | None:
        rtype = self.entry.resource_types.get(resource) or self.auto.get(resource)
        plural = norm(noun) != norm(rtype.name if rtype else noun)
        if verb == "Create" or (verb in _MAKERS and rtype is not None and rtype.auto
                                and self._maker_of(resource) == verb + noun):
            return CREATE
        if verb in ("Import", "Request", "Allocate", "Run") or (verb == "Register" and not rtype.parent):
            return CREATE
        if verb in ("Get", "Describe", "BatchGet", "BatchDescribe"):
            return LIST if plural and verb == "Get" else DESCRIBE
        if verb in ("List", "Search"):
            return LIST
        if verb in ("Update", "Modify", "Put", "Set"):
            return UPDATE
        if verb in ("Delete", "Deregister", "BatchDelete"):
            return DELETE
        if verb in ("Start", "BatchStart"):
            return START
        if verb in ("Stop", "Cancel", "BatchStop"):
            return STOP
        return None

    def _maker_of(self, resource: str) -> str | None:
        if self._makers is None:
            self._makers = {}
            for op, (verb, noun) in self.parts.items():
                found = self.resource(noun) if verb in _MAKERS else None
                if found is not None:
                    self._makers.setdefault(found, op)
        return self._makers.get(resource)

    def _is_setting(self, noun: str) -> bool:
        key = norm(noun)
        return key.endswith(_SETTING_WORDS) or key in self.put_nouns


def complete(entry: Entry, model: ServiceModel) -> tuple[dict[str, ResourceType], dict[str, ActionSpec]]:
    """The automatic resource types and classified actions for `entry` over `model`."""
    return Classifier(entry, model).complete()
