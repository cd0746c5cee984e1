"""Every operation of a service's botocore model, called through boto3 and the gateway
with generated valid input: the answer is a result or a 4xx AWS error, never
`NotImplemented` and never a 5xx."""

from __future__ import annotations

import random
from typing import Any

from botocore.exceptions import ClientError, MissingDependencyException, ParamValidationError

from tests.codecs.shapegen import GenOptions, generate

OPTIONS = GenOptions(max_depth=3, special_floats=False, empty_containers=False)


def call_every_operation(client: Any, seed: int, rounds: int = 1) -> list[str]:
    """The operations that answered `NotImplemented` or a 5xx (with the error)."""
    rng = random.Random(seed)
    model = client.meta.service_model
    failures = []
    for _ in range(rounds):
        for name in model.operation_names:
            operation = model.operation_model(name)
            params = generate(operation.input_shape, rng, OPTIONS) if operation.input_shape else {}
            method = getattr(client, _method(client, name))
            try:
                method(**params)
            except (ParamValidationError, MissingDependencyException):
                continue  # botocore refused the generated input before sending it (or needs SigV4a/CRT)
            except ClientError as exc:
                error, status = exc.response["Error"], exc.response["ResponseMetadata"]["HTTPStatusCode"]
                if error.get("Code") == "NotImplemented" or status >= 500:
                    failures.append(f"{name}: {status} {error}")
    return failures


def _method(client: Any, operation: str) -> str:
    return next(m for m, op in client.meta.method_to_api_mapping.items() if op == operation)
