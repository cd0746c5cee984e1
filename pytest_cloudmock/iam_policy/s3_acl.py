"""S3 access control lists as the resource-based statements they amount to (S3 evaluates
ACL grants with the bucket policy; the User Guide's "Access control list (ACL) overview"
maps each permission to the actions it grants). Consulted only when the policies alone
deny, so a request that IAM allows pays nothing for them.

Grantees: the `AllUsers` and `AuthenticatedUsers` groups are anyone (`*`); a canonical
user is the account whose canonical id it is (S3 `ListBuckets` names the caller's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api import AWSError
from .policy import RESOURCE, Policy, parse

if TYPE_CHECKING:
    from ..registry import Registry

_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",
           "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
BUCKET = {
    "READ": ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"],
    "WRITE": ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
    "READ_ACP": ["s3:GetBucketAcl"],
    "WRITE_ACP": ["s3:PutBucketAcl"],
}
OBJECT = {
    "READ": ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent"],
    "READ_ACP": ["s3:GetObjectAcl", "s3:GetObjectVersionAcl"],
    "WRITE_ACP": ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
}


def _actions(table: dict[str, list[str]], permission: str) -> list[str]:
    if permission == "FULL_CONTROL":
        return [a for actions in table.values() for a in actions]
    return table.get(permission, [])


def statements(acl: dict[str, Any], table: dict[str, list[str]], resource: str,
               caller_account: str, caller_canonical_id: str) -> list[dict[str, Any]]:
    """The Allow statements an ACL's grants make for `resource`."""
    found = []
    for grant in acl.get("Grants") or []:
        grantee = grant.get("Grantee") or {}
        if grantee.get("URI") in _GROUPS:
            principal: Any = "*"
        elif grantee.get("ID") and grantee["ID"] == caller_canonical_id:
            principal = {"AWS": caller_account}
        else:
            continue
        actions = _actions(table, grant.get("Permission", ""))
        if actions:
            found.append({"Effect": "Allow", "Principal": principal, "Action": actions, "Resource": resource})
    return found


def acl_policy(registry: Registry, arn: str, owner: str, caller_account: str, region: str) -> Policy | None:
    """The bucket's (and for an object ARN, the object's) ACL grants as a resource policy."""
    bucket, _, key = arn.split(":::", 1)[-1].partition("/")
    try:
        canonical = registry.call("s3", "ListBuckets", {}, account_id=caller_account, region=region)["Owner"]["ID"]
        acl = registry.call("s3", "GetBucketAcl", {"Bucket": bucket}, account_id=owner, region=region)
        found = statements(acl, BUCKET, f"arn:aws:s3:::{bucket}", caller_account, canonical)
        found += statements(acl, BUCKET, f"arn:aws:s3:::{bucket}/*", caller_account, canonical)
        if key:
            acl = registry.call("s3", "GetObjectAcl", {"Bucket": bucket, "Key": key}, account_id=owner,
                                region=region)
            found += statements(acl, OBJECT, arn, caller_account, canonical)
    except (AWSError, KeyError, TypeError):
        return None
    return parse({"Version": "2012-10-17", "Statement": found}, RESOURCE, "acl", "", "resource") if found else None
