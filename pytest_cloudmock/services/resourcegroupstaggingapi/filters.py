"""GetResources' filters, with the semantics the API reference gives them."""

from __future__ import annotations

from typing import Any

from ...tagging import TaggedResource


def matches_tags(resource: TaggedResource, filters: list[dict[str, Any]]) -> bool:
    """Every filter holds (AND); a filter holds when the key is there with one of its values
    (OR), or with any value when the filter lists none."""
    for tag_filter in filters:
        key = tag_filter["Key"]
        if key not in resource.tags:
            return False
        values = tag_filter.get("Values") or []
        if values and resource.tags[key] not in values:
            return False
    return True


def matches_type(resource: TaggedResource, type_filters: list[str]) -> bool:
    """`service` matches every resource of the service; `service:type` only that type."""
    if not type_filters:
        return True
    kind = resource.resource_type
    return any(f == resource.service or f.lower() == kind.lower() for f in type_filters)
