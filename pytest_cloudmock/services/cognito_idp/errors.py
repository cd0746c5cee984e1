"""Cognito's errors, with AWS's codes; messages are AWS's where its documentation or its
observed answers give them (noted where the exact text is not known)."""

from __future__ import annotations

from ...api import AWSError


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message)


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message, 400)


def pool_not_found(pool_id: str) -> AWSError:
    return not_found(f"User pool {pool_id} does not exist.")


def client_not_found(client_id: str) -> AWSError:
    return not_found(f"User pool client {client_id} does not exist.")


def user_not_found() -> AWSError:
    return AWSError("UserNotFoundException", "User does not exist.")


def not_authorized(message: str = "Incorrect username or password.") -> AWSError:
    return AWSError("NotAuthorizedException", message)


def code_mismatch() -> AWSError:
    return AWSError("CodeMismatchException", "Invalid verification code provided, please try again.")


def expired_code() -> AWSError:
    return AWSError("ExpiredCodeException", "Invalid code provided, please request a code again.")


def invalid_password(reason: str) -> AWSError:
    return AWSError("InvalidPasswordException", f"Password did not conform with policy: {reason}")


def user_exists(message: str = "User account already exists") -> AWSError:
    return AWSError("UsernameExistsException", message)


def not_confirmed() -> AWSError:
    return AWSError("UserNotConfirmedException", "User is not confirmed.")


def reset_required() -> AWSError:
    return AWSError("PasswordResetRequiredException", "Password reset required for the user")


def invalid_session() -> AWSError:
    return not_authorized("Invalid session for the user.")


def expired_session() -> AWSError:
    return not_authorized("Invalid session for the user, session is expired.")


def invalid_access_token() -> AWSError:
    return not_authorized("Invalid Access Token")


def lambda_failed(trigger: str, message: str) -> AWSError:
    """A trigger's function answered an error (AWS: `<Trigger> failed with error <message>.`)."""
    return AWSError("UserLambdaValidationException", f"{trigger} failed with error {message}.")


def unexpected_lambda(message: str) -> AWSError:
    return AWSError("UnexpectedLambdaException", message)


def username_client_not_found() -> AWSError:
    return AWSError("UserNotFoundException", "Username/client id combination not found.")


def alias_exists() -> AWSError:
    return AWSError("AliasExistsException", "An account with the given email already exists.")


def unsupported_user_state() -> AWSError:
    # AWS's exact text for resending an invitation to a confirmed user is not documented
    return AWSError("UnsupportedUserStateException", "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state.")
