"""How stored evaluations add up to compliance (per rule, per resource, summaries)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

CAP = 100


def count(n: int) -> dict[str, Any]:
    return {"CappedCount": min(n, CAP), "CapExceeded": n > CAP}


def verdict(results: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A `Compliance`: NON_COMPLIANT (with the count) if any result is, else COMPLIANT if
    any is, else INSUFFICIENT_DATA (NOT_APPLICABLE results do not count)."""
    types = [r["ComplianceType"] for r in results]
    bad = types.count("NON_COMPLIANT")
    if bad:
        return {"ComplianceType": "NON_COMPLIANT", "ComplianceContributorCount": count(bad)}
    if "COMPLIANT" in types:
        return {"ComplianceType": "COMPLIANT"}
    return {"ComplianceType": "INSUFFICIENT_DATA"}


def summary(compliant: int, non_compliant: int, now: datetime) -> dict[str, Any]:
    return {"CompliantResourceCount": count(compliant), "NonCompliantResourceCount": count(non_compliant),
            "ComplianceSummaryTimestamp": now}


def by_resource(evaluations: dict[str, dict[tuple[str, str], dict[str, Any]]]
                ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(resourceType, resourceId) -> every rule's result for it."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for results in evaluations.values():
        for key, result in results.items():
            out.setdefault(key, []).append(result)
    return out
