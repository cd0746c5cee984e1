"""RS256 JWT verification against an issuer's JWKS (Cognito user pool authorizers,
HTTP API JWT authorizers).

The JWKS is fetched from `<iss>/.well-known/jwks.json` over HTTP when the issuer is
this machine; an AWS Cognito issuer (`https://cognito-idp.<region>.amazonaws.com/<pool>`)
is looked up on the gateway itself (Cognito serves each pool's JWKS there). Nothing
leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/([\w-]+_[\w]+)$")


class InvalidToken(Exception):
    """The token is malformed, unsigned by the issuer's keys, expired or for someone else."""


def _b64(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except ValueError:
        raise InvalidToken("bad base64") from None


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, claims, signing input, signature) of a compact JWS."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a JWT")
    try:
        header, claims = json.loads(_b64(parts[0])), json.loads(_b64(parts[1]))
    except ValueError:
        raise InvalidToken("not a JWT") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise InvalidToken("not a JWT")
    return header, claims, f"{parts[0]}.{parts[1]}".encode(), _b64(parts[2])


class JwksCache:
    """Issuer JWKS documents, fetched once per URL (forgotten on reset)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._docs: dict[str, dict[str, Any]] = {}

    def clear(self) -> None:
        with self._lock:
            self._docs.clear()

    def keys(self, issuer: str, gateway: str) -> list[dict[str, Any]]:
        url = jwks_url(issuer, gateway)
        with self._lock:
            doc = self._docs.get(url)
        if doc is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (local only)
                    doc = json.loads(answer.read())
            except (OSError, ValueError):
                raise InvalidToken(f"JWKS not reachable at {url}") from None
            with self._lock:
                self._docs[url] = doc
        keys = doc.get("keys") if isinstance(doc, dict) else None
        return [k for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []


def jwks_url(issuer: str, gateway: str) -> str:
    """Where an issuer's JWKS is fetched from (this machine only)."""
    cognito = _COGNITO_ISSUER.match(issuer)
    if cognito:
        return f"{gateway.rstrip('/')}/{cognito[1]}/.well-known/jwks.json"
    host = urlsplit(issuer).hostname or ""
    if host not in _LOCAL_HOSTS and not host.endswith(".localhost"):
        raise InvalidToken(f"issuer {issuer} is not on this machine")
    return issuer.rstrip("/") + "/.well-known/jwks.json"


def verify(token: str, keys: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """The claims of an RS256 token signed by one of `keys`, not expired; else `InvalidToken`."""
    header, claims, signed, signature = decode_unverified(token)
    if header.get("alg") != "RS256":
        raise InvalidToken("unsupported algorithm")
    candidates = [k for k in keys if k.get("kty") == "RSA" and (header.get("kid") is None or k.get("kid") == header["kid"])]
    for jwk in candidates:
        try:
            numbers = rsa.RSAPublicNumbers(int.from_bytes(_b64(jwk["e"]), "big"), int.from_bytes(_b64(jwk["n"]), "big"))
            numbers.public_key().verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
            break
        except (InvalidSignature, KeyError, ValueError, TypeError):
            continue
    else:
        raise InvalidToken("signature")
    epoch = now.timestamp() if now.tzinfo else (now - datetime(1970, 1, 1)).total_seconds()
    if isinstance(claims.get("exp"), (int, float)) and claims["exp"] <= epoch:
        raise InvalidToken("expired")
    if isinstance(claims.get("nbf"), (int, float)) and claims["nbf"] > epoch:
        raise InvalidToken("not yet valid")
    return claims
