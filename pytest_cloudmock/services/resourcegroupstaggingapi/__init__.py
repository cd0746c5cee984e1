"""Resource Groups Tagging API, in-process: tagged resources of every service, by one interface.

Nothing is stored here: every answer is read from the services that own the resources,
through `pytest_cloudmock.tagging` (each service's own tag operations). See
`docs/services/resourcegroupstaggingapi.md`.
"""

from __future__ import annotations

from .service import TaggingApiService

SERVICE = TaggingApiService

__all__ = ["SERVICE", "TaggingApiService"]
