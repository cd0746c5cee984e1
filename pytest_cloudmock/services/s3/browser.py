"""What browsers send S3 outside the API model: CORS preflight and HTML form uploads.

The router hands these to `unmodelled_operation`; the answers are built here
(the codec has no operation model to serialize them with).
"""

from __future__ import annotations

from urllib.parse import quote

from ...api import RequestContext, Response
from ...wire import WireRequest
from . import checksums, cors
from .common import S3Base
from .post import (
    check_policy,
    params_from_fields,
    post_response,
    read_file,
    read_form,
    tagging_from_xml,
)
from .store import ObjectVersion, timestamp
from .writes import commit, object_settings

PREFLIGHT = "PreflightRequest"
POST_OBJECT = "PostObject"


def bucket_and_key(request: WireRequest) -> tuple[str, str]:
    """The bucket and key of a path-style request path."""
    bucket, _, key = request.unquoted_path.lstrip("/").partition("/")
    return bucket, key


class BrowserOps(S3Base):
    """`OPTIONS` preflight and `POST` form uploads."""

    def unmodelled_operation(self, request: WireRequest) -> str | None:
        """The pseudo-operation of a request the S3 model has no operation for."""
        if request.method == "OPTIONS":
            return PREFLIGHT
        if request.method == "POST" and "multipart/form-data" in request.headers.get("Content-Type", ""):
            return POST_OBJECT
        return None

    def preflight_request(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        bucket = self.bucket(ctx, bucket_and_key(ctx.wire)[0])
        return Response(body=b"", status=200, headers=cors.preflight(bucket, ctx.headers))

    def post_object(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        name = bucket_and_key(ctx.wire)[0]
        bucket = self.bucket(ctx, name)
        fields, upload = read_form(ctx)
        params = {**params_from_fields(fields), "Key": fields["key"]}
        if "Tagging" in params:
            params["Tagging"] = tagging_from_xml(params["Tagging"])
        given = checksums.given_checksums(params)
        algorithm = next(iter(given), None)
        blob, md5, sums = read_file(upload, algorithm)
        check_policy(fields, name, blob.size, ctx.clock.utcnow())
        for alg, value in given.items():
            if sums.get(alg) != value:
                raise checksums.mismatch(alg)
        key = fields["key"]
        with self.store.lock:
            obj = ObjectVersion(key=key, blob=blob, etag=f'"{md5.hex()}"', owner=ctx.account_id,
                                last_modified=timestamp(ctx.clock),
                                checksums=sums, checksum_type="FULL_OBJECT" if sums else None,
                                **object_settings(params, bucket, ctx))
            commit(ctx, self.store, bucket, obj, "ObjectCreated:Post")
        location = f"{ctx.endpoint}/{name}/{quote(key)}"
        headers = {"ETag": obj.etag, "Location": location}
        if bucket.versioning is not None:
            headers["x-amz-version-id"] = obj.version_id
        redirect = fields.get("success_action_redirect")
        if redirect:
            sep = "&" if "?" in redirect else "?"
            target = f"{redirect}{sep}bucket={quote(name)}&key={quote(key)}&etag={quote(obj.etag)}"
            return Response(body=b"", status=303, headers={**headers, "Location": target})
        status = fields.get("success_action_status", "204")
        if status == "201":
            body = post_response(location, name, key, obj.etag)
            return Response(body=body, status=201, headers={**headers, "Content-Type": "application/xml"})
        return Response(body=b"", status=200 if status == "200" else 204, headers=headers)

    def cors_headers(self, ctx: RequestContext) -> dict[str, str]:
        """CORS headers for an actual request from a browser (`Origin` present)."""
        if not ctx.headers.get("Origin") or not ctx.params.get("Bucket"):
            return {}
        bucket = self.store.bucket(ctx.params["Bucket"])
        return cors.actual_request_headers(bucket, ctx.headers, ctx.method) if bucket else {}

