"""KMS's errors with AWS's codes. Key-state messages follow AWS's key-state table
("<key ARN> is disabled.", "... is pending deletion.", ...); where AWS's exact wording
is not documented the message says so in a comment."""

from __future__ import annotations

from ...api import AWSError

STATE_WORDS = {
    "Disabled": "disabled",
    "PendingDeletion": "pending deletion",
    "PendingImport": "pending import",
    "Unavailable": "unavailable",
    "PendingReplicaDeletion": "pending replica deletion",
    "Creating": "creating",
    "Updating": "updating",
}


def not_found(message: str) -> AWSError:
    return AWSError("NotFoundException", message)


def key_not_found(arn: str) -> AWSError:
    return not_found(f"Key '{arn}' does not exist")


def alias_not_found(alias_arn: str) -> AWSError:
    return not_found(f"Alias {alias_arn} is not found.")


def invalid_key_id(key_id: str) -> AWSError:
    return not_found(f"Invalid keyId '{key_id}'")


def disabled(arn: str) -> AWSError:
    return AWSError("DisabledException", f"{arn} is disabled.")


def invalid_state(arn: str, state: str) -> AWSError:
    return AWSError("KMSInvalidStateException", f"{arn} is {STATE_WORDS.get(state, state)}.")


def not_pending_deletion(arn: str) -> AWSError:
    return AWSError("KMSInvalidStateException", f"{arn} is not pending deletion.")


def invalid_usage(arn: str, usage: str, operation: str) -> AWSError:
    # AWS's exact wording is not documented.
    return AWSError("InvalidKeyUsageException", f"{arn} key usage is {usage} which is not valid for {operation}.")


def unsupported(message: str) -> AWSError:
    return AWSError("UnsupportedOperationException", message)


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def invalid_ciphertext() -> AWSError:
    # AWS answers InvalidCiphertextException without a message.
    return AWSError("InvalidCiphertextException", "")


def incorrect_key() -> AWSError:
    return AWSError(
        "IncorrectKeyException",
        "The key ID in the request does not identify a KMS key that can perform this operation.",
    )


def invalid_marker() -> AWSError:
    return AWSError("InvalidMarkerException", "Invalid marker")


def dry_run() -> AWSError:
    return AWSError("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
