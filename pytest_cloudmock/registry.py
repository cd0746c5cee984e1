"""The service registry: service name -> `Service`, with lazy factories.

Each service's `ServiceProfile` (api.py) is read once, when the service is
registered or made from its factory, and kept here: the gateway asks
`profile(name)`, never the service object. Besides its name, a service may
answer to aliases its profile declares (a target prefix `MyService_20260101`, a
signing name, an endpoint prefix, further service names it serves); the registry
indexes them so the router finds the service from the wire.

Services call each other through `call()`, never through each other's internals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from .api import (
    DEFAULT_PROFILE,
    AWSError,
    RequestContext,
    Response,
    Service,
    ServiceProfile,
    new_request_id,
    profile_of,
)
from .clock import Clock
from .dispatch import run_deferred
from .interception import InterceptorChain

if TYPE_CHECKING:
    from .dispatch import Dispatcher
    from .identities import Identities

ServiceFactory = Callable[[], Service]


@dataclass
class RegistryState:
    """What `snapshot()` captures: the registered services and factories."""

    services: dict[str, Service] = field(default_factory=dict)
    factories: dict[str, ServiceFactory] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


def profile_aliases(profile: ServiceProfile) -> list[str]:
    """The wire and service names a profile declares besides the service's name."""
    names = [profile.target_prefix, profile.signing_name, profile.endpoint_prefix, *profile.also_serves]
    return [name for name in names if name]


@cache
def _service_model_loader() -> Callable[[str], Any]:
    """`models.service_model`, imported on the first internal call (not per call: ~3 µs each)."""
    from .models import service_model

    return service_model


class Registry:
    """Thread-safe map of service names to services, instantiated on first use.

    `identities` is the credentials table of the gateway serving this registry
    (set by `Gateway`; None for a bare registry): STS and IAM add the credentials
    they issue to it so that later requests signed with them are recognised.
    """

    def __init__(self) -> None:
        self.identities: Identities | None = None
        self.clock = Clock()  # the gateway sets its own; every service reads time from it
        self.dispatcher: Dispatcher | None = None  # the gateway's background dispatcher
        self.interceptors = InterceptorChain()
        #: Set by IAM when policies are evaluated (`iam_policy`): checks a call that acts as a
        #: role or a service principal without making it; None when `iam: off`.
        self.authorizer: Callable[[RequestContext], None] | None = None
        # per-service settings from the config (`Config.service_settings()`), read by the services
        self.service_settings: dict[str, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._services: dict[str, Service] = {}
        self._factories: dict[str, ServiceFactory] = {}
        self._aliases: dict[str, str] = {}
        self._profiles: dict[str, ServiceProfile] = {}
        self.listeners: list[Callable[[str, Service | None], None]] = []

    # -- registration -------------------------------------------------------
    def register(self, service: Service, *, name: str | None = None) -> Service:
        """Add or replace a service under its name (or `name`)."""
        key = name or service.name
        with self._lock:
            self._factories.pop(key, None)
            self._services[key] = service
            self._index(key, service, replace=True)
        for listener in self.listeners:
            listener(key, service)
        return service

    def register_factory(self, name: str, factory: ServiceFactory, aliases: tuple[str, ...] = ()) -> None:
        """Add a service made on first use; replaces any service of that name.

        `aliases`: wire names it answers that must route to it before it is first made.
        """
        with self._lock:
            self._services.pop(name, None)
            self._profiles.pop(name, None)
            self._factories[name] = factory
            for alias in aliases:
                self._aliases[alias] = name

    def unregister(self, name: str) -> Service | None:
        """Remove a service; returns it (or None if it was never instantiated)."""
        with self._lock:
            self._factories.pop(name, None)
            service = self._services.pop(name, None)
            self._profiles.pop(name, None)
            for alias in [a for a, n in self._aliases.items() if n == name]:
                del self._aliases[alias]
        for listener in self.listeners:
            listener(name, None)
        return service

    # -- lookup ---------------------------------------------------------------
    def get(self, name: str) -> Service | None:
        """The service called `name`, instantiating it from its factory if needed."""
        service = self._services.get(name)
        if service is not None:
            return service
        with self._lock:
            service = self._services.get(name)
            if service is None and name in self._factories:
                service = self._factories[name]()
                self._services[name] = service
                self._index(name, service, replace=False)
            if service is None and name in self._aliases:
                return self._services.get(self._aliases[name])
            return service

    def profile(self, name: str) -> ServiceProfile:
        """The profile of the service called `name` (made from its factory if needed)."""
        found = self._profiles.get(name)
        if found is None:
            service = self.get(name)
            found = self._profiles.get(name, DEFAULT_PROFILE) if service is not None else DEFAULT_PROFILE
        return found

    def _index(self, key: str, service: Service, *, replace: bool) -> None:
        """Read the service's profile once and index its aliases (lock held)."""
        profile = self._profiles[key] = profile_of(service)
        for alias in profile_aliases(profile):
            if replace:
                self._aliases[alias] = key
            else:
                self._aliases.setdefault(alias, key)

    def __contains__(self, name: str) -> bool:
        return name in self._services or name in self._factories

    def resolve_alias(self, alias: str) -> str | None:
        """The registered name behind a target prefix, signing name or endpoint prefix."""
        return self._aliases.get(alias)

    def names(self) -> list[str]:
        """Every registered name, instantiated or not."""
        with self._lock:
            return sorted(set(self._services) | set(self._factories))

    def instantiated(self) -> dict[str, Service]:
        """The services made so far (factories not yet used are left alone)."""
        with self._lock:
            return dict(self._services)

    # -- state ------------------------------------------------------------------
    def reset(self, name: str | None = None) -> None:
        """Reset one service's state, or every instantiated service's."""
        if name:
            targets = [(name, self._services[name])] if name in self._services else []
        else:
            targets = list(self.instantiated().items())
        remote = [s for n, s in targets if self.profile(n).kind == "grpc-plugin"]
        for key, service in targets:
            if self.profile(key).kind != "grpc-plugin":
                service.reset()
        if remote:  # plugins answer over the network, each within its deadline: all at once
            with ThreadPoolExecutor(max_workers=min(8, len(remote))) as pool:
                list(pool.map(lambda service: service.reset(), remote))
        if name and self.identities is not None:
            self.identities.forget_issued_by(name)

    def snapshot(self) -> RegistryState:
        """The current set of services (not their state), for `restore`."""
        with self._lock:
            return RegistryState(dict(self._services), dict(self._factories), dict(self._aliases))

    def restore(self, state: RegistryState) -> None:
        """Go back to the services of a snapshot."""
        with self._lock:
            before = set(self._services) | set(self._factories)
            self._services = dict(state.services)
            self._factories = dict(state.factories)
            self._aliases = dict(state.aliases)  # those given with lazy factories too
            self._profiles = {}
            for key, service in self._services.items():
                self._index(key, service, replace=True)
            changed = before ^ (set(self._services) | set(self._factories))
        for name in changed:
            for listener in self.listeners:
                listener(name, self._services.get(name))

    # -- cross-service calls --------------------------------------------------------
    def call(
        self,
        service: str,
        operation: str,
        params: dict[str, Any] | None = None,
        *,
        account_id: str,
        region: str,
        caller: RequestContext | None = None,
        acting_as: Any = None,
    ) -> dict[str, Any]:
        """Call another service's operation in-process; returns its result dict.

        Raises `AWSError` as the service does, or `ResourceNotFoundException`-like
        `AWSError` if the service is not registered. `acting_as` (`iam_policy.acting`): the
        role or service principal IAM checks the call as; None, the call is not checked.
        """
        target = self.get(service)
        if target is None:
            raise AWSError("ServiceUnavailable", f"service {service} is not registered", 503)
        result = self.invoke(target, self._context(service, operation, params, account_id, region, caller, acting_as))
        return result.body if isinstance(result.body, dict) else {}

    def authorize(self, service: str, operation: str, params: dict[str, Any], *, account_id: str, region: str,
                  acting_as: Any) -> None:
        """Check, without making it, the call `acting_as` would make: raises the service's denial
        when IAM enforces and denies (a service validating a role at create time); else None."""
        authorizer = self.authorizer
        if authorizer is not None:
            authorizer(self._context(service, operation, params, account_id, region, None, acting_as))

    def _context(self, service: str, operation: str, params: dict[str, Any] | None, account_id: str, region: str,
                 caller: RequestContext | None, acting_as: Any) -> RequestContext:
        model = self._model_of(service)
        return RequestContext(
            service=service,
            operation=operation,
            params=dict(params or {}),
            region=region,
            account_id=account_id,
            access_key_id=caller.access_key_id if caller else "",
            request_id=new_request_id(),
            protocol="internal",
            endpoint=caller.endpoint if caller else "",
            identity=caller.identity if caller else None,
            registry=self,
            service_model=model,
            operation_model=model.operation_model(operation)
            if model is not None and operation in model.operation_names else None,
            acting_as=acting_as,
        )

    def _model_of(self, service: str) -> Any:
        """The model a service answers with (its own, else botocore's), as the router finds it:
        services that shape answers from `ctx.operation_model` see it on internal calls too."""
        model = self.profile(service).model
        if model is not None:
            return model
        try:
            return _service_model_loader()(service)
        except KeyError:
            return None

    def invoke(self, service: Service, ctx: RequestContext) -> Response:
        """Call a service through the interceptors, then run the effects it deferred.

        The one way every request, from the wire or another service, reaches a service.
        """
        result = self.interceptors.call(service, ctx)
        run_deferred(ctx.deferred)
        return result
