"""Access control lists: canned ACLs, `x-amz-grant-*` headers and policies, stored as given."""

from __future__ import annotations

import hashlib
from typing import Any

from ...api import AWSError

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"

CANNED = {
    "private": [],
    "public-read": [(ALL_USERS, "READ")],
    "public-read-write": [(ALL_USERS, "READ"), (ALL_USERS, "WRITE")],
    "authenticated-read": [(AUTHENTICATED_USERS, "READ")],
    "aws-exec-read": [],
    "bucket-owner-read": [],
    "bucket-owner-full-control": [],
    "log-delivery-write": [(LOG_DELIVERY, "WRITE"), (LOG_DELIVERY, "READ_ACP")],
}
_GRANT_PARAMS = {
    "GrantFullControl": "FULL_CONTROL",
    "GrantRead": "READ",
    "GrantReadACP": "READ_ACP",
    "GrantWrite": "WRITE",
    "GrantWriteACP": "WRITE_ACP",
}


def canonical_id(account_id: str) -> str:
    """The canonical user id S3 shows for an account (stable, 64 hex digits)."""
    return hashlib.sha256(f"cloudmock-canonical-{account_id}".encode()).hexdigest()


def owner(account_id: str) -> dict[str, str]:
    """An owner as S3 lists it: canonical id and the account's display name."""
    return {"DisplayName": display_name(account_id), "ID": canonical_id(account_id)}


def display_name(account_id: str) -> str:
    """The display name S3 shows for an account (AWS's is the root user's name or email)."""
    return f"cloudmock-{account_id}"


def _owner_grant(account_id: str) -> dict[str, Any]:
    return {
        "Grantee": {"Type": "CanonicalUser", "ID": canonical_id(account_id)},
        "Permission": "FULL_CONTROL",
    }


def _group_grant(uri: str, permission: str) -> dict[str, Any]:
    return {"Grantee": {"Type": "Group", "URI": uri}, "Permission": permission}


def default_acl(account_id: str) -> dict[str, Any]:
    return {"Owner": owner(account_id), "Grants": [_owner_grant(account_id)]}


def acl_from_params(params: dict[str, Any], account_id: str) -> dict[str, Any] | None:
    """The ACL a request sets (canned `ACL`, grant headers or `AccessControlPolicy`), or None."""
    canned = params.get("ACL")
    grants_given = {k: v for k, v in params.items() if k in _GRANT_PARAMS}
    policy = params.get("AccessControlPolicy")
    if bool(canned) + bool(grants_given) + bool(policy) > 1:
        raise AWSError(
            "InvalidRequest",
            "Specifying both Canned ACLs and Header Grants is not allowed",
        )
    if canned:
        if canned not in CANNED:
            raise AWSError("InvalidArgument", "", 400, ArgumentName="x-amz-acl", ArgumentValue=canned)
        grants = [_owner_grant(account_id)] + [_group_grant(u, p) for u, p in CANNED[canned]]
        return {"Owner": owner(account_id), "Grants": grants}
    if grants_given:
        grants = []
        for param, value in grants_given.items():
            for grantee in _parse_grantees(value):
                grants.append({"Grantee": grantee, "Permission": _GRANT_PARAMS[param]})
        return {"Owner": owner(account_id), "Grants": grants}
    if policy:
        return {"Owner": policy.get("Owner") or owner(account_id), "Grants": policy.get("Grants", [])}
    return None


def _parse_grantees(value: str) -> list[dict[str, str]]:
    """`id="abc", uri="http://..."` -> grantee dicts."""
    out = []
    for item in value.split(","):
        kind, _, raw = item.strip().partition("=")
        raw = raw.strip().strip('"')
        kind = kind.strip().lower()
        if kind == "id":
            out.append({"Type": "CanonicalUser", "ID": raw})
        elif kind == "uri":
            out.append({"Type": "Group", "URI": raw})
        elif kind == "emailaddress":
            out.append({"Type": "AmazonCustomerByEmail", "EmailAddress": raw})
        else:
            raise AWSError("InvalidArgument", "Argument format not recognized", 400)
    return out
