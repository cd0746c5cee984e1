"""Secrets: values, versions and stages, deletion on the clock, listing, batch reads,
passwords, policies, KMS keys, replication, and every operation answered."""

from __future__ import annotations

import json
import string

import pytest

from ..aws_errors import error_of
from ..every_operation import call_every_operation


def test_create_get_put_and_stages(sm):
    created = sm.create_secret(Name="db", SecretString="v1", Description="the db")
    assert ":secret:db-" in created["ARN"]
    got = sm.get_secret_value(SecretId="db")
    assert (got["SecretString"], got["VersionStages"], got["VersionId"]) == ("v1", ["AWSCURRENT"], created["VersionId"])
    second = sm.put_secret_value(SecretId=created["ARN"], SecretString="v2")
    assert sm.get_secret_value(SecretId="db")["SecretString"] == "v2"
    previous = sm.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")
    assert (previous["SecretString"], previous["VersionId"]) == ("v1", created["VersionId"])
    stages = sm.describe_secret(SecretId="db")["VersionIdsToStages"]
    assert stages == {created["VersionId"]: ["AWSPREVIOUS"], second["VersionId"]: ["AWSCURRENT"]}
    partial = created["ARN"].rsplit("-", 1)[0]
    assert sm.get_secret_value(SecretId=partial)["SecretString"] == "v2"


def test_binary_secrets_and_client_request_tokens(sm):
    token = "a" * 32
    sm.create_secret(Name="bin", SecretBinary=b"\x00\xff", ClientRequestToken=token)
    assert sm.get_secret_value(SecretId="bin")["SecretBinary"] == b"\x00\xff"
    assert sm.put_secret_value(SecretId="bin", SecretBinary=b"\x00\xff", ClientRequestToken=token)["VersionId"] == token
    assert error_of(sm.put_secret_value, SecretId="bin", SecretBinary=b"other",
                    ClientRequestToken=token)[0] == "ResourceExistsException"
    assert error_of(sm.create_secret, Name="both", SecretString="s", SecretBinary=b"b")[0] == "InvalidParameterException"


def test_errors_for_missing_things(sm):
    assert error_of(sm.get_secret_value, SecretId="nope") == (
        "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    sm.create_secret(Name="empty")
    assert error_of(sm.get_secret_value, SecretId="empty")[0] == "ResourceNotFoundException"
    sm.create_secret(Name="dup", SecretString="x")
    assert error_of(sm.create_secret, Name="dup", SecretString="x")[0] == "ResourceExistsException"


def test_custom_stages_and_update_secret_version_stage(sm):
    first = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    second = sm.put_secret_value(SecretId="s", SecretString="2", VersionStages=["TESTING"])["VersionId"]
    assert sm.get_secret_value(SecretId="s", VersionStage="TESTING")["SecretString"] == "2"
    code, _ = error_of(sm.update_secret_version_stage, SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=second)
    assert code == "InvalidParameterException"
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=second,
                                   RemoveFromVersionId=first)
    stages = sm.describe_secret(SecretId="s")["VersionIdsToStages"]
    assert stages == {first: ["AWSPREVIOUS"], second: ["TESTING", "AWSCURRENT"]}


def test_delete_with_recovery_window_on_the_clock_and_restore(sm, frozen):
    sm.create_secret(Name="temp", SecretString="x")
    deleted = sm.delete_secret(SecretId="temp", RecoveryWindowInDays=7)
    assert error_of(sm.get_secret_value, SecretId="temp") == (
        "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
    assert "DeletedDate" in sm.describe_secret(SecretId="temp")
    assert sm.list_secrets()["SecretList"] == []
    assert [s["Name"] for s in sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]] == ["temp"]
    sm.restore_secret(SecretId="temp")
    assert sm.get_secret_value(SecretId="temp")["SecretString"] == "x"
    sm.delete_secret(SecretId="temp", RecoveryWindowInDays=7)
    frozen.advance(days=7)
    assert error_of(sm.describe_secret, SecretId="temp")[0] == "ResourceNotFoundException"
    assert deleted["Name"] == "temp"
    assert error_of(sm.delete_secret, SecretId="x", RecoveryWindowInDays=3)[0] == "InvalidParameterException"
    sm.create_secret(Name="now", SecretString="x")
    sm.delete_secret(SecretId="now", ForceDeleteWithoutRecovery=True)
    sm.create_secret(Name="now", SecretString="again")


def test_list_filters_sorting_and_pages(sm):
    for name, tag in (("app/b", "blue"), ("app/a", "red"), ("other", "blue")):
        sm.create_secret(Name=name, SecretString="x", Tags=[{"Key": "color", "Value": tag}])
    names = lambda **kw: [s["Name"] for s in sm.list_secrets(**kw)["SecretList"]]  # noqa: E731
    assert names(Filters=[{"Key": "name", "Values": ["app/"]}], SortBy="name") == ["app/a", "app/b"]
    assert names(Filters=[{"Key": "tag-value", "Values": ["blue"]}], SortBy="name", SortOrder="desc") == ["other", "app/b"]
    assert names(Filters=[{"Key": "name", "Values": ["!app"]}]) == ["other"]
    page = sm.list_secrets(MaxResults=2, SortBy="name")
    rest = sm.list_secrets(MaxResults=2, SortBy="name", NextToken=page["NextToken"])
    assert [s["Name"] for s in page["SecretList"] + rest["SecretList"]] == ["app/a", "app/b", "other"]


def test_batch_get_secret_value(sm):
    sm.create_secret(Name="one", SecretString="1")
    sm.create_secret(Name="two", SecretString="2")
    out = sm.batch_get_secret_value(SecretIdList=["one", "two", "missing"])
    assert [v["SecretString"] for v in out["SecretValues"]] == ["1", "2"]
    assert [(e["SecretId"], e["ErrorCode"]) for e in out["Errors"]] == [("missing", "ResourceNotFoundException")]
    by_filter = sm.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["tw"]}])
    assert [v["Name"] for v in by_filter["SecretValues"]] == ["two"]


@pytest.mark.parametrize("options", [
    {}, {"PasswordLength": 8, "ExcludeNumbers": True, "ExcludePunctuation": True},
    {"ExcludeUppercase": True, "ExcludeLowercase": True, "IncludeSpace": True, "PasswordLength": 50},
    {"ExcludeCharacters": "abcdefABCDEF0123", "RequireEachIncludedType": False},
])
def test_get_random_password_options(sm, options):
    password = sm.get_random_password(**options)["RandomPassword"]
    assert len(password) == options.get("PasswordLength", 32)
    assert not set(password) & set(options.get("ExcludeCharacters", ""))
    if options.get("ExcludeNumbers"):
        assert not set(password) & set(string.digits)
    if options.get("ExcludeUppercase"):
        assert not set(password) & set(string.ascii_letters)
        assert " " in password or set(password) & set(string.digits)
    assert error_of(sm.get_random_password, ExcludeNumbers=True, ExcludePunctuation=True, ExcludeUppercase=True,
                    ExcludeLowercase=True)[0] == "InvalidParameterException"


def test_resource_policies(sm):
    sm.create_secret(Name="p", SecretString="x")
    good = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
    public = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:*", "Resource": "*"}]})
    assert sm.validate_resource_policy(ResourcePolicy=good)["PolicyValidationPassed"]
    assert not sm.validate_resource_policy(ResourcePolicy="{nope")["PolicyValidationPassed"]
    sm.put_resource_policy(SecretId="p", ResourcePolicy=good)
    assert sm.get_resource_policy(SecretId="p")["ResourcePolicy"] == good
    assert error_of(sm.put_resource_policy, SecretId="p", ResourcePolicy=public,
                    BlockPublicPolicy=True)[0] == "PublicPolicyException"
    sm.delete_resource_policy(SecretId="p")
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId="p")


def test_tags(sm):
    sm.create_secret(Name="t", SecretString="x", Tags=[{"Key": "a", "Value": "1"}])
    sm.tag_resource(SecretId="t", Tags=[{"Key": "b", "Value": "2"}])
    sm.untag_resource(SecretId="t", TagKeys=["a"])
    assert sm.describe_secret(SecretId="t")["Tags"] == [{"Key": "b", "Value": "2"}]


def test_customer_key_disabled_or_deleted_fails_as_aws_does(sm, kms):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    sm.create_secret(Name="k", SecretString="x", KmsKeyId=key)
    assert sm.describe_secret(SecretId="k")["KmsKeyId"] == key
    kms.disable_key(KeyId=key)
    code, message = error_of(sm.get_secret_value, SecretId="k")
    assert code == "DecryptionFailure" and "DisabledException" in message
    assert error_of(sm.put_secret_value, SecretId="k", SecretString="y")[0] == "EncryptionFailure"
    kms.enable_key(KeyId=key)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    code, message = error_of(sm.get_secret_value, SecretId="k")
    assert code == "DecryptionFailure" and "KMSInvalidStateException" in message


def test_default_key_is_the_aws_managed_one(sm, kms):
    sm.create_secret(Name="d", SecretString="x")
    assert kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]["KeyManager"] == "AWS"


def test_replication_to_other_regions(sm, client):
    arn = sm.create_secret(Name="r", SecretString="v1")["ARN"]
    status = sm.replicate_secret_to_regions(SecretId="r", AddReplicaRegions=[{"Region": "eu-west-1"}])
    assert status["ReplicationStatus"][0]["Status"] == "InSync"
    west = client("secretsmanager", region_name="eu-west-1")
    assert west.get_secret_value(SecretId="r")["SecretString"] == "v1"
    assert west.describe_secret(SecretId="r")["PrimaryRegion"] == "us-east-1"
    sm.put_secret_value(SecretId=arn, SecretString="v2")
    assert west.get_secret_value(SecretId="r")["SecretString"] == "v2"
    assert error_of(west.put_secret_value, SecretId="r", SecretString="no")[0] == "InvalidRequestException"
    west.stop_replication_to_replica(SecretId="r")
    west.put_secret_value(SecretId="r", SecretString="own")
    assert sm.get_secret_value(SecretId="r")["SecretString"] == "v2"
    sm.replicate_secret_to_regions(SecretId="r", AddReplicaRegions=[{"Region": "eu-central-1"}])
    sm.remove_regions_from_replication(SecretId="r", RemoveReplicaRegions=["eu-central-1"])
    assert error_of(client("secretsmanager", region_name="eu-central-1").describe_secret,
                    SecretId="r")[0] == "ResourceNotFoundException"


def test_every_operation_is_answered(sm):
    assert call_every_operation(sm, seed=17, rounds=2) == []
