"""Issue 11: a seeded fuzz of the live gateway across the protocol families.

Zero 5xx other than 501, zero dropped connections, zero hangs, every answer
readable by botocore. The larger run is `python benchmarks/fuzz_gateway.py`
(100,000 requests).
"""

from __future__ import annotations

import os

from pytest_cloudmock.gateway import Gateway

from .fuzzgen import run

SEED = int(os.environ.get("CLOUDMOCK_FUZZ_SEED", "20261203"))
COUNT = 3000


def test_fuzz_gateway(gateway: Gateway) -> None:
    from .fuzzgen import SERVICES

    services = [s for s in SERVICES if s in gateway.registry]
    try:
        outcome = run(gateway.port, SEED, COUNT, services)
    finally:
        gateway.reset()
    assert outcome.sent + outcome.unsendable == COUNT
    failures = [
        f"#{case.index} {case.service} {case.operation}: {problem} | {case.repro()}"
        for case, problem in outcome.failures
    ]
    assert not failures, f"seed {SEED}: {len(failures)} failures:\n" + "\n".join(failures[:30])
    assert not [p for _, p in outcome.failures if p.startswith("connection")]
