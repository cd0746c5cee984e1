"""The base both API Gateway services share: a store of `Tables` and generic CRUD fallback."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from ...api import RequestContext, Response
from ...store import Store
from ..base import ModelService, not_implemented, snake_case
from .crud import Crud, Tables


class ApiGatewayBase(ModelService):
    """Operations with a method of their own run it; the rest of the model is answered by `Crud`."""

    v2: ClassVar[bool] = False
    noun_names: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self.store: Store[Tables] = Store(Tables)

    @cached_property
    def crud(self) -> Crud:
        return Crud(self.model, v2=self.v2, noun_names=self.noun_names)

    def state(self, ctx: RequestContext) -> Tables:
        return self.store.for_ctx(ctx)

    def implemented(self) -> list[str]:
        return [op for op in self.model.operation_names
                if callable(getattr(self, snake_case(op), None)) or self.crud.handles(op)]

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        if ctx.operation not in self._operations:
            raise not_implemented(self.name, ctx.operation)
        handler = getattr(self, snake_case(ctx.operation), None)
        if callable(handler):
            return handler(ctx)
        if not self.crud.handles(ctx.operation):
            raise not_implemented(self.name, ctx.operation)
        with self.store.lock:
            return self.crud.handle(ctx, self.state(ctx))

    def generic(self, ctx: RequestContext) -> dict[str, Any] | Response:
        """The generic answer for the current operation (for methods that add to it)."""
        with self.store.lock:
            return self.crud.handle(ctx, self.state(ctx))
