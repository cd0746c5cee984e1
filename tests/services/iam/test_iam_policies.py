"""IAM over the gateway: managed policies and versions, inline policies, attachments, details."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.services.iam import IAM
from pytest_cloudmock.services.iam.documents import validate_identity_policy, validate_trust_policy

from ..aws_errors import error_of
from ..service_fuzz import fuzz

ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def policy(action: str = "s3:GetObject") -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}


@pytest.fixture
def iam(client):
    return client("iam")


def test_managed_policy_crud(iam):
    created = iam.create_policy(PolicyName="read", Path="/app/", PolicyDocument=json.dumps(policy()),
                                Description="reads")["Policy"]
    arn = created["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/app/read"
    assert created["PolicyId"].startswith("ANPA") and created["DefaultVersionId"] == "v1"
    assert created["AttachmentCount"] == 0 and created["IsAttachable"] is True
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Description"] == "reads"
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == policy() and version["IsDefaultVersion"] is True
    assert error_of(iam.create_policy, PolicyName="read", PolicyDocument=json.dumps(policy())) == (
        "EntityAlreadyExists", "A policy called read already exists. Duplicate names are not allowed.")
    assert [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]] == ["read"]
    iam.delete_policy(PolicyArn=arn)
    assert error_of(iam.get_policy, PolicyArn=arn) == (
        "NoSuchEntity", f"Policy {arn} does not exist or is not attachable.")


def test_documents_are_sent_url_encoded_as_aws_does(aws, client):
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
    iam = client("iam")
    arn = iam.create_policy(PolicyName="enc", PolicyDocument=document)["Policy"]["Arn"]
    iam.create_role(RoleName="enc", AssumeRolePolicyDocument=TRUST)
    raw = [
        iam.get_policy_version(PolicyArn=arn, VersionId="v1"),
        iam.get_role(RoleName="enc"),
    ]
    assert all(r["ResponseMetadata"]["HTTPStatusCode"] == 200 for r in raw)
    # what goes over the wire (botocore decodes it before a user sees it)
    body = requests.post(aws.endpoint + "/", data={
        "Action": "GetPolicyVersion", "Version": "2010-05-08", "PolicyArn": arn, "VersionId": "v1"},
        headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x"},
        timeout=10).text
    assert f"<Document>{quote(document, safe='')}</Document>" in body
    assert aws.registry.get("iam").store.get(ACCOUNT).policies[arn].versions["v1"].document == document


@pytest.mark.parametrize(("document", "message"), [
    ("{", "Syntax errors in policy."),
    ("[]", "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}),
     "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}),
     "Policy statement must contain actions."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}),
     "Policy statement must contain resources."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}),
     "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "a", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "a", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}),
     "Statement IDs (SID) in a single policy must be unique."),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"}]}),
     'Resource bucket must be in ARN format or "*".'),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}),
     "Policy document should not specify a principal."),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Extra": 1}]}), "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": "nope"}]}), "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17", "Other": 1, "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}), "Syntax errors in policy."),
    (json.dumps({"Version": "2010-01-01", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
     "Policy document must be version 2012-10-17 or greater."),
])
def test_malformed_policy_documents(iam, document, message):
    assert error_of(iam.create_policy, PolicyName="bad", PolicyDocument=document) == ("MalformedPolicyDocument", message)
    iam.create_user(UserName="u")
    assert error_of(iam.put_user_policy, UserName="u", PolicyName="p", PolicyDocument=document)[0] == (
        "MalformedPolicyDocument")


def test_policy_versions_default_and_five_version_limit(iam):
    arn = iam.create_policy(PolicyName="v", PolicyDocument=json.dumps(policy("s3:A")))["Policy"]["Arn"]
    for n in range(2, 6):
        made = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(policy(f"s3:A{n}")),
                                         SetAsDefault=(n == 3))["PolicyVersion"]
        assert made["VersionId"] == f"v{n}" and "Document" not in made
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    code, message = error_of(iam.create_policy_version, PolicyArn=arn, PolicyDocument=json.dumps(policy()))
    assert code == "LimitExceeded" and message.startswith("A managed policy can have up to 5 versions.")
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        ("v5", False), ("v4", False), ("v3", True), ("v2", False), ("v1", False)]
    assert error_of(iam.delete_policy_version, PolicyArn=arn, VersionId="v3") == (
        "DeleteConflict", "Cannot delete the default version of a policy.")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    assert iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(policy()))["PolicyVersion"]["VersionId"] == "v6"
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v6")
    assert iam.get_policy_version(PolicyArn=arn, VersionId="v6")["PolicyVersion"]["IsDefaultVersion"] is True
    assert error_of(iam.get_policy_version, PolicyArn=arn, VersionId="v1")[0] == "NoSuchEntity"
    assert error_of(iam.set_default_policy_version, PolicyArn=arn, VersionId="x1")[0] == "ValidationError"
    assert error_of(iam.delete_policy, PolicyArn=arn)[0] == "DeleteConflict"
    for v in ("v2", "v3", "v4", "v5"):
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    iam.delete_policy(PolicyArn=arn)


@pytest.mark.parametrize("kind", ["User", "Group", "Role"])
def test_inline_and_attached_policies(iam, kind):
    name = {"UserName": "p"} if kind == "User" else {"GroupName": "p"} if kind == "Group" else {"RoleName": "p"}
    if kind == "User":
        iam.create_user(UserName="p")
    elif kind == "Group":
        iam.create_group(GroupName="p")
    else:
        iam.create_role(RoleName="p", AssumeRolePolicyDocument=TRUST)
    noun = kind.lower()
    put, get = getattr(iam, f"put_{noun}_policy"), getattr(iam, f"get_{noun}_policy")
    lst, delete = getattr(iam, f"list_{noun}_policies"), getattr(iam, f"delete_{noun}_policy")
    attach, detach = getattr(iam, f"attach_{noun}_policy"), getattr(iam, f"detach_{noun}_policy")
    attached = getattr(iam, f"list_attached_{noun}_policies")
    delete_entity = getattr(iam, f"delete_{noun}")

    put(PolicyName="inline", PolicyDocument=json.dumps(policy()), **name)
    got = get(PolicyName="inline", **name)
    assert (got[f"{kind}Name"], got["PolicyName"], got["PolicyDocument"]) == ("p", "inline", policy())
    assert lst(**name)["PolicyNames"] == ["inline"]
    assert error_of(get, PolicyName="missing", **name) == (
        "NoSuchEntity", f"The {noun} policy with name missing cannot be found.")

    arn = iam.create_policy(PolicyName="managed", PolicyDocument=json.dumps(policy()))["Policy"]["Arn"]
    aws_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    attach(PolicyArn=arn, **name)
    attach(PolicyArn=aws_arn, **name)
    attach(PolicyArn=arn, **name)  # idempotent
    assert attached(**name)["AttachedPolicies"] == [
        {"PolicyName": "managed", "PolicyArn": arn}, {"PolicyName": "AdministratorAccess", "PolicyArn": aws_arn}]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [e[f"{kind}Name"] for e in entities[f"Policy{kind}s"]] == ["p"]
    assert error_of(attach, PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/none", **name)[0] == "NoSuchEntity"
    assert error_of(iam.delete_policy, PolicyArn=arn) == ("DeleteConflict", "Cannot delete a policy attached to entities.")

    assert error_of(delete_entity, **name)[0] == "DeleteConflict"
    delete(PolicyName="inline", **name)
    assert error_of(delete_entity, **name) == ("DeleteConflict", "Cannot delete entity, must detach all policies first.")
    detach(PolicyArn=arn, **name)
    detach(PolicyArn=aws_arn, **name)
    assert error_of(detach, PolicyArn=arn, **name) == ("NoSuchEntity", f"Policy {arn} was not found.")
    delete_entity(**name)


def test_aws_managed_policies(iam):
    admin = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
    assert admin["PolicyName"] == "AdministratorAccess" and admin["DefaultVersionId"] == "v1"
    doc = iam.get_policy_version(PolicyArn=admin["Arn"], VersionId="v1")["PolicyVersion"]["Document"]
    assert doc["Statement"] == [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    names = [p["PolicyName"] for p in iam.list_policies(Scope="AWS", MaxItems=1000)["Policies"]]
    assert "AmazonS3ReadOnlyAccess" in names and "AdministratorAccess" in names
    lambda_basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert iam.get_policy(PolicyArn=lambda_basic)["Policy"]["Path"] == "/service-role/"
    assert error_of(iam.get_policy, PolicyArn="arn:aws:iam::aws:policy/NoSuchThing")[0] == "NoSuchEntity"
    assert error_of(iam.delete_policy, PolicyArn=admin["Arn"])[0] == "NoSuchEntity"


def test_only_attached_filter_and_policy_limits(iam):
    iam.create_user(UserName="u")
    arns = [iam.create_policy(PolicyName=f"p{i}", PolicyDocument=json.dumps(policy()))["Policy"]["Arn"]
            for i in range(11)]
    for arn in arns[:10]:
        iam.attach_user_policy(UserName="u", PolicyArn=arn)
    assert error_of(iam.attach_user_policy, UserName="u", PolicyArn=arns[10]) == (
        "LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10")
    only = iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]
    assert len(only) == 10 and all(p["AttachmentCount"] == 1 for p in only)
    big = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": f"s3:Get{'x' * 20}{i}", "Resource": "*"} for i in range(120)]}
    assert error_of(iam.create_policy, PolicyName="big", PolicyDocument=json.dumps(big)) == (
        "LimitExceeded", "Cannot exceed quota for PolicySize: 6144")
    assert error_of(iam.put_user_policy, UserName="u", PolicyName="big", PolicyDocument=json.dumps(big))[0] == (
        "LimitExceeded")


def test_account_authorization_details(iam):
    iam.create_group(GroupName="g")
    iam.put_group_policy(GroupName="g", PolicyName="gp", PolicyDocument=json.dumps(policy()))
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="g", UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="up", PolicyDocument=json.dumps(policy("s3:Put*")))
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="ip")
    iam.add_role_to_instance_profile(InstanceProfileName="ip", RoleName="r")
    arn = iam.create_policy(PolicyName="m", PolicyDocument=json.dumps(policy()))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    iam.attach_role_policy(RoleName="r", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")

    details = iam.get_account_authorization_details()
    user, = details["UserDetailList"]
    assert (user["UserName"], user["GroupList"]) == ("u", ["g"])
    assert user["UserPolicyList"] == [{"PolicyName": "up", "PolicyDocument": policy("s3:Put*")}]
    group, = details["GroupDetailList"]
    assert group["GroupPolicyList"][0]["PolicyDocument"] == policy()
    role, = details["RoleDetailList"]
    assert [ip["InstanceProfileName"] for ip in role["InstanceProfileList"]] == ["ip"]
    assert [p["PolicyName"] for p in role["AttachedManagedPolicies"]] == ["m", "ReadOnlyAccess"]
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert sorted(p["PolicyName"] for p in details["Policies"]) == ["ReadOnlyAccess", "m"]
    local, = [p for p in details["Policies"] if p["PolicyName"] == "m"]
    assert local["PolicyVersionList"][0]["Document"] == policy()

    only_roles = iam.get_account_authorization_details(Filter=["Role"])
    assert only_roles["UserDetailList"] == [] and len(only_roles["RoleDetailList"]) == 1
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert sum(len(p["UserDetailList"]) + len(p["GroupDetailList"]) + len(p["RoleDetailList"]) + len(p["Policies"])
               for p in pages) == 5


@pytest.mark.parametrize("seed", range(4))
def test_random_calls_never_crash(seed):
    """Every operation, fed random botocore-valid params: a result or an AWS error, no traceback."""
    assert fuzz(IAM(), rounds=25, seed=seed) == []


POLICY_WORDS = st.sampled_from(["Allow", "Deny", "s3:GetObject", "*", "sts:AssumeRole", "2012-10-17", "x"])
POLICY_KEYS = st.sampled_from(["Statement", "Effect", "Action", "NotAction", "Resource", "Principal", "Sid", "Version"])
POLICY_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4) | POLICY_WORDS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(POLICY_KEYS, inner, max_size=5),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(POLICY_LIKE)
def test_policy_validation_accepts_or_rejects_cleanly(document):
    """Any JSON (shaped like a policy or not) is valid or `MalformedPolicyDocument`, never a crash."""
    for validate in (validate_identity_policy, validate_trust_policy):
        try:
            validate(json.dumps(document))
        except AWSError as err:
            assert err.code in ("MalformedPolicyDocument", "LimitExceeded")

