"""IAM's taggable resources for the tagging interface, each kind through its own IAM operations.

IAM is global: its ARNs name no region, and its resources are listed in every region.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import Call, NamespaceOwned, TaggedResource, every, pairs, unpair


@dataclass(frozen=True)
class IamKind:
    """One kind of IAM resource: how it is listed and how its tag operations name it."""

    arn_type: str  # `role` of `arn:aws:iam::1:role/path/name`
    suffix: str  # the tag operations' noun: TagRole, ListRoleTags, UntagRole
    list_operation: str
    items: str
    arn_key: str
    #: The member the tag operations take, and whether it is the ARN (else the resource's name).
    member: str
    by_arn: bool = False
    list_params: tuple[tuple[str, str], ...] = ()
    paged: bool = True


KINDS = (
    IamKind("role", "Role", "ListRoles", "Roles", "Arn", "RoleName"),
    IamKind("user", "User", "ListUsers", "Users", "Arn", "UserName"),
    IamKind("policy", "Policy", "ListPolicies", "Policies", "Arn", "PolicyArn", by_arn=True,
            list_params=(("Scope", "Local"),)),
    IamKind("instance-profile", "InstanceProfile", "ListInstanceProfiles", "InstanceProfiles", "Arn",
            "InstanceProfileName"),
    IamKind("oidc-provider", "OpenIDConnectProvider", "ListOpenIDConnectProviders", "OpenIDConnectProviderList",
            "Arn", "OpenIDConnectProviderArn", by_arn=True, paged=False),
    IamKind("saml-provider", "SAMLProvider", "ListSAMLProviders", "SAMLProviderList", "Arn", "SAMLProviderArn",
            by_arn=True, paged=False),
    IamKind("server-certificate", "ServerCertificate", "ListServerCertificates", "ServerCertificateMetadataList",
            "Arn", "ServerCertificateName"),
    IamKind("mfa", "MFADevice", "ListVirtualMFADevices", "VirtualMFADevices", "SerialNumber", "SerialNumber",
            by_arn=True),
)
_BY_TYPE = {kind.arn_type: kind for kind in KINDS}


def _kind_of(arn: str) -> IamKind | None:
    parts = arn.split(":", 5)
    return _BY_TYPE.get(parts[5].split("/", 1)[0]) if len(parts) == 6 else None


@dataclass(frozen=True)
class IamResources(NamespaceOwned):
    service: str = "iam"
    arn_services: tuple[str, ...] = ("iam",)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for kind in KINDS:
            params = dict(kind.list_params)
            found = every(call, kind.list_operation, params, kind.items, "Marker") if kind.paged else \
                call(kind.list_operation, params).get(kind.items) or []
            for item in found:
                arn = item[kind.arn_key]
                yield TaggedResource(arn, self._tags(call, kind, arn))

    @staticmethod
    def _target(kind: IamKind, arn: str) -> dict[str, Any]:
        return {kind.member: arn if kind.by_arn else arn.rsplit("/", 1)[-1]}

    def _tags(self, call: Call, kind: IamKind, arn: str) -> dict[str, str]:
        return unpair(every(call, f"List{kind.suffix}Tags", self._target(kind, arn), "Tags", "Marker"))

    def owns(self, arn: str) -> bool:
        return super().owns(arn) and _kind_of(arn) is not None

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        kind = _kind_of(arn)
        assert kind is not None  # owns() chose this adapter
        call(f"Tag{kind.suffix}", {**self._target(kind, arn), "Tags": pairs(tags)})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        kind = _kind_of(arn)
        assert kind is not None
        call(f"Untag{kind.suffix}", {**self._target(kind, arn), "TagKeys": keys})
