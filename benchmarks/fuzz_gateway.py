"""The large fuzz run: 100,000 seeded requests against a live gateway, figures for the README.

    python benchmarks/fuzz_gateway.py [--requests 100000] [--seed 1] [--workers 4]

Runs `tests/gateway/fuzzgen.py` from several client threads (each its own seed and
connection), then prints the statuses, the rule violations grouped by known issue
(`tests/gateway/test_fuzz.py`) and the ones nobody owns yet, with a repro each.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pytest_cloudmock.config import Config  # noqa: E402
from pytest_cloudmock.gateway import Gateway  # noqa: E402
from tests.gateway.fuzzgen import SERVICES, Outcome, run  # noqa: E402
from tests.gateway.test_fuzz import known_issue  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    gateway = Gateway(Config(admin_port=None)).start()
    services = [s for s in SERVICES if s in gateway.registry]
    outcomes: list[Outcome] = []
    per_worker = args.requests // args.workers

    def work(n: int) -> None:
        outcomes.append(run(gateway.port, args.seed * 1000 + n, per_worker, services))

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    threads_held = threading.active_count()
    gateway.stop()
    statuses: Counter[int] = Counter()
    issues: Counter[str] = Counter()
    unknown: dict[str, str] = {}
    sent = unsendable = 0
    for outcome in outcomes:
        sent += outcome.sent
        unsendable += outcome.unsendable
        statuses.update(outcome.statuses)
        for case, problem in outcome.failures:
            issue = known_issue(case, problem)
            if issue:
                issues[issue] += 1
            else:
                unknown.setdefault(f"{case.service} {case.operation} {problem[:80]}", case.repro())
    dropped = sum(1 for o in outcomes for _, p in o.failures if p.startswith("connection"))
    print(f"{sent} requests ({unsendable} unsendable by http.client) in {seconds:.0f} s over "
          f"{len(services)} services: {', '.join(services)}")
    print("statuses:", dict(sorted(statuses.items())))
    print(f"dropped connections or timeouts: {dropped}; threads in this process at the end: {threads_held}")
    for issue, count in issues.most_common():
        print(f"  known  {count:6d}  {issue}")
    for what, repro in unknown.items():
        print(f"  NEW    {what} | {repro}")


if __name__ == "__main__":
    main()
