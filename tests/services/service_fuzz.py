"""Random valid-shaped calls straight into a service: only results or `AWSError`, never a crash.

Params come from the codec tests' shape generator (`tests/codecs/shapegen.py`),
so every operation sees inputs botocore would let through, including odd strings.
To get past "not found", top-level string params are often swapped for values
of the same name seen in earlier successful calls (an ARN a create returned, a
name a create accepted), so later calls hit existing resources.
"""

from __future__ import annotations

import random
import traceback
from typing import Any

from pytest_cloudmock.api import AWSError, RequestContext, Response
from tests.codecs.shapegen import GenOptions, generate

OPTIONS = GenOptions(max_depth=3, special_floats=False)


def fuzz(service: Any, rounds: int, seed: int, account: str = "123456789012") -> list[str]:
    """Call every implemented operation `rounds` times on one instance; the crashes found."""
    rng = random.Random(seed)
    operations = service.implemented()
    known: dict[str, list[str]] = {}
    crashes = []
    for _ in range(rounds):
        for operation in rng.sample(operations, len(operations)):
            model = service.model.operation_model(operation)
            params = generate(model.input_shape, rng, OPTIONS) if model.input_shape else {}
            for key, value in params.items():
                if isinstance(value, str) and known.get(key) and rng.random() < 0.7:
                    params[key] = rng.choice(known[key])
            ctx = RequestContext(service=service.name, operation=operation, params=params,
                                 region="us-east-1", account_id=account, access_key_id="AKIAEXAMPLE",
                                 request_id="r", protocol="query", operation_model=model)
            try:
                result = service.handle_request(ctx)
            except AWSError:
                continue
            except Exception:  # noqa: BLE001 (what this looks for)
                crashes.append(f"{operation}({params!r}):\n{traceback.format_exc()}")
                continue
            assert result is None or isinstance(result, (dict, Response)), (operation, result)
            outputs = result.body if isinstance(result, Response) else result
            for key, value in [*params.items(), *(outputs or {}).items()]:
                if isinstance(value, str):
                    known.setdefault(key, []).append(value)
    return crashes
