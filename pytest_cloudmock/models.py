"""botocore service models, loaded lazily per service and cached.

Nothing here reads a model at import. `service_model(name)` loads one model on
first use; `index()` builds (once per botocore version, cached on disk) the small
table the router needs to find a service by target prefix, signing name or
endpoint prefix without loading 400 models per request.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import botocore
from botocore.loaders import Loader
from botocore.model import ServiceModel

_custom_models: dict[str, dict[str, Any]] = {}
_lock = threading.RLock()


@lru_cache(maxsize=1)
def _loader() -> Loader:
    return Loader()


@lru_cache(maxsize=1)
def _shipped_names() -> frozenset[str]:
    return frozenset(_loader().list_available_services("service-2"))


def available_services() -> list[str]:
    """Every service name botocore ships a model for (no model is parsed)."""
    return sorted(_shipped_names())


def register_model(name: str, model: dict[str, Any] | str | os.PathLike[str]) -> ServiceModel:
    """Add (or replace) a botocore-format model, from a dict or a JSON file.

    Only that name's cached model is dropped: other services keep theirs (and the
    routing maps built on them).
    """
    if not isinstance(model, dict):
        model = json.loads(Path(model).read_text())
    with _lock:
        _custom_models[name] = model
        _models.pop(name, None)
        index.cache_clear()
    return service_model(name)


def unregister_model(name: str) -> None:
    with _lock:
        if _custom_models.pop(name, None) is not None:
            _models.pop(name, None)
            index.cache_clear()


_models: dict[str, ServiceModel] = {}


def service_model(name: str) -> ServiceModel:
    """The botocore `ServiceModel` for a service name; raises `KeyError` if unknown."""
    model = _models.get(name)
    if model is not None:
        return model
    with _lock:
        model = _models.get(name)
        if model is None:
            model = _models[name] = _load_model(name)
    return model


def _load_model(name: str) -> ServiceModel:
    custom = _custom_models.get(name)
    if custom is not None:
        return ServiceModel(custom, service_name=name)
    if name not in _shipped_names():
        raise KeyError(name)
    try:
        data = _loader().load_service_model(name, "service-2")
    except Exception as exc:  # botocore raises UnknownServiceError/DataNotFoundError
        raise KeyError(name) from exc
    return ServiceModel(data, service_name=name)


def has_model(name: str) -> bool:
    try:
        service_model(name)
    except KeyError:
        return False
    return True


def protocols_of(model: ServiceModel) -> list[str]:
    """Every protocol a model lists, its preferred one first."""
    listed = model.metadata.get("protocols") or []
    first = model.metadata.get("protocol")
    return [first, *(p for p in listed if p != first)] if first else list(listed)


@dataclass
class ServiceIndex:
    """Lookup tables from wire identifiers to botocore service names."""

    by_target_prefix: dict[str, str] = field(default_factory=dict)
    by_signing_name: dict[str, list[str]] = field(default_factory=dict)
    by_endpoint_prefix: dict[str, list[str]] = field(default_factory=dict)
    by_sdk_id: dict[str, str] = field(default_factory=dict)
    protocols: dict[str, list[str]] = field(default_factory=dict)


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pytest-cloudmock" / f"index-botocore-{botocore.__version__}.json"


_META_KEYS = ("targetPrefix", "signingName", "endpointPrefix", "serviceId", "protocol", "protocols")


def _model_file(loader: Loader, name: str) -> Path | None:
    """The newest `service-2.json(.gz)` of a shipped service."""
    version = loader.list_api_versions(name, "service-2")[-1]
    for base in loader.search_paths:
        for suffix in (".json", ".json.gz"):
            path = Path(base, name, version, "service-2" + suffix)
            if path.exists():
                return path
    return None


def _head_metadata(path: Path) -> dict[str, Any] | None:
    """The `metadata` object from the first few KB of a model file (it comes first)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        head = handle.read(8192)
    start = head.find('"metadata"')
    brace = head.find("{", start) if start >= 0 else -1
    if brace < 0:
        return None
    try:
        meta, _ = json.JSONDecoder().raw_decode(head, brace)
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None


def _scan_models() -> dict[str, dict[str, Any]]:
    """Every shipped model's routing metadata (once per botocore version; ~0.1 s)."""
    loader = _loader()
    out = {}
    for name in available_services():
        path = _model_file(loader, name)
        meta = _head_metadata(path) if path else None
        if meta is None:  # an unusual layout: parse the whole model
            meta = loader.load_service_model(name, "service-2")["metadata"]
        out[name] = {k: meta[k] for k in _META_KEYS if k in meta}
    return out


def _shipped_metadata() -> dict[str, dict[str, Any]]:
    path = _cache_file()
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    data = _scan_models()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(path)
    except OSError:
        pass
    return data


@lru_cache(maxsize=1)
def index() -> ServiceIndex:
    """The routing index over shipped and registered models (built on first use)."""
    metas = dict(_shipped_metadata())
    for name, model in _custom_models.items():
        metas[name] = model.get("metadata", {})
    idx = ServiceIndex()
    for name, meta in sorted(metas.items()):
        if meta.get("targetPrefix"):
            idx.by_target_prefix.setdefault(meta["targetPrefix"], name)
        signing = meta.get("signingName") or meta.get("endpointPrefix") or name
        idx.by_signing_name.setdefault(signing, []).append(name)
        if meta.get("endpointPrefix"):
            idx.by_endpoint_prefix.setdefault(meta["endpointPrefix"], []).append(name)
        if meta.get("serviceId"):
            idx.by_sdk_id[meta["serviceId"].lower().replace(" ", "-")] = name
        first = meta.get("protocol")
        listed = meta.get("protocols") or []
        idx.protocols[name] = [first, *(p for p in listed if p != first)] if first else listed
    return idx
