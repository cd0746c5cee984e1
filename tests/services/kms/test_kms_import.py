"""Imported key material: wrapping with the public key KMS hands out, expiry on the clock."""

from __future__ import annotations

from datetime import timedelta

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding

from ..aws_errors import error_of


def import_material(kms, key: str, material: bytes, algorithm: str = "RSAES_OAEP_SHA_256", **kwargs) -> dict:
    params = kms.get_parameters_for_import(KeyId=key, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048")
    public = serialization.load_der_public_key(params["PublicKey"])
    if algorithm.startswith("RSA_AES_KEY_WRAP"):
        aes = bytes(range(32))
        wrapped = public.encrypt(aes, padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None))
        wrapped += aes_key_wrap_with_padding(aes, material)
    else:
        digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
        wrapped = public.encrypt(material, padding.OAEP(padding.MGF1(digest), digest, None))
    return kms.import_key_material(KeyId=key, ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                                   **kwargs)


def test_external_key_is_pending_import_until_material_arrives(kms):
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert key["KeyState"] == "PendingImport"
    code, message = error_of(kms.encrypt, KeyId=key["KeyId"], Plaintext=b"x")
    assert (code, message) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")
    import_material(kms, key["KeyId"], b"k" * 32, algorithm="RSA_AES_KEY_WRAP_SHA_256")
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    assert error_of(kms.decrypt, CiphertextBlob=blob)[0] == "KMSInvalidStateException"
    import_material(kms, key["KeyId"], b"k" * 32, algorithm="RSAES_OAEP_SHA_1")  # the same material again
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    assert error_of(import_material, kms=kms, key=key["KeyId"], material=b"z" * 32)[0] == "IncorrectKeyMaterialException"


def test_imported_material_expires_on_the_gateway_clock(kms, frozen):
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    import_material(kms, key, b"m" * 32, ExpirationModel="KEY_MATERIAL_EXPIRES",
                    ValidTo=frozen.utcnow() + timedelta(days=2))
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    frozen.advance(days=3)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_import_token_checks(kms, frozen):
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    params = kms.get_parameters_for_import(KeyId=key, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    assert error_of(kms.import_key_material, KeyId=key, ImportToken=b"bogus",
                    EncryptedKeyMaterial=b"x")[0] == "InvalidImportTokenException"
    frozen.advance(days=2)
    assert error_of(kms.import_key_material, KeyId=key, ImportToken=params["ImportToken"],
                    EncryptedKeyMaterial=b"x")[0] == "ExpiredImportTokenException"
    regular = kms.create_key()["KeyMetadata"]["KeyId"]
    assert error_of(kms.get_parameters_for_import, KeyId=regular, WrappingAlgorithm="RSAES_OAEP_SHA_256",
                    WrappingKeySpec="RSA_2048")[0] == "UnsupportedOperationException"
