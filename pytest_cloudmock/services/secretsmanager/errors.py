"""Secrets Manager's errors with AWS's codes; messages follow AWS's where known."""

from __future__ import annotations

from ...api import AWSError


def not_found() -> AWSError:
    return AWSError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")


def value_not_found(what: str) -> AWSError:
    return AWSError("ResourceNotFoundException", f"Secrets Manager can't find the specified secret value for {what}")


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message)


def invalid_request(message: str) -> AWSError:
    return AWSError("InvalidRequestException", message)


def marked_for_deletion() -> AWSError:
    return invalid_request("You can't perform this operation on the secret because it was marked for deletion.")


def replica_read_only() -> AWSError:
    return invalid_request("Operation not permitted on a replica secret. Call must be made in primary secret's region.")


def kms_failure(code: str, kms_error: AWSError) -> AWSError:
    """`EncryptionFailure`/`DecryptionFailure` for a KMS error (AWS's exact text varies; the
    KMS error is named so a test can see why)."""
    verb = "encrypt" if code == "EncryptionFailure" else "decrypt"
    return AWSError(code, f"Secrets Manager can't {verb} the protected secret text using the provided KMS key: "
                          f"{kms_error.code}: {kms_error.message}")
