"""Imported key material: wrapping parameters, import (with expiry on the gateway clock),
deletion."""

from __future__ import annotations

import os
from typing import Any

from ...api import AWSError, RequestContext
from . import crypto, errors
from .base import DAY, KmsBase, timestamp
from .state import ImportParameters, KeyMaterial

WRAPPING_SPECS = {"RSA_2048": "RSA_2048", "RSA_3072": "RSA_3072", "RSA_4096": "RSA_4096"}


class ImportOperations(KmsBase):

    def _external(self, ctx: RequestContext) -> Any:
        key = self.key(ctx)
        if key.origin != "EXTERNAL":
            raise errors.unsupported(f"{key.arn} origin is {key.origin} which is not valid for this operation.")
        if key.state == "PendingDeletion":
            raise errors.invalid_state(key.arn, key.state)
        return key

    def get_parameters_for_import(self, ctx: RequestContext) -> dict[str, Any]:
        key = self._external(ctx)
        spec = ctx.params["WrappingKeySpec"]
        if spec not in WRAPPING_SPECS:
            raise errors.unsupported(f"WrappingKeySpec {spec} is not supported in this region.")
        algorithm = ctx.params["WrappingAlgorithm"]
        if algorithm == "SM2PKE":
            raise errors.unsupported("SM2PKE is only available in China Regions.")
        wrapping = crypto.new_material(spec)
        token = os.urandom(64)
        valid_to = ctx.clock.now() + DAY
        with self.store.lock:
            self.store.get(key.account_id, key.region).imports[token] = ImportParameters(
                key.key_id, token, wrapping, algorithm, valid_to)
        return {"KeyId": key.arn, "ImportToken": token, "PublicKey": crypto.public_der(wrapping),
                "ParametersValidTo": timestamp(valid_to)}

    def import_key_material(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        key = self._external(ctx)
        state = self.store.get(key.account_id, key.region)
        params = state.imports.get(p["ImportToken"])
        if params is None or params.key_id != key.key_id:
            raise AWSError("InvalidImportTokenException", "The import token is not valid for this KMS key.")
        if ctx.clock.now() >= params.valid_to:
            raise AWSError("ExpiredImportTokenException", "The import token has expired.")
        model = p.get("ExpirationModel") or ("KEY_MATERIAL_EXPIRES" if p.get("ValidTo") else "KEY_MATERIAL_DOES_NOT_EXPIRE")
        if model == "KEY_MATERIAL_EXPIRES" and not p.get("ValidTo"):
            raise errors.validation("A ValidTo date is required when ExpirationModel is KEY_MATERIAL_EXPIRES.")
        if model == "KEY_MATERIAL_DOES_NOT_EXPIRE" and p.get("ValidTo"):
            raise errors.validation("ValidTo must not be set when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.")
        try:
            material = crypto.unwrap_import(params.wrapping_key, params.algorithm, p["EncryptedKeyMaterial"])
        except crypto.CryptoError:
            raise AWSError("InvalidCiphertextException", "") from None
        expected = crypto.HMAC_SPECS.get(key.key_spec, 32)
        if len(material) != expected:
            raise AWSError("IncorrectKeyMaterialException",
                           f"The key material must be {expected} bytes for KeySpec {key.key_spec}.")
        mat_id = crypto.material_id(material)
        new_material = p.get("ImportType") == "NEW_KEY_MATERIAL"
        with self.store.lock:
            known = key.material(mat_id)
            if key.materials and known is None and not new_material:
                raise AWSError("IncorrectKeyMaterialException",
                               "The key material is not the key material previously imported into this KMS key.")
            if known is None:
                key.materials.append(KeyMaterial(mat_id, material, ctx.clock.now(),
                                                 "ON_DEMAND" if key.materials else None, imported=True))
            key.expiration_model = model
            key.valid_to = p["ValidTo"].timestamp() if p.get("ValidTo") else None
            self.watch(key)
            if key.state == "PendingImport":
                key.state = "Enabled"
            del state.imports[params.token]
        return {"KeyId": key.arn, "KeyMaterialId": mat_id}

    def delete_imported_key_material(self, ctx: RequestContext) -> dict[str, Any]:
        key = self._external(ctx)
        with self.store.lock:
            key.materials.clear()
            key.valid_to = key.expiration_model = None
            if key.state in ("Enabled", "Disabled"):
                key.state = "PendingImport"
        return {"KeyId": key.arn}
