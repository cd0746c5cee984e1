"""Functions: create, read, update code and configuration, delete, list, versions.

Changes apply at once: the create answer says `State: Pending` and an update's
says `LastUpdateStatus: InProgress`, as Lambda's do, and every later read says
`Active` / `Successful`, so `function_active_v2` and `function_updated_v2`
waiters succeed on their first poll.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from urllib.parse import quote

from ...api import AWSError, RequestContext, Response
from ...iam_policy.execution_roles import lambda_may_assume
from ...indexes import MappedSequence
from ...paging import offset_page
from . import errors
from .base import LATEST, LambdaBase, code_sha256, lambda_time, new_revision, split_function_name
from .state import Code, Function, Version

CODE_PATH = "/_cloudmock/lambda/code/"
DOWNLOAD_CODE = "DownloadFunctionCode"
# Settings copied from CreateFunction/UpdateFunctionConfiguration into a version's configuration.
SETTINGS = ("Runtime", "Role", "Handler", "Description", "Timeout", "MemorySize", "Environment", "VpcConfig",
            "DeadLetterConfig", "KMSKeyArn", "TracingConfig", "Layers", "FileSystemConfigs", "Architectures",
            "EphemeralStorage", "SnapStart", "LoggingConfig", "PackageType", "ImageConfig")
DEFAULTS: dict[str, Any] = {
    "Description": "", "Timeout": 3, "MemorySize": 128, "TracingConfig": {"Mode": "PassThrough"},
    "PackageType": "Zip", "Architectures": ["x86_64"], "EphemeralStorage": {"Size": 512},
    "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
}


# Runtimes Lambda no longer accepts for new or updated functions (its deprecation schedule).
DEPRECATED_RUNTIMES = frozenset({
    "python2.7", "python3.6", "python3.7", "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10",
    "nodejs10.x", "nodejs12.x", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "ruby2.5"})
LATEST_RUNTIME = {"python": "python3.13", "nodejs": "nodejs22.x", "dotnetcore": "dotnet8", "ruby": "ruby3.3"}
ENVIRONMENT_LIMIT = 4096


def check_settings(params: dict[str, Any]) -> None:
    """The checks Lambda makes on a create or configuration update beyond the model's constraints."""
    runtime = params.get("Runtime")
    if runtime in DEPRECATED_RUNTIMES:
        family = next((f for f in LATEST_RUNTIME if runtime.startswith(f)), "python")
        raise errors.invalid(f"The runtime parameter of {runtime} is no longer supported for creating or updating "
                             f"AWS Lambda functions. We recommend you use the new runtime ({LATEST_RUNTIME[family]}) "
                             "while creating or updating functions.")
    variables = (params.get("Environment") or {}).get("Variables") or {}
    measured = json.dumps(variables, separators=(",", ":"))
    if len(measured.encode()) > ENVIRONMENT_LIMIT:
        # AWS's message, as observed; the exact form of the measured string is not documented
        raise errors.invalid("Lambda was unable to configure your environment variables because the environment "
                             f"variables you have provided exceeded the 4KB limit. String measured: {measured}")


def check_role(ctx: RequestContext, role: str | None) -> None:
    """Lambda's refusal of an execution role it may not assume (only when IAM evaluates policies)."""
    if role and not lambda_may_assume(ctx.registry, role, ctx.account_id, ctx.region):
        raise errors.role_not_assumable()


def _with_latest(function: Function) -> tuple[Function, Version]:
    return function, function.latest


def _bad_token() -> AWSError:
    return errors.invalid("Invalid marker provided.")  # AWS's exact text is not documented


def _settings(params: dict[str, Any]) -> dict[str, Any]:
    """The configuration members a create/update request sets, in Lambda's response shapes."""
    out: dict[str, Any] = {}
    for key in SETTINGS:
        if key not in params:
            continue
        value = params[key]
        if key == "Environment":
            value = {"Variables": dict(value.get("Variables") or {})}
        elif key == "VpcConfig":
            value = {"SubnetIds": value.get("SubnetIds", []), "SecurityGroupIds": value.get("SecurityGroupIds", []),
                     "VpcId": "vpc-cloudmock" if value.get("SubnetIds") else ""}
        elif key == "ImageConfig":
            key, value = "ImageConfigResponse", {"ImageConfig": value}
        elif key == "SnapStart":
            value = {"ApplyOn": value.get("ApplyOn", "None"), "OptimizationStatus": "Off"}
        out[key] = value
    return out


class FunctionOps(LambdaBase):
    """CreateFunction ... ListVersionsByFunction."""

    # -- code -----------------------------------------------------------------------------
    def read_code(self, ctx: RequestContext, code: dict[str, Any]) -> Code:
        """A deployment package from `ZipFile`, our own S3, or an `ImageUri` (stored only)."""
        if code.get("ImageUri"):
            return Code(image_uri=code["ImageUri"], sha256=code_sha256(code["ImageUri"].encode()))
        if code.get("ZipFile") is not None:
            data = code["ZipFile"]
            data = data.encode() if isinstance(data, str) else bytes(data)
        elif code.get("S3Bucket") and code.get("S3Key"):
            data = self._from_s3(ctx, code["S3Bucket"], code["S3Key"], code.get("S3ObjectVersion"))
        else:
            # AWS's exact text for a Code block with no source is not documented.
            raise errors.invalid("Please provide a source for function code.")
        try:
            zipfile.ZipFile(io.BytesIO(data)).testzip()
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise errors.invalid("Could not unzip uploaded file. Please check your file, then try to upload again."
                                 ) from None
        return Code(zip_bytes=data, sha256=code_sha256(data))

    def _from_s3(self, ctx: RequestContext, bucket: str, key: str, version: str | None) -> bytes:
        params = {"Bucket": bucket, "Key": key, **({"VersionId": version} if version else {})}
        if ctx.registry is None:
            raise errors.invalid("Error occurred while GetObject. S3 Error Code: ServiceUnavailable. S3 Error "
                                 "Message: S3 is not available (no registry)")
        try:
            body = ctx.registry.call("s3", "GetObject", params, account_id=ctx.account_id, region=ctx.region,
                                     caller=ctx).get("Body", b"")
        except AWSError as exc:
            raise errors.invalid(f"Error occurred while GetObject. S3 Error Code: {exc.code}. "
                                 f"S3 Error Message: {exc.message}") from None
        return body if isinstance(body, bytes) else b"".join(body)

    def code_location(self, ctx: RequestContext, function: Function, version: Version) -> dict[str, Any]:
        if version.code.image_uri:
            return {"RepositoryType": "ECR", "ImageUri": version.code.image_uri,
                    "ResolvedImageUri": version.code.image_uri}
        date = ctx.clock.utcnow().strftime("%Y%m%d")
        scope = quote(f"{ctx.access_key_id or 'cloudmock'}/{date}/{ctx.region}/lambda/aws4_request", safe="")
        url = (f"{ctx.endpoint}{CODE_PATH}{quote(function.name)}/{quote(version.version)}"
               f"?X-Amz-Credential={scope}")
        return {"RepositoryType": "S3", "Location": url}

    def download_function_code(self, ctx: RequestContext) -> Response:
        """`GET <Code.Location>`: the zip of a version (a presigned-like URL on the gateway)."""
        assert ctx.wire is not None
        name, _, version = ctx.wire.unquoted_path[len(CODE_PATH):].partition("/")
        function, _ = self.function(ctx, name)
        found = self.version_of(ctx, function, version or LATEST)
        return Response(body=found.code.zip_bytes, status=200, headers={"Content-Type": "application/zip"})

    # -- create / read ----------------------------------------------------------------------
    def create_function(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, _, _ = split_function_name(p["FunctionName"])
        package = p.get("PackageType", "Zip")
        if package == "Zip" and not (p.get("Runtime") and p.get("Handler")):
            # AWS's message, as observed, for a zip function without runtime or handler
            raise errors.invalid("Runtime and Handler are mandatory parameters for functions created with "
                                 "deployment packages.")
        check_settings(p)
        check_role(ctx, p.get("Role"))
        code = self.read_code(ctx, p.get("Code") or {})
        if package == "Image" and not code.image_uri:
            raise errors.invalid("Please provide ImageUri when PackageType is Image.")
        config = {**DEFAULTS, **_settings(p), "PackageType": package}
        now = lambda_time(ctx.clock.utcnow())
        with self.store.lock:
            state = self.state(ctx)
            if name in state.functions:
                raise errors.conflict(f"Function already exist: {name}")
            function = Function(name=name, arn=self.function_arn(ctx, name),
                                latest=Version(LATEST, config, code, new_revision(), now),
                                tags=dict(p.get("Tags") or {}),
                                code_signing_config=p.get("CodeSigningConfigArn", ""))
            state.functions[name] = function
            if p.get("Publish"):
                self._publish(function, "", now)
            out = self.configuration(ctx, function, function.latest)
        out.update(State="Pending", StateReason="The function is being created.", StateReasonCode="Creating")
        out.pop("LastUpdateStatus", None)
        return out

    def get_function(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            version = self.version_of(ctx, function, qualifier)
            out: dict[str, Any] = {"Configuration": self.configuration(ctx, function, version),
                                   "Code": self.code_location(ctx, function, version)}
            if function.tags:
                out["Tags"] = dict(function.tags)
            if function.reserved_concurrency is not None:
                out["Concurrency"] = {"ReservedConcurrentExecutions": function.reserved_concurrency}
        return out

    def get_function_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            return self.configuration(ctx, function, self.version_of(ctx, function, qualifier))

    def list_functions(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:  # functions are kept in name order: a page of latest versions is cut directly
            functions = self.state(ctx).functions.values()
            if ctx.params.get("FunctionVersion") == "ALL":
                versions = [(f, v) for f in functions for v in [f.latest, *f.versions.values()]]
            else:
                versions = MappedSequence(functions, _with_latest)
            page, marker = offset_page(versions, ctx.params.get("Marker"), ctx.params.get("MaxItems"),
                                       bad_token=_bad_token, default_limit=50, scope="functions")
            configs = [self.configuration(ctx, f, v) for f, v in page]
        return {"Functions": configs, **({"NextMarker": marker} if marker else {})}

    # -- update ---------------------------------------------------------------------------------
    def _check_revision(self, version: Version, given: str | None) -> None:
        if given and given != version.revision_id:
            raise errors.precondition()

    def _updated(self, ctx: RequestContext, function: Function) -> dict[str, Any]:
        latest = function.latest
        latest.revision_id, latest.last_modified = new_revision(), lambda_time(ctx.clock.utcnow())
        latest.generation += 1
        out = self.configuration(ctx, function, latest)
        out.update(LastUpdateStatus="InProgress", LastUpdateStatusReason="The function is being created.",
                   LastUpdateStatusReasonCode="Creating")
        return out

    def update_function_code(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        code = self.read_code(ctx, {k: p[k] for k in ("ZipFile", "S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri")
                                    if k in p})
        with self.store.lock:
            function, _ = self.function(ctx)
            self._check_revision(function.latest, p.get("RevisionId"))
            function.latest.code = code
            if "Architectures" in p:
                function.latest.config["Architectures"] = list(p["Architectures"])
            out = self._updated(ctx, function)
            if p.get("Publish"):
                out = self.configuration(ctx, function, self._publish(function, "", out["LastModified"]))
        self.environments_changed(function.name)
        return out

    def update_function_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        check_settings(p)
        check_role(ctx, p.get("Role"))
        with self.store.lock:
            function, _ = self.function(ctx)
            self._check_revision(function.latest, p.get("RevisionId"))
            function.latest.config.update(_settings(p))
            out = self._updated(ctx, function)
        self.environments_changed(function.name)
        return out

    def delete_function(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            state = self.state(ctx)
            if qualifier and qualifier != LATEST:
                if qualifier not in function.versions:
                    raise errors.function_not_found(self.function_arn(ctx, function.name, qualifier))
                if any(a.function_version == qualifier for a in function.aliases.values()):
                    raise errors.conflict(f"Unable to delete version because the following aliases reference it: "
                                          f"{[a.name for a in function.aliases.values()]}")
                del function.versions[qualifier]
            elif qualifier == LATEST:
                raise errors.invalid("$LATEST version cannot be deleted without deleting the function.")
            else:
                del state.functions[function.name]
                for config in function.urls.values():
                    state.url_ids.pop(config["UrlId"], None)
        self.environments_changed(function.name)
        return {}

    def environments_changed(self, name: str) -> None:
        """Hook: the execution environments of `name` are stale (the invoke side overrides it)."""

    # -- versions --------------------------------------------------------------------------------
    def _publish(self, function: Function, description: str, now: str) -> Version:
        latest = function.latest
        last = function.versions.get(str(function.next_version - 1))
        if last is not None and last.code.sha256 == latest.code.sha256 and last.config == {
            **latest.config, "Description": last.config.get("Description", "")
        }:
            return last  # Lambda does not publish an unchanged $LATEST twice
        number = str(function.next_version)
        function.next_version += 1
        config = {**latest.config, "Description": description or latest.config.get("Description", "")}
        version = Version(number, config, latest.code, new_revision(), now)
        function.versions[number] = version
        return version

    def publish_version(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            function, _ = self.function(ctx)
            if p.get("CodeSha256") and p["CodeSha256"] != function.latest.code.sha256:
                raise errors.invalid(f"CodeSHA256 ({p['CodeSha256']}) is different from current CodeSHA256 in "
                                     f"$LATEST ({function.latest.code.sha256}). Please try again.")
            self._check_revision(function.latest, p.get("RevisionId"))
            version = self._publish(function, p.get("Description", ""), lambda_time(ctx.clock.utcnow()))
            return self.configuration(ctx, function, version)

    def list_versions_by_function(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            versions = [function.latest, *sorted(function.versions.values(), key=lambda v: int(v.version))]
            configs = [self.configuration(ctx, function, v) for v in versions]
        page, marker = offset_page(configs, ctx.params.get("Marker"), ctx.params.get("MaxItems"),
                                   bad_token=_bad_token, default_limit=50, scope=f"versions:{function.name}")
        return {"Versions": page, **({"NextMarker": marker} if marker else {})}
