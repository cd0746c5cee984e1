"""AWS Lambda, in-process API with functions that really run: each execution environment is a
local process talking to the Runtime API this package serves (or, for Python, a thread).

The package is `lambda_` because `lambda` is a Python keyword; discovery maps it to the
`lambda` service. See `docs/services/lambda.md`.
"""

from __future__ import annotations

from .invoke import InvocationRecord
from .service import LambdaService
from .zips import lambda_zip

SERVICE = LambdaService

__all__ = ["SERVICE", "InvocationRecord", "LambdaService", "lambda_zip"]
