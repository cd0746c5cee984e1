"""What every CloudFormation operation needs: the store, stack lookup, providers, runs on the dispatcher."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from ...api import RequestContext, Response, ServiceProfile
from ...clock import REAL_CLOCK
from ...paging import offset_page
from ...registry import Registry
from ...store import Store
from ...wire import WireRequest
from ..base import ModelService
from . import errors
from .errors import ResourceFailure
from .state import CfnState, Stack
from .waits import Fiber, cancel_requested, clear_cancel, limit_passed, wait_until

log = logging.getLogger("pytest_cloudmock")
RESPONSE_PATH = re.compile(r"^/_aws/cloudformation/(responses|waitconditions)/([A-Za-z0-9-]+)/?$")
_RESPONSE_OPERATION = "ReceiveResourceResponse"


def _unmodelled(request: WireRequest) -> str | None:
    return _RESPONSE_OPERATION if RESPONSE_PATH.match(request.path) else None


class CloudFormationBase(ModelService):
    """State, stack lookup and the provider table shared by the operations."""

    name: ClassVar[str] = "cloudformation"

    def __init__(self) -> None:
        self.profile = ServiceProfile(unmodelled_operation=_unmodelled,
                                      extra_operations=frozenset({_RESPONSE_OPERATION}),
                                      on_clock=self.on_clock, on_stop=self.stop_waits)
        self.store: Store[CfnState] = Store(CfnState)
        self.extra_providers: dict[str, Any] = {}
        self.registry: Registry | None = None
        self._responses: dict[str, list[dict[str, Any]]] = {}
        self._answered = threading.Condition()
        self._stack_queues: dict[str, list[Callable[[], None]]] = {}  # stack id (stack set ARN) -> operations
        self._fibers: dict[str, Fiber] = {}  # stack id (stack set ARN) -> the thread running its queue

    def reset(self) -> None:
        self.stop_waits()
        self.store.reset()
        with self._answered:
            self._responses, self._stack_queues, self._fibers = {}, {}, {}
            self._answered.notify_all()

    # -- providers ----------------------------------------------------------------------
    def provider(self, type_name: str) -> Any:
        """The provider of a resource type: a test's, the engine's own, or providers/."""
        found = self.extra_providers.get(type_name)
        if found is not None:
            return found
        from .builtin_types import builtin_provider

        found = builtin_provider(self, type_name)
        if found is not None:
            return found
        try:
            from .providers import provider_for  # type: ignore[attr-defined]
        except ImportError:
            return None
        return provider_for(type_name)

    def register_provider(self, provider: Any) -> Callable[[], None]:
        """Serve `provider.type_name` with `provider` (tests); returns the undo."""
        self.extra_providers[provider.type_name] = provider
        return lambda: self.extra_providers.pop(provider.type_name, None)

    def registry_of(self, ctx: RequestContext | None) -> Registry:
        registry = ctx.registry if ctx is not None and ctx.registry is not None else self.registry
        assert registry is not None, "CloudFormation runs stack operations inside a gateway"
        self.registry = registry
        return registry

    def page(self, ctx: RequestContext, items: list[Any], key: str, limit: int | None = None) -> dict[str, Any]:
        """`{key: page}` plus `NextToken` when more follow (offset tokens scoped to the operation)."""
        page, token = offset_page(items, ctx.params.get("NextToken"), limit or ctx.params.get("MaxResults"),
                                  bad_token=lambda: errors.validation("Invalid NextToken"),  # wording approximate
                                  scope=ctx.operation)
        return {key: page, **({"NextToken": token} if token else {})}

    # -- stacks ----------------------------------------------------------------------------
    def state(self, ctx: RequestContext) -> CfnState:
        if ctx.registry is not None:
            self.registry = ctx.registry
        return self.store.for_ctx(ctx)

    def stack(self, ctx: RequestContext, name: str | None = None) -> Stack:
        name = name if name is not None else ctx.params.get("StackName", "")
        stack = self.state(ctx).live(name)
        if stack is None:
            raise errors.stack_not_found(name)
        return stack

    def new_stack_id(self, ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:stack/{name}/{uuid.uuid4()}"

    def importers(self, state: CfnState, stack: Stack) -> list[tuple[str, str]]:
        """(export, importing stack) pairs for the stack's exports that another live stack imports."""
        from .imports import importing_stacks

        return [(name, user) for name in stack.exports for user in importing_stacks(state, name, stack.stack_id)]

    def run_later(self, ctx: RequestContext, work: Callable[[], None], stack: Stack | None = None,
                  key: str | None = None) -> None:
        """A stack operation, on a fiber in dispatcher slices (`settle()` waits for it until it
        waits for an answer or a signal: waits.py).

        Operations on one stack (or under one `key`: a stack set) run one at a time, in the
        order they were asked for. A bug in the engine must not leave a stack IN_PROGRESS
        forever: it is logged and the stack fails with the exception as its reason.
        """
        key = stack.stack_id if stack is not None else key
        if key is None:
            ctx.dispatch(lambda: self._run_guarded(work, None))
            return
        with self._answered:
            queue = self._stack_queues.setdefault(key, [])
            queue.append(work)
            fiber = None
            if len(queue) == 1:
                fiber = Fiber(lambda: self._drain(key, stack), self._submitter(ctx), key)
                self._fibers[key] = fiber
        if fiber is not None:
            ctx.defer(fiber.wake)  # after the request's locks are released

    @staticmethod
    def _submitter(ctx: RequestContext) -> Callable[[Callable[[], None]], None]:
        """Where a fiber's slices run: the gateway's dispatcher (outside a gateway: on the waker's thread)."""
        dispatcher = ctx.registry.dispatcher if ctx.registry is not None else None
        return dispatcher.submit if dispatcher is not None else lambda slice_: slice_()

    def _drain(self, key: str, stack: Stack | None) -> None:
        """The operations queued under `key`, one after the other (on its fiber)."""
        while True:
            with self._answered:
                queue = self._stack_queues.get(key)
                if not queue:  # a reset dropped the queue
                    return
                work = queue[0]
            self._run_guarded(work, stack)
            clear_cancel()  # a cancel that came too late for this operation is not the next one's
            with self._answered:
                queue = self._stack_queues.get(key, [])
                if queue:
                    queue.pop(0)
                if not queue:
                    self._stack_queues.pop(key, None)
                    self._fibers.pop(key, None)
                    return

    # -- waits -----------------------------------------------------------------------------
    def on_clock(self, registry: Registry) -> None:
        """The gateway clock moved: wake the stacks whose wait it ended."""
        now = registry.clock.now()
        with self._answered:
            fibers = list(self._fibers.values())
        for fiber in fibers:
            if fiber.due(now):
                fiber.wake()

    def stop_waits(self) -> None:
        """End every stack operation at its wait (gateway stop, reset): nothing runs on after."""
        with self._answered:
            fibers = list(self._fibers.values())
        for fiber in fibers:
            fiber.abort()

    def wake_waiting(self) -> None:
        """An answer or a signal came: the parked stacks look at what they wait for."""
        with self._answered:
            fibers = list(self._fibers.values())
        for fiber in fibers:
            fiber.wake()

    def _run_guarded(self, work: Callable[[], None], stack: Stack | None) -> None:
        try:
            work()
        except Exception as exc:
            log.exception("cloudmock: CloudFormation stack operation failed")
            if stack is not None and stack.status.endswith("_IN_PROGRESS"):
                with self.store.lock:
                    stack.status = stack.status.replace("_IN_PROGRESS", "_FAILED").replace(
                        "_COMPLETE_CLEANUP_FAILED", "_FAILED")
                    stack.reason = f"Internal failure: {exc}"

    # -- custom resource and wait condition answers ----------------------------------------
    def response_url(self, ctx_endpoint: str, kind: str, token: str) -> str:
        base = (ctx_endpoint or "http://localhost:4566").rstrip("/")
        return f"{base}/_aws/cloudformation/{kind}/{token}"

    def receive_resource_response(self, ctx: RequestContext) -> Response:
        """A PUT to a response URL: a custom resource's answer or a wait condition's signal."""
        import json

        wire = ctx.wire
        match = RESPONSE_PATH.match(wire.path if wire is not None else ctx.path)
        if match is None or (wire is not None and wire.method not in ("PUT", "POST")):
            return Response(body=b"", status=405)
        try:
            answer = json.loads((wire.body if wire is not None else ctx.body) or b"{}")
        except ValueError:
            return Response(body=b"", status=400)
        if not isinstance(answer, dict):
            return Response(body=b"", status=400)
        self.answer(match[2], answer)
        return Response(body=b"", status=200)

    def answer(self, token: str, answer: dict[str, Any]) -> None:
        """Record an answer or signal for `token` and wake the stack waiting for it."""
        with self._answered:
            self._responses.setdefault(token, []).append(answer)
            self._answered.notify_all()
        self.wake_waiting()

    def wait_for_answers(self, token: str, count: int, seconds: float) -> list[dict[str, Any]]:
        """The answers PUT to a token's URL, once `count` arrived, one failed, or `seconds` passed on
        the gateway clock (the stack's fiber parks meanwhile: the dispatcher is free, `settle()` returns)."""
        clock = self.registry.clock if self.registry is not None else REAL_CLOCK

        def ready() -> bool:
            answers = self._responses.get(token, [])
            return len(answers) >= count or any(a.get("Status") != "SUCCESS" for a in answers)

        wait_until(ready, clock.now() + seconds, clock, self._answered)
        with self._answered:
            if cancel_requested() and not ready():
                raise ResourceFailure(cancel_requested())
            if limit_passed(clock) and not ready():
                raise ResourceFailure("Resource creation cancelled")
            return list(self._responses.get(token, []))

    def cancel_operation(self, stack: Stack, reason: str) -> None:
        """Stop the operation running on `stack` at its next resource or wait; a waiting resource
        fails with `reason` (CancelUpdateStack, DeleteStack during a create)."""
        with self._answered:
            fiber = self._fibers.get(stack.stack_id)
        if fiber is not None:
            fiber.cancel(reason)

    def new_token(self) -> str:
        return uuid.uuid4().hex
