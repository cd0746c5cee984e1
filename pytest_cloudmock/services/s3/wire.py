"""S3's wire quirks: rest-xml codecs for S3 and S3 Control, and virtual-host addressing.

What botocore's S3 model does not say and the generic rest-xml codec does not do:

- request ids travel as `x-amz-request-id` plus the `x-amz-id-2` host id (S3 and S3 Control);
- error bodies are a bare `<Error>` with `RequestId` and `HostId`;
- outputs without a payload member have the root element names of S3's Smithy
  `@xmlName` traits (`ListBucketResult`, ...), which botocore's model drops;
- `GetBucketLocation` answers with the value as the root's text;
- S3 Express control operations share URIs with S3's (`GET /` lists directory or
  general-purpose buckets): only the `s3express` signing name tells them apart;
- virtual-host requests (`bucket.s3.localhost`) name the bucket in the Host header.

`protocols.CODECS` chooses the codecs; the router asks `host_path` and
`accepts_unsigned` (S3 is listed in `protocols.HOST_ADDRESSED`).
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from ...api import AWSError
from ...protocols import xml_writer
from ...protocols.rest_routing import signed_for
from ...protocols.rest_xml import RestXmlCodec, service_namespace, write_error
from ...wire import WireRequest

S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"

# Root element names S3 uses for outputs without a payload member (Smithy `@xmlName`,
# which botocore's models drop). Clients ignore the root name; humans and logs do not.
OUTPUT_ROOTS = {
    "ListBuckets": "ListAllMyBucketsResult",
    "ListDirectoryBuckets": "ListAllMyDirectoryBucketsResult",
    "ListObjects": "ListBucketResult",
    "ListObjectsV2": "ListBucketResult",
    "ListObjectVersions": "ListVersionsResult",
    "ListMultipartUploads": "ListMultipartUploadsResult",
    "ListParts": "ListPartsResult",
    "CreateMultipartUpload": "InitiateMultipartUploadResult",
    "CompleteMultipartUpload": "CompleteMultipartUploadResult",
    "DeleteObjects": "DeleteResult",
    "GetBucketTagging": "Tagging",
    "GetObjectTagging": "Tagging",
    "GetBucketAcl": "AccessControlPolicy",
    "GetObjectAcl": "AccessControlPolicy",
    "GetBucketVersioning": "VersioningConfiguration",
    "GetBucketCors": "CORSConfiguration",
    "GetBucketLifecycle": "LifecycleConfiguration",
    "GetBucketLifecycleConfiguration": "LifecycleConfiguration",
    "GetBucketNotification": "NotificationConfiguration",
    "GetBucketNotificationConfiguration": "NotificationConfiguration",
    "GetBucketWebsite": "WebsiteConfiguration",
    "GetBucketLogging": "BucketLoggingStatus",
    "GetBucketAccelerateConfiguration": "AccelerateConfiguration",
    "GetBucketRequestPayment": "RequestPaymentConfiguration",
    "GetObjectAttributes": "GetObjectAttributesResponse",
    "ListBucketAnalyticsConfigurations": "ListBucketAnalyticsConfigurationResult",
    "ListBucketInventoryConfigurations": "ListInventoryConfigurationsResult",
    "ListBucketMetricsConfigurations": "ListMetricsConfigurationsResult",
    "ListBucketIntelligentTieringConfigurations": "ListBucketIntelligentTieringConfigurationsOutput",
}
# S3 answers GetBucketLocation with the value as the root's text (botocore reads it
# with the `parse_get_bucket_location` handler, as every SDK special-cases it).
TEXT_ROOT_OUTPUTS = {"GetBucketLocation": "LocationConstraint"}


def host_id(request_id: str) -> str:
    """An S3 `HostId` (`x-amz-id-2`) derived from the request id."""
    return binascii.b2a_base64(hashlib.sha256(request_id.encode()).digest(), newline=False).decode()


class S3ControlRestXmlCodec(RestXmlCodec):
    """rest-xml with S3's request-id headers (S3 Control)."""

    def request_id_headers(self, request_id: str) -> dict[str, str]:
        return {"x-amz-request-id": request_id, "x-amz-id-2": host_id(request_id)}


class S3RestXmlCodec(S3ControlRestXmlCodec):
    """rest-xml as S3 writes it: output roots, text-root outputs, bare `<Error>` bodies."""

    def host_path(
        self, request: WireRequest, hostname: str, is_service: Callable[[str], bool]
    ) -> str | None:
        return path_style(request, hostname, is_service)

    def accepts_unsigned(self, request: WireRequest) -> bool:
        return unsigned_s3(request)

    def static_context(self, request: WireRequest) -> dict[str, bool]:
        return {"UseS3ExpressControlEndpoint": signed_for(request, "s3express")}

    def write_body(
        self, value: Any, shape: Shape, member_name: str | None, operation: OperationModel
    ) -> bytes:
        member = TEXT_ROOT_OUTPUTS.get(operation.name) if member_name is None else None
        if member is None:
            return super().write_body(value, shape, member_name, operation)
        namespace = service_namespace(operation.service_model)
        root = xml_writer.Element(member, xmlns=namespace or S3_NAMESPACE)
        if value.get(member) is not None:
            root.text = str(value[member])
        return xml_writer.to_bytes(root)

    def output_root(self, operation: OperationModel, shape: Shape) -> str:
        return (
            shape.serialization.get("name")
            or OUTPUT_ROOTS.get(operation.name)
            or super().output_root(operation, shape)
        )

    def error_document(
        self, error: AWSError, shape: Shape | None, model: ServiceModel | None, request_id: str
    ) -> xml_writer.Element:
        """`<Error><Code/><Message/>..<RequestId/><HostId/></Error>`."""
        node = xml_writer.Element("Error")
        write_error(node, error, shape)
        xml_writer.text_element(node, "RequestId", request_id)
        xml_writer.text_element(node, "HostId", host_id(request_id))
        return node


# -- virtual hosts -------------------------------------------------------------------


def virtual_host_bucket(
    host: str, hostname: str, is_service: Callable[[str], bool] | None = None
) -> str | None:
    """The bucket named by an S3 virtual-host `Host`, or None for a path-style host.

    `b.s3.localhost:4566`, `b.s3.us-east-1.localhost` and `b.s3-us-west-2.localhost`
    name bucket `b` (the last `s3` label counts: bucket names may contain one).
    `hostname` is the gateway's own host name (`localhost`). With `is_service`, a
    host without an `s3` label (`b.localhost`) names a bucket unless its first label
    is a service (`sqs.localhost`).
    """
    host = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    suffix = "." + hostname.lower()
    if not host.endswith(suffix):
        return None
    labels = host[: -len(suffix)].split(".")
    for i in range(len(labels) - 1, -1, -1):
        if labels[i] == "s3" or labels[i].startswith("s3-"):
            return ".".join(labels[:i]) or None
    if is_service is not None and not is_service(labels[0]):
        return ".".join(labels)
    return None


def path_style(
    request: WireRequest, hostname: str, is_service: Callable[[str], bool] | None = None
) -> str | None:
    """The path-style path (`/bucket/key`) of a virtual-host S3 request, else None
    (see `virtual_host_bucket`)."""
    bucket = virtual_host_bucket(request.host, hostname, is_service)
    if not bucket:
        return None
    return "/" + bucket + (request.path if request.path != "/" else "")


def unsigned_s3(request: WireRequest) -> bool:
    """The unsigned requests that name no service and only S3 takes: anonymous reads and
    writes of an object or bucket (S3 then allows or denies them as AWS does), CORS
    preflights and HTML form uploads."""
    if request.method in ("GET", "HEAD", "PUT", "DELETE"):
        return request.path != "/"
    return request.method == "OPTIONS" or (
        request.method == "POST" and "multipart/form-data" in request.headers.get("Content-Type", "")
    )
