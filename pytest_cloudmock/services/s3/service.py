"""`S3Service`: every S3 operation group on one model-driven service."""

from __future__ import annotations

from typing import Any, ClassVar

from ...api import RequestContext, Response
from ..base import ModelService
from .browser import BrowserOps
from .buckets import BucketOps
from .configs import ConfigOps
from .listing import ListingOps
from .multipart import MultipartOps
from .objects import ObjectOps
from .presign import check_presigned
from .store import S3Store


class S3Service(
    BucketOps, ObjectOps, ListingOps, MultipartOps, ConfigOps, BrowserOps, ModelService
):
    """Amazon S3: buckets, objects, versions, multipart, configurations, notifications."""

    name = "s3"
    # Operations whose body the codec leaves on the wire for the service to stream.
    streaming_operations: ClassVar[frozenset[str]] = frozenset({"PutObject", "UploadPart"})

    def __init__(self) -> None:
        self.store = S3Store()

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        check_presigned(ctx)
        result = super().handle_request(ctx)
        extra = self.cors_headers(ctx)
        if extra:
            if not isinstance(result, Response):
                result = Response(body=result if result is not None else {})
            result.headers.update(extra)
        return result
