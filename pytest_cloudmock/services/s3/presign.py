"""Presigned URL checks: S3 refuses a presigned request once it has expired."""

from __future__ import annotations

from datetime import datetime, timezone

from ...api import AWSError, RequestContext
from . import errors

MAX_EXPIRES = 604800  # one week


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_presigned(ctx: RequestContext) -> None:
    """Raise S3's error for an expired (or over-long) SigV4 or SigV2 presigned request."""
    query = ctx.query
    if not query:
        return
    if "X-Amz-Credential" in query:
        date = (query.get("X-Amz-Date") or [""])[0]
        expires = (query.get("X-Amz-Expires") or [""])[0]
        try:
            signed = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            seconds = int(expires)
        except ValueError:
            raise AWSError(
                "AuthorizationQueryParametersError",
                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                "X-Amz-Expires parameters.",
            ) from None
        if seconds > MAX_EXPIRES:
            raise AWSError(
                "AuthorizationQueryParametersError",
                "X-Amz-Expires must be less than a week (in seconds) that is 604800",
            )
        deadline = signed.timestamp() + seconds
        now = ctx.clock.now()
        if now > deadline:
            raise errors.access_denied(
                "Request has expired", **{"X-Amz-Expires": expires, "Expires": _iso(deadline),
                                          "ServerTime": _iso(now)}
            )
    elif "AWSAccessKeyId" in query and "Expires" in query:
        try:
            deadline = int(query["Expires"][0])
        except ValueError:
            raise errors.access_denied("Invalid date (should be seconds since epoch)") from None
        now = ctx.clock.now()
        if now > deadline:
            raise errors.access_denied(
                "Request has expired", Expires=_iso(deadline), ServerTime=_iso(now)
            )
