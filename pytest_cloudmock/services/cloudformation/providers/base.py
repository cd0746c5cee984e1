"""The contract between the CloudFormation engine and its resource providers.

The engine (stacks, templates, intrinsics, ordering, rollback, change sets) resolves a
resource's properties and hands them to the provider of its type; the provider makes the
resource real by calling the gateway's own services through the registry, so a stack's
bucket is a bucket of our S3. Providers never see templates or intrinsic functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ....api import RequestContext
    from ....registry import Registry


@dataclass
class ProviderContext:
    """Where a resource lives and how to reach the services that hold it."""

    registry: Registry
    account_id: str
    region: str
    stack_name: str
    stack_id: str
    logical_id: str
    #: The request that started the stack operation (endpoint, identity for nested calls).
    caller: RequestContext | None = None
    #: The stack's tags, propagated to resources that take tags (as CloudFormation does).
    stack_tags: list[dict[str, str]] = field(default_factory=list)

    def call(self, service: str, operation: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a gateway service in the stack's account and region; raises its `AWSError`."""
        return self.registry.call(service, operation, params or {}, account_id=self.account_id,
                                  region=self.region, caller=self.caller)


@dataclass
class Created:
    """A resource as it now exists: what `Ref` gives and what `Fn::GetAtt` can read."""

    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


class ResourceProvider(Protocol):
    """Creates, updates and deletes one resource type (`AWS::SQS::Queue`).

    Errors are raised as the service raised them (`AWSError`); the engine turns them into
    the stack event's status reason and rolls back.
    """

    #: The CloudFormation type this provider serves.
    type_name: str
    #: Properties whose change needs a new resource ("Update requires: Replacement" in the
    #: type's reference page); `{"*"}` when every change does. The engine creates the new
    #: resource, then deletes the old one in the cleanup phase.
    replaces: frozenset[str]

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        """Make the resource; a name the template leaves out is generated as AWS does."""
        ...

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        """Change the resource in place (only called when no `replaces` property changed)."""
        ...

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        """Remove the resource; a resource already gone is not an error."""
        ...
