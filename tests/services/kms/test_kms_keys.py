"""Key states, deletion on the clock, aliases, policies, grants, rotation, multi-Region keys,
custom key stores, tags, and every operation of the model answered."""

from __future__ import annotations

import json

from ..aws_errors import error_of
from ..every_operation import call_every_operation
from .conftest import ACCOUNT


def new_key(kms, **kwargs) -> dict:
    return kms.create_key(**kwargs)["KeyMetadata"]


def test_create_and_describe(kms):
    key = new_key(kms, Description="orders", Tags=[{"TagKey": "team", "TagValue": "a"}])
    assert key["Arn"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key['KeyId']}"
    assert (key["KeyState"], key["KeySpec"], key["KeyUsage"], key["KeyManager"]) == (
        "Enabled", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "CUSTOMER")
    assert key["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]["Description"] == "orders"
    assert kms.list_resource_tags(KeyId=key["KeyId"])["Tags"] == [{"TagKey": "team", "TagValue": "a"}]
    assert error_of(kms.create_key, KeySpec="HMAC_256", KeyUsage="ENCRYPT_DECRYPT")[0] == "ValidationException"
    missing = "00000000-0000-0000-0000-000000000000"
    assert error_of(kms.describe_key, KeyId=missing) == (
        "NotFoundException", f"Key 'arn:aws:kms:us-east-1:{ACCOUNT}:key/{missing}' does not exist")


def test_disabled_key_fails_as_aws_does(kms):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    kms.disable_key(KeyId=key["KeyId"])
    assert error_of(kms.encrypt, KeyId=key["KeyId"], Plaintext=b"x") == ("DisabledException", f"{key['Arn']} is disabled.")
    assert error_of(kms.decrypt, CiphertextBlob=blob) == ("DisabledException", f"{key['Arn']} is disabled.")
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_pending_deletion_then_deleted_on_the_clock(kms, frozen):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    out = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert out["KeyState"] == "PendingDeletion" and out["PendingWindowInDays"] == 7
    pending = ("KMSInvalidStateException", f"{key['Arn']} is pending deletion.")
    assert error_of(kms.decrypt, CiphertextBlob=blob) == pending
    assert error_of(kms.enable_key, KeyId=key["KeyId"]) == pending
    assert error_of(kms.schedule_key_deletion, KeyId=key["KeyId"]) == pending
    frozen.advance(days=6)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    frozen.advance(days=1)
    assert error_of(kms.describe_key, KeyId=key["KeyId"])[0] == "NotFoundException"
    assert key["KeyId"] not in [k["KeyId"] for k in kms.list_keys()["Keys"]]


def test_cancel_key_deletion_leaves_the_key_disabled(kms):
    key = new_key(kms)
    assert error_of(kms.cancel_key_deletion, KeyId=key["KeyId"]) == (
        "KMSInvalidStateException", f"{key['Arn']} is not pending deletion.")
    kms.schedule_key_deletion(KeyId=key["KeyId"])
    kms.cancel_key_deletion(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_aliases(kms):
    first, second = new_key(kms), new_key(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=first["KeyId"])
    assert error_of(kms.create_alias, AliasName="alias/app", TargetKeyId=first["KeyId"])[0] == "AlreadyExistsException"
    assert error_of(kms.create_alias, AliasName="alias/aws/mine", TargetKeyId=first["KeyId"])[0] == "InvalidAliasNameException"
    kms.update_alias(AliasName="alias/app", TargetKeyId=second["KeyId"])
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == second["KeyId"]
    listed = kms.list_aliases(KeyId=second["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in listed] == ["alias/app"]
    kms.delete_alias(AliasName="alias/app")
    assert error_of(kms.describe_key, KeyId="alias/app") == (
        "NotFoundException", f"Alias arn:aws:kms:us-east-1:{ACCOUNT}:alias/app is not found.")


def test_aws_managed_key_is_created_on_first_use(kms):
    assert kms.list_aliases()["Aliases"] == []
    meta = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert meta["KeyManager"] == "AWS"
    blob = kms.encrypt(KeyId="alias/aws/s3", Plaintext=b"x")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["KeyId"] == meta["Arn"]
    assert [a["AliasName"] for a in kms.list_aliases()["Aliases"]] == ["alias/aws/s3"]
    assert error_of(kms.disable_key, KeyId=meta["KeyId"])[0] == "AccessDeniedException"


def test_key_policies(kms):
    key = new_key(kms)["KeyId"]
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    assert policy["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert kms.list_key_policies(KeyId=key)["PolicyNames"] == ["default"]
    new = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*",
                                                              "Resource": "*"}]})
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=new)
    assert kms.get_key_policy(KeyId=key)["Policy"] == new
    assert error_of(kms.put_key_policy, KeyId=key, Policy="{not json")[0] == "MalformedPolicyDocumentException"


def test_grants(kms):
    key = new_key(kms)["KeyId"]
    grant = kms.create_grant(KeyId=key, GranteePrincipal="arn:aws:iam::123456789012:role/app",
                             RetiringPrincipal="arn:aws:iam::123456789012:role/admin", Operations=["Encrypt", "Decrypt"])
    kms.encrypt(KeyId=key, Plaintext=b"x", GrantTokens=[grant["GrantToken"]])
    grants = kms.list_grants(KeyId=key)["Grants"]
    assert [g["GrantId"] for g in grants] == [grant["GrantId"]] and grants[0]["Operations"] == ["Encrypt", "Decrypt"]
    retirable = kms.list_retirable_grants(RetiringPrincipal="arn:aws:iam::123456789012:role/admin")["Grants"]
    assert [g["GrantId"] for g in retirable] == [grant["GrantId"]]
    kms.retire_grant(GrantToken=grant["GrantToken"])
    assert kms.list_grants(KeyId=key)["Grants"] == []
    other = kms.create_grant(KeyId=key, GranteePrincipal="arn:aws:iam::123456789012:role/app", Operations=["Decrypt"])
    kms.revoke_grant(KeyId=key, GrantId=other["GrantId"])
    assert error_of(kms.revoke_grant, KeyId=key, GrantId=other["GrantId"])[0] == "InvalidGrantIdException"


def test_rotation_keeps_old_ciphertexts_decryptable(kms, frozen):
    key = new_key(kms)["KeyId"]
    old = kms.encrypt(KeyId=key, Plaintext=b"old")["CiphertextBlob"]
    kms.rotate_key_on_demand(KeyId=key)
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] and status["RotationPeriodInDays"] == 90
    frozen.advance(days=91)
    rotations = kms.list_key_rotations(KeyId=key)["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND", "AUTOMATIC"]
    new = kms.encrypt(KeyId=key, Plaintext=b"new")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"old"
    assert kms.decrypt(CiphertextBlob=new)["KeyMaterialId"] == rotations[-1]["KeyMaterialId"]
    kms.disable_key_rotation(KeyId=key)
    assert not kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"]
    rsa = new_key(kms, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyId"]
    assert error_of(kms.enable_key_rotation, KeyId=rsa)[0] == "UnsupportedOperationException"


def test_multi_region_replica_shares_key_material(kms, client):
    key = new_key(kms, MultiRegion=True)
    assert key["KeyId"].startswith("mrk-") and key["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"everywhere")["CiphertextBlob"]
    replica = kms.replicate_key(KeyId=key["KeyId"], ReplicaRegion="eu-west-1")["ReplicaKeyMetadata"]
    assert replica["Arn"] == key["Arn"].replace("us-east-1", "eu-west-1")
    west = client("kms", region_name="eu-west-1")
    assert west.decrypt(CiphertextBlob=blob)["Plaintext"] == b"everywhere"
    config = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["MultiRegionConfiguration"]
    assert [r["Region"] for r in config["ReplicaKeys"]] == ["eu-west-1"]
    assert error_of(kms.replicate_key, KeyId=key["KeyId"], ReplicaRegion="eu-west-1")[0] == "AlreadyExistsException"
    kms.update_primary_region(KeyId=key["KeyId"], PrimaryRegion="eu-west-1")
    assert west.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"


def test_custom_key_stores(kms):
    store = kms.create_custom_key_store(CustomKeyStoreName="hsm", CloudHsmClusterId="cluster-abcdefghijk2",
                                        TrustAnchorCertificate="cert", KeyStorePassword="password1")["CustomKeyStoreId"]
    assert error_of(kms.create_key, CustomKeyStoreId=store, Origin="AWS_CLOUDHSM")[0] == "CustomKeyStoreInvalidStateException"
    kms.connect_custom_key_store(CustomKeyStoreId=store)
    key = new_key(kms, CustomKeyStoreId=store, Origin="AWS_CLOUDHSM")["KeyId"]
    kms.encrypt(KeyId=key, Plaintext=b"x")
    kms.disconnect_custom_key_store(CustomKeyStoreId=store)
    assert error_of(kms.encrypt, KeyId=key, Plaintext=b"x")[0] == "KMSInvalidStateException"
    described = kms.describe_custom_key_stores(CustomKeyStoreName="hsm")["CustomKeyStores"][0]
    assert described["ConnectionState"] == "DISCONNECTED" and described["CloudHsmClusterId"] == "cluster-abcdefghijk2"
    assert error_of(kms.delete_custom_key_store, CustomKeyStoreId=store)[0] == "CustomKeyStoreHasCMKsException"


def test_tags_and_listing_pages(kms):
    keys = [new_key(kms)["KeyId"] for _ in range(5)]
    page = kms.list_keys(Limit=2)
    assert page["Truncated"] and len(page["Keys"]) == 2
    rest = kms.list_keys(Marker=page["NextMarker"])
    assert [k["KeyId"] for k in page["Keys"] + rest["Keys"]] == keys
    assert error_of(kms.list_keys, Marker="garbage")[0] == "InvalidMarkerException"
    kms.tag_resource(KeyId=keys[0], Tags=[{"TagKey": "a", "TagValue": "1"}, {"TagKey": "b", "TagValue": "2"}])
    kms.untag_resource(KeyId=keys[0], TagKeys=["a"])
    assert kms.list_resource_tags(KeyId=keys[0])["Tags"] == [{"TagKey": "b", "TagValue": "2"}]


def test_every_operation_is_answered(kms):
    assert call_every_operation(kms, seed=17, rounds=2) == []
