"""Server certificates, users' signing certificates and SSH public keys.

Certificates and keys are parsed with `cryptography`: a body that is not a PEM
X.509 certificate is `MalformedCertificate`, a private key that does not belong
to the certificate is `KeyPairMismatch`, an SSH key that is neither OpenSSH nor
PEM is `UnrecognizedPublicKeyEncoding`.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ...api import AWSError, RequestContext
from .. import _credentials as creds
from .base import IamBase, already_exists, by_path, check_path, limit_exceeded, no_such_entity
from .paging import page
from .state import ServerCertificate, SigningCertificate, SshPublicKey, User, stamp
from .tags import merge_tags, tags_out

MAX_SIGNING_CERTIFICATES = 2
MAX_SSH_KEYS = 5
MIN_RSA_BITS = 2048
_PUBLIC = serialization.PublicFormat.SubjectPublicKeyInfo
_DER = serialization.Encoding.DER


def malformed_certificate(message: str) -> AWSError:
    return AWSError("MalformedCertificate", message, 400)


def load_certificate(body: str, what: str = "certificate body") -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(body.strip().encode())
    except ValueError:
        # AWS's exact wording is not documented.
        raise malformed_certificate(f"Unable to parse {what}. Please ensure the certificate is in PEM format.") from None


def _check_chain(chain: str) -> None:
    try:
        x509.load_pem_x509_certificates(chain.strip().encode())
    except ValueError:
        raise malformed_certificate("Unable to parse certificate chain. Please ensure the chain is in PEM format.") from None


def _check_key_pair(certificate: x509.Certificate, private_key: str) -> None:
    try:
        key = serialization.load_pem_private_key(private_key.strip().encode(), password=None)
    except (ValueError, TypeError):
        raise malformed_certificate("Unable to parse private key.") from None  # wording not documented
    if key.public_key().public_bytes(_DER, _PUBLIC) != certificate.public_key().public_bytes(_DER, _PUBLIC):
        raise AWSError("KeyPairMismatch", "Public key certificate and private key doesn't match", 400)


def ssh_fingerprint(body: str) -> str:
    """The MD5 fingerprint IAM shows for an SSH public key (OpenSSH or PEM)."""
    text = body.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = serialization.load_ssh_public_key(text.encode())
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise AWSError("UnrecognizedPublicKeyEncoding", "Unrecognized public key encoding.", 400) from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:  # IAM documents 2048 bits at least
        raise AWSError("InvalidPublicKey", f"The public key must be at least {MIN_RSA_BITS} bits long.", 400)
    blob = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).split()[1]
    digest = hashlib.md5(base64.b64decode(blob), usedforsecurity=False).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


class CertificateOperations(IamBase):
    """Server certificates, signing certificates and SSH public keys."""

    # -- server certificates -------------------------------------------------------------------
    def _server_certificate(self, ctx: RequestContext, name: str) -> ServerCertificate:
        cert = self._state(ctx).server_certificates.get(name.lower())
        if cert is None:
            raise no_such_entity(f"The Server Certificate with name {name} cannot be found.")
        return cert

    @staticmethod
    def _server_metadata(cert: ServerCertificate) -> dict[str, Any]:
        return {"Path": cert.path, "ServerCertificateName": cert.name, "ServerCertificateId": cert.id,
                "Arn": cert.arn, "UploadDate": cert.uploaded, "Expiration": cert.expiration}

    def upload_server_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, path = p["ServerCertificateName"], check_path(p.get("Path", "/"))
        certs = self._state(ctx).server_certificates
        if name.lower() in certs:
            raise already_exists(f"The Server Certificate with name {name} already exists.")
        certificate = load_certificate(p["CertificateBody"])
        _check_key_pair(certificate, p["PrivateKey"])
        if p.get("CertificateChain"):
            _check_chain(p["CertificateChain"])
        cert = ServerCertificate(name, path, creds.unique_id("ASCA"), self._arn(ctx, "server-certificate", path, name),
                                 p["CertificateBody"].strip(), p.get("CertificateChain"),
                                 uploaded=stamp(ctx.clock),
                                 expiration=certificate.not_valid_after_utc.replace(microsecond=0),
                                 tags=merge_tags([], p.get("Tags") or []))
        certs[name.lower()] = cert
        return {"ServerCertificateMetadata": self._server_metadata(cert), **tags_out(cert.tags)}

    def get_server_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        cert = self._server_certificate(ctx, ctx.params["ServerCertificateName"])
        out: dict[str, Any] = {"ServerCertificateMetadata": self._server_metadata(cert),
                               "CertificateBody": cert.body, **tags_out(cert.tags)}
        if cert.chain:
            out["CertificateChain"] = cert.chain
        return {"ServerCertificate": out}

    def list_server_certificates(self, ctx: RequestContext) -> dict[str, Any]:
        certs = by_path(list(self._state(ctx).server_certificates.values()), ctx.params)
        return page([self._server_metadata(c) for c in certs], ctx.params, "ServerCertificateMetadataList")

    def update_server_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        cert = self._server_certificate(ctx, p["ServerCertificateName"])
        certs = self._state(ctx).server_certificates
        new_name = p.get("NewServerCertificateName", cert.name)
        new_path = check_path(p.get("NewPath", cert.path))
        if new_name.lower() != cert.name.lower() and new_name.lower() in certs:
            raise already_exists(f"The Server Certificate with name {new_name} already exists.")
        del certs[cert.name.lower()]
        cert.name, cert.path = new_name, new_path
        cert.arn = self._arn(ctx, "server-certificate", new_path, new_name)
        certs[new_name.lower()] = cert
        return {}

    def delete_server_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        cert = self._server_certificate(ctx, ctx.params["ServerCertificateName"])
        del self._state(ctx).server_certificates[cert.name.lower()]
        return {}

    # -- signing certificates ------------------------------------------------------------------
    def _signing_certificate(self, ctx: RequestContext) -> tuple[User, SigningCertificate]:
        user = self._named_or_calling_user(ctx)
        cert = user.signing_certificates.get(ctx.params["CertificateId"])
        if cert is None:
            raise no_such_entity(f"The Certificate with id {ctx.params['CertificateId']} cannot be found.")
        return user, cert

    @staticmethod
    def _signing_out(user: User, cert: SigningCertificate) -> dict[str, Any]:
        return {"UserName": user.name, "CertificateId": cert.id, "CertificateBody": cert.body,
                "Status": cert.status, "UploadDate": cert.uploaded}

    def upload_signing_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._named_or_calling_user(ctx)
        body = ctx.params["CertificateBody"].strip()
        load_certificate(body)
        if any(c.body == body for c in user.signing_certificates.values()):
            raise AWSError("DuplicateCertificate", "The request was rejected because the same certificate is "
                           "associated with an IAM user in the account.", 409)
        if len(user.signing_certificates) >= MAX_SIGNING_CERTIFICATES:
            raise limit_exceeded(f"Cannot exceed quota for CertificatesPerUser: {MAX_SIGNING_CERTIFICATES}")
        cert = SigningCertificate(_certificate_id(body), body,
                                  uploaded=stamp(ctx.clock))
        user.signing_certificates[cert.id] = cert
        return {"Certificate": self._signing_out(user, cert)}

    def list_signing_certificates(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params.get("UserName") is None and ":user/" not in (ctx.identity.arn if ctx.identity else ""):
            return page([], ctx.params, "Certificates")  # the root user's certificates are not modelled
        user = self._named_or_calling_user(ctx)
        return page([self._signing_out(user, c) for c in user.signing_certificates.values()], ctx.params,
                    "Certificates")

    def update_signing_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        _, cert = self._signing_certificate(ctx)
        cert.status = ctx.params["Status"]
        return {}

    def delete_signing_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        user, cert = self._signing_certificate(ctx)
        del user.signing_certificates[cert.id]
        return {}

    # -- SSH public keys -----------------------------------------------------------------------
    def _ssh_key(self, ctx: RequestContext) -> tuple[User, SshPublicKey]:
        user = self._user(ctx, ctx.params["UserName"])
        key = user.ssh_keys.get(ctx.params["SSHPublicKeyId"])
        if key is None:
            raise no_such_entity(f"The Public Key with id {ctx.params['SSHPublicKeyId']} cannot be found.")
        return user, key

    @staticmethod
    def _ssh_out(user: User, key: SshPublicKey, body: str | None = None) -> dict[str, Any]:
        out = {"UserName": user.name, "SSHPublicKeyId": key.id, "Fingerprint": key.fingerprint,
               "Status": key.status, "UploadDate": key.uploaded}
        return {**out, "SSHPublicKeyBody": body} if body is not None else out

    def upload_ssh_public_key(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._user(ctx, ctx.params["UserName"])
        body = ctx.params["SSHPublicKeyBody"].strip()
        fingerprint = ssh_fingerprint(body)
        if any(k.fingerprint == fingerprint for k in user.ssh_keys.values()):
            raise AWSError("DuplicateSSHPublicKey", "The request was rejected because the SSH public key is "
                           "already associated with the specified IAM user.", 400)
        if len(user.ssh_keys) >= MAX_SSH_KEYS:
            raise limit_exceeded(f"Cannot exceed quota for PublicKeysPerUser: {MAX_SSH_KEYS}")
        key = SshPublicKey(creds.unique_id("APKA")[:20], body, fingerprint, uploaded=stamp(ctx.clock))
        user.ssh_keys[key.id] = key
        return {"SSHPublicKey": self._ssh_out(user, key, body)}

    def get_ssh_public_key(self, ctx: RequestContext) -> dict[str, Any]:
        user, key = self._ssh_key(ctx)
        body = key.body
        if ctx.params["Encoding"] == "PEM" and not body.startswith("-----BEGIN"):
            public = serialization.load_ssh_public_key(body.encode())
            body = public.public_bytes(serialization.Encoding.PEM, _PUBLIC).decode()
        elif ctx.params["Encoding"] == "SSH" and body.startswith("-----BEGIN"):
            public = serialization.load_pem_public_key(body.encode())
            body = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
        return {"SSHPublicKey": self._ssh_out(user, key, body)}

    def list_ssh_public_keys(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params.get("UserName") is None and ":user/" not in (ctx.identity.arn if ctx.identity else ""):
            return page([], ctx.params, "SSHPublicKeys")
        user = self._named_or_calling_user(ctx)
        keys = [{"UserName": user.name, "SSHPublicKeyId": k.id, "Status": k.status, "UploadDate": k.uploaded}
                for k in user.ssh_keys.values()]
        return page(keys, ctx.params, "SSHPublicKeys")

    def update_ssh_public_key(self, ctx: RequestContext) -> dict[str, Any]:
        _, key = self._ssh_key(ctx)
        key.status = ctx.params["Status"]
        return {}

    def delete_ssh_public_key(self, ctx: RequestContext) -> dict[str, Any]:
        user, key = self._ssh_key(ctx)
        del user.ssh_keys[key.id]
        return {}


def _certificate_id(body: str) -> str:
    """A signing certificate's id: 32 upper-case hex characters derived from the certificate."""
    return hashlib.sha256(body.encode()).hexdigest()[:32].upper()
