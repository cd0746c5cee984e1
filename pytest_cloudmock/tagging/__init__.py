"""One tagging interface over every service: list taggable resources, tag and untag an ARN.

The Resource Groups Tagging API (and anything else needing "all tagged resources of an
account and region") goes through `TagAdapter`s, one per service, each speaking that
service's own API through `registry.call`: nothing reads another service's internals
(stub-catalog services are the exception the stub engine offers: their records are read
from the engine's store and tagged through the entry's own tag actions).

Only services the gateway has already made are asked (`Registry.instantiated()`): a
service never made holds no resources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..api import AWSError

if TYPE_CHECKING:
    from ..api import RequestContext
    from ..registry import Registry



@dataclass(frozen=True)
class Call:
    """`call(operation, params)`: one service's operations in one account and region (which
    adapters read when a service's answers carry no ARN)."""

    registry: Registry
    service: str
    account_id: str
    region: str
    caller: RequestContext | None = None

    def __call__(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.registry.call(self.service, operation, params, account_id=self.account_id,
                                  region=self.region, caller=self.caller)


def every(call: Callable[[str, dict[str, Any]], dict[str, Any]], operation: str, params: dict[str, Any], items: str,
          token_in: str = "NextToken", token_out: str | None = None) -> Iterator[Any]:
    """Every item of a paged list operation."""
    token: str | None = None
    while True:
        page = call(operation, {**params, **({token_in: token} if token else {})})
        yield from page.get(items) or []
        token = page.get(token_out or token_in)
        if not token:
            return


@dataclass
class TaggedResource:
    """A resource as the tagging interface sees it."""

    arn: str
    tags: dict[str, str] = field(default_factory=dict)
    #: The region of a resource whose ARN names none (S3 buckets); None: the ARN's.
    region: str | None = None

    @property
    def service(self) -> str:
        """The ARN's service namespace (`s3`, `states`)."""
        return self.arn.split(":")[2]

    @property
    def resource_type(self) -> str:
        """`service:type` as the Tagging API's `ResourceTypeFilters` spell it (`sqs:queue`)."""
        return f"{self.service}:{arn_resource_type(self.arn)}" if arn_resource_type(self.arn) else self.service


#: Services whose ARNs carry no type segment: the type the Tagging API gives them.
_TYPE_OF_UNTYPED = {"s3": "bucket", "sqs": "queue", "sns": "topic"}


def arn_resource_type(arn: str) -> str:
    """The resource type embedded in an ARN (`table` of `...:table/t`, `function` of `...:function:f`;
    the collections of a path-style ARN, `restapis/stages` of `...::/restapis/a/stages/s`)."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return ""
    service, resource = parts[2], parts[5]
    if resource.startswith("/"):
        return "/".join(resource.strip("/").split("/")[0::2])
    for separator in ("/", ":"):
        if separator in resource:
            return resource.split(separator, 1)[0]
    return _TYPE_OF_UNTYPED.get(service, "")


class TagAdapter(Protocol):
    """How one service's resources are listed, tagged and untagged through its own API."""

    #: The registry name of the service (`s3`, `stepfunctions`).
    service: str
    #: The ARN service namespaces it owns (`states` for Step Functions).
    arn_services: tuple[str, ...]

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        """Every taggable resource of the account and region, with its tags."""
        ...

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        """Add or overwrite `tags` on the resource `arn`; raises the service's `AWSError`."""
        ...

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        """Remove the tag `keys` from the resource `arn` (absent keys are fine)."""
        ...

    def owns(self, arn: str) -> bool:
        """Whether `arn` names a resource of this service (an adapter may also offer
        `holds(call, arn) -> bool` to settle an ARN form two services share)."""
        ...


class NamespaceOwned:
    """Owns the ARNs of its `arn_services` namespaces (every Tier 1 adapter)."""

    arn_services: tuple[str, ...]

    def owns(self, arn: str) -> bool:
        parts = arn.split(":", 5)
        return len(parts) == 6 and parts[2] in self.arn_services


def not_taggable(arn: str) -> AWSError:
    """The failure for an ARN no service holds (AWS's exact text for it is not documented)."""
    return AWSError("InvalidParameterException", f"Resource {arn} does not exist or is not taggable", 400)


def pairs(tags: dict[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    """A tag map as a list of pairs (`[{Key, Value}]`, or other member names)."""
    return [{key: k, value: v} for k, v in tags.items()]


def unpair(tags: Iterable[dict[str, Any]] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """A list of tag pairs as a map."""
    return {t[key]: t.get(value, "") for t in tags or []}


@dataclass(frozen=True)
class TagScope:
    """Where a tagging request looks: an account and region of one gateway's registry."""

    registry: Registry
    account_id: str
    region: str
    caller: RequestContext | None = None

    def caller_for(self, service: str) -> Call:
        """`call(operation, params)` on `service` in this account and region."""
        return Call(self.registry, service, self.account_id, self.region, self.caller)

    def adapters(self) -> Iterator[TagAdapter]:
        """The adapters of the services the gateway has made (built-in ones, then stubs)."""
        from .adapters import BUILTIN
        from .stubs import StubAdapter, is_stub

        for name, service in sorted(self.registry.instantiated().items()):
            if name in BUILTIN:
                yield BUILTIN[name]
            elif is_stub(service):
                yield StubAdapter(name, service, self.account_id, self.region)

    def resources(self) -> Iterator[TaggedResource]:
        """Every taggable resource the made services hold in this account and region."""
        for adapter in self.adapters():
            try:
                found = list(adapter.resources(self.caller_for(adapter.service)))
            except AWSError:
                continue  # a service that cannot list its resources holds nothing to show
            yield from (r for r in found if (r.region or self.region) == self.region)

    def owner(self, arn: str) -> TagAdapter | None:
        """The adapter whose service owns `arn` (by ARN namespace; stubs by their records); of
        several, the first whose service holds the resource."""
        owners = [adapter for adapter in self.adapters() if adapter.owns(arn)]
        if len(owners) > 1:
            for adapter in owners:
                holds = getattr(adapter, "holds", None)
                if holds is not None and holds(self.caller_for(adapter.service), arn):
                    return adapter
        return owners[0] if owners else None

    def tag(self, arn: str, tags: dict[str, str]) -> None:
        adapter = self._owner_or_fail(arn)
        adapter.tag(self.caller_for(adapter.service), arn, tags)

    def untag(self, arn: str, keys: list[str]) -> None:
        adapter = self._owner_or_fail(arn)
        adapter.untag(self.caller_for(adapter.service), arn, keys)

    def _owner_or_fail(self, arn: str) -> TagAdapter:
        parts = arn.split(":", 5)
        if len(parts) == 6 and (parts[3] not in ("", self.region) or parts[4] not in ("", self.account_id)):
            # Only resources of the caller's account and region can be tagged (the API reference).
            raise AWSError("InvalidParameterException",
                           f"Resource {arn} is not in this account and region ({self.account_id}, {self.region})",
                           400)
        adapter = self.owner(arn)
        if adapter is None:
            raise not_taggable(arn)
        return adapter
