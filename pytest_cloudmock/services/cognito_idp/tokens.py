"""The pool's signing key, RS256 JSON Web Tokens and the JWKS that verifies them
(`cryptography` does the RSA; JOSE's encoding is a few lines of JSON and base64url)."""

from __future__ import annotations

import base64
import itertools
import json
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .base import random_id
from .state import UserPool

_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=256)
def _private_key(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


#: RSA keys made so far in this process: a 2048-bit key costs 50-500 ms to make, so pools take
#: them in turn once there are `_KEY_RING` of them (consecutive pools never share a key).
_KEYS: list[bytes] = []
_KEY_RING = 8
_handed_out = itertools.count()


def _next_key_pem() -> bytes:
    turn = next(_handed_out)
    if len(_KEYS) < _KEY_RING:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _KEYS.append(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        return _KEYS[-1]
    return _KEYS[turn % _KEY_RING]


def ensure_key(pool: UserPool) -> rsa.RSAPrivateKey:
    """The pool's RSA key, taken on first use (call holding the store lock)."""
    if not pool.key_pem:
        pool.key_pem = _next_key_pem()
        pool.kid = b64url(random_id(32).encode())
    return _private_key(pool.key_pem)


def sign(pool: UserPool, claims: dict[str, Any]) -> str:
    key = ensure_key(pool)
    header = {"kid": pool.kid, "alg": "RS256"}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def unverified_claims(token: str) -> dict[str, Any] | None:
    """A JWT's payload, unverified (None when it is no JWT)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def verified_claims(pool: UserPool, token: str) -> dict[str, Any] | None:
    """A JWT's payload when the pool's key signed it, else None."""
    if not pool.key_pem:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    head, payload, signature = parts
    try:
        ensure_key(pool).public_key().verify(
            b64url_decode(signature), f"{head}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return None
    return unverified_claims(token)


def jwks(pool: UserPool) -> dict[str, Any]:
    """The pool's JSON Web Key Set (RFC 7517), as Cognito serves it."""
    numbers = ensure_key(pool).public_key().public_numbers()

    def encode(value: int) -> str:
        return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {"keys": [{"alg": "RS256", "e": encode(numbers.e), "kid": pool.kid, "kty": "RSA",
                      "n": encode(numbers.n), "use": "sig"}]}


def validity(client_config: dict[str, Any], kind: str) -> int:
    """Seconds a client's `AccessToken`/`IdToken`/`RefreshToken` lasts (AWS's defaults: 1 hour,
    1 hour, 30 days; amounts count in hours, hours and days unless `TokenValidityUnits` says)."""
    amount = client_config.get(f"{kind}Validity")
    if amount is None:
        return 30 * 86400 if kind == "RefreshToken" else 3600
    unit = (client_config.get("TokenValidityUnits") or {}).get(kind)
    return int(amount) * _UNITS[unit or ("days" if kind == "RefreshToken" else "hours")]
