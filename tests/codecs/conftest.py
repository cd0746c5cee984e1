"""Fixtures and the per-protocol summary table for the codec round-trip tests."""

from __future__ import annotations

import os
import random
import zlib
from collections import defaultdict

import pytest

_TALLY_KEY = "cloudmock_roundtrip"
_SEED_KEY = "cloudmock_roundtrip_seed"
_seeds: set[int] = set()
_tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tried, passed, failed, excluded


def _run_seed() -> int:
    """`CLOUDMOCK_SEED`, else one seed per run shared by all xdist workers, else random."""
    if os.environ.get("CLOUDMOCK_SEED"):
        return int(os.environ["CLOUDMOCK_SEED"])
    run_uid = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_uid:
        return zlib.crc32(run_uid.encode())
    return random.SystemRandom().randrange(2**31)


_SEED = _run_seed()


@pytest.fixture(scope="session")
def roundtrip_seed() -> int:
    """The seed of this run's operation sample and generated values."""
    return _SEED


@pytest.fixture
def record_roundtrip(record_property):
    """Record a `ServiceResult` for the summary table (travels through xdist reports)."""

    def record(result) -> None:
        record_property(
            _TALLY_KEY,
            (
                result.protocol,
                result.tried,
                result.passed,
                len(result.failures),
                len(result.excluded),
            ),
        )
        record_property(_SEED_KEY, _SEED)

    return record


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for key, value in report.user_properties:
        if key == _SEED_KEY:
            _seeds.add(value)
        elif key == _TALLY_KEY:
            protocol, *counts = value
            row = _tally[protocol]
            for i, count in enumerate(counts):
                row[i] += count


def pytest_terminal_summary(terminalreporter) -> None:
    if not _tally:
        return
    write = terminalreporter.write_line
    seeds = ", ".join(str(seed) for seed in sorted(_seeds))
    terminalreporter.section(f"codec round trips (CLOUDMOCK_SEED={seeds})")
    write(f"{'protocol':<20}{'tried':>8}{'round-tripped':>15}{'failed':>8}{'excluded':>10}")
    for protocol in sorted(_tally):
        tried, passed, failed, excluded = _tally[protocol]
        write(f"{protocol:<20}{tried:>8}{passed:>15}{failed:>8}{excluded:>10}")
