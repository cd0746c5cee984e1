"""Layers: published versions of a zip, listed, read, deleted and shared by policy.

Their zips are unpacked next to each environment's code, in the order the function
lists them (`python/` on `sys.path`, `nodejs/node_modules` on `NODE_PATH`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ...api import RequestContext, Response
from ...paging import offset_page
from . import errors
from .base import LambdaBase, lambda_time
from .policies import add_statement, policy_document, remove_statement, statement
from .state import Layer, LayerVersion

LAYER_PATH = "/_cloudmock/lambda/layer/"
_LAYER_ARN_PARTS = 8  # arn:aws:lambda:region:account:layer:name:version


class LayerOps(LambdaBase):
    """PublishLayerVersion ... RemoveLayerVersionPermission."""

    def layer_arn(self, ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:lambda:{ctx.region}:{ctx.account_id}:layer:{name}"

    def _layer_version(self, ctx: RequestContext, name: str, number: int) -> tuple[Layer, LayerVersion]:
        layer = self.state(ctx).layers.get(name.rpartition(":")[2] if name.startswith("arn:") else name)
        found = layer.versions.get(int(number)) if layer else None
        if layer is None or found is None:
            raise errors.not_found("The resource you requested does not exist.")
        return layer, found

    def layer_out(self, ctx: RequestContext, layer: Layer, version: LayerVersion, full: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"LayerVersionArn": version.arn, "Version": version.number, **version.info}
        if full:
            date = ctx.clock.utcnow().strftime("%Y%m%d")
            scope = quote(f"{ctx.access_key_id or 'cloudmock'}/{date}/{ctx.region}/lambda/aws4_request", safe="")
            out["LayerArn"] = layer.arn
            out["Content"] = {"Location": f"{ctx.endpoint}{LAYER_PATH}{quote(layer.name)}/{version.number}"
                                          f"?X-Amz-Credential={scope}",
                              "CodeSha256": version.sha256, "CodeSize": len(version.zip_bytes)}
        return out

    def publish_layer_version(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["LayerName"].rpartition(":")[2] if p["LayerName"].startswith("arn:") else p["LayerName"]
        code = self.read_code(ctx, p.get("Content") or {})  # type: ignore[attr-defined]
        info = {"Description": p.get("Description", ""), "CreatedDate": lambda_time(ctx.clock.utcnow())}
        for key in ("CompatibleRuntimes", "LicenseInfo", "CompatibleArchitectures"):
            if p.get(key):
                info[key] = p[key]
        with self.store.lock:
            layers = self.state(ctx).layers
            layer = layers.get(name) or layers.setdefault(name, Layer(name, self.layer_arn(ctx, name)))
            number = layer.next_version
            layer.next_version += 1
            version = LayerVersion(number, f"{layer.arn}:{number}", code.zip_bytes, code.sha256, info)
            layer.versions[number] = version
            return self.layer_out(ctx, layer, version)

    def get_layer_version(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            layer, version = self._layer_version(ctx, ctx.params["LayerName"], ctx.params["VersionNumber"])
            return self.layer_out(ctx, layer, version)

    def get_layer_version_by_arn(self, ctx: RequestContext) -> dict[str, Any]:
        parts = ctx.params["Arn"].split(":")
        if len(parts) != _LAYER_ARN_PARTS or not parts[-1].isdigit():
            raise errors.invalid(f"Invalid Layer Version Arn: {ctx.params['Arn']}")  # wording not documented
        with self.store.lock:
            layers = self.store.get(parts[4], parts[3]).layers
            layer = layers.get(parts[6])
            version = layer.versions.get(int(parts[7])) if layer else None
            if layer is None or version is None:
                raise errors.not_found("The resource you requested does not exist.")
            return self.layer_out(ctx, layer, version)

    def delete_layer_version(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            layer = self.state(ctx).layers.get(ctx.params["LayerName"])
            if layer is not None:
                layer.versions.pop(int(ctx.params["VersionNumber"]), None)
        return {}

    def _matching(self, layer: Layer, params: dict[str, Any]) -> list[LayerVersion]:
        runtime, arch = params.get("CompatibleRuntime"), params.get("CompatibleArchitecture")
        return [v for _, v in sorted(layer.versions.items(), reverse=True)
                if (not runtime or runtime in v.info.get("CompatibleRuntimes", []))
                and (not arch or arch in v.info.get("CompatibleArchitectures", []))]

    def list_layer_versions(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            layer = self.state(ctx).layers.get(ctx.params["LayerName"])
            items = [self.layer_out(ctx, layer, v, full=False) for v in self._matching(layer, ctx.params)] if layer else []
        page, marker = offset_page(items, ctx.params.get("Marker"), ctx.params.get("MaxItems"),
                                   bad_token=lambda: errors.invalid("Invalid marker provided."), default_limit=50,
                                   scope=f"layer:{ctx.params['LayerName']}")
        return {"LayerVersions": page, **({"NextMarker": marker} if marker else {})}

    def list_layers(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = []
            for layer in sorted(self.state(ctx).layers.values(), key=lambda x: x.name):
                matching = self._matching(layer, ctx.params)
                if matching:
                    items.append({"LayerName": layer.name, "LayerArn": layer.arn,
                                  "LatestMatchingVersion": self.layer_out(ctx, layer, matching[0], full=False)})
        page, marker = offset_page(items, ctx.params.get("Marker"), ctx.params.get("MaxItems"),
                                   bad_token=lambda: errors.invalid("Invalid marker provided."), default_limit=50,
                                   scope="layers")
        return {"Layers": page, **({"NextMarker": marker} if marker else {})}

    def add_layer_version_permission(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            _, version = self._layer_version(ctx, p["LayerName"], p["VersionNumber"])
            new = statement(p["StatementId"], p["Action"], p["Principal"], version.arn, p)
            add_statement(version.policy, new)
            return {"Statement": json.dumps(new), "RevisionId": version.sha256}

    def get_layer_version_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            _, version = self._layer_version(ctx, ctx.params["LayerName"], ctx.params["VersionNumber"])
            if not version.policy:
                raise errors.not_found("No policy is associated with the given resource.")
            return {"Policy": policy_document(version.policy), "RevisionId": version.sha256}

    def remove_layer_version_permission(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            _, version = self._layer_version(ctx, ctx.params["LayerName"], ctx.params["VersionNumber"])
            remove_statement(version.policy, ctx.params["StatementId"])
        return {}

    def download_layer(self, ctx: RequestContext) -> Response:
        """`GET <Content.Location>`: a layer version's zip."""
        assert ctx.wire is not None
        name, _, number = ctx.wire.unquoted_path[len(LAYER_PATH):].partition("/")
        with self.store.lock:
            _, version = self._layer_version(ctx, name, int(number) if number.isdigit() else -1)
        return Response(body=version.zip_bytes, status=200, headers={"Content-Type": "application/zip"})

    def layer_zips(self, account: str, region: str, arns: list[str]) -> list[tuple[str, bytes]]:
        """(ARN, zip) of each layer version a function uses, in order; unknown ones are skipped."""
        out = []
        for arn in arns:
            parts = arn.split(":")
            if len(parts) != _LAYER_ARN_PARTS or not parts[-1].isdigit():
                continue
            layer = self.store.get(parts[4] or account, parts[3] or region).layers.get(parts[6])
            version = layer.versions.get(int(parts[7])) if layer else None
            if version is not None:
                out.append((arn, version.zip_bytes))
        return out
