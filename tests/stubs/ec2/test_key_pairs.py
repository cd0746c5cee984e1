"""Key pairs hold real keys, with fingerprints computed as AWS documents them."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from tests.services.aws_errors import error_of


def _colons(digest: bytes) -> str:
    return ":".join(f"{b:02x}" for b in digest)


def test_an_rsa_key_pair_is_a_real_key_with_its_sha1_fingerprint(ec2):
    made = ec2.create_key_pair(KeyName="deploy", TagSpecifications=[
        {"ResourceType": "key-pair", "Tags": [{"Key": "team", "Value": "ops"}]}])
    assert made["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    key = serialization.load_pem_private_key(made["KeyMaterial"].encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    assert made["KeyFingerprint"] == _colons(hashlib.sha1(der).digest())
    assert made["KeyPairId"].startswith("key-") and made["Tags"] == [{"Key": "team", "Value": "ops"}]
    described, = ec2.describe_key_pairs(KeyNames=["deploy"], IncludePublicKey=True)["KeyPairs"]
    assert described["KeyType"] == "rsa" and described["KeyFingerprint"] == made["KeyFingerprint"]
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert described["PublicKey"] == public.decode() and "KeyMaterial" not in described
    assert error_of(ec2.create_key_pair, KeyName="deploy") == (
        "InvalidKeyPair.Duplicate", "The keypair 'deploy' already exists.")


def test_an_ed25519_key_pair_is_openssh_with_a_sha256_fingerprint(ec2):
    made = ec2.create_key_pair(KeyName="ed", KeyType="ed25519")
    assert made["KeyMaterial"].startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    key = serialization.load_ssh_private_key(made["KeyMaterial"].encode(), password=None)
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    blob = base64.b64decode(key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).split()[1])
    assert made["KeyFingerprint"] == base64.b64encode(hashlib.sha256(blob).digest()).decode()
    assert ec2.describe_key_pairs(Filters=[{"Name": "key-type", "Values": ["ed25519"]}])["KeyPairs"][0]["KeyName"] == "ed"


def test_an_imported_rsa_key_has_the_md5_fingerprint_of_its_public_key(ec2):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    openssh = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    made = ec2.import_key_pair(KeyName="mine", PublicKeyMaterial=openssh + b" me@laptop")
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert made["KeyFingerprint"] == _colons(hashlib.md5(der).digest())
    assert error_of(ec2.import_key_pair, KeyName="bad", PublicKeyMaterial=b"ssh-rsa not-a-key") == (
        "InvalidKey.Format", "Key is not in valid OpenSSH public key format")
    assert error_of(ec2.import_key_pair, KeyName="mine", PublicKeyMaterial=openssh)[0] == "InvalidKeyPair.Duplicate"


def test_delete_by_name_or_id_and_deleting_a_missing_key_succeeds(ec2):
    first = ec2.create_key_pair(KeyName="a", KeyType="ed25519")["KeyPairId"]
    ec2.create_key_pair(KeyName="b", KeyType="ed25519")
    assert ec2.delete_key_pair(KeyPairId=first)["KeyPairId"] == first
    ec2.delete_key_pair(KeyName="b")
    assert ec2.delete_key_pair(KeyName="never")["Return"] is True
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert error_of(ec2.describe_key_pairs, KeyNames=["a"]) == (
        "InvalidKeyPair.NotFound", "The key pair 'a' does not exist")
