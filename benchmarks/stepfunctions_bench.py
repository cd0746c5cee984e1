"""Step Functions interpreter speed: one execution of a 200-state machine, in milliseconds.

The machine chains 200 states: Pass states with `Parameters` (a path and an intrinsic
function), a Choice every tenth state, and `ResultPath` merges. Measured two ways, over
the in-process transport: `StartSyncExecution` of an EXPRESS machine (the request returns
the result), and `StartExecution` of a STANDARD machine until `settle()` sees it done
(history recorded: 1 + 2 x 200 + 1 events).

    python benchmarks/stepfunctions_bench.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
from botocore.config import Config as BotoConfig  # noqa: E402

from benchmarks.vs_moto import CREDS  # noqa: E402

STATES = 200
ROLE = "arn:aws:iam::123456789012:role/bench"


def definition(count: int = STATES) -> dict[str, Any]:
    states: dict[str, Any] = {}
    for i in range(count):
        name, following = f"S{i}", f"S{i + 1}"
        end = {"End": True} if i == count - 1 else {"Next": following}
        if i % 10 == 5 and i != count - 1:
            states[name] = {"Type": "Choice", "Default": following, "Choices": [
                {"Variable": "$.n", "NumericLessThan": 0, "Next": following}]}
        else:
            states[name] = {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "tag.$": "$.tag"},
                            **end}
    return {"StartAt": "S0", "States": states}


def main() -> None:
    from pytest_cloudmock.gateway import Gateway
    from pytest_cloudmock.transport import attach, detach

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    gw = Gateway().start()
    attachment = attach(gw, "inprocess")
    try:
        sfn = boto3.Session(**CREDS).client("stepfunctions", endpoint_url=gw.endpoint,
                                            config=BotoConfig(inject_host_prefix=False))
        text = json.dumps(definition())
        express = sfn.create_state_machine(name="express", definition=text, roleArn=ROLE,
                                           type="EXPRESS")["stateMachineArn"]
        standard = sfn.create_state_machine(name="standard", definition=text, roleArn=ROLE)["stateMachineArn"]
        sync, full = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            answer = sfn.start_sync_execution(stateMachineArn=express, input='{"n": 0, "tag": "x"}')
            sync.append((time.perf_counter() - start) * 1000)
            assert answer["status"] == "SUCCEEDED", answer
            start = time.perf_counter()
            arn = sfn.start_execution(stateMachineArn=standard, input='{"n": 0, "tag": "x"}')["executionArn"]
            gw.settle()
            full.append((time.perf_counter() - start) * 1000)
            assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
        print(f"{STATES}-state execution, median of {args.rounds} (ms):")
        print(f"  EXPRESS StartSyncExecution      {statistics.median(sync):8.1f}  (min {min(sync):.1f})")
        print(f"  STANDARD StartExecution+settle  {statistics.median(full):8.1f}  (min {min(full):.1f})")
    finally:
        detach(attachment)
        gw.stop()


if __name__ == "__main__":
    main()
