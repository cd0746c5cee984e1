"""Amazon S3 as a Tier 1 service (see `docs/services/s3.md`)."""

from .service import S3Service

SERVICE = S3Service

__all__ = ["SERVICE", "S3Service"]
