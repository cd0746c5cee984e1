"""AWS::IAM::Role, Policy, ManagedPolicy, User, Group, InstanceProfile and AccessKey, through our IAM.

Inline policies (`Policies`), attached managed policies (`ManagedPolicyArns`), permissions
boundaries and tags are reconciled on update: what the new template drops is removed.
"""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_int,
    as_json,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
)

_MISSING = ("NoSuchEntity",)
_NAME_LENGTH = {"Role": 64, "User": 64, "Group": 128, "InstanceProfile": 128}


def _gone_ok(call: Any) -> None:
    ignore_missing(call, *_MISSING)


class _Principal(BaseProvider):
    """What roles, users and groups share: inline policies, managed policies, boundaries, tags."""

    kind = ""  # Role, User or Group: the IAM operation noun
    name_property = ""

    def _name_param(self) -> str:
        return f"{self.kind}Name"

    def _name(self, ctx: ProviderContext, properties: dict[str, Any]) -> str:
        return properties.get(self.name_property) or generated_name(ctx, max_length=_NAME_LENGTH[self.kind])

    def _sync(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        key = {self._name_param(): name}
        before = {p["PolicyName"]: p["PolicyDocument"] for p in old.get("Policies") or []}
        after = {p["PolicyName"]: p["PolicyDocument"] for p in new.get("Policies") or []}
        for policy, document in after.items():
            if before.get(policy) != document:
                ctx.call("iam", f"Put{self.kind}Policy", {**key, "PolicyName": policy,
                                                           "PolicyDocument": as_json(document)})
        for policy in before.keys() - after.keys():
            _gone_ok(lambda p=policy: ctx.call("iam", f"Delete{self.kind}Policy", {**key, "PolicyName": p}))
        attached, wanted = set(old.get("ManagedPolicyArns") or []), set(new.get("ManagedPolicyArns") or [])
        for policy_arn in sorted(wanted - attached):
            ctx.call("iam", f"Attach{self.kind}Policy", {**key, "PolicyArn": policy_arn})
        for policy_arn in sorted(attached - wanted):
            _gone_ok(lambda a=policy_arn: ctx.call("iam", f"Detach{self.kind}Policy", {**key, "PolicyArn": a}))
        if self.kind != "Group":
            self._boundary(ctx, key, old, new)
            self._tags(ctx, key, old, new)

    def _boundary(self, ctx: ProviderContext, key: dict[str, str], old: dict[str, Any], new: dict[str, Any]) -> None:
        if new.get("PermissionsBoundary") == old.get("PermissionsBoundary") or not old:
            return
        if new.get("PermissionsBoundary"):
            ctx.call("iam", f"Put{self.kind}PermissionsBoundary",
                     {**key, "PermissionsBoundary": new["PermissionsBoundary"]})
        else:
            ctx.call("iam", f"Delete{self.kind}PermissionsBoundary", key)

    def _tags(self, ctx: ProviderContext, key: dict[str, str], old: dict[str, Any], new: dict[str, Any]) -> None:
        if not old:
            return
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("iam", f"Tag{self.kind}", {**key, "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("iam", f"Untag{self.kind}", {**key, "TagKeys": to_remove})

    def _strip(self, ctx: ProviderContext, name: str) -> None:
        """Detach and delete every policy, as IAM requires before the principal can go."""
        key = {self._name_param(): name}
        lower = self.kind.lower()
        for policy in ctx.call("iam", f"List{self.kind}Policies", key)["PolicyNames"]:
            ctx.call("iam", f"Delete{self.kind}Policy", {**key, "PolicyName": policy})
        for policy in ctx.call("iam", f"ListAttached{self.kind}Policies", key)["AttachedPolicies"]:
            ctx.call("iam", f"Detach{self.kind}Policy", {**key, "PolicyArn": policy["PolicyArn"]})
        if lower == "role":
            for profile in ctx.call("iam", "ListInstanceProfilesForRole", key)["InstanceProfiles"]:
                ctx.call("iam", "RemoveRoleFromInstanceProfile",
                         {"InstanceProfileName": profile["InstanceProfileName"], "RoleName": name})


class RoleProvider(_Principal):
    """AWS::IAM::Role. `Ref`: the role name."""

    type_name = "AWS::IAM::Role"
    replaces = frozenset({"RoleName", "Path"})
    kind, name_property = "Role", "RoleName"

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = self._name(ctx, properties)
        params: dict[str, Any] = {"RoleName": name,
                                  "AssumeRolePolicyDocument": as_json(properties["AssumeRolePolicyDocument"])}
        for key in ("Path", "Description", "PermissionsBoundary"):
            if properties.get(key):
                params[key] = properties[key]
        if properties.get("MaxSessionDuration"):
            params["MaxSessionDuration"] = as_int(properties["MaxSessionDuration"])
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("iam", "CreateRole", params)
        self._sync(ctx, name, {}, properties)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if new["AssumeRolePolicyDocument"] != old.get("AssumeRolePolicyDocument"):
            ctx.call("iam", "UpdateAssumeRolePolicy",
                     {"RoleName": physical_id, "PolicyDocument": as_json(new["AssumeRolePolicyDocument"])})
        if new.get("Description") != old.get("Description") or \
                new.get("MaxSessionDuration") != old.get("MaxSessionDuration"):
            ctx.call("iam", "UpdateRole", {"RoleName": physical_id, "Description": new.get("Description") or "",
                                           "MaxSessionDuration": as_int(new.get("MaxSessionDuration")) or 3600})
        self._sync(ctx, physical_id, old, new)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def remove() -> None:
            self._strip(ctx, physical_id)
            ctx.call("iam", "DeleteRole", {"RoleName": physical_id})

        _gone_ok(remove)

    readable = frozenset({"RoleName", "Path", "Description", "MaxSessionDuration", "AssumeRolePolicyDocument",
                          "ManagedPolicyArns", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        import urllib.parse

        found = read_or_gone(lambda: ctx.call("iam", "GetRole", {"RoleName": physical_id}), *_MISSING)
        if found is None:
            return None
        role = found["Role"]
        document = role.get("AssumeRolePolicyDocument")
        if isinstance(document, str) and document.startswith("%"):  # IAM answers it URL-encoded
            document = urllib.parse.unquote(document)
        attached = ctx.call("iam", "ListAttachedRolePolicies", {"RoleName": physical_id}).get("AttachedPolicies", [])
        out = {"RoleName": role["RoleName"], "Path": role.get("Path", "/"), "AssumeRolePolicyDocument": document,
               "MaxSessionDuration": role.get("MaxSessionDuration", 3600),
               "ManagedPolicyArns": [p["PolicyArn"] for p in attached], "Tags": tag_list(role.get("Tags") or [])}
        if role.get("Description"):
            out["Description"] = role["Description"]
        return out

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        role = ctx.call("iam", "GetRole", {"RoleName": physical_id})["Role"]
        return Created(physical_id, {"Arn": role["Arn"], "RoleId": role["RoleId"]})


class UserProvider(_Principal):
    """AWS::IAM::User (groups, login profile, policies). `Ref`: the user name."""

    type_name = "AWS::IAM::User"
    replaces = frozenset({"UserName"})
    kind, name_property = "User", "UserName"

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = self._name(ctx, properties)
        params: dict[str, Any] = {"UserName": name}
        for key in ("Path", "PermissionsBoundary"):
            if properties.get(key):
                params[key] = properties[key]
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("iam", "CreateUser", params)
        self._sync(ctx, name, {}, properties)
        self._membership(ctx, name, {}, properties)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if new.get("Path") != old.get("Path"):
            ctx.call("iam", "UpdateUser", {"UserName": physical_id, "NewPath": new.get("Path") or "/"})
        self._sync(ctx, physical_id, old, new)
        self._membership(ctx, physical_id, old, new)
        return self.describe(ctx, physical_id, new)

    def _membership(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        before, after = set(old.get("Groups") or []), set(new.get("Groups") or [])
        for group in sorted(after - before):
            ctx.call("iam", "AddUserToGroup", {"UserName": name, "GroupName": group})
        for group in sorted(before - after):
            _gone_ok(lambda g=group: ctx.call("iam", "RemoveUserFromGroup", {"UserName": name, "GroupName": g}))
        profile, old_profile = new.get("LoginProfile"), old.get("LoginProfile")
        if profile != old_profile:
            if profile:
                op = "UpdateLoginProfile" if old_profile else "CreateLoginProfile"
                ctx.call("iam", op, {"UserName": name, "Password": profile["Password"],
                                     "PasswordResetRequired": bool(profile.get("PasswordResetRequired", False))})
            else:
                _gone_ok(lambda: ctx.call("iam", "DeleteLoginProfile", {"UserName": name}))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def remove() -> None:
            self._strip(ctx, physical_id)
            for group in ctx.call("iam", "ListGroupsForUser", {"UserName": physical_id})["Groups"]:
                ctx.call("iam", "RemoveUserFromGroup", {"UserName": physical_id, "GroupName": group["GroupName"]})
            for key in ctx.call("iam", "ListAccessKeys", {"UserName": physical_id})["AccessKeyMetadata"]:
                ctx.call("iam", "DeleteAccessKey", {"UserName": physical_id, "AccessKeyId": key["AccessKeyId"]})
            _gone_ok(lambda: ctx.call("iam", "DeleteLoginProfile", {"UserName": physical_id}))
            ctx.call("iam", "DeleteUser", {"UserName": physical_id})

        _gone_ok(remove)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        user = ctx.call("iam", "GetUser", {"UserName": physical_id})["User"]
        return Created(physical_id, {"Arn": user["Arn"]})


class GroupProvider(_Principal):
    """AWS::IAM::Group. `Ref`: the group name."""

    type_name = "AWS::IAM::Group"
    replaces = frozenset({"GroupName"})
    kind, name_property = "Group", "GroupName"

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = self._name(ctx, properties)
        params = {"GroupName": name, **({"Path": properties["Path"]} if properties.get("Path") else {})}
        ctx.call("iam", "CreateGroup", params)
        self._sync(ctx, name, {}, properties)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if new.get("Path") != old.get("Path"):
            ctx.call("iam", "UpdateGroup", {"GroupName": physical_id, "NewPath": new.get("Path") or "/"})
        self._sync(ctx, physical_id, old, new)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def remove() -> None:
            self._strip(ctx, physical_id)
            for user in ctx.call("iam", "GetGroup", {"GroupName": physical_id})["Users"]:
                ctx.call("iam", "RemoveUserFromGroup", {"GroupName": physical_id, "UserName": user["UserName"]})
            ctx.call("iam", "DeleteGroup", {"GroupName": physical_id})

        _gone_ok(remove)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        group = ctx.call("iam", "GetGroup", {"GroupName": physical_id})["Group"]
        return Created(physical_id, {"Arn": group["Arn"]})


class PolicyProvider(BaseProvider):
    """AWS::IAM::Policy: one inline policy put on each of its roles, users and groups."""

    type_name = "AWS::IAM::Policy"
    replaces = frozenset()
    _TARGETS = (("Roles", "Role"), ("Users", "User"), ("Groups", "Group"))

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        self._put(ctx, properties, properties)
        physical_id = generated_name(ctx, max_length=128)
        return Created(physical_id, {"Id": physical_id})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if old.get("PolicyName") != new["PolicyName"]:
            self.delete(ctx, physical_id, old)
            self._put(ctx, new, new)
        else:
            kept = {key: [n for n in old.get(key) or [] if n not in (new.get(key) or [])] for key, _ in self._TARGETS}
            self._remove(ctx, old["PolicyName"], kept)
            self._put(ctx, new, new)
        return Created(physical_id, {"Id": physical_id})

    def _put(self, ctx: ProviderContext, properties: dict[str, Any], targets: dict[str, Any]) -> None:
        document = as_json(properties["PolicyDocument"])
        for key, kind in self._TARGETS:
            for name in targets.get(key) or []:
                ctx.call("iam", f"Put{kind}Policy", {f"{kind}Name": name, "PolicyName": properties["PolicyName"],
                                                     "PolicyDocument": document})

    def _remove(self, ctx: ProviderContext, policy: str, targets: dict[str, Any]) -> None:
        for key, kind in self._TARGETS:
            for name in targets.get(key) or []:
                _gone_ok(lambda k=kind, n=name: ctx.call("iam", f"Delete{k}Policy",
                                                         {f"{k}Name": n, "PolicyName": policy}))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        self._remove(ctx, properties["PolicyName"], properties)


class ManagedPolicyProvider(BaseProvider):
    """AWS::IAM::ManagedPolicy. `Ref`: the policy ARN; a document change is a new default version."""

    type_name = "AWS::IAM::ManagedPolicy"
    replaces = frozenset({"ManagedPolicyName", "Path", "Description"})
    _TARGETS = (("Roles", "Role"), ("Users", "User"), ("Groups", "Group"))

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("ManagedPolicyName") or generated_name(ctx, max_length=128)
        params: dict[str, Any] = {"PolicyName": name, "PolicyDocument": as_json(properties["PolicyDocument"])}
        for key in ("Path", "Description"):
            if properties.get(key):
                params[key] = properties[key]
        policy_arn = ctx.call("iam", "CreatePolicy", params)["Policy"]["Arn"]
        self._attach(ctx, policy_arn, {}, properties)
        return self.describe(ctx, policy_arn, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if new["PolicyDocument"] != old.get("PolicyDocument"):
            versions = ctx.call("iam", "ListPolicyVersions", {"PolicyArn": physical_id})["Versions"]
            stale = [v for v in versions if not v["IsDefaultVersion"]]
            if len(versions) >= 5 and stale:  # IAM keeps five versions: make room, oldest first
                oldest = min(stale, key=lambda v: v["CreateDate"])
                ctx.call("iam", "DeletePolicyVersion", {"PolicyArn": physical_id, "VersionId": oldest["VersionId"]})
            ctx.call("iam", "CreatePolicyVersion", {"PolicyArn": physical_id, "SetAsDefault": True,
                                                    "PolicyDocument": as_json(new["PolicyDocument"])})
        self._attach(ctx, physical_id, old, new)
        return self.describe(ctx, physical_id, new)

    def _attach(self, ctx: ProviderContext, policy_arn: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for key, kind in self._TARGETS:
            before, after = set(old.get(key) or []), set(new.get(key) or [])
            for name in sorted(after - before):
                ctx.call("iam", f"Attach{kind}Policy", {f"{kind}Name": name, "PolicyArn": policy_arn})
            for name in sorted(before - after):
                _gone_ok(lambda k=kind, n=name: ctx.call("iam", f"Detach{k}Policy",
                                                         {f"{k}Name": n, "PolicyArn": policy_arn}))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def remove() -> None:
            found = ctx.call("iam", "ListEntitiesForPolicy", {"PolicyArn": physical_id})
            for kind, key, name_key in (("Role", "PolicyRoles", "RoleName"), ("User", "PolicyUsers", "UserName"),
                                        ("Group", "PolicyGroups", "GroupName")):
                for entity in found.get(key) or []:
                    ctx.call("iam", f"Detach{kind}Policy", {name_key: entity[name_key], "PolicyArn": physical_id})
            for version in ctx.call("iam", "ListPolicyVersions", {"PolicyArn": physical_id})["Versions"]:
                if not version["IsDefaultVersion"]:
                    ctx.call("iam", "DeletePolicyVersion",
                             {"PolicyArn": physical_id, "VersionId": version["VersionId"]})
            ctx.call("iam", "DeletePolicy", {"PolicyArn": physical_id})

        _gone_ok(remove)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        policy = ctx.call("iam", "GetPolicy", {"PolicyArn": physical_id})["Policy"]
        return Created(physical_id, {
            "PolicyArn": policy["Arn"], "PolicyId": policy["PolicyId"],
            "DefaultVersionId": policy["DefaultVersionId"], "AttachmentCount": policy.get("AttachmentCount", 0),
            "PermissionsBoundaryUsageCount": policy.get("PermissionsBoundaryUsageCount", 0),
            "IsAttachable": policy.get("IsAttachable", True),
            "CreateDate": policy.get("CreateDate"), "UpdateDate": policy.get("UpdateDate"),
        })


class InstanceProfileProvider(BaseProvider):
    """AWS::IAM::InstanceProfile. `Ref`: the instance profile name."""

    type_name = "AWS::IAM::InstanceProfile"
    replaces = frozenset({"InstanceProfileName", "Path"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("InstanceProfileName") or generated_name(ctx, max_length=128)
        params = {"InstanceProfileName": name, **({"Path": properties["Path"]} if properties.get("Path") else {})}
        ctx.call("iam", "CreateInstanceProfile", params)
        self._roles(ctx, name, [], properties.get("Roles") or [])
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._roles(ctx, physical_id, old.get("Roles") or [], new.get("Roles") or [])
        return self.describe(ctx, physical_id, new)

    def _roles(self, ctx: ProviderContext, name: str, before: list[str], after: list[str]) -> None:
        for role in before:
            if role not in after:
                _gone_ok(lambda r=role: ctx.call("iam", "RemoveRoleFromInstanceProfile",
                                                 {"InstanceProfileName": name, "RoleName": r}))
        for role in after:
            if role not in before:
                ctx.call("iam", "AddRoleToInstanceProfile", {"InstanceProfileName": name, "RoleName": role})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def remove() -> None:
            found = ctx.call("iam", "GetInstanceProfile", {"InstanceProfileName": physical_id})["InstanceProfile"]
            self._roles(ctx, physical_id, [r["RoleName"] for r in found["Roles"]], [])
            ctx.call("iam", "DeleteInstanceProfile", {"InstanceProfileName": physical_id})

        _gone_ok(remove)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("iam", "GetInstanceProfile", {"InstanceProfileName": physical_id})["InstanceProfile"]
        return Created(physical_id, {"Arn": found["Arn"]})


class AccessKeyProvider(BaseProvider):
    """AWS::IAM::AccessKey. `Ref`: the access key id; `Fn::GetAtt SecretAccessKey` the secret."""

    type_name = "AWS::IAM::AccessKey"
    replaces = frozenset({"UserName", "Serial"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        key = ctx.call("iam", "CreateAccessKey", {"UserName": properties["UserName"]})["AccessKey"]
        if (properties.get("Status") or "Active") != "Active":
            ctx.call("iam", "UpdateAccessKey", {"UserName": properties["UserName"],
                                                "AccessKeyId": key["AccessKeyId"], "Status": properties["Status"]})
        return Created(key["AccessKeyId"], {"Id": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("iam", "UpdateAccessKey", {"UserName": new["UserName"], "AccessKeyId": physical_id,
                                            "Status": new.get("Status") or "Active"})
        return Created(physical_id, {"Id": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone_ok(lambda: ctx.call("iam", "DeleteAccessKey",
                                  {"UserName": properties["UserName"], "AccessKeyId": physical_id}))
