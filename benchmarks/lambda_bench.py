"""Lambda: warm invoke (RequestResponse round trip) and cold start of a trivial Python handler,
with the subprocess and in-process executors, through boto3 over the in-process transport and
over HTTP. Median milliseconds.

    python benchmarks/lambda_bench.py [--calls 200] [--colds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402

from pytest_cloudmock.config import Config  # noqa: E402
from pytest_cloudmock.gateway import Gateway  # noqa: E402
from pytest_cloudmock.services.lambda_ import lambda_zip  # noqa: E402
from pytest_cloudmock.transport import attach, detach  # noqa: E402

HANDLER = "def handler(event, context):\n    return event\n"
ROLE = "arn:aws:iam::123456789012:role/bench"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(gateway: Gateway, transport: str, executor: str, calls: int, colds: int) -> tuple[float, float]:
    attachment = attach(gateway, transport=transport)
    try:
        session = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x",
                                region_name="us-east-1")
        lam: Any = session.client("lambda", endpoint_url=gateway.endpoint)
        service: Any = gateway.registry.get("lambda")
        service.set_executor(executor)
        name = f"bench-{transport}-{executor}"
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                            Code={"ZipFile": lambda_zip(HANDLER)})
        lam.invoke(FunctionName=name, Payload=b'{"a": 1}')
        warm = []
        for _ in range(calls):
            start = time.perf_counter()
            lam.invoke(FunctionName=name, Payload=b'{"a": 1}')
            warm.append(time.perf_counter() - start)
        cold = []
        for i in range(colds):
            lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"RUN": str(i)}})
            start = time.perf_counter()
            lam.invoke(FunctionName=name, Payload=b'{"a": 1}')
            cold.append(time.perf_counter() - start)
        return median_ms(warm), median_ms(cold)
    finally:
        detach(attachment)
        gateway.reset()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--colds", type=int, default=20)
    args = parser.parse_args()
    gateway = Gateway(Config()).start()
    try:
        print(f"{'transport':<10} {'executor':<11} {'warm invoke ms':>15} {'cold start ms':>14}")
        for transport in ("inprocess", "http"):
            for executor in ("subprocess", "inprocess"):
                warm, cold = run(gateway, transport, executor, args.calls, args.colds)
                print(f"{transport:<10} {executor:<11} {warm:>15.2f} {cold:>14.2f}")
    finally:
        gateway.stop()


if __name__ == "__main__":
    main()
