"""Validation violations as the `AWSError` each protocol family answers.

- json, rest-json, smithy-rpc-v2-cbor: `ValidationException` 400 with Coral's
  message, every violation counted ("2 validation errors detected: Value null at
  'userName' failed to satisfy constraint: Member must not be null; ...").
  A value of the wrong type is a deserialization failure there:
  `SerializationException`, worded as the JSON codec words it (AWS's exact
  wording for each case is not known to us).
- query (IAM, STS, SNS, CloudFormation): `ValidationError` 400, same message.
- ec2: `MissingParameter` ("The request must contain the parameter X") for the
  first missing member, else `InvalidParameterValue` for the first bad value.
  A policy whose `error_code` is `MissingParameter` asks for this style (SQS).
- rest-xml: `InvalidArgument` (S3's code for a bad request parameter), Coral's
  message (S3's own wording for these is not known to us).

Several services answer an operation's own modelled code instead (ECR
`InvalidParameterException`, Route 53 `InvalidInput`, CloudFront
`InvalidArgument`): outside the query family, an operation that models no
`ValidationException` but one of `OWN_CODES` answers that one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.model import OperationModel

from ..api import AWSError
from ..protocols.json_ import Mismatch
from .plan import HIDDEN, Violation, path_text

JSON_FAMILY = frozenset({"json", "rest-json", "smithy-rpc-v2-cbor"})
FAMILY_CODES = {"query": "ValidationError", "rest-xml": "InvalidArgument", "ec2": "MissingParameter"}
EC2_STYLE = "MissingParameter"
OWN_CODES = (
    "ValidationException", "InvalidParameterException", "InvalidRequestException", "BadRequestException",
    "InvalidInputException", "InvalidInput", "InvalidParameterValueException", "InvalidArgument",
    "InvalidArgumentException",
)


def family_code(operation: OperationModel, protocol: str) -> str:
    """The code this operation answers a validation failure with (before any policy)."""
    if protocol in ("query", "ec2"):
        return FAMILY_CODES[protocol]
    modelled = {shape.error_code or shape.name: None for shape in operation.error_shapes}
    modelled.update({shape.name: None for shape in operation.error_shapes})
    own = next((code for code in OWN_CODES if code in modelled), None)
    return own or FAMILY_CODES.get(protocol, "ValidationException")


def error_for(violations: list[Violation], code: str, protocol: str) -> AWSError:
    """The error for a non-empty list of violations."""
    if code == EC2_STYLE:
        return _ec2_style(violations)
    typed = next((v for v in violations if v[0] == "type"), None)
    if typed is not None:
        return AWSError("SerializationException" if protocol in JSON_FAMILY else code, _mismatch(typed))
    count = len(violations)
    detail = "; ".join(_coral(v) for v in violations)
    return AWSError(code, f"{count} validation error{'s' if count > 1 else ''} detected: {detail}")


def _coral(violation: Violation) -> str:
    kind, path, value, text = violation
    if kind == "required":
        return f"Value null at '{path_text(path)}' failed to satisfy constraint: Member must not be null"
    shown = " " if value is HIDDEN else f" '{java_text(value)}' "
    return f"Value{shown}at '{path_text(path)}' failed to satisfy constraint: {text}"


def _mismatch(violation: Violation) -> str:
    _, path, value, node = violation
    return str(Mismatch(path_text(path), value, node.shape))


def _ec2_style(violations: list[Violation]) -> AWSError:
    # The wording is SQS's (which shares these codes with EC2); EC2's own is not known to us.
    missing = next((v for v in violations if v[0] == "required"), None)
    if missing is not None:
        return AWSError("MissingParameter", f"The request must contain the parameter {param_path(missing)}.")
    first = violations[0]
    reason = _mismatch(first) if first[0] == "type" else first[3]
    shown = "" if first[2] is HIDDEN else f"{java_text(first[2])} "
    return AWSError(
        "InvalidParameterValue",
        f"Value {shown}for parameter {param_path(first)} is invalid. Reason: {reason}",
    )


def param_path(violation: Violation) -> str:
    """A violation's path in request-parameter spelling (`entries.1.member.id` -> `Entries.Id`).

    List positions are left out, as SQS's messages have them (EC2's nested form is not known to us).
    """
    names = [p[:1].upper() + p[1:] for p in path_text(violation[1]).split(".") if p != "member" and not p.isdigit()]
    if violation[0] == "required":
        names[-1] = violation[3]  # the member's own name
    return ".".join(names)


def java_text(value: Any) -> str:
    """A value as AWS's (Java) services print it: `[a, b]`, `{k=v}`, `true`, `1.5`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, (bytes, bytearray)):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{java_text(k)}={java_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(java_text(v) for v in value) + "]"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
