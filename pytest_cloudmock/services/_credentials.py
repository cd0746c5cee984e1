"""Credentials and unique ids in IAM's formats, shared by STS and IAM.

Also the one place that registers issued credentials with the gateway's
`Identities` table (reached as `ctx.registry.identities`), so that requests
signed with them run as their principal in their account.
"""

from __future__ import annotations

import base64
import dataclasses
import secrets
import string

from ..api import RequestContext
from ..identities import Identity

_BASE32 = string.ascii_uppercase + "234567"
_SECRET = string.ascii_letters + string.digits + "+/"


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def unique_id(prefix: str) -> str:
    """An IAM unique id: `AIDA` (user), `AROA` (role), `AGPA`, `ANPA`, `AIPA` + 17 chars."""
    return prefix + _random(_BASE32, 17)


def access_key_id(temporary: bool = False) -> str:
    """`AKIA...` (long-term) or `ASIA...` (temporary), 20 chars."""
    return ("ASIA" if temporary else "AKIA") + _random(_BASE32, 16)


def secret_access_key() -> str:
    return _random(_SECRET, 40)


def session_token() -> str:
    """A session token of the length and alphabet STS issues."""
    return "FwoGZXIvYXdzE" + base64.b64encode(secrets.token_bytes(270)).decode()


def register(ctx: RequestContext, identity: Identity) -> None:
    """Make the gateway recognise `identity`'s access key (no-op outside a gateway)."""
    table = ctx.registry.identities if ctx.registry is not None else None
    if table is not None:
        table.add(dataclasses.replace(identity, issuer=ctx.service))


def forget(ctx: RequestContext, key_id: str) -> None:
    """Stop recognising an access key."""
    table = ctx.registry.identities if ctx.registry is not None else None
    if table is not None:
        table.remove(key_id)
