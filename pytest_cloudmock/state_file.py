"""State that outlives a process: every store and issued credential as one versioned JSON file.

    doc = export_state(gateway)          # GET /api/state
    import_state(gateway, doc)           # PUT /api/state; `cloudmock serve --state FILE`
    write(cloudmock.snapshot(), path); cloudmock.restore(read(path))

The file is JSON with typed values, never pickle (a shared file must not run code):
`{"$bytes": base64}`, `{"$decimal": "1.5"}`, `{"$datetime": iso}`, `{"$set": [...]}`,
`{"$tuple": [...]}`, `{"$map": {...}}` / `{"$dict": [[key, value], ...]}`, and
`{"$obj": "pytest_cloudmock.module:Class", "state": ...}` for the stores' own classes,
the only classes a file can name. An object met twice is written once (`$id`) and then
referenced (`$ref`), so shared and cyclic references come back as they were.

A file records the package version that wrote it and is read only by that version
(store layouts change between versions): any other is refused before anything is
loaded, as is a file that does not decode completely. Never half-loaded.
"""

from __future__ import annotations

import base64
import collections
import datetime
import decimal
import importlib
import json
import os
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gateway import Gateway, Snapshot

FORMAT = "pytest-cloudmock-state"
FORMAT_VERSION = 1
OWN_MODULES = "pytest_cloudmock."
_LOCK_TYPES = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock}


class StateFileError(ValueError):
    """A state file that cannot be loaded (another version, not a state file, undecodable)."""


# -- the document ---------------------------------------------------------------------------
def to_document(snapshot: Snapshot) -> dict[str, Any]:
    """A JSON-able document of a gateway snapshot (`StateFileError` for a value it cannot write)."""
    from . import __version__

    encoder = _Encoder()
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "cloudmock": __version__,
        "stores": {name: encoder.encode(state) for name, state in sorted(snapshot.stores.items())},
        "credentials": encoder.encode(snapshot.identities),
    }


def from_document(doc: Any, source: str = "state") -> Snapshot:
    """The snapshot a document holds, decoded completely, or `StateFileError` saying why not."""
    from . import __version__
    from .gateway import Snapshot

    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateFileError(f"{source} is not a pytest-cloudmock state file (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != FORMAT_VERSION or doc.get("cloudmock") != __version__:
        raise StateFileError(
            f"{source} was written by pytest-cloudmock {doc.get('cloudmock')!r} (state format "
            f"{doc.get('version')!r}); this is {__version__} (format {FORMAT_VERSION}). A state file is read "
            "only by the version that wrote it: load it there and export the state again with this one"
        )
    if not isinstance(doc.get("stores"), dict):
        raise StateFileError(f"{source}: \"stores\" must be an object of service name -> state")
    decoder = _Decoder(source)
    try:
        stores = {str(name): decoder.decode(state) for name, state in doc["stores"].items()}
        identities = decoder.decode(doc.get("credentials", {"$map": {}}))
    except StateFileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise StateFileError(f"{source}: not a state this version can read: {type(exc).__name__}: {exc}") from exc
    if not isinstance(identities, dict):
        raise StateFileError(f"{source}: \"credentials\" must be a mapping")
    return Snapshot(stores, identities)


# -- a gateway's state --------------------------------------------------------------------------
def export_state(gateway: Gateway) -> dict[str, Any]:
    """Every started service's store (all accounts and regions) and the issued credentials."""
    return to_document(gateway.snapshot())


def import_state(gateway: Gateway, doc: Any, source: str = "state") -> Snapshot:
    """Replace the gateway's state with a document's (all of it, or nothing). Returns the snapshot."""
    return load_snapshot(gateway, from_document(doc, source), source)


def load_snapshot(gateway: Gateway, snapshot: Snapshot, source: str = "state") -> Snapshot:
    """Restore a decoded snapshot, starting the services it names (refused if one is not served)."""
    missing = [name for name in snapshot.stores if name not in gateway.registry]
    if missing:
        raise StateFileError(f"{source} has state for services this gateway does not serve: {', '.join(missing)}")
    for name in snapshot.stores:
        gateway.registry.get(name)  # started, so that restore reaches its store
    not_stores = [name for name in snapshot.stores if name not in gateway.stores()]
    if not_stores:
        raise StateFileError(f"{source}: these services keep no store here: {', '.join(not_stores)}")
    gateway.restore(snapshot)
    return snapshot


def write(snapshot: Snapshot, path: str | os.PathLike[str]) -> Path:
    """Write a snapshot to `path` as a state file (atomically: a reader never sees half a file)."""
    target = Path(path)
    text = json.dumps(to_document(snapshot), separators=(",", ":"))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(target)
    return target


def read(path: str | os.PathLike[str]) -> Snapshot:
    """The snapshot in a state file (`StateFileError` naming the file and the problem)."""
    source = str(path)
    try:
        doc = json.loads(Path(path).read_text())
    except OSError as exc:
        raise StateFileError(f"cannot read state file {source}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise StateFileError(f"{source} is not JSON: {exc}") from exc
    return from_document(doc, source)


def describe(snapshot: Snapshot) -> str:
    """`s3, sqs; 2 issued credentials`: what a snapshot holds, for banners and logs."""
    services = ", ".join(sorted(snapshot.stores)) or "no services"
    return f"{services}; {len(snapshot.identities)} issued credentials"


# -- typed JSON -----------------------------------------------------------------------------------
class _Encoder:
    def __init__(self) -> None:
        self.ids: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps encoded objects alive, so their ids stay unique

    def encode(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if isinstance(obj, bytes):
            return {"$bytes": base64.b64encode(obj).decode()}
        if isinstance(obj, decimal.Decimal):
            return {"$decimal": str(obj)}
        if isinstance(obj, datetime.datetime):
            return {"$datetime": obj.isoformat()}
        if isinstance(obj, datetime.date):
            return {"$date": obj.isoformat()}
        if isinstance(obj, datetime.timedelta):
            return {"$timedelta": obj.total_seconds()}
        if isinstance(obj, uuid.UUID):
            return {"$uuid": str(obj)}
        if isinstance(obj, tuple) and type(obj) is tuple:
            return {"$tuple": [self.encode(v) for v in obj]}
        if type(obj) is frozenset:
            return {"$frozenset": [self.encode(v) for v in obj]}
        if type(obj) in _LOCK_TYPES:
            return {"$lock": "RLock" if _LOCK_TYPES[type(obj)] is threading.RLock else "Lock"}
        seen = self.ids.get(id(obj))
        if seen is not None:
            return {"$ref": seen}
        n = self.ids[id(obj)] = len(self.ids)
        self.keep.append(obj)
        return {"$id": n, **self._container(obj)}

    def _container(self, obj: Any) -> dict[str, Any]:
        kind = type(obj)
        if kind is dict:
            if all(isinstance(k, str) for k in obj):
                return {"$map": {k: self.encode(v) for k, v in obj.items()}}
            return {"$dict": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
        if kind is list:
            return {"$list": [self.encode(v) for v in obj]}
        if kind is set:
            return {"$set": [self.encode(v) for v in obj]}
        if kind is bytearray:
            return {"$bytearray": base64.b64encode(obj).decode()}
        if kind is collections.OrderedDict:
            return {"$ordered": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
        if kind is collections.deque:
            return {"$deque": [self.encode(v) for v in obj], "maxlen": obj.maxlen}
        name = f"{kind.__module__}:{kind.__qualname__}"
        if name == "sortedcontainers.sorteddict:SortedDict" and obj.key is None:
            return {"$sorteddict": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
        if kind.__module__.startswith(OWN_MODULES):
            out: dict[str, Any] = {"$obj": name, "state": self.encode(_state_of(obj))}
            if isinstance(obj, dict):
                out["items"] = [[self.encode(k), self.encode(v)] for k, v in obj.items()]
            elif isinstance(obj, (list, set)):
                out["values"] = [self.encode(v) for v in obj]
            return out
        raise StateFileError(f"cannot write a {name} to a state file (no typed encoding for it)")


def _state_of(obj: Any) -> Any:
    state = obj.__getstate__() if hasattr(obj, "__getstate__") else getattr(obj, "__dict__", None)
    if isinstance(state, dict) and state is getattr(obj, "__dict__", None):
        return dict(state)
    return state


class _Decoder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.objects: dict[int, Any] = {}

    def decode(self, data: Any) -> Any:
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):  # not written by the encoder, but plain JSON is fine
            return [self.decode(v) for v in data]
        if not isinstance(data, dict):
            raise StateFileError(f"{self.source}: unexpected {type(data).__name__} value")
        if "$ref" in data:
            return self.objects[data["$ref"]]
        for tag, build in _SCALARS.items():
            if tag in data:
                return build(data[tag])
        if "$tuple" in data:
            return tuple(self.decode(v) for v in data["$tuple"])
        if "$frozenset" in data:
            return frozenset(self.decode(v) for v in data["$frozenset"])
        if "$lock" in data:
            return threading.RLock() if data["$lock"] == "RLock" else threading.Lock()
        return self._container(data)

    def _register(self, data: dict[str, Any], obj: Any) -> Any:
        if "$id" in data:
            self.objects[data["$id"]] = obj
        return obj

    def _pairs(self, pairs: list[list[Any]]) -> list[tuple[Any, Any]]:
        return [(self.decode(k), self.decode(v)) for k, v in pairs]

    def _container(self, data: dict[str, Any]) -> Any:
        if "$map" in data:
            out: Any = self._register(data, {})
            out.update((k, self.decode(v)) for k, v in data["$map"].items())
            return out
        if "$dict" in data:
            out = self._register(data, {})
            out.update(self._pairs(data["$dict"]))
            return out
        if "$list" in data:
            out = self._register(data, [])
            out.extend(self.decode(v) for v in data["$list"])
            return out
        if "$set" in data:
            out = self._register(data, set())
            out.update(self.decode(v) for v in data["$set"])
            return out
        if "$bytearray" in data:
            return self._register(data, bytearray(base64.b64decode(data["$bytearray"])))
        if "$ordered" in data:
            out = self._register(data, collections.OrderedDict())
            out.update(self._pairs(data["$ordered"]))
            return out
        if "$deque" in data:
            out = self._register(data, collections.deque(maxlen=data.get("maxlen")))
            out.extend(self.decode(v) for v in data["$deque"])
            return out
        if "$sorteddict" in data:
            from sortedcontainers import SortedDict

            out = self._register(data, SortedDict())
            out.update(self._pairs(data["$sorteddict"]))
            return out
        if "$obj" in data:
            return self._object(data)
        raise StateFileError(f"{self.source}: unknown value {sorted(data)[:3]}")

    def _object(self, data: dict[str, Any]) -> Any:
        cls = own_class(data["$obj"], self.source)
        obj = self._register(data, cls.__new__(cls))
        if "items" in data:
            obj.update(self._pairs(data["items"]))
        if "values" in data:
            (obj.extend if isinstance(obj, list) else obj.update)(self.decode(v) for v in data["values"])
        state = self.decode(data.get("state"))
        if hasattr(obj, "__setstate__"):
            obj.__setstate__(state)
        elif state is not None:
            slots: dict[str, Any] = {}
            if isinstance(state, tuple):  # (dict, slots) from the default __getstate__
                state, slots = state
            if state:
                obj.__dict__.update(state)
            for key, value in (slots or {}).items():
                setattr(obj, key, value)
        return obj


def own_class(name: Any, source: str) -> type:
    """A class of pytest_cloudmock named `module:Qual.Name`; any other name is refused."""
    module_name, _, qualname = str(name).partition(":")
    if not module_name.startswith(OWN_MODULES) or not qualname:
        raise StateFileError(f"{source} names the class {name!r}: only pytest_cloudmock's own state classes load")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise StateFileError(f"{source} names the class {name!r}, which this version does not have") from exc
    if not isinstance(obj, type) or obj.__module__ != module_name:
        raise StateFileError(f"{source} names {name!r}, which is not a state class")
    return obj


_SCALARS = {
    "$bytes": lambda v: base64.b64decode(v),
    "$decimal": decimal.Decimal,
    "$datetime": datetime.datetime.fromisoformat,
    "$date": datetime.date.fromisoformat,
    "$timedelta": lambda v: datetime.timedelta(seconds=v),
    "$uuid": uuid.UUID,
}
