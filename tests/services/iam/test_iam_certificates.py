"""Server certificates, signing certificates and SSH public keys through boto3."""

from __future__ import annotations

import base64
import hashlib

import pytest

from ..aws_errors import error_with_status
from .pki import NOT_AFTER, certificate, ssh_public_key

ACCOUNT = "123456789012"


@pytest.fixture
def iam(client):
    return client("iam")


def test_server_certificate_lifecycle(iam):
    body, key = certificate()
    chain, _ = certificate("ca.example.com")
    meta = iam.upload_server_certificate(ServerCertificateName="web", Path="/cloudfront/", CertificateBody=body,
                                         PrivateKey=key, CertificateChain=chain,
                                         Tags=[{"Key": "env", "Value": "prod"}])["ServerCertificateMetadata"]
    assert meta["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/web"
    assert meta["ServerCertificateId"].startswith("ASCA") and meta["Expiration"] == NOT_AFTER
    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["CertificateBody"] == body.strip() and got["CertificateChain"] == chain
    assert got["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert error_with_status(iam.upload_server_certificate, ServerCertificateName="web", CertificateBody=body,
                             PrivateKey=key)[::2] == ("EntityAlreadyExists", 409)
    iam.update_server_certificate(ServerCertificateName="web", NewServerCertificateName="web2", NewPath="/")
    listed = iam.list_server_certificates()["ServerCertificateMetadataList"]
    assert [(c["ServerCertificateName"], c["Path"]) for c in listed] == [("web2", "/")]
    assert iam.list_server_certificates(PathPrefix="/cloudfront/")["ServerCertificateMetadataList"] == []
    iam.tag_server_certificate(ServerCertificateName="web2", Tags=[{"Key": "team", "Value": "a"}])
    iam.untag_server_certificate(ServerCertificateName="web2", TagKeys=["env"])
    assert iam.list_server_certificate_tags(ServerCertificateName="web2")["Tags"] == [{"Key": "team", "Value": "a"}]
    iam.delete_server_certificate(ServerCertificateName="web2")
    assert error_with_status(iam.get_server_certificate, ServerCertificateName="web2") == (
        "NoSuchEntity", "The Server Certificate with name web2 cannot be found.", 404)


def test_server_certificate_pem_validation(iam):
    body, key = certificate()
    _, other_key = certificate()
    code, _, status = error_with_status(iam.upload_server_certificate, ServerCertificateName="bad",
                                        CertificateBody="not a certificate", PrivateKey=key)
    assert (code, status) == ("MalformedCertificate", 400)
    assert error_with_status(iam.upload_server_certificate, ServerCertificateName="bad", CertificateBody=body,
                             PrivateKey=other_key)[::2] == ("KeyPairMismatch", 400)
    assert error_with_status(iam.upload_server_certificate, ServerCertificateName="bad", CertificateBody=body,
                             PrivateKey=key, CertificateChain="junk")[0] == "MalformedCertificate"
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []  # nothing stored


def test_signing_certificates(iam):
    iam.create_user(UserName="signer")
    body, _ = certificate()
    cert = iam.upload_signing_certificate(UserName="signer", CertificateBody=body)["Certificate"]
    assert (cert["UserName"], cert["Status"]) == ("signer", "Active")
    assert error_with_status(iam.upload_signing_certificate, UserName="signer", CertificateBody=body)[::2] == (
        "DuplicateCertificate", 409)
    assert error_with_status(iam.upload_signing_certificate, UserName="signer",
                             CertificateBody="garbage")[0] == "MalformedCertificate"
    iam.upload_signing_certificate(UserName="signer", CertificateBody=certificate()[0])
    assert error_with_status(iam.upload_signing_certificate, UserName="signer",
                             CertificateBody=certificate()[0])[0] == "LimitExceeded"
    iam.update_signing_certificate(UserName="signer", CertificateId=cert["CertificateId"], Status="Inactive")
    statuses = {c["CertificateId"]: c["Status"] for c in iam.list_signing_certificates(UserName="signer")["Certificates"]}
    assert statuses[cert["CertificateId"]] == "Inactive" and len(statuses) == 2
    assert error_with_status(iam.delete_user, UserName="signer")[0] == "DeleteConflict"
    iam.delete_signing_certificate(UserName="signer", CertificateId=cert["CertificateId"])
    assert error_with_status(iam.delete_signing_certificate, UserName="signer",
                             CertificateId=cert["CertificateId"])[::2] == ("NoSuchEntity", 404)


def test_ssh_public_keys(iam):
    iam.create_user(UserName="git")
    body = ssh_public_key()
    key = iam.upload_ssh_public_key(UserName="git", SSHPublicKeyBody=body)["SSHPublicKey"]
    blob = base64.b64decode(body.split()[1])
    expected = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    assert key["Fingerprint"] == ":".join(expected[i:i + 2] for i in range(0, 32, 2))
    assert key["SSHPublicKeyId"].startswith("APKA") and key["Status"] == "Active"
    assert error_with_status(iam.upload_ssh_public_key, UserName="git", SSHPublicKeyBody=body)[0] == (
        "DuplicateSSHPublicKey")
    assert error_with_status(iam.upload_ssh_public_key, UserName="git",
                             SSHPublicKeyBody="ssh-rsa notbase64")[0] == "UnrecognizedPublicKeyEncoding"
    assert error_with_status(iam.upload_ssh_public_key, UserName="git",
                             SSHPublicKeyBody=ssh_public_key(1024))[0] == "InvalidPublicKey"
    pem = iam.get_ssh_public_key(UserName="git", SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="PEM")
    assert pem["SSHPublicKey"]["SSHPublicKeyBody"].startswith("-----BEGIN PUBLIC KEY-----")
    ssh = iam.get_ssh_public_key(UserName="git", SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="SSH")
    assert ssh["SSHPublicKey"]["SSHPublicKeyBody"] == body
    iam.update_ssh_public_key(UserName="git", SSHPublicKeyId=key["SSHPublicKeyId"], Status="Inactive")
    assert [k["Status"] for k in iam.list_ssh_public_keys(UserName="git")["SSHPublicKeys"]] == ["Inactive"]
    iam.delete_ssh_public_key(UserName="git", SSHPublicKeyId=key["SSHPublicKeyId"])
    assert error_with_status(iam.get_ssh_public_key, UserName="git", SSHPublicKeyId=key["SSHPublicKeyId"],
                             Encoding="SSH")[::2] == ("NoSuchEntity", 404)
