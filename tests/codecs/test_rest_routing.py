"""REST operation routing: real boto3 requests (all S3 handlers run) -> `find_operation`."""

from __future__ import annotations

import pytest
from wire_client import Recorder, make_client

from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols.rest_locations import split_header_list
from pytest_cloudmock.protocols.rest_routing import UriTemplate, find_operation
from pytest_cloudmock.services.s3.wire import path_style, virtual_host_bucket
from pytest_cloudmock.wire import WireRequest

COPY = {"Bucket": "src", "Key": "a/b c.txt"}

# (boto3 method, kwargs, operation AWS routes the request to)
S3_CALLS = [
    ("list_objects", {"Bucket": "b"}, "ListObjects"),
    ("list_objects_v2", {"Bucket": "b"}, "ListObjectsV2"),
    ("list_object_versions", {"Bucket": "b"}, "ListObjectVersions"),
    ("list_multipart_uploads", {"Bucket": "b"}, "ListMultipartUploads"),
    ("list_buckets", {}, "ListBuckets"),
    ("list_directory_buckets", {"MaxDirectoryBuckets": 5}, "ListDirectoryBuckets"),
    ("list_directory_buckets", {}, "ListDirectoryBuckets"),  # signed for s3express
    ("create_bucket", {"Bucket": "b"}, "CreateBucket"),
    ("delete_bucket", {"Bucket": "b"}, "DeleteBucket"),
    ("head_bucket", {"Bucket": "b"}, "HeadBucket"),
    ("get_bucket_acl", {"Bucket": "b"}, "GetBucketAcl"),
    ("get_bucket_tagging", {"Bucket": "b"}, "GetBucketTagging"),
    (
        "put_bucket_tagging",
        {"Bucket": "b", "Tagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
        "PutBucketTagging",
    ),
    ("get_bucket_lifecycle_configuration", {"Bucket": "b"}, "GetBucketLifecycleConfiguration"),
    (
        "get_bucket_notification_configuration",
        {"Bucket": "b"},
        "GetBucketNotificationConfiguration",
    ),
    (
        "get_bucket_analytics_configuration",
        {"Bucket": "b", "Id": "x"},
        "GetBucketAnalyticsConfiguration",
    ),
    ("list_bucket_analytics_configurations", {"Bucket": "b"}, "ListBucketAnalyticsConfigurations"),
    ("delete_objects", {"Bucket": "b", "Delete": {"Objects": [{"Key": "k"}]}}, "DeleteObjects"),
    ("put_object", {"Bucket": "b", "Key": "k", "Body": b"x"}, "PutObject"),
    ("put_object", {"Bucket": "b", "Key": "dir/sub/k%+ é.txt", "Body": b"x"}, "PutObject"),
    ("get_object", {"Bucket": "b", "Key": "k"}, "GetObject"),
    ("head_object", {"Bucket": "b", "Key": "k"}, "HeadObject"),
    ("delete_object", {"Bucket": "b", "Key": "k"}, "DeleteObject"),
    ("copy_object", {"Bucket": "b", "Key": "k", "CopySource": COPY}, "CopyObject"),
    ("create_multipart_upload", {"Bucket": "b", "Key": "k"}, "CreateMultipartUpload"),
    (
        "upload_part",
        {"Bucket": "b", "Key": "k", "UploadId": "u", "PartNumber": 1, "Body": b"x"},
        "UploadPart",
    ),
    (
        "upload_part_copy",
        {"Bucket": "b", "Key": "k", "UploadId": "u", "PartNumber": 1, "CopySource": COPY},
        "UploadPartCopy",
    ),
    (
        "complete_multipart_upload",
        {
            "Bucket": "b",
            "Key": "k",
            "UploadId": "u",
            "MultipartUpload": {"Parts": [{"ETag": '"e"', "PartNumber": 1}]},
        },
        "CompleteMultipartUpload",
    ),
    (
        "abort_multipart_upload",
        {"Bucket": "b", "Key": "k", "UploadId": "u"},
        "AbortMultipartUpload",
    ),
    ("list_parts", {"Bucket": "b", "Key": "k", "UploadId": "u"}, "ListParts"),
    ("get_object_tagging", {"Bucket": "b", "Key": "k"}, "GetObjectTagging"),
    (
        "put_object_tagging",
        {"Bucket": "b", "Key": "k", "Tagging": {"TagSet": []}},
        "PutObjectTagging",
    ),
    ("delete_object_tagging", {"Bucket": "b", "Key": "k"}, "DeleteObjectTagging"),
    ("get_object_acl", {"Bucket": "b", "Key": "k"}, "GetObjectAcl"),
    ("restore_object", {"Bucket": "b", "Key": "k"}, "RestoreObject"),
    (
        "get_object_attributes",
        {"Bucket": "b", "Key": "k", "ObjectAttributes": ["ETag"]},
        "GetObjectAttributes",
    ),
]


@pytest.fixture(scope="module")
def s3_path():
    recorder = Recorder()
    client = make_client(
        "s3", lambda op, params, req: {}, recorder, s3={"addressing_style": "path"}
    )
    return client, recorder


@pytest.mark.parametrize(("method", "kwargs", "operation"), S3_CALLS)
def test_s3_requests_route_as_aws_does(s3_path, method, kwargs, operation):
    client, recorder = s3_path
    getattr(client, method)(**kwargs)
    assert recorder.operation == operation
    for name in ("Bucket", "Key", "UploadId", "PartNumber"):
        if name in kwargs:
            assert recorder.params[name] == kwargs[name]


def request(method: str, url: str, headers: dict[str, str] | None = None) -> WireRequest:
    return WireRequest.from_parts(method, url, headers or {})


@pytest.mark.parametrize(
    ("method", "url", "headers", "operation"),
    [
        ("GET", "/b", {}, "ListObjects"),
        ("GET", "/b/", {}, "ListObjects"),
        ("GET", "/b?list-type=2&prefix=x", {}, "ListObjectsV2"),
        ("GET", "/b?versions", {}, "ListObjectVersions"),
        ("GET", "/b?uploads", {}, "ListMultipartUploads"),
        ("POST", "/b?delete", {}, "DeleteObjects"),
        ("POST", "/b/k?uploads", {}, "CreateMultipartUpload"),
        ("PUT", "/b/k", {}, "PutObject"),
        ("PUT", "/b/k", {"x-amz-copy-source": "src/k"}, "CopyObject"),
        ("PUT", "/b/k?partNumber=1&uploadId=u", {}, "UploadPart"),
        ("PUT", "/b/k?partNumber=1&uploadId=u", {"x-amz-copy-source": "s/k"}, "UploadPartCopy"),
        ("POST", "/b/k?uploadId=u", {}, "CompleteMultipartUpload"),
        ("GET", "/b/k?uploadId=u", {}, "ListParts"),
        ("DELETE", "/b/k?uploadId=u", {}, "AbortMultipartUpload"),
        ("DELETE", "/b/k", {}, "DeleteObject"),
        ("HEAD", "/b/k", {}, "HeadObject"),
        ("HEAD", "/b", {}, "HeadBucket"),
        ("GET", "/b/k?x-id=GetObject", {}, "GetObject"),
        ("GET", "/b?analytics&id=a", {}, "GetBucketAnalyticsConfiguration"),
        ("GET", "/b?analytics", {}, "ListBucketAnalyticsConfigurations"),
        ("GET", "/b?lifecycle", {}, "GetBucketLifecycleConfiguration"),
        ("POST", "/b/k?select&select-type=2", {}, "SelectObjectContent"),
        ("POST", "/WriteGetObjectResponse", {}, "WriteGetObjectResponse"),
        ("GET", "/", {}, "ListBuckets"),
        ("PATCH", "/b", {}, None),
    ],
)
def test_s3_wire_routing(method, url, headers, operation):
    assert find_operation(request(method, url, headers), service_model("s3")) == operation


def test_labels_are_percent_decoded_and_greedy():
    model = service_model("s3")
    op = model.operation_model("GetObject")
    from pytest_cloudmock.protocols import codec_for

    params = codec_for("rest-xml", "s3").parse(request("GET", "/my.bucket//a/b%2Fc%20d%25e+f"), op)
    assert params == {"Bucket": "my.bucket", "Key": "/a/b/c d%e+f"}


def test_other_services_route_by_template():
    lam = service_model("lambda")
    assert find_operation(request("GET", "/2015-03-31/functions/"), lam) == "ListFunctions"
    assert find_operation(request("GET", "/2015-03-31/functions/f1"), lam) == "GetFunction"
    assert find_operation(request("POST", "/2015-03-31/functions/f1/invocations"), lam) == "Invoke"
    assert find_operation(request("GET", "/nope/nope/nope"), lam) is None
    r53 = service_model("route53")
    assert find_operation(request("GET", "/2013-04-01/hostedzone/Z1"), r53) == "GetHostedZone"
    assert find_operation(request("GET", "/2013-04-01/hostedzone"), r53) == "ListHostedZones"


def test_uri_template_parsing():
    t = UriTemplate.parse("/{Bucket}/{Key+}?select&select-type=2")
    assert t.rule == "/<label:p0>/<greedy:p1>"
    assert t.labels == ("Bucket", "Key")
    assert t.query == (("select", ""), ("select-type", "2"))
    assert t.query_score({"select": [""], "select-type": ["2"]}) == 2
    assert t.query_score({"select": [""], "select-type": ["1"]}) is None
    assert UriTemplate.parse("/{Bucket}/{Key+}?x-id=GetObject").query_score({}) == 0


@pytest.mark.parametrize(
    ("host", "bucket"),
    [
        ("b.s3.localhost:4566", "b"),
        ("my.dotted.bucket.s3.us-west-2.localhost", "my.dotted.bucket"),
        ("b.s3-us-west-2.localhost:80", "b"),
        ("logs.s3.backup.s3.eu-west-1.localhost", "logs.s3.backup"),
        ("s3.localhost:4566", None),
        ("localhost:4566", None),
        ("sqs.us-east-1.localhost", None),
        ("b.s3.example.com", None),
    ],
)
def test_virtual_host_bucket(host, bucket):
    assert virtual_host_bucket(host, "localhost") == bucket


def test_virtual_host_without_s3_label_needs_a_service_check():
    services = {"sqs", "lambda"}.__contains__
    assert virtual_host_bucket("photos.localhost:4566", "localhost") is None
    assert virtual_host_bucket("photos.localhost:4566", "localhost", services) == "photos"
    assert virtual_host_bucket("sqs.localhost:4566", "localhost", services) is None
    assert virtual_host_bucket("localhost:4566", "localhost", services) is None


def test_path_style_view_leaves_the_request_as_signed():
    req = request("GET", "/key/with%20space?tagging", {"Host": "bkt.s3.localhost:4566"})
    path = path_style(req, "localhost")
    assert path == "/bkt/key/with%20space"
    assert req.path == "/key/with%20space"  # untouched: it is what the client signed
    view = req.at_path(path)
    assert find_operation(view, service_model("s3")) == "GetObjectTagging"
    assert view.unquoted_path == "/bkt/key/with space" and view.headers is req.headers
    root = request("GET", "/", {"Host": "bkt.s3.localhost:4566"})
    assert path_style(root, "localhost") == "/bkt"
    plain = request("GET", "/bkt", {"Host": "localhost:4566"})
    assert path_style(plain, "localhost") is None


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("a,b", ["a", "b"]),
        ("a, b ,c", ["a", "b", "c"]),
        ('"x,y",z', ["x,y", "z"]),
        ('"say \\"hi\\"", q', ['say "hi"', "q"]),
        ("", [""]),
    ],
)
def test_split_header_list(text, items):
    assert split_header_list(text) == items
