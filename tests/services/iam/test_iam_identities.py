"""IAM over the gateway: users, groups, roles, instance profiles, access keys, tags."""

from __future__ import annotations

import json

import pytest

from ..aws_errors import error_with_status
from ..credentials_clients import client_for

ACCOUNT = "123456789012"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


@pytest.fixture
def iam(client):
    return client("iam")


def test_user_lifecycle(iam):
    user = iam.create_user(UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "core"}])["User"]
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
    assert user["Tags"] == [{"Key": "team", "Value": "core"}]
    assert iam.get_user(UserName="ALICE")["User"]["UserName"] == "alice"  # names are case-insensitive
    assert error_with_status(iam.create_user, UserName="Alice")[:1] == ("EntityAlreadyExists",)
    iam.update_user(UserName="alice", NewUserName="alice2", NewPath="/ops/")
    assert iam.get_user(UserName="alice2")["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/ops/alice2"
    code, message, status = error_with_status(iam.get_user, UserName="alice")
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "The user with name alice cannot be found."
    iam.delete_user(UserName="alice2")
    assert iam.list_users()["Users"] == []
    assert error_with_status(iam.create_user, UserName="bad", Path="no-slash")[0] == "ValidationError"


def test_get_user_without_name_is_the_caller(aws, iam):
    assert iam.get_user()["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    iam.create_user(UserName="me")
    key = iam.create_access_key(UserName="me")["AccessKey"]
    assert client_for(aws, "iam", key).get_user()["User"]["UserName"] == "me"


def test_list_users_paginates_with_marker(iam):
    for i in range(7):
        iam.create_user(UserName=f"user{i}", Path="/a/" if i % 2 else "/")
    first = iam.list_users(MaxItems=3)
    assert [u["UserName"] for u in first["Users"]] == ["user0", "user1", "user2"]
    assert first["IsTruncated"] is True
    rest = iam.list_users(MaxItems=10, Marker=first["Marker"])
    assert [u["UserName"] for u in rest["Users"]] == ["user3", "user4", "user5", "user6"]
    assert rest["IsTruncated"] is False and "Marker" not in rest
    names = [u["UserName"] for page in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
             for u in page["Users"]]
    assert names == [f"user{i}" for i in range(7)]
    assert [u["UserName"] for u in iam.list_users(PathPrefix="/a/")["Users"]] == ["user1", "user3", "user5"]
    assert error_with_status(iam.list_users, MaxItems=1001)[0] == "ValidationError"
    assert error_with_status(iam.list_users, Marker="garbage!")[0] == "ValidationError"


def test_groups_and_membership(iam):
    iam.create_group(GroupName="devs")
    iam.create_user(UserName="u1")
    iam.add_user_to_group(GroupName="devs", UserName="u1")
    got = iam.get_group(GroupName="devs")
    assert got["Group"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/devs"
    assert [u["UserName"] for u in got["Users"]] == ["u1"]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="u1")["Groups"]] == ["devs"]
    assert error_with_status(iam.delete_user, UserName="u1")[:1] == ("DeleteConflict",)
    assert error_with_status(iam.delete_group, GroupName="devs")[1] == (
        "Cannot delete entity, must remove users from group first.")
    iam.remove_user_from_group(GroupName="devs", UserName="u1")
    assert error_with_status(iam.remove_user_from_group, GroupName="devs", UserName="u1")[0] == "NoSuchEntity"
    iam.update_group(GroupName="devs", NewGroupName="developers")
    assert [g["GroupName"] for g in iam.list_groups()["Groups"]] == ["developers"]
    iam.delete_group(GroupName="developers")
    iam.delete_user(UserName="u1")
    assert error_with_status(iam.get_group, GroupName="devs")[1] == "The group with name devs cannot be found."


def test_roles_with_trust_policies(iam):
    role = iam.create_role(RoleName="app", Path="/svc/", AssumeRolePolicyDocument=json.dumps(TRUST),
                           Description="the app", MaxSessionDuration=7200,
                           Tags=[{"Key": "k", "Value": "v"}])["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/svc/app"
    assert role["RoleId"].startswith("AROA")
    assert role["AssumeRolePolicyDocument"] == TRUST  # botocore decoded the URL-encoded document
    got = iam.get_role(RoleName="app")["Role"]
    assert (got["Description"], got["MaxSessionDuration"], got["Tags"]) == ("the app", 7200, [{"Key": "k", "Value": "v"}])
    new_trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]}
    iam.update_assume_role_policy(RoleName="app", PolicyDocument=json.dumps(new_trust))
    iam.update_role(RoleName="app", Description="changed", MaxSessionDuration=3600)
    assert iam.update_role_description(RoleName="app", Description="again")["Role"]["Description"] == "again"
    listed = iam.list_roles(PathPrefix="/svc/")["Roles"]
    assert [(r["RoleName"], r["AssumeRolePolicyDocument"], r["MaxSessionDuration"]) for r in listed] == [
        ("app", new_trust, 3600)]
    assert error_with_status(iam.update_role, RoleName="app", MaxSessionDuration=50000)[0] == "ValidationError"
    assert error_with_status(iam.create_role, RoleName="app", AssumeRolePolicyDocument=json.dumps(TRUST))[1] == (
        "Role with name app already exists.")
    iam.delete_role(RoleName="app")
    assert error_with_status(iam.get_role, RoleName="app")[:3:2] == ("NoSuchEntity", 404)


@pytest.mark.parametrize(("document", "message"), [
    ("{not json", "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17"}), "Syntax errors in policy."),
    (json.dumps({"Version": "2000-01-01", "Statement": []}), "Policy document must be version 2012-10-17 or greater."),
    (json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}),
     "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"),
    (json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}),
     "Has prohibited field Resource."),
    (json.dumps({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}), "Missing required field Principal"),
])
def test_bad_trust_policies(iam, document, message):
    code, got, status = error_with_status(iam.create_role, RoleName="r", AssumeRolePolicyDocument=document)
    assert (code, got, status) == ("MalformedPolicyDocument", message, 400)


def test_access_keys_authenticate_as_their_user(aws, iam):
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40
    assert key["Status"] == "Active"
    as_bob = client_for(aws, "sts", key)
    me = as_bob.get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/bob"
    assert me["UserId"] == iam.get_user(UserName="bob")["User"]["UserId"]
    iam.create_access_key(UserName="bob")
    assert error_with_status(iam.create_access_key, UserName="bob")[:1] == ("LimitExceeded",)
    listed = iam.list_access_keys(UserName="bob")["AccessKeyMetadata"]
    assert len(listed) == 2 and all("SecretAccessKey" not in k for k in listed)
    assert iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["UserName"] == "bob"
    iam.update_access_key(UserName="bob", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert error_with_status(as_bob.get_caller_identity) == (  # an inactive key is refused, as on AWS
        "InvalidClientTokenId", "The security token included in the request is invalid.", 403)
    iam.update_access_key(UserName="bob", AccessKeyId=key["AccessKeyId"], Status="Active")
    assert as_bob.get_caller_identity()["Arn"].endswith(":user/bob")
    # keys of the calling user without UserName
    as_bob_iam = client_for(aws, "iam", key)
    assert len(as_bob_iam.list_access_keys()["AccessKeyMetadata"]) == 2
    assert error_with_status(iam.delete_user, UserName="bob")[1] == "Cannot delete entity, must delete access keys first."
    for k in listed:
        iam.delete_access_key(UserName="bob", AccessKeyId=k["AccessKeyId"])
    assert error_with_status(iam.delete_access_key, UserName="bob", AccessKeyId=key["AccessKeyId"])[1] == (
        f"The Access Key with id {key['AccessKeyId']} cannot be found.")
    assert as_bob.get_caller_identity()["Arn"].endswith(":root")
    iam.delete_user(UserName="bob")


def test_instance_profiles(iam):
    iam.create_role(RoleName="ec2", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=json.dumps(TRUST))
    profile = iam.create_instance_profile(InstanceProfileName="web", Path="/p/")["InstanceProfile"]
    assert profile["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/p/web"
    assert profile["InstanceProfileId"].startswith("AIPA") and profile["Roles"] == []
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="ec2")
    assert error_with_status(iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName="other")[:1] == (
        "LimitExceeded",)
    got = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    assert [r["RoleName"] for r in got["Roles"]] == ["ec2"]
    assert got["Roles"][0]["AssumeRolePolicyDocument"] == TRUST
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles_for_role(RoleName="ec2")["InstanceProfiles"]] == ["web"]
    assert error_with_status(iam.delete_role, RoleName="ec2")[1] == (
        "Cannot delete entity, must remove roles from instance profile first.")
    assert error_with_status(iam.delete_instance_profile, InstanceProfileName="web")[0] == "DeleteConflict"
    iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="ec2")
    iam.delete_instance_profile(InstanceProfileName="web")
    assert error_with_status(iam.get_instance_profile, InstanceProfileName="web")[1] == "Instance Profile web cannot be found."
    assert iam.list_instance_profiles()["InstanceProfiles"] == []


def test_tags_on_users_roles_policies_and_profiles(iam):
    iam.create_user(UserName="t")
    iam.create_role(RoleName="t", AssumeRolePolicyDocument=json.dumps(TRUST))
    arn = iam.create_policy(PolicyName="t", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    iam.create_instance_profile(InstanceProfileName="t")
    cases = [
        (iam.tag_user, iam.untag_user, iam.list_user_tags, {"UserName": "t"}),
        (iam.tag_role, iam.untag_role, iam.list_role_tags, {"RoleName": "t"}),
        (iam.tag_policy, iam.untag_policy, iam.list_policy_tags, {"PolicyArn": arn}),
        (iam.tag_instance_profile, iam.untag_instance_profile, iam.list_instance_profile_tags,
         {"InstanceProfileName": "t"}),
    ]
    for tag, untag, list_tags, who in cases:
        tag(Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}], **who)
        tag(Tags=[{"Key": "a", "Value": "3"}], **who)
        assert sorted((t["Key"], t["Value"]) for t in list_tags(**who)["Tags"]) == [("a", "3"), ("b", "2")]
        untag(TagKeys=["b"], **who)
        assert list_tags(**who)["Tags"] == [{"Key": "a", "Value": "3"}]
        assert error_with_status(tag, Tags=[{"Key": "x", "Value": "1"}, {"Key": "X", "Value": "2"}], **who)[0] == "InvalidInput"
        assert error_with_status(tag, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)], **who)[0] == "LimitExceeded"
    assert error_with_status(iam.tag_user, UserName="nobody", Tags=[{"Key": "a", "Value": "b"}])[0] == "NoSuchEntity"


def test_iam_is_global_and_per_account(aws, client):
    client("iam").create_user(UserName="everywhere")
    west = client("iam", region_name="eu-west-1")
    assert [u["UserName"] for u in west.list_users()["Users"]] == ["everywhere"]
    other = client_for(aws, "iam", key="222222222222")
    assert other.list_users()["Users"] == []
    state = aws.registry.get("iam").store.get(ACCOUNT)
    assert state.users["everywhere"].arn == f"arn:aws:iam::{ACCOUNT}:user/everywhere"


def test_permissions_boundaries_and_account_alias(iam):
    boundary = iam.create_policy(PolicyName="boundary", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
    iam.create_user(UserName="bounded")
    iam.create_role(RoleName="bounded", AssumeRolePolicyDocument=json.dumps(TRUST), PermissionsBoundary=boundary)
    iam.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=boundary)
    expected = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    assert iam.get_user(UserName="bounded")["User"]["PermissionsBoundary"] == expected
    assert iam.get_role(RoleName="bounded")["Role"]["PermissionsBoundary"] == expected
    assert iam.get_policy(PolicyArn=boundary)["Policy"]["PermissionsBoundaryUsageCount"] == 2
    iam.delete_user_permissions_boundary(UserName="bounded")
    iam.delete_role_permissions_boundary(RoleName="bounded")
    assert "PermissionsBoundary" not in iam.get_role(RoleName="bounded")["Role"]
    code, _, _ = error_with_status(iam.put_role_permissions_boundary, RoleName="bounded",
                          PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/none")
    assert code == "NoSuchEntity"

    iam.create_account_alias(AccountAlias="my-team")
    assert iam.list_account_aliases()["AccountAliases"] == ["my-team"]
    assert error_with_status(iam.create_account_alias, AccountAlias="Bad_Alias")[0] == "ValidationError"
    iam.delete_account_alias(AccountAlias="my-team")
    assert iam.list_account_aliases()["AccountAliases"] == []
    assert error_with_status(iam.delete_account_alias, AccountAlias="my-team")[0] == "NoSuchEntity"


def test_login_profiles(iam):
    iam.create_user(UserName="console")
    profile = iam.create_login_profile(UserName="console", Password="S3cret!pass", PasswordResetRequired=True)
    assert profile["LoginProfile"]["UserName"] == "console"
    assert profile["LoginProfile"]["PasswordResetRequired"] is True
    assert error_with_status(iam.create_login_profile, UserName="console", Password="x1!Abcdefgh")[:1] == ("EntityAlreadyExists",)
    iam.update_login_profile(UserName="console", PasswordResetRequired=False)
    assert iam.get_login_profile(UserName="console")["LoginProfile"]["PasswordResetRequired"] is False
    assert error_with_status(iam.delete_user, UserName="console")[1] == "Cannot delete entity, must delete login profile first."
    iam.delete_login_profile(UserName="console")
    assert error_with_status(iam.get_login_profile, UserName="console")[1] == "Login Profile for User console cannot be found."
    iam.delete_user(UserName="console")


def test_openid_connect_providers(iam):
    thumb = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
    out = iam.create_open_id_connect_provider(Url="https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
                                              ClientIDList=["sts.amazonaws.com"], ThumbprintList=[thumb],
                                              Tags=[{"Key": "cluster", "Value": "c1"}])
    arn = out["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert (got["Url"], got["ClientIDList"], got["ThumbprintList"]) == (
        "oidc.eks.us-east-1.amazonaws.com/id/ABC", ["sts.amazonaws.com"], [thumb])
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="my-app")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com")
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=["a" * 40])
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert (got["ClientIDList"], got["ThumbprintList"]) == (["my-app"], ["a" * 40])
    iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": "x", "Value": "y"}])
    assert len(iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"]) == 2
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == [{"Arn": arn}]
    assert error_with_status(iam.create_open_id_connect_provider, Url="https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
                    ThumbprintList=[thumb])[0] == "EntityAlreadyExists"
    assert error_with_status(iam.create_open_id_connect_provider, Url="http://insecure.example.com")[0] == "ValidationError"
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert error_with_status(iam.get_open_id_connect_provider, OpenIDConnectProviderArn=arn)[:3:2] == ("NoSuchEntity", 404)
