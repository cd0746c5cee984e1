"""KMS cryptography through boto3: round trips for every key spec and algorithm, and
signatures and public keys checked independently with `cryptography`."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

from ..aws_errors import error_of

RSA_SPECS = ["RSA_2048", "RSA_3072", "RSA_4096"]
ECC_SIGNING = {"ECC_NIST_P256": "ECDSA_SHA_256", "ECC_NIST_P384": "ECDSA_SHA_384",
               "ECC_NIST_P521": "ECDSA_SHA_512", "ECC_SECG_P256K1": "ECDSA_SHA_256"}
RSA_SIGNING = [f"RSASSA_{p}_SHA_{b}" for p in ("PSS", "PKCS1_V1_5") for b in (256, 384, 512)]
HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def new_key(kms, **kwargs) -> str:
    return kms.create_key(**kwargs)["KeyMetadata"]["KeyId"]


def test_symmetric_round_trip_without_key_id_and_with_context(kms):
    key = new_key(kms)
    out = kms.encrypt(KeyId=key, Plaintext=b"secret", EncryptionContext={"purpose": "test"})
    assert out["KeyId"].endswith(f":key/{key}") and out["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"purpose": "test"})
    assert back["Plaintext"] == b"secret" and back["KeyId"] == out["KeyId"]


@pytest.mark.parametrize("context", [None, {"purpose": "other"}, {"purpose": "test", "extra": "x"}])
def test_wrong_encryption_context_is_invalid_ciphertext(kms, context):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key, Plaintext=b"x", EncryptionContext={"purpose": "test"})["CiphertextBlob"]
    kwargs = {"EncryptionContext": context} if context else {}
    code, _ = error_of(kms.decrypt, CiphertextBlob=blob, **kwargs)
    assert code == "InvalidCiphertextException"


def test_tampered_or_foreign_ciphertext_fails(kms):
    key, other = new_key(kms), new_key(kms)
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    assert error_of(kms.decrypt, CiphertextBlob=blob[:-1] + bytes([blob[-1] ^ 1]))[0] == "InvalidCiphertextException"
    assert error_of(kms.decrypt, CiphertextBlob=b"not a ciphertext at all, no")[0] == "InvalidCiphertextException"
    assert error_of(kms.decrypt, CiphertextBlob=blob, KeyId=other)[0] == "IncorrectKeyException"


def test_aliases_name_keys_for_encryption(kms):
    key = new_key(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=key)
    blob = kms.encrypt(KeyId="alias/app", Plaintext=b"hi")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, KeyId="alias/app")["Plaintext"] == b"hi"


def test_re_encrypt_moves_ciphertext_between_keys_and_contexts(kms):
    first, second = new_key(kms), new_key(kms)
    blob = kms.encrypt(KeyId=first, Plaintext=b"data", EncryptionContext={"a": "1"})["CiphertextBlob"]
    out = kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"a": "1"}, DestinationKeyId=second,
                         DestinationEncryptionContext={"b": "2"})
    assert out["SourceKeyId"].endswith(first) and out["KeyId"].endswith(second)
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"b": "2"})["Plaintext"] == b"data"


def test_data_keys(kms):
    key = new_key(kms)
    out = kms.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext={"k": "v"})
    assert len(out["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"k": "v"})["Plaintext"] == out["Plaintext"]
    assert len(kms.generate_data_key(KeyId=key, NumberOfBytes=7)["Plaintext"]) == 7
    blind = kms.generate_data_key_without_plaintext(KeyId=key, KeySpec="AES_128")
    assert "Plaintext" not in blind and len(kms.decrypt(CiphertextBlob=blind["CiphertextBlob"])["Plaintext"]) == 16
    assert error_of(kms.generate_data_key, KeyId=key)[0] == "ValidationException"


@pytest.mark.parametrize("spec", [*RSA_SPECS, *ECC_SIGNING])
def test_data_key_pairs(kms, spec):
    key = new_key(kms)
    out = kms.generate_data_key_pair(KeyId=key, KeyPairSpec=spec)
    private = serialization.load_der_private_key(out["PrivateKeyPlaintext"], None)
    public = serialization.load_der_public_key(out["PublicKey"])
    assert private.public_key().public_numbers() == public.public_numbers()
    assert kms.decrypt(CiphertextBlob=out["PrivateKeyCiphertextBlob"])["Plaintext"] == out["PrivateKeyPlaintext"]
    if spec in ("RSA_2048", "ECC_NIST_P256"):  # (RSA 3072/4096 generation is slow: once per spec is enough)
        blind = kms.generate_data_key_pair_without_plaintext(KeyId=key, KeyPairSpec=spec)
        assert "PrivateKeyPlaintext" not in blind and blind["KeyPairSpec"] == spec


def test_generate_random(kms):
    assert len(kms.generate_random(NumberOfBytes=1024)["Plaintext"]) == 1024
    assert kms.generate_random(NumberOfBytes=16)["Plaintext"] != kms.generate_random(NumberOfBytes=16)["Plaintext"]


@pytest.mark.parametrize("spec", RSA_SPECS)
def test_rsa_encryption_round_trip_and_public_key(kms, spec):
    key = new_key(kms, KeySpec=spec, KeyUsage="ENCRYPT_DECRYPT")
    for algorithm in ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"):
        _rsa_round_trip(kms, key, algorithm)


def _rsa_round_trip(kms, key: str, algorithm: str) -> None:
    blob = kms.encrypt(KeyId=key, Plaintext=b"short", EncryptionAlgorithm=algorithm)["CiphertextBlob"]
    assert kms.decrypt(KeyId=key, CiphertextBlob=blob, EncryptionAlgorithm=algorithm)["Plaintext"] == b"short"
    # Ciphertext made outside KMS with the public key decrypts inside it.
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key)["PublicKey"])
    digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
    outside = public.encrypt(b"from outside", padding.OAEP(padding.MGF1(digest), digest, None))
    assert kms.decrypt(KeyId=key, CiphertextBlob=outside, EncryptionAlgorithm=algorithm)["Plaintext"] == b"from outside"


def _verify_outside(public_der: bytes, algorithm: str, message: bytes, signature: bytes, digest: bool) -> None:
    public = serialization.load_der_public_key(public_der)
    chosen = HASHES[algorithm[-3:]]()
    data_hash = utils.Prehashed(chosen) if digest else chosen
    if algorithm.startswith("ECDSA"):
        public.verify(signature, message, ec.ECDSA(data_hash))
    elif "_PSS_" in algorithm:
        public.verify(signature, message, padding.PSS(padding.MGF1(chosen), chosen.digest_size), data_hash)
    else:
        public.verify(signature, message, padding.PKCS1v15(), data_hash)


@pytest.mark.parametrize("spec", [*RSA_SPECS, *ECC_SIGNING])
def test_signatures_verify_with_the_public_key(kms, spec):
    key = new_key(kms, KeySpec=spec, KeyUsage="SIGN_VERIFY")
    for algorithm in RSA_SIGNING if spec.startswith("RSA") else [ECC_SIGNING[spec]]:
        _sign_and_verify(kms, key, algorithm)


def _sign_and_verify(kms, key: str, algorithm: str) -> None:
    public = kms.get_public_key(KeyId=key)
    assert public["KeyUsage"] == "SIGN_VERIFY" and algorithm in public["SigningAlgorithms"]
    message = b"the message"
    raw = kms.sign(KeyId=key, Message=message, SigningAlgorithm=algorithm)["Signature"]
    _verify_outside(public["PublicKey"], algorithm, message, raw, digest=False)
    digest = hashlib.new("sha" + algorithm[-3:], message).digest()
    signed = kms.sign(KeyId=key, Message=digest, MessageType="DIGEST", SigningAlgorithm=algorithm)["Signature"]
    _verify_outside(public["PublicKey"], algorithm, digest, signed, digest=True)
    assert kms.verify(KeyId=key, Message=message, Signature=raw, SigningAlgorithm=algorithm)["SignatureValid"]
    assert kms.verify(KeyId=key, Message=digest, MessageType="DIGEST", Signature=raw,
                      SigningAlgorithm=algorithm)["SignatureValid"]
    code, _ = error_of(kms.verify, KeyId=key, Message=b"other", Signature=raw, SigningAlgorithm=algorithm)
    assert code == "KMSInvalidSignatureException"


def test_signing_checks_algorithm_usage_and_digest_length(kms):
    key = new_key(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    assert error_of(kms.sign, KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_384")[0] == "InvalidKeyUsageException"
    assert error_of(kms.sign, KeyId=key, Message=b"short", MessageType="DIGEST",
                    SigningAlgorithm="ECDSA_SHA_256")[0] == "ValidationException"
    assert error_of(kms.encrypt, KeyId=key, Plaintext=b"m")[0] == "InvalidKeyUsageException"
    symmetric = new_key(kms)
    assert error_of(kms.get_public_key, KeyId=symmetric)[0] == "UnsupportedOperationException"


@pytest.mark.parametrize(("spec", "algorithm"), [("ML_DSA_44", "ML_DSA_SHAKE_256"), ("ML_DSA_65", "ML_DSA_SHAKE_256"),
                                                 ("ML_DSA_87", "ML_DSA_SHAKE_256"),
                                                 ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512")])
def test_ml_dsa_and_ed25519_signatures(kms, spec, algorithm):
    key = new_key(kms, KeySpec=spec, KeyUsage="SIGN_VERIFY")
    signature = kms.sign(KeyId=key, Message=b"pq", SigningAlgorithm=algorithm)["Signature"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key)["PublicKey"])
    public.verify(signature, b"pq")
    assert kms.verify(KeyId=key, Message=b"pq", Signature=signature, SigningAlgorithm=algorithm)["SignatureValid"]


@pytest.mark.parametrize("bits", ["224", "256", "384", "512"])
def test_hmac_keys(kms, bits):
    key = new_key(kms, KeySpec=f"HMAC_{bits}", KeyUsage="GENERATE_VERIFY_MAC")
    algorithm = f"HMAC_SHA_{bits}"
    mac = kms.generate_mac(KeyId=key, Message=b"msg", MacAlgorithm=algorithm)["Mac"]
    assert len(mac) == int(bits) // 8
    assert kms.verify_mac(KeyId=key, Message=b"msg", Mac=mac, MacAlgorithm=algorithm)["MacValid"]
    assert error_of(kms.verify_mac, KeyId=key, Message=b"other", Mac=mac, MacAlgorithm=algorithm)[0] == "KMSInvalidMacException"


def test_hmac_matches_an_independent_hmac_of_imported_material(kms):
    from .test_kms_import import import_material  # one helper for wrapping key material

    key = new_key(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC", Origin="EXTERNAL")
    material = bytes(range(32))
    import_material(kms, key, material)
    expected = hmac.HMAC(material, hashes.SHA256())
    expected.update(b"msg")
    assert kms.generate_mac(KeyId=key, Message=b"msg", MacAlgorithm="HMAC_SHA_256")["Mac"] == expected.finalize()


def test_ecdh_shared_secret_matches_the_other_side(kms):
    key = new_key(kms, KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")
    peer = ec.generate_private_key(ec.SECP256R1())
    peer_public = peer.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
    secret = kms.derive_shared_secret(KeyId=key, KeyAgreementAlgorithm="ECDH", PublicKey=peer_public)["SharedSecret"]
    ours = serialization.load_der_public_key(kms.get_public_key(KeyId=key)["PublicKey"])
    assert secret == peer.exchange(ec.ECDH(), ours)
