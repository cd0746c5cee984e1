"""Operations of the EC2 core's resource types that cloudmock does not serve (VM Import):
refused plainly instead of storing resources the core could not describe."""

from __future__ import annotations

from typing import Any

from ....api import AWSError


def vm_import(service: Any, ctx: Any) -> dict[str, Any]:
    raise AWSError("UnsupportedOperation", f"{ctx.operation} (VM Import) is not supported by cloudmock's EC2.", 400)
