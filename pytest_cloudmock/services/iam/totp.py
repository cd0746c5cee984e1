"""Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits),
as virtual MFA apps compute them from the device's Base32 seed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct

STEP = 30
DIGITS = 6


def new_seed() -> str:
    """A Base32 seed of the length IAM gives virtual devices (40 random bytes)."""
    return base64.b32encode(secrets.token_bytes(40)).decode()


def code(seed: str, counter: int) -> str:
    """The code for time step `counter` (RFC 4226's dynamic truncation)."""
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def consecutive_counter(seed: str, first: str, second: str, now: float, window: int = 10) -> int | None:
    """The step `first` belongs to when `second` is the next one, within `window` steps of now."""
    current = int(now // STEP)
    for counter in range(current - window, current + 2):
        if code(seed, counter) == first and code(seed, counter + 1) == second:
            return counter
    return None
