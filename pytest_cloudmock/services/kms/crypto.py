"""KMS's cryptography, all of it done by `cryptography`: key generation, the ciphertext blob,
asymmetric encryption, signatures, MACs, key agreement and key-material import.

Key material is kept as plain bytes (raw symmetric and HMAC keys, PKCS#8 DER private
keys) so state stays snapshot-able; parsed private keys are cached by their bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap_with_padding

SYMMETRIC = "SYMMETRIC_DEFAULT"
RSA_SPECS = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
EC_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "ECC_NIST_P256": ec.SECP256R1,
    "ECC_NIST_P384": ec.SECP384R1,
    "ECC_NIST_P521": ec.SECP521R1,
    "ECC_SECG_P256K1": ec.SECP256K1,
}
HMAC_SPECS = {"HMAC_224": 28, "HMAC_256": 32, "HMAC_384": 48, "HMAC_512": 64}
try:  # ML-DSA arrived in recent `cryptography` releases
    from cryptography.hazmat.primitives.asymmetric import mldsa

    MLDSA_SPECS: dict[str, Any] = {
        "ML_DSA_44": mldsa.MLDSA44PrivateKey,
        "ML_DSA_65": mldsa.MLDSA65PrivateKey,
        "ML_DSA_87": mldsa.MLDSA87PrivateKey,
    }
except ImportError:  # pragma: no cover - older cryptography
    MLDSA_SPECS = {}
ED25519 = "ECC_NIST_EDWARDS25519"
#: Key specs AWS offers that `cryptography` cannot do (SM2 is China-Regions only).
UNSUPPORTED_SPECS = frozenset({"SM2"} | ({"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"} - set(MLDSA_SPECS)))

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "SHA_1": hashes.SHA1, "SHA_224": hashes.SHA224, "SHA_256": hashes.SHA256,
    "SHA_384": hashes.SHA384, "SHA_512": hashes.SHA512,
}
_BLOB_MAGIC = b"\x01cm"


class CryptoError(Exception):
    """Bad ciphertext, signature or MAC: the caller turns it into KMS's error."""


# -- what a key spec can do --------------------------------------------------------------
def usages_for(spec: str) -> tuple[str, ...]:
    """The key usages a key spec allows (first one is the default)."""
    if spec == SYMMETRIC:
        return ("ENCRYPT_DECRYPT",)
    if spec in RSA_SPECS:
        return ("ENCRYPT_DECRYPT", "SIGN_VERIFY")
    if spec in ("ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"):
        return ("SIGN_VERIFY", "KEY_AGREEMENT")
    if spec in HMAC_SPECS:
        return ("GENERATE_VERIFY_MAC",)
    return ("SIGN_VERIFY",)  # SECG P256K1, ML-DSA, Ed25519


def encryption_algorithms(spec: str, usage: str) -> list[str]:
    if usage != "ENCRYPT_DECRYPT":
        return []
    return [SYMMETRIC] if spec == SYMMETRIC else ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]


def signing_algorithms(spec: str, usage: str) -> list[str]:
    if usage != "SIGN_VERIFY":
        return []
    if spec in RSA_SPECS:
        return [f"RSASSA_{p}_SHA_{b}" for p in ("PSS", "PKCS1_V1_5") for b in (256, 384, 512)]
    if spec in EC_CURVES:
        bits = {"ECC_NIST_P384": 384, "ECC_NIST_P521": 512}.get(spec, 256)
        return [f"ECDSA_SHA_{bits}"]
    if spec in MLDSA_SPECS:
        return ["ML_DSA_SHAKE_256"]
    if spec == ED25519:
        return ["ED25519_SHA_512"]
    return []


def mac_algorithms(spec: str) -> list[str]:
    return [f"HMAC_SHA_{spec.split('_')[1]}"] if spec in HMAC_SPECS else []


def key_agreement_algorithms(usage: str) -> list[str]:
    return ["ECDH"] if usage == "KEY_AGREEMENT" else []


# -- generation ----------------------------------------------------------------------------
def new_material(spec: str) -> bytes:
    """Fresh key material for a key spec: raw bytes (symmetric, HMAC) or PKCS#8 DER."""
    if spec == SYMMETRIC:
        return os.urandom(32)
    if spec in HMAC_SPECS:
        return os.urandom(HMAC_SPECS[spec])
    return private_der(new_private_key(spec))


def new_private_key(spec: str) -> Any:
    if spec in RSA_SPECS:
        return rsa.generate_private_key(65537, RSA_SPECS[spec])
    if spec in EC_CURVES:
        return ec.generate_private_key(EC_CURVES[spec]())
    if spec in MLDSA_SPECS:
        return MLDSA_SPECS[spec].generate()
    if spec == ED25519:
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(spec)


def private_der(key: Any) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@lru_cache(maxsize=256)
def load_private(der: bytes) -> Any:
    return serialization.load_der_private_key(der, None)


def public_der(material: bytes) -> bytes:
    """DER SubjectPublicKeyInfo of an asymmetric key's material."""
    return load_private(material).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def material_id(material: bytes) -> str:
    """A stable id for key material (64 hex digits, as AWS's look)."""
    return hashlib.sha256(b"cloudmock-key-material" + material).hexdigest()


# -- the symmetric ciphertext blob -----------------------------------------------------------
def canonical_context(context: dict[str, str] | None) -> bytes:
    return json.dumps(context or {}, sort_keys=True, separators=(",", ":")).encode()


def seal(key_id: str, mat_id: str, material: bytes, plaintext: bytes, context: dict[str, str] | None) -> bytes:
    """AES-256-GCM under the key material; the blob names the key and material, the
    encryption context is the authenticated data."""
    header = _BLOB_MAGIC + _pack(key_id.encode()) + bytes.fromhex(mat_id)
    nonce = os.urandom(12)
    return header + nonce + AESGCM(material).encrypt(nonce, plaintext, header + canonical_context(context))


def blob_header(blob: bytes) -> tuple[str, str]:
    """(key id, material id) named by a ciphertext blob; `CryptoError` if it is not ours."""
    try:
        if not blob.startswith(_BLOB_MAGIC):
            raise CryptoError
        key_id, rest = _unpack(blob[len(_BLOB_MAGIC):])
        if len(rest) < 32 + 12 + 16:
            raise CryptoError
        return key_id.decode(), rest[:32].hex()
    except (struct.error, UnicodeDecodeError, IndexError):
        raise CryptoError from None


def open_blob(blob: bytes, material: bytes, context: dict[str, str] | None) -> bytes:
    key_id, _ = blob_header(blob)
    header_len = len(_BLOB_MAGIC) + 2 + len(key_id.encode()) + 32
    header, nonce, body = blob[:header_len], blob[header_len:header_len + 12], blob[header_len + 12:]
    try:
        return AESGCM(material).decrypt(nonce, body, header + canonical_context(context))
    except InvalidTag:
        raise CryptoError from None


def _pack(data: bytes) -> bytes:
    return struct.pack(">H", len(data)) + data


def _unpack(data: bytes) -> tuple[bytes, bytes]:
    (size,) = struct.unpack(">H", data[:2])
    if len(data) < 2 + size:
        raise CryptoError
    return data[2:2 + size], data[2 + size:]


# -- asymmetric encryption -----------------------------------------------------------------
def _oaep(algorithm: str) -> padding.OAEP:
    digest = _HASHES[algorithm.rsplit("OAEP_", 1)[1]]()
    return padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)


def rsa_encrypt(material: bytes, algorithm: str, plaintext: bytes) -> bytes:
    try:
        return load_private(material).public_key().encrypt(plaintext, _oaep(algorithm))
    except ValueError:
        raise CryptoError("plaintext too large for the key and algorithm") from None


def rsa_decrypt(material: bytes, algorithm: str, ciphertext: bytes) -> bytes:
    try:
        return load_private(material).decrypt(ciphertext, _oaep(algorithm))
    except ValueError:
        raise CryptoError from None


# -- signatures ----------------------------------------------------------------------------
def _digest_of(algorithm: str) -> hashes.HashAlgorithm:
    return _HASHES["SHA_" + algorithm.rsplit("_SHA_", 1)[1]]()


def digest_size(algorithm: str) -> int:
    return _digest_of(algorithm).digest_size


def sign(material: bytes, algorithm: str, message: bytes, digest: bool) -> bytes:
    key = load_private(material)
    if algorithm == "ML_DSA_SHAKE_256" or algorithm == "ED25519_SHA_512":
        return key.sign(message)
    chosen = _digest_of(algorithm)
    prehashed: Any = utils.Prehashed(chosen) if digest else chosen
    if algorithm.startswith("ECDSA"):
        return key.sign(message, ec.ECDSA(prehashed))
    return key.sign(message, _rsa_padding(algorithm, chosen), prehashed)


def verify(material: bytes, algorithm: str, message: bytes, signature: bytes, digest: bool) -> bool:
    public = load_private(material).public_key()
    try:
        if algorithm == "ML_DSA_SHAKE_256" or algorithm == "ED25519_SHA_512":
            public.verify(signature, message)
            return True
        chosen = _digest_of(algorithm)
        prehashed: Any = utils.Prehashed(chosen) if digest else chosen
        if algorithm.startswith("ECDSA"):
            public.verify(signature, message, ec.ECDSA(prehashed))
        else:
            public.verify(signature, message, _rsa_padding(algorithm, chosen), prehashed)
        return True
    except (InvalidSignature, ValueError):
        return False


def _rsa_padding(algorithm: str, digest: hashes.HashAlgorithm) -> padding.AsymmetricPadding:
    if "_PSS_" in algorithm:  # KMS uses a salt as long as the digest
        return padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
    return padding.PKCS1v15()


# -- MACs and key agreement ----------------------------------------------------------------
def mac(material: bytes, algorithm: str, message: bytes) -> bytes:
    return hmac.new(material, message, "sha" + algorithm.rsplit("_", 1)[1]).digest()


def derive_shared_secret(material: bytes, peer_public_der: bytes) -> bytes:
    key = load_private(material)
    try:
        peer = serialization.load_der_public_key(peer_public_der)
    except (ValueError, UnsupportedAlgorithm):
        raise CryptoError("the public key is not a DER-encoded SubjectPublicKeyInfo") from None
    if not isinstance(peer, ec.EllipticCurvePublicKey) or peer.curve.name != key.curve.name:
        raise CryptoError("the public key is not on the key's curve")
    return key.exchange(ec.ECDH(), peer)


# -- importing key material ----------------------------------------------------------------
def unwrap_import(wrapping_der: bytes, algorithm: str, wrapped: bytes) -> bytes:
    """Key material wrapped for import with the wrapping key (RSA OAEP, or RSA + AES key wrap)."""
    key = load_private(wrapping_der)
    try:
        if algorithm == "RSAES_PKCS1_V1_5":
            return key.decrypt(wrapped, padding.PKCS1v15())
        if algorithm.startswith("RSAES_OAEP_"):
            return key.decrypt(wrapped, _oaep(algorithm))
        if algorithm.startswith("RSA_AES_KEY_WRAP_"):
            split = key.key_size // 8
            aes_key = key.decrypt(wrapped[:split], _oaep("RSAES_OAEP_" + algorithm.rsplit("WRAP_", 1)[1]))
            return aes_key_unwrap_with_padding(aes_key, wrapped[split:])
    except (ValueError, InvalidUnwrap):
        raise CryptoError from None
    raise CryptoError
