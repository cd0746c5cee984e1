"""Key pairs with real keys: `CreateKeyPair` makes an RSA (2048-bit, PEM) or ED25519 (OpenSSH)
private key with `cryptography`; `ImportKeyPair` takes an OpenSSH public key. Fingerprints are
computed as AWS documents them: a created RSA key's is the SHA-1 of its private key (PKCS#8
DER), an imported RSA key's the MD5 of its public key (DER), an ED25519 key's the SHA-256 of
its OpenSSH public key blob, base64."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from ...records import Record
from .common import Ec2, ec2_operation, invalid, new_id, public, tag_list, tags_for
from .filters import field

FILTERS = {"key-name": field("KeyName"), "key-pair-id": field("KeyPairId"), "fingerprint": field("KeyFingerprint"),
           "key-type": field("KeyType")}


def _colons(digest: bytes) -> str:
    return ":".join(f"{b:02x}" for b in digest)


def _ssh_blob(public_key: Any) -> bytes:
    line = public_key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return base64.b64decode(line.split()[1])


def _ed25519_fingerprint(public_key: Any) -> str:
    return base64.b64encode(hashlib.sha256(_ssh_blob(public_key)).digest()).decode()


def make_key(key_type: str) -> tuple[str, str, str]:
    """(private key material, fingerprint, OpenSSH public key) of a new key."""
    if key_type == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
        material = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                     serialization.NoEncryption())
        fingerprint = _ed25519_fingerprint(key.public_key())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        material = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption())
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fingerprint = _colons(hashlib.sha1(der).digest())  # noqa: S324 - AWS's documented fingerprint
    openssh = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return material.decode().rstrip("\n"), fingerprint, openssh.decode()


def _check_new(view: Ec2, name: str) -> None:
    if any(k.fields["KeyName"] == name for k in view.all("KeyPair")):  # AWS's wording
        raise invalid(f"The keypair '{name}' already exists.", "InvalidKeyPair.Duplicate")


def _store(view: Ec2, name: str, key_type: str, fingerprint: str, openssh: str) -> Record:
    pair_id = new_id("key")
    return view.add("KeyPair", pair_id, {
        "KeyPairId": pair_id, "KeyName": name, "KeyType": key_type, "KeyFingerprint": fingerprint,
        "CreateTime": view.now, "_public": openssh}, tags_for(view.params, "key-pair"))


@ec2_operation
def create_key_pair(view: Ec2) -> dict[str, Any]:
    name = view.params.get("KeyName") or ""
    key_type = view.params.get("KeyType") or "rsa"
    _check_new(view, name)
    if view.params.get("KeyFormat") == "ppk":  # PuTTY files are not produced
        raise invalid("Value (ppk) for parameter keyFormat is invalid. Only pem is supported by this endpoint.")
    material, fingerprint, openssh = make_key(key_type)
    record = _store(view, name, key_type, fingerprint, openssh)
    out = {"KeyPairId": record.id, "KeyName": name, "KeyFingerprint": fingerprint, "KeyMaterial": material}
    if record.tags:
        out["Tags"] = tag_list(record.tags)
    return out


def _load_public(material: bytes) -> Any:
    """An OpenSSH (`ssh-rsa AAAA...`), PEM or DER public key (`InvalidKey.Format` if none of these)."""
    text = material.strip()
    for load in (serialization.load_ssh_public_key, serialization.load_pem_public_key,
                 serialization.load_der_public_key):
        try:
            key = load(text)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        if isinstance(key, (rsa.RSAPublicKey, ed25519.Ed25519PublicKey)):
            return key
    raise invalid("Key is not in valid OpenSSH public key format", "InvalidKey.Format")  # AWS's wording


@ec2_operation
def import_key_pair(view: Ec2) -> dict[str, Any]:
    name = view.params.get("KeyName") or ""
    material = view.params.get("PublicKeyMaterial") or b""
    key = _load_public(material if isinstance(material, bytes) else str(material).encode())
    _check_new(view, name)
    if isinstance(key, rsa.RSAPublicKey):
        der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        key_type, fingerprint = "rsa", _colons(hashlib.md5(der).digest())  # noqa: S324 - AWS's documented fingerprint
    else:
        key_type, fingerprint = "ed25519", _ed25519_fingerprint(key)
    openssh = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    record = _store(view, name, key_type, fingerprint, openssh)
    out = {"KeyPairId": record.id, "KeyName": name, "KeyFingerprint": fingerprint}
    if record.tags:
        out["Tags"] = tag_list(record.tags)
    return out


def key_named(view: Ec2, name: Any) -> Record | None:
    return next((k for k in view.all("KeyPair") if k.fields["KeyName"] == name), None)


@ec2_operation
def describe_key_pairs(view: Ec2) -> dict[str, Any]:
    found = view.describe("KeyPair", "KeyPairIds", FILTERS)
    names = view.params.get("KeyNames")
    if names:
        unknown = [n for n in names if key_named(view, n) is None]
        if unknown:  # AWS's wording
            raise invalid(f"The key pair '{unknown[0]}' does not exist", "InvalidKeyPair.NotFound")
        found = [k for k in found if k.fields["KeyName"] in names]
    items = []
    for record in found:
        item = public(record)
        if view.params.get("IncludePublicKey"):
            item["PublicKey"] = record.fields["_public"]
        items.append(item)
    return {"KeyPairs": items}


@ec2_operation
def delete_key_pair(view: Ec2) -> dict[str, Any]:
    """Deleting a key pair that does not exist succeeds, as on AWS."""
    pair_id, name = view.params.get("KeyPairId"), view.params.get("KeyName")
    if not pair_id and not name:
        raise invalid("The request must contain the parameter KeyName or KeyPairId", "MissingParameter")
    record = view.find("KeyPair", pair_id) if pair_id else key_named(view, name)
    if record is None:
        return {"Return": True}
    view.remove("KeyPair", record.id)
    return {"Return": True, "KeyPairId": record.id}
