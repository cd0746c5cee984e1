"""The tag adapter of stub-catalog services: records from the stub engine, tags through the entry's actions.

A stub keeps its resources as engine records (id, ARN, tags); the adapter reads them
from the engine's store for the account and region, and changes tags by calling the
entry's own tag and untag actions through the registry, so overrides and the request
log see them as any other call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..api import AWSError
from ..stubs.engine import StubService
from ..stubs.entry import TAG, UNTAG
from ..stubs.shapes import MISSING, UNTAG_NAMES, is_tags, norm, tags_to
from . import Call, TaggedResource


def is_stub(service: Any) -> bool:
    return isinstance(service, StubService)


class StubAdapter:
    """Tags of one stub service's resources in one account and region."""

    def __init__(self, name: str, service: StubService, account_id: str, region: str) -> None:
        self.service = name
        self.stub = service
        self.arn_services: tuple[str, ...] = ()  # owned by record (`owns`): stub ARNs use many namespaces
        self.account_id, self.region = account_id, region

    def _records(self) -> list[Any]:
        state = self.stub.store.find(self.account_id, self.region)
        if state is None:
            return []
        with self.stub.store.lock:
            return [record for table in state.resources.values() for record in table.values() if record.arn]

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        return [TaggedResource(record.arn, dict(record.tags)) for record in self._records()]

    def owns(self, arn: str) -> bool:
        return any(record.arn == arn for record in self._records())

    def _operation(self, kind: str) -> str:
        action = self.stub.entry.action(kind)
        if action is None:
            raise AWSError("InvalidParameterException",
                           f"{self.service} resources cannot be tagged through this API", 400)
        return action.name

    def _input(self, operation: str) -> Any:
        model = self.stub.service_model
        if model is None or operation not in model.operation_names:
            return None
        return model.operation_model(operation).input_shape

    def _arn_member(self, shape: Any) -> str:
        """The input member naming the resource: an ARN-ish member, else the first required string."""
        if shape is None:
            return "ResourceArn"
        strings = [n for n, m in shape.members.items() if m.type_name == "string"
                   and not is_tags(n) and norm(n) not in UNTAG_NAMES]
        named = [n for n in strings if "arn" in norm(n) or norm(n) in ("resource", "resourceid", "resourcename")]
        required = [n for n in strings if n in shape.required_members]
        return (named or required or strings or ["ResourceArn"])[0]

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        operation = self._operation(TAG)
        shape = self._input(operation)
        tags_member = next((n for n in (shape.members if shape else {}) if is_tags(n)), "Tags")
        value: Any = tags_to(tags, shape.members[tags_member]) if shape is not None else dict(tags)
        call(operation, {self._arn_member(shape): arn, tags_member: dict(tags) if value is MISSING else value})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        operation = self._operation(UNTAG)
        shape = self._input(operation)
        keys_member = next((n for n in (shape.members if shape else {}) if norm(n) in UNTAG_NAMES), "TagKeys")
        call(operation, {self._arn_member(shape): arn, keys_member: list(keys)})
