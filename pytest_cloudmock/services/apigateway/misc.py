"""The account settings, tags, SDK types, client certificates, model templates and
documentation imports of API Gateway v1."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from ...api import AWSError, RequestContext
from .crud import new_id
from .keys import KeyOps
from .patch import apply_patch

#: The SDK types API Gateway generates (GetSdkTypes); configuration properties abridged.
SDK_TYPES = {
    "android": "Android SDK", "javascript": "JavaScript SDK", "ios-objective-c": "iOS Objective-C SDK",
    "ios-swift": "iOS Swift SDK", "java": "Java SDK", "ruby": "Ruby SDK",
}


class MiscOps(KeyOps):
    """GetAccount ... ImportDocumentationParts."""

    def get_account(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return dict(self._account(ctx))

    def update_account(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            account = self._account(ctx)
            shape = ctx.operation_model.output_shape if ctx.operation_model else None
            apply_patch(account, ctx.params.get("patchOperations") or [], shape)
            return dict(account)

    def _account(self, ctx: RequestContext) -> dict[str, Any]:
        return self.state(ctx).extra.setdefault("account", {
            "throttleSettings": {"burstLimit": 5000, "rateLimit": 10000.0},
            "features": ["UsagePlans"], "apiKeyVersion": "4",
        })

    # -- tags ---------------------------------------------------------------------------------------
    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).tags.setdefault(ctx.params["resourceArn"], {}).update(ctx.params.get("tags") or {})
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self.state(ctx).tags.get(ctx.params["resourceArn"], {})
            for key in ctx.params.get("tagKeys") or []:
                tags.pop(key, None)
        return {}

    def get_tags(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"tags": dict(self.state(ctx).tags.get(ctx.params["resourceArn"], {}))}

    # -- SDKs and exports ---------------------------------------------------------------------------
    def get_sdk_types(self, ctx: RequestContext) -> dict[str, Any]:
        return {"items": [self._sdk_type(i) for i in SDK_TYPES]}

    def get_sdk_type(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params["id"] not in SDK_TYPES:
            raise AWSError("NotFoundException", "Invalid SDK type identifier specified", 404)
        return self._sdk_type(ctx.params["id"])

    @staticmethod
    def _sdk_type(sdk_id: str) -> dict[str, Any]:
        return {"id": sdk_id, "friendlyName": SDK_TYPES[sdk_id], "description": SDK_TYPES[sdk_id],
                "configurationProperties": []}

    def get_sdk(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._stage(ctx)
        if ctx.params["sdkType"] not in SDK_TYPES:
            raise AWSError("BadRequestException", f"Invalid SDK type: {ctx.params['sdkType']}", 400)
        # A generated SDK is out of scope: an empty zip archive names the request.
        empty_zip = b"PK\x05\x06" + b"\x00" * 18
        return {"contentType": "application/octet-stream",
                "contentDisposition": f'attachment; filename="{ctx.params["sdkType"]}_sdk.zip"',
                "body": empty_zip}

    # -- client certificates -----------------------------------------------------------------------
    def generate_client_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        now = ctx.clock.utcnow()
        cert_id = new_id()
        item = {"clientCertificateId": cert_id, "description": ctx.params.get("description"),
                "pemEncodedCertificate": _self_signed_pem(cert_id, now), "createdDate": now,
                "expirationDate": now + timedelta(days=365),
                "_arn": f"arn:{ctx.partition}:apigateway:{ctx.region}::/clientcertificates/{cert_id}"}
        item = {k: v for k, v in item.items() if v is not None}
        with self.store.lock:
            state = self.state(ctx)
            state.table("/clientcertificates", ())[cert_id] = item
            if ctx.params.get("tags"):
                state.tags[item["_arn"]] = dict(ctx.params["tags"])
            return self.crud.shaped(ctx, item, state)

    # -- models ------------------------------------------------------------------------------------
    def get_model_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            self.rest_api(state, ctx.params["restApiId"])
            model = state.find("/restapis/{}/models", (ctx.params["restApiId"],)).get(ctx.params["modelName"])
            if model is None:
                raise AWSError("NotFoundException", "Invalid model name specified", 404)
        try:
            schema = json.loads(model.get("schema") or "{}")
        except ValueError:
            schema = {}
        return {"value": _template_for(schema if isinstance(schema, dict) else {}, "$input.path('$')")}

    def create_model(self, ctx: RequestContext) -> dict[str, Any]:
        schema = ctx.params.get("schema")
        if schema:
            try:
                json.loads(schema)
            except ValueError:
                raise AWSError("BadRequestException", "Invalid model specified: Validation Result: "
                               "warnings : [], errors : [Invalid model schema specified]", 400) from None
        return self.generic(ctx)

    def import_documentation_parts(self, ctx: RequestContext) -> dict[str, Any]:
        body = ctx.params.get("body") or b""
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            raise AWSError("BadRequestException", "Invalid documentation import body", 400) from None
        parts = doc.get("x-amazon-apigateway-documentation", {}).get("documentationParts", []) \
            if isinstance(doc, dict) else []
        ids = []
        with self.store.lock:
            state = self.state(ctx)
            self.rest_api(state, ctx.params["restApiId"])
            table = state.table("/restapis/{}/documentation/parts", (ctx.params["restApiId"],))
            if ctx.params.get("mode") == "overwrite":
                table.clear()
            for part in parts if isinstance(parts, list) else []:
                if not isinstance(part, dict):
                    continue
                part_id = new_id()
                table[part_id] = {"id": part_id, "location": part.get("location", {}),
                                  "properties": json.dumps(part.get("properties", {}))}
                ids.append(part_id)
        return {"ids": ids, "warnings": []}

    def reject_domain_name_access_association(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.state(ctx).find("/domainnameaccessassociations", ())
            if ctx.params["domainNameAccessAssociationArn"] not in table:
                raise AWSError("NotFoundException", "Invalid domain name access association specified", 404)
            del table[ctx.params["domainNameAccessAssociationArn"]]
        return {}


def _template_for(schema: dict[str, Any], expr: str, depth: int = 0) -> str:
    """A mapping template that copies a model's schema shape from the input (GetModelTemplate)."""
    if schema.get("type") == "object" and depth < 4:
        props = schema.get("properties") or {}
        inner = ",\n".join(f'  "{k}" : {_template_for(v, f"{expr}.{k}", depth + 1)}'
                           for k, v in props.items() if isinstance(v, dict))
        prefix = "#set($inputRoot = $input.path('$'))\n" if depth == 0 else ""
        return f"{prefix}{{\n{inner}\n}}"
    if schema.get("type") in ("integer", "number", "boolean"):
        return expr.replace("$input.path('$')", "$inputRoot")
    return f'"{expr}"'.replace("$input.path('$')", "$inputRoot")


def _self_signed_pem(common_name: str, now: datetime) -> str:
    """A real self-signed certificate for a client certificate's PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + timedelta(days=365)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()
