"""`ModelService`: a Tier 1 service base driven by a botocore model.

A subclass sets `name` (the botocore service name) and a `store`, and writes one
method per operation, named after it in snake_case, taking the request context
and returning a dict shaped like the operation's output (or a `Response`)::

    class Widgets(ModelService):
        name = "widgets"

        def create_widget(self, ctx):
            return {"WidgetId": ...}

Operations the model has but the class does not implement answer 501
`NotImplemented`, naming the service and operation.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from typing import Any, ClassVar

from botocore.model import ServiceModel

from ..api import Action, AWSError, RequestContext, Response, profile_of
from ..models import service_model
from ..store import Store

_CAMEL_1 = re.compile(r"(.)([A-Z][a-z]+)")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")


@cache
def snake_case(name: str) -> str:
    """`CreateQueue` -> `create_queue`, `GetObjectACL` -> `get_object_acl`."""
    return _CAMEL_2.sub(r"\1_\2", _CAMEL_1.sub(r"\1_\2", name)).lower()


def not_implemented(service: str, operation: str) -> AWSError:
    """The error for an operation a service does not implement."""
    return AWSError(
        "NotImplemented",
        f"The operation {operation} of service {service} is not implemented by cloudmock",
        501,
        sender_fault=False,
    )


class ModelService:
    """Dispatches `ctx.operation` to the snake_case method of the same name."""

    name: ClassVar[str]
    store: Store[Any] | None = None

    @cached_property
    def model(self) -> ServiceModel:
        return service_model(self.name)

    def actions(self) -> list[Action]:
        """Every operation of the model, with its HTTP method and IAM action name."""
        prefix = self.model.signing_name or self.name
        return [
            Action(op, self.model.operation_model(op).http.get("method", "POST"), f"{prefix}:{op}")
            for op in self.model.operation_names
        ]

    def implemented(self) -> list[str]:
        """The operations this class has a method for."""
        return [op for op in self.model.operation_names if callable(getattr(self, snake_case(op), None))]

    @cached_property
    def _operations(self) -> frozenset[str]:
        """What may be dispatched: the model's operations and the profile's extra ones."""
        return frozenset(self.model.operation_names) | profile_of(self).extra_operations

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        if ctx.operation not in self._operations:  # never a helper that happens to match
            raise not_implemented(self.name, ctx.operation)
        handler = getattr(self, snake_case(ctx.operation), None)
        if not callable(handler):
            raise not_implemented(self.name, ctx.operation)
        return handler(ctx)

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        if self.store is not None:
            self.store.reset()
