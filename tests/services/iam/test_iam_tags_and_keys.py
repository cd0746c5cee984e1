"""Tags on every taggable IAM entity, and access keys: last use, the caller's own keys, Inactive keys."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config as BotoConfig

from ..aws_errors import error_with_status
from ..credentials_clients import client_for
from .saml_documents import metadata

ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


@pytest.fixture
def iam(client):
    return client("iam")


def taggables(iam) -> list[tuple[str, dict]]:
    """(entity kind in the operation names, identifying params) of one entity of each taggable kind."""
    iam.create_user(UserName="u")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    policy = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.create_instance_profile(InstanceProfileName="ip")
    oidc = iam.create_open_id_connect_provider(Url="https://oidc.example.com", ClientIDList=["app"],
                                               ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]
    saml = iam.create_saml_provider(Name="s", SAMLMetadataDocument=metadata())["SAMLProviderArn"]
    mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="m")["VirtualMFADevice"]["SerialNumber"]
    return [("user", {"UserName": "u"}), ("role", {"RoleName": "r"}), ("policy", {"PolicyArn": policy}),
            ("instance_profile", {"InstanceProfileName": "ip"}),
            ("open_id_connect_provider", {"OpenIDConnectProviderArn": oidc}),
            ("saml_provider", {"SAMLProviderArn": saml}), ("mfa_device", {"SerialNumber": mfa})]


def test_tag_rules_on_every_taggable_entity(iam, client):
    unchecked = client("iam", config=BotoConfig(parameter_validation=False, retries={"total_max_attempts": 1}))
    for kind, ident in taggables(iam):
        tag, untag, list_tags = (getattr(iam, f"tag_{kind}"), getattr(iam, f"untag_{kind}"),
                                 getattr(iam, f"list_{kind}_tags"))
        tag(**ident, Tags=[{"Key": "Team", "Value": "a"}, {"Key": "env", "Value": ""}])
        tag(**ident, Tags=[{"Key": "team", "Value": "b"}])  # keys compare case-insensitively
        assert sorted((t["Key"], t["Value"]) for t in list_tags(**ident)["Tags"]) == [("env", ""), ("team", "b")], kind
        assert error_with_status(tag, **ident, Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]) == (
            "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400)
        assert error_with_status(tag, **ident, Tags=[{"Key": "aws:cost", "Value": "1"}])[::2] == ("InvalidInput", 400)
        code, message, _ = error_with_status(getattr(unchecked, f"tag_{kind}"), **ident,
                                             Tags=[{"Key": "k" * 129, "Value": "v"}])
        assert code == "ValidationError" and "Member must have length less than or equal to 128" in message
        code, message, _ = error_with_status(getattr(unchecked, f"tag_{kind}"), **ident,
                                             Tags=[{"Key": "k", "Value": "v" * 257}])
        assert code == "ValidationError" and "Member must have length less than or equal to 256" in message
        tag(**ident, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(48)])
        assert error_with_status(tag, **ident, Tags=[{"Key": "one-too-many", "Value": "v"}])[::2] == (
            "LimitExceeded", 409)
        untag(**ident, TagKeys=["TEAM", "env"])
        assert len(list_tags(**ident)["Tags"]) == 48, kind


def test_create_time_tags_are_validated(iam):
    assert error_with_status(iam.create_user, UserName="t", Tags=[{"Key": "aws:x", "Value": "1"}])[0] == "InvalidInput"
    assert error_with_status(iam.get_user, UserName="t")[0] == "NoSuchEntity"  # nothing half-created


def test_access_key_last_used_records_service_region_and_date(aws, iam, client):
    iam.create_user(UserName="k")
    key = iam.create_access_key(UserName="k")["AccessKey"]
    unused = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert unused == {**unused, "UserName": "k", "AccessKeyLastUsed": {"ServiceName": "N/A", "Region": "N/A"}}
    client_for(aws, "sqs", key).list_queues()
    used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
    assert (used["ServiceName"], used["Region"]) == ("sqs", "us-east-1") and "LastUsedDate" in used
    assert error_with_status(iam.get_access_key_last_used, AccessKeyId="AKIA" + "X" * 16)[::2] == ("AccessDenied", 403)


def test_keys_of_the_calling_user_without_user_name(aws, iam):
    iam.create_user(UserName="self")
    key = iam.create_access_key(UserName="self")["AccessKey"]
    as_self = client_for(aws, "iam", key)
    second = as_self.create_access_key()["AccessKey"]
    assert second["UserName"] == "self"
    as_self.update_access_key(AccessKeyId=second["AccessKeyId"], Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="self")["AccessKeyMetadata"]}
    assert statuses == {key["AccessKeyId"]: "Active", second["AccessKeyId"]: "Inactive"}
    as_self.delete_access_key(AccessKeyId=second["AccessKeyId"])
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="self")["AccessKeyMetadata"]] == [key["AccessKeyId"]]
    assert error_with_status(iam.delete_access_key, AccessKeyId=key["AccessKeyId"])[0] == "ValidationError"  # root


def test_inactive_keys_are_refused_in_each_protocols_words(aws, iam):
    iam.create_user(UserName="off")
    key = iam.create_access_key(UserName="off")["AccessKey"]
    iam.update_access_key(UserName="off", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert error_with_status(client_for(aws, "sts", key).get_caller_identity) == (
        "InvalidClientTokenId", "The security token included in the request is invalid.", 403)
    assert error_with_status(client_for(aws, "dynamodb", key).list_tables)[::2] == (
        "UnrecognizedClientException", 403)
    assert error_with_status(client_for(aws, "s3", key).list_buckets)[::2] == ("InvalidAccessKeyId", 403)
    iam.update_access_key(UserName="off", AccessKeyId=key["AccessKeyId"], Status="Active")
    assert client_for(aws, "sts", key).get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/off"


def test_calls_without_user_name_as_root_or_a_role(aws, iam, client):
    assert iam.list_access_keys()["AccessKeyMetadata"] == []  # the root user's keys
    role = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/any", RoleSessionName="ss")["Credentials"]
    assert error_with_status(client_for(aws, "iam", role).get_user) == (
        "ValidationError", "Must specify userName when calling with non-User credentials", 400)
