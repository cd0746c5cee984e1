"""The built-in catalog (one YAML file per service in `entries/`) and per-gateway changes.

`install_catalog(gateway)` registers the config's `stubs:` entries and every
built-in entry as lazy factories, never over a service already registered (a
Tier 1 service of the same name wins). Nothing is parsed until a request needs
the service. `Catalog` adds, replaces and overrides entries on a live gateway;
`Catalog.restore()` undoes all of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import ConfigError
from ..models import unregister_model
from .engine import StubService
from .entry import Entry
from .schema import entry_from_dict, load_entry_file

if TYPE_CHECKING:
    from ..gateway import Gateway
    from ..registry import Registry, RegistryState

log = logging.getLogger("pytest_cloudmock")
ENTRIES_DIR = Path(__file__).parent / "entries"


@cache
def builtin_entry_names() -> tuple[str, ...]:
    """The services of the built-in catalog (file names only: nothing is parsed)."""
    return tuple(sorted(p.stem for p in ENTRIES_DIR.glob("*.yaml")))


@cache
def builtin_entry(name: str) -> Entry:
    """A built-in entry, parsed on first use."""
    return load_entry_file(ENTRIES_DIR / f"{name}.yaml")


def stub_service(registry: Registry, entry: Entry) -> StubService:
    """A stub service for `entry`; one that `shares` another's state gets that service's store."""
    store = None
    if entry.shares:
        other = registry.get(entry.shares)
        store = other.store if isinstance(other, StubService) else None
    return StubService(entry, store)


def _builtin_factory(registry: Registry, name: str) -> Any:
    return lambda: stub_service(registry, builtin_entry(name))


def config_entries(stubs: list[dict[str, Any]], base: Path | None = None) -> list[Entry]:
    """The config's `stubs:` list as entries (`ConfigError` naming any bad key).

    A relative `model:` path is resolved against `base` (the config file's folder).
    """
    from .infer import infer_entry

    if not isinstance(stubs, list):
        raise ConfigError(f"stubs: must be a list of entries, not {type(stubs).__name__}")
    entries = []
    for i, data in enumerate(stubs):
        where = f"stubs[{i}]"
        if isinstance(data, dict) and data.get("inferred") and set(data) <= {"service", "inferred"}:
            entries.append(infer_entry(str(data.get("service")), where))
        else:
            entries.append(entry_from_dict(data, where))
        model = entries[-1].model
        if base is not None and isinstance(model, str) and not Path(model).is_absolute():
            entries[-1].model = str(base / model)
    return entries


def _needs_eager(entry: Entry) -> bool:
    """Entries botocore does not know must be instantiated so the router sees their aliases."""
    return bool(entry.model or entry.target_prefix or entry.signing_name or entry.protocol)


def register_entry(registry: Registry, entry: Entry) -> StubService | None:
    """Register an entry's service (instantiated only when the router needs it now)."""
    if _needs_eager(entry):
        service = stub_service(registry, entry)
        if entry.model is not None:
            _ = service.service_model  # registers the model, so the router's index knows it
        registry.register(service)
        return service
    registry.register_factory(entry.service, lambda: stub_service(registry, entry))
    return None


def install_catalog(gateway: Gateway) -> None:
    """Register the config's stubs, then the built-in catalog, under names not yet taken."""
    registry = gateway.registry
    source = Path(gateway.config.source)
    base = source.parent if source.is_file() else None
    for entry in config_entries(gateway.config.stubs, base):
        if entry.service in registry:
            log.warning("cloudmock: stub %r not installed: a service of that name exists", entry.service)
            continue
        register_entry(registry, entry)
        if entry.model is not None:  # models are process-wide: forget it with the gateway
            gateway.on_stop.append(lambda name=entry.service: unregister_model(name))
    for name in builtin_entry_names():
        if name not in registry and gateway.config.service_enabled(name):
            registry.register_factory(name, _builtin_factory(registry, name))


class Catalog:
    """Stub entries on a live gateway: add, replace, override, and undo it all.

    Every change is a registry change, so `restore()` (registry snapshot) undoes
    them; models registered for added entries are unregistered too.
    """

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.registry = gateway.registry
        self._saved: RegistryState = self.registry.snapshot()
        self._models: list[str] = []

    def names(self) -> list[str]:
        """Every service served by a stub now (built-in, configured or added)."""
        names = [n for n in self.registry.names() if n in builtin_entry_names()]
        names += [n for n, s in self.registry.instantiated().items() if isinstance(s, StubService)]
        return sorted(set(names))

    def entry(self, name: str) -> Entry:
        """The entry serving `name`."""
        service = self.registry.get(name)
        if not isinstance(service, StubService):
            raise KeyError(f"{name} is not served by a stub entry")
        return service.entry

    def add(self, entry: Entry | dict[str, Any]) -> StubService:
        """Serve a new entry; a service of that name must not exist (see `replace`)."""
        entry = entry_from_dict(entry)
        if entry.service in self.registry:
            raise ValueError(f"service {entry.service!r} exists; use replace() to replace it")
        return self.replace(entry)

    def replace(self, entry: Entry | dict[str, Any]) -> StubService:
        """Serve an entry in place of whatever serves its name now (fresh state)."""
        entry = entry_from_dict(entry)
        if entry.model is not None:
            self._models.append(entry.service)
        service = stub_service(self.registry, entry)
        if entry.model is not None:
            _ = service.service_model
        self.registry.register(service)
        return service

    def override(self, service: str, operation: str, response: Any) -> StubService:
        """Answer one action with a fixed dict or a callable `(ctx) -> dict` (state kept)."""
        current = self.registry.get(service)
        if not isinstance(current, StubService):
            raise KeyError(f"{service} is not served by a stub entry; override works on stubs")
        if operation not in current.entry.actions and current.service_model is not None and (
            operation not in current.service_model.operation_names
        ):
            raise KeyError(f"{service} has no operation {operation!r}")
        return self.registry.register(current.with_overrides({operation: response}))  # type: ignore[return-value]

    def infer(self, service: str) -> StubService:
        """Serve a service from an entry inferred from its botocore model (see `infer_entry`)."""
        from .infer import infer_entry

        return self.replace(infer_entry(service))

    def remove(self, service: str) -> None:
        self.registry.unregister(service)

    def restore(self) -> None:
        """Undo every change made through this catalog (and any other registry change)."""
        self.registry.restore(self._saved)
        for name in self._models:
            if not any(getattr(s, "name", None) == name and isinstance(s, StubService)
                       and s.entry.model is not None for s in self.registry.instantiated().values()):
                unregister_model(name)
        self._models.clear()


@contextmanager
def catalog_changes(gateway: Gateway) -> Iterator[Catalog]:
    """A `Catalog` for a block of code (one test); every change is undone at the end."""
    catalog = Catalog(gateway)
    try:
        yield catalog
    finally:
        catalog.restore()
