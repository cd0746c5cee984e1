"""The rest-xml codec against real boto3 clients (S3, Route 53, CloudFront)."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError
from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.protocols.aws_chunked import payload_stream
from pytest_cloudmock.protocols.rest_xml import MALFORMED_XML
from pytest_cloudmock.services.s3.wire import host_id
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("rest-xml", "s3")
S3 = service_model("s3")


def s3_client(answer, recorder=None):
    return make_client("s3", answer, recorder, s3={"addressing_style": "path"})


class Chunks(io.RawIOBase):
    """A file-like body that counts reads (to prove it is streamed, not slurped)."""

    def __init__(self, chunk: bytes, count: int) -> None:
        self.chunk, self.left, self.reads, self.closed_ = chunk, count, 0, False

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        if not self.left:
            return b""
        self.left -= 1
        return self.chunk

    def close(self) -> None:
        self.closed_ = True


def test_s3_error_body_is_bare_error_with_request_and_host_id():
    def answer(op, params, req):
        raise AWSError(
            "NoSuchKey",
            "The specified key does not exist.",
            404,
            Key=params["Key"],
            BucketName=params["Bucket"],
        )

    recorder = Recorder()
    client = s3_client(answer, recorder)
    with pytest.raises(client.exceptions.NoSuchKey) as info:
        client.get_object(Bucket="bkt", Key="a/b.txt")
    err = info.value.response
    assert err["Error"] == {
        "Code": "NoSuchKey",
        "Message": "The specified key does not exist.",
        "Key": "a/b.txt",
        "BucketName": "bkt",
    }
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert err["ResponseMetadata"]["RequestId"] == REQUEST_ID
    assert err["ResponseMetadata"]["HostId"] == host_id(REQUEST_ID)
    body = recorder.response.body
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>')
    assert body.endswith(
        f"<RequestId>{REQUEST_ID}</RequestId><HostId>{host_id(REQUEST_ID)}</HostId></Error>".encode()
    )


@pytest.mark.parametrize(("method", "kwargs"), [("head_object", {"Key": "k"}), ("head_bucket", {})])
def test_head_errors_have_no_body(method, kwargs):
    def answer(op, params, req):
        raise AWSError("NoSuchKey" if "Key" in params else "NoSuchBucket", "gone", 404)

    recorder = Recorder()
    client = s3_client(answer, recorder)
    with pytest.raises(ClientError) as info:
        getattr(client, method)(Bucket="b", **kwargs)
    assert recorder.response.body == b""
    assert info.value.response["Error"]["Code"] == "404"  # what boto3 users see from AWS
    assert info.value.response["ResponseMetadata"]["RequestId"] == REQUEST_ID


def test_route53_error_is_error_response_with_type():
    def answer(op, params, req):
        raise AWSError("NoSuchHostedZone", "No hosted zone found with ID: Z1", 404)

    recorder = Recorder()
    client = make_client("route53", answer, recorder)
    with pytest.raises(client.exceptions.NoSuchHostedZone) as info:
        client.get_hosted_zone(Id="Z1")
    assert info.value.response["Error"]["Message"] == "No hosted zone found with ID: Z1"
    assert info.value.response["Error"]["Type"] == "Sender"
    assert recorder.response.headers["x-amzn-RequestId"] == REQUEST_ID
    assert (
        b'<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>'
        in recorder.response.body
    )


def test_server_fault_is_receiver():
    err = AWSError("InternalFailure", "boom", 500)
    wire = codec_for("rest-xml").serialize_error(err, service_model("route53"), None, REQUEST_ID)
    assert b"<Type>Receiver</Type>" in wire.body and wire.status == 500


def test_streaming_get_object_is_not_read_into_memory():
    stream = Chunks(b"x" * 1000, 50)

    def answer(op, params, req):
        return {
            "Body": stream,
            "ContentLength": 50_000,
            "ContentType": "text/plain",
            "Metadata": {"owner": "me"},
            "ETag": '"abc"',
            "LastModified": datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc),
        }

    op = S3.operation_model("GetObject")
    wire = CODEC.serialize(answer(None, None, None), op, REQUEST_ID)
    assert not isinstance(wire.body, bytes) and stream.reads == 0
    assert wire.headers["Content-Length"] == "50000"
    assert wire.headers["Last-Modified"] == "Mon, 06 May 2024 07:08:09 GMT"
    assert wire.headers["x-amz-meta-owner"] == "me"
    assert wire.headers["Content-Type"] == "text/plain"
    first = next(iter(wire.body))
    assert first == b"x" * 1000 and stream.reads == 1
    out = s3_client(
        lambda *a: {**answer(*a), "Body": Chunks(b"y" * 10, 3), "ContentLength": 30}
    ).get_object(Bucket="b", Key="k")
    assert out["Body"].read() == b"y" * 30
    assert out["Metadata"] == {"owner": "me"}
    assert out["LastModified"] == datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)


def test_put_object_body_headers_and_metadata():
    recorder = Recorder()
    client = s3_client(lambda op, params, req: {"ETag": '"e"', "VersionId": "v1"}, recorder)
    out = client.put_object(
        Bucket="b",
        Key="k",
        Body=b"\x00data",
        Metadata={"Color": "red"},
        ContentType="x/y",
        Expires=datetime(2030, 1, 1, tzinfo=timezone.utc),
        Tagging="a=b",
    )
    assert out["ETag"] == '"e"' and out["VersionId"] == "v1"
    params = recorder.params
    assert params["Body"] == b"\x00data"
    assert params["Metadata"] == {"color": "red"}  # header names fold case, as in S3
    assert params["ContentType"] == "x/y"
    assert params["Expires"] == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert params["ContentLength"] == 5


def test_boto3_aws_chunked_upload_with_trailing_checksum():
    recorder = Recorder()
    client = make_client(
        "s3",
        lambda *a: {},
        recorder,
        endpoint="https://s3.localhost.test",
        s3={"addressing_style": "path"},
    )
    client.put_object(Bucket="b", Key="k", Body=io.BytesIO(b"hello world"), ContentEncoding="gzip")
    assert recorder.request.headers["Content-Encoding"] == "gzip,aws-chunked"  # botocore's framing
    params = recorder.params
    assert params["Body"] == b"hello world"
    assert params["ChecksumCRC32"] == "DUoRhQ=="  # from the trailer
    assert params["ContentEncoding"] == "gzip" and params["ContentLength"] == 11


def test_stream_payload_leaves_body_unread():
    stream = io.BytesIO(b"abc")
    req = WireRequest(method="PUT", path="/b/k", stream=stream, content_length=3)
    params = CODEC.parse(req, S3.operation_model("PutObject"), stream_payload=True)
    assert params == {"Bucket": "b", "Key": "k"}
    assert stream.tell() == 0 and req.stream.read() == b"abc"


def test_aws_chunked_body_is_decoded_with_trailers():
    body = (
        b"5;chunk-signature=aaaa\r\nhello\r\n"
        b"6;chunk-signature=bbbb\r\n world\r\n"
        b"0;chunk-signature=cccc\r\n"
        b"x-amz-checksum-crc32:DUoRhQ==\r\n"
        b"x-amz-trailer-signature:dddd\r\n\r\n"
    )
    req = WireRequest.from_parts(
        "PUT",
        "/b/k",
        {
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": "11",
            "x-amz-trailer": "x-amz-checksum-crc32",
        },
        body,
    )
    params = CODEC.parse(req, S3.operation_model("PutObject"))
    assert params["Body"] == b"hello world"
    assert params["ChecksumCRC32"] == "DUoRhQ=="
    # A service streaming the payload itself gets the same bytes, chunk by chunk, and
    # never reads past Content-Length (the next request on a keep-alive connection).
    wire = io.BytesIO(body + b"PUT /next HTTP/1.1\r\n")
    streamed = WireRequest(
        method="PUT", path="/b/k", headers=req.headers, stream=wire, content_length=len(body)
    )
    reader = payload_stream(streamed)
    assert reader.read(3) == b"hel" and reader.read() == b"lo world"
    assert reader.trailers == {"x-amz-checksum-crc32": "DUoRhQ=="}
    assert wire.read() == b"PUT /next HTTP/1.1\r\n"
    plain = WireRequest(method="PUT", path="/b/k", stream=io.BytesIO(b"abcdef"), content_length=4)
    assert payload_stream(plain).read() == b"abcd"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"zz\r\nab", "InvalidRequest"),
        (b"5\r\nab", "IncompleteBody"),
        (b"2\r\nabXX0\r\n\r\n", "IncompleteBody"),
        (b"2\r\nab\r\n0\r\nnot a trailer\r\n\r\n", "MalformedTrailerError"),
    ],
)
def test_broken_aws_chunked_bodies(body, code):
    bad = WireRequest.from_parts("PUT", "/b/k", {"Content-Encoding": "aws-chunked"}, body)
    with pytest.raises(AWSError) as info:
        CODEC.parse(bad, S3.operation_model("PutObject"))
    assert (info.value.code, info.value.status) == (code, 400)


def test_xml_inputs_parse_per_shape():
    recorder = Recorder()
    client = s3_client(lambda *a: {}, recorder)
    client.put_bucket_acl(
        Bucket="b",
        AccessControlPolicy={
            "Grants": [
                {"Grantee": {"Type": "CanonicalUser", "ID": "id1"}, "Permission": "READ"},
                {"Grantee": {"Type": "Group", "URI": "http://acs/all"}, "Permission": "WRITE"},
            ],
            "Owner": {"ID": "owner"},
        },
    )
    policy = recorder.params["AccessControlPolicy"]
    assert policy["Grants"][0]["Grantee"] == {"Type": "CanonicalUser", "ID": "id1"}
    assert policy["Grants"][1]["Grantee"] == {"Type": "Group", "URI": "http://acs/all"}
    client.delete_objects(
        Bucket="b",
        Delete={"Objects": [{"Key": "a\r\n<&>"}, {"Key": "b", "VersionId": "1"}], "Quiet": True},
    )
    assert recorder.params["Delete"] == {
        "Objects": [{"Key": "a\r\n<&>"}, {"Key": "b", "VersionId": "1"}],
        "Quiet": True,
    }
    client.complete_multipart_upload(
        Bucket="b",
        Key="k",
        UploadId="u",
        MultipartUpload={
            "Parts": [{"ETag": '"1"', "PartNumber": 1}, {"ETag": '"2"', "PartNumber": 2}]
        },
    )
    assert recorder.params["MultipartUpload"]["Parts"][1] == {"ETag": '"2"', "PartNumber": 2}


@pytest.mark.parametrize(
    "body",
    [
        b"<Tagging><TagSet>",
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging><extra/>",
        b"<Tags><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tags>",
    ],
)
def test_malformed_xml(body):
    req = WireRequest.from_parts("PUT", "/b?tagging", {}, body)
    with pytest.raises(AWSError) as info:
        CODEC.parse(req, S3.operation_model("PutBucketTagging"))
    assert (info.value.code, info.value.message, info.value.status) == (
        "MalformedXML",
        MALFORMED_XML,
        400,
    )


def test_bad_scalar_in_xml_is_malformed():
    body = b"<Delete><Quiet>maybe</Quiet></Delete>"
    req = WireRequest.from_parts("POST", "/b?delete", {}, body)
    with pytest.raises(AWSError) as info:
        CODEC.parse(req, S3.operation_model("DeleteObjects"))
    assert info.value.code == "MalformedXML"


def test_output_roots_status_and_namespace():
    recorder = Recorder()
    client = s3_client(
        lambda op, params, req: {
            "ListObjects": {
                "Name": "b",
                "Contents": [{"Key": "k", "Size": 3}],
                "IsTruncated": False,
            },
            "DeleteObject": {"DeleteMarker": True},
            "GetBucketLocation": {"LocationConstraint": "eu-west-1"},
            "CopyObject": {"CopyObjectResult": {"ETag": '"e"'}},
        }[op],
        recorder,
    )
    listed = client.list_objects(Bucket="b")
    assert listed["Contents"][0]["Key"] == "k"
    assert recorder.response.body.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    )
    deleted = client.delete_object(Bucket="b", Key="k")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204 and deleted["DeleteMarker"] is True
    assert client.get_bucket_location(Bucket="b")["LocationConstraint"] == "eu-west-1"
    assert recorder.response.body.endswith(
        b'<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>'
    )
    copied = client.copy_object(Bucket="b", Key="k", CopySource="s/k")
    assert copied["CopyObjectResult"]["ETag"] == '"e"'
    assert recorder.params["CopySource"] == "s/k"


def test_route53_xml_input_and_output():
    recorder = Recorder()

    def answer(op, params, req):
        return {
            "HostedZone": {
                "Id": "/hostedzone/Z1",
                "Name": params["Name"],
                "CallerReference": params["CallerReference"],
            },
            "ChangeInfo": {
                "Id": "C1",
                "Status": "PENDING",
                "SubmittedAt": datetime(2024, 1, 1, tzinfo=timezone.utc),
            },
            "DelegationSet": {"NameServers": ["ns1", "ns2"]},
            "Location": "https://route53/2013-04-01/hostedzone/Z1",
        }

    client = make_client("route53", answer, recorder)
    out = client.create_hosted_zone(
        Name="example.com", CallerReference="ref", HostedZoneConfig={"PrivateZone": False}
    )
    assert recorder.params == {
        "Name": "example.com",
        "CallerReference": "ref",
        "HostedZoneConfig": {"PrivateZone": False},
    }
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201  # the model's responseCode
    assert out["Location"].endswith("/Z1")
    assert out["DelegationSet"]["NameServers"] == ["ns1", "ns2"]
    assert out["ChangeInfo"]["SubmittedAt"] == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert recorder.response.body.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<CreateHostedZoneResponse '
        b'xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
    )
