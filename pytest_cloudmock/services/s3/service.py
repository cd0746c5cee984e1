"""`S3Service`: every S3 operation group on one model-driven service."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ...api import RequestContext, Response, ServiceProfile
from ...validation import ValidationPolicy
from ..base import ModelService
from .browser import POST_OBJECT, PREFLIGHT, BrowserOps
from .buckets import BucketOps
from .configs import ConfigOps
from .express import ExpressOps
from .idconfigs import IdConfigOps
from .lifecycle import LifecycleOps
from .listing import ListingOps
from .metadata import MetadataOps
from .multipart import MultipartOps
from .object_extras import ObjectExtraOps
from .objectlock import ObjectLockOps
from .objects import ObjectOps
from .presign import check_presigned
from .replication import ReplicationOps
from .required import check_required
from .select import SelectOps
from .store import S3Store


class S3Service(
    BucketOps, ObjectOps, ListingOps, MultipartOps, ConfigOps, IdConfigOps, ObjectLockOps,
    ReplicationOps, MetadataOps, ExpressOps, ObjectExtraOps, SelectOps, LifecycleOps,
    BrowserOps, ModelService,
):
    """Amazon S3: buckets, objects, versions, multipart, configurations, notifications."""

    name = "s3"

    def __init__(self) -> None:
        self.store = S3Store()

    @cached_property
    def profile(self) -> ServiceProfile:
        return ServiceProfile(
            # the codec leaves these bodies on the wire for the service to stream
            streaming_operations=frozenset({"PutObject", "UploadPart"}),
            # browser form POSTs and CORS preflights are not in the model
            unmodelled_operation=self.unmodelled_operation,
            extra_operations=frozenset({PREFLIGHT, POST_OBJECT}),
            # S3 answers its own codes for enum values (InvalidStorageClass, MalformedXML, ...)
            # and for missing members (MalformedXML, "Missing required header ...": `required.py`)
            validation=ValidationPolicy(skip=frozenset({"enum", "required"})),
            # lifecycle rules expire objects and abort uploads as the gateway clock moves
            on_clock=self.sweep,
        )

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        check_presigned(ctx)
        check_required(ctx.operation_model, ctx.params)
        after = self.lifecycle_around(ctx, self.store.bucket(ctx.params.get("Bucket") or ""))
        result = super().handle_request(ctx)
        if after is not None:
            after()
        extra = self.cors_headers(ctx)
        if extra:
            if not isinstance(result, Response):
                result = Response(body=result if result is not None else {})
            result.headers.update(extra)
        return result
