"""JSON Web Tokens: the claims of the ones `AssumeRoleWithWebIdentity` is given
(signatures not checked) and the ones `GetWebIdentityToken` issues (signed with a
per-process key the mock does not publish)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from typing import Any

from ...api import AWSError

_SIGNING_KEY = secrets.token_bytes(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def invalid_token() -> AWSError:
    return AWSError(
        "InvalidIdentityToken",
        "The web identity token that was passed could not be validated by AWS. Get a new "
        "identity token from the identity provider and then retry the request.",
        400,
    )


def claims(token: str) -> dict[str, Any]:
    """The claims of a JWT (signature not checked); AWS's error when it is not one."""
    parts = token.split(".")
    try:
        if len(parts) != 3:
            raise ValueError
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        found = json.loads(base64.urlsafe_b64decode(payload))
        if not isinstance(found, dict):
            raise ValueError
        return found
    except (ValueError, binascii.Error):
        raise invalid_token() from None


def issue(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """A compact JWT; the signature is an HMAC under the process's key, not `header["alg"]`'s."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{_b64(hmac.new(_SIGNING_KEY, signing_input.encode(), hashlib.sha256).digest())}"
