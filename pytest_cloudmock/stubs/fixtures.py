"""The `cloudmock_catalog` fixture (registered by the pytest plugin; imports only pytest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .catalog import Catalog


@pytest.fixture
def cloudmock_catalog(request: pytest.FixtureRequest) -> Iterator[Catalog]:
    """Change the Tier 2 stub catalog for one test; everything is undone after it.

    `add(entry)` serves a new entry (an `Entry` or a dict as in a YAML entry file),
    `replace(entry)` serves one in place of any service of that name,
    `override("eks", "DescribeCluster", {...} or callable(ctx))` answers one action
    differently, `infer("service")` serves an entry inferred from the botocore
    model, `remove(name)`, `entry(name)` and `names()`.
    """
    from .catalog import catalog_changes

    gateway = request.getfixturevalue("cloudmock").gateway
    with catalog_changes(gateway) as catalog:
        yield catalog
