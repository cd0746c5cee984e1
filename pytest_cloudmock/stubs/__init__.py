"""Tier 2 stubs: declarative catalog entries served by a generic engine.

    from pytest_cloudmock.stubs import Entry, rt, create_action, describe_action, ...

Names load on first use (PEP 562), so importing this package (as the pytest
plugin does for `cloudmock_catalog`) costs nothing. See docs/stubs.md.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Catalog": "catalog", "builtin_entry": "catalog", "builtin_entry_names": "catalog",
    "catalog_changes": "catalog", "install_catalog": "catalog",
    "StubService": "engine",
    "ActionSpec": "entry", "Entry": "entry", "Field": "entry", "ResourceType": "entry",
    "actions": "helpers", "create_action": "helpers", "custom_action": "helpers",
    "delete_action": "helpers", "describe_action": "helpers", "list_action": "helpers",
    "opt_str": "helpers", "req_str": "helpers", "rt": "helpers", "tag_actions": "helpers",
    "update_action": "helpers",
    "infer_entry": "infer",
    "entry_from_dict": "schema", "load_entry_file": "schema",
    "boto3_session": "client",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
