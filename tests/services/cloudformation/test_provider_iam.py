"""IAM providers: roles, inline and managed policies, users, groups, instance profiles, access keys."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext

from ..aws_errors import error_of
from .test_provider_base import provider_context

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
ALLOW = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
AWS_MANAGED = "arn:aws:iam::aws:policy/ReadOnlyAccess"


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Runner")


def test_role_with_inline_and_managed_policies_reconciled_on_update(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    role = provider_for("AWS::IAM::Role")
    old = {"AssumeRolePolicyDocument": TRUST, "Policies": [{"PolicyName": "s3", "PolicyDocument": ALLOW}],
           "ManagedPolicyArns": [AWS_MANAGED], "Tags": [{"Key": "a", "Value": "1"}]}
    made = role.create(ctx, old)
    found = iam.get_role(RoleName=made.physical_id)["Role"]
    assert made.physical_id.startswith("stk-Runner-") and len(made.physical_id) <= 64
    assert made.attributes == {"Arn": found["Arn"], "RoleId": found["RoleId"]}
    assert iam.list_role_policies(RoleName=made.physical_id)["PolicyNames"] == ["s3"]
    new = {"AssumeRolePolicyDocument": TRUST, "Description": "runs things", "MaxSessionDuration": 7200,
           "Policies": [{"PolicyName": "read", "PolicyDocument": READ}], "Tags": [{"Key": "b", "Value": "2"}]}
    role.update(ctx, made.physical_id, old, new)
    found = iam.get_role(RoleName=made.physical_id)["Role"]
    assert found["Description"] == "runs things" and found["MaxSessionDuration"] == 7200
    assert iam.list_role_policies(RoleName=made.physical_id)["PolicyNames"] == ["read"]
    assert iam.list_attached_role_policies(RoleName=made.physical_id)["AttachedPolicies"] == []
    assert iam.list_role_tags(RoleName=made.physical_id)["Tags"] == [{"Key": "b", "Value": "2"}]
    assert {"RoleName", "Path"} <= role.replaces
    role.delete(ctx, made.physical_id, new)
    role.delete(ctx, made.physical_id, new)
    assert error_of(lambda: iam.get_role(RoleName=made.physical_id))[0] == "NoSuchEntity"


def test_inline_policy_on_roles_users_and_groups(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    role = provider_for("AWS::IAM::Role").create(ctx, {"RoleName": "r1", "AssumeRolePolicyDocument": TRUST})
    user = provider_for("AWS::IAM::User").create(ctx, {"UserName": "u1"})
    group = provider_for("AWS::IAM::Group").create(ctx, {"GroupName": "g1"})
    policy = provider_for("AWS::IAM::Policy")
    old = {"PolicyName": "shared", "PolicyDocument": ALLOW, "Roles": [role.physical_id], "Users": ["u1"],
           "Groups": ["g1"]}
    made = policy.create(ctx, old)
    assert made.attributes == {"Id": made.physical_id}
    assert iam.get_user_policy(UserName="u1", PolicyName="shared")["PolicyDocument"] == ALLOW
    assert iam.list_group_policies(GroupName=group.physical_id)["PolicyNames"] == ["shared"]
    new = {**old, "PolicyDocument": READ, "Users": []}
    policy.update(ctx, made.physical_id, old, new)
    assert iam.list_user_policies(UserName="u1")["PolicyNames"] == []
    assert iam.get_role_policy(RoleName="r1", PolicyName="shared")["PolicyDocument"] == READ
    policy.delete(ctx, made.physical_id, new)
    assert iam.list_role_policies(RoleName="r1")["PolicyNames"] == []
    assert user.attributes["Arn"] == iam.get_user(UserName="u1")["User"]["Arn"]


def test_managed_policy_versions_attachments_and_getatts(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    provider_for("AWS::IAM::Role").create(ctx, {"RoleName": "holder", "AssumeRolePolicyDocument": TRUST})
    managed = provider_for("AWS::IAM::ManagedPolicy")
    old = {"ManagedPolicyName": "team-s3", "PolicyDocument": ALLOW, "Roles": ["holder"]}
    made = managed.create(ctx, old)
    found = iam.get_policy(PolicyArn=made.physical_id)["Policy"]
    assert made.attributes["PolicyArn"] == found["Arn"] and made.attributes["PolicyId"] == found["PolicyId"]
    assert made.attributes["AttachmentCount"] == 1 and made.attributes["DefaultVersionId"] == "v1"
    for version in range(2, 8):  # past IAM's five versions: the oldest goes
        document = {**READ, "Statement": [{**READ["Statement"][0], "Sid": f"v{version}"}]}
        updated = managed.update(ctx, made.physical_id, old, {**old, "PolicyDocument": document})
        old = {**old, "PolicyDocument": document}
    assert updated.attributes["DefaultVersionId"] == "v7"
    assert len(iam.list_policy_versions(PolicyArn=made.physical_id)["Versions"]) == 5
    managed.delete(ctx, made.physical_id, old)
    assert error_of(lambda: iam.get_policy(PolicyArn=made.physical_id))[0] == "NoSuchEntity"
    assert iam.list_attached_role_policies(RoleName="holder")["AttachedPolicies"] == []


def test_user_groups_login_profile_and_access_key(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    provider_for("AWS::IAM::Group").create(ctx, {"GroupName": "devs"})
    user = provider_for("AWS::IAM::User")
    old = {"UserName": "ana", "Groups": ["devs"], "LoginProfile": {"Password": "Secr3t-Passw0rd!"}}
    user.create(ctx, old)
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="ana")["Groups"]] == ["devs"]
    assert iam.get_login_profile(UserName="ana")["LoginProfile"]["UserName"] == "ana"
    key = provider_for("AWS::IAM::AccessKey")
    made = key.create(ctx, {"UserName": "ana"})
    listed = iam.list_access_keys(UserName="ana")["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in listed] == [made.physical_id]
    assert len(made.attributes["SecretAccessKey"]) == 40
    key.update(ctx, made.physical_id, {"UserName": "ana"}, {"UserName": "ana", "Status": "Inactive"})
    assert iam.list_access_keys(UserName="ana")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    user.update(ctx, "ana", old, {"UserName": "ana", "Path": "/team/"})
    assert iam.list_groups_for_user(UserName="ana")["Groups"] == []
    assert iam.get_user(UserName="ana")["User"]["Path"] == "/team/"
    assert error_of(lambda: iam.get_login_profile(UserName="ana"))[0] == "NoSuchEntity"
    user.delete(ctx, "ana", {})  # its access key goes with it
    assert error_of(lambda: iam.get_user(UserName="ana"))[0] == "NoSuchEntity"


def test_instance_profile_roles(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    for name in ("first", "second"):
        provider_for("AWS::IAM::Role").create(ctx, {"RoleName": name, "AssumeRolePolicyDocument": TRUST})
    profile = provider_for("AWS::IAM::InstanceProfile")
    made = profile.create(ctx, {"Roles": ["first"]})
    found = iam.get_instance_profile(InstanceProfileName=made.physical_id)["InstanceProfile"]
    assert made.attributes == {"Arn": found["Arn"]} and [r["RoleName"] for r in found["Roles"]] == ["first"]
    profile.update(ctx, made.physical_id, {"Roles": ["first"]}, {"Roles": ["second"]})
    found = iam.get_instance_profile(InstanceProfileName=made.physical_id)["InstanceProfile"]
    assert [r["RoleName"] for r in found["Roles"]] == ["second"]
    provider_for("AWS::IAM::Role").delete(ctx, "second", {})  # leaves the profile first
    profile.delete(ctx, made.physical_id, {})
    assert error_of(lambda: iam.get_instance_profile(InstanceProfileName=made.physical_id))[0] == "NoSuchEntity"


def test_group_policies_and_delete_with_members(ctx: ProviderContext, client: Any) -> None:
    iam = client("iam")
    group = provider_for("AWS::IAM::Group")
    made = group.create(ctx, {"GroupName": "ops", "Policies": [{"PolicyName": "p", "PolicyDocument": ALLOW}],
                              "ManagedPolicyArns": [AWS_MANAGED]})
    assert made.attributes == {"Arn": iam.get_group(GroupName="ops")["Group"]["Arn"]}
    provider_for("AWS::IAM::User").create(ctx, {"UserName": "bo", "Groups": ["ops"]})
    group.delete(ctx, "ops", {})
    assert error_of(lambda: iam.get_group(GroupName="ops"))[0] == "NoSuchEntity"
    assert json.dumps(iam.list_groups_for_user(UserName="bo")["Groups"]) == "[]"
