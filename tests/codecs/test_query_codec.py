"""QueryCodec: form parsing (lists, maps, renames), envelopes, real boto3 calls through it."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree

from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("query")
IAM = service_model("iam")
UTC = timezone.utc


def test_find_operation_and_matches():
    post = WireRequest.from_parts(
        "POST",
        "/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        "Action=ListUsers&Version=2010-05-08",
    )
    get = WireRequest.from_parts("GET", "/?Action=GetUser&Version=2010-05-08&UserName=bob")
    assert CODEC.find_operation(post, IAM) == "ListUsers" and CODEC.matches(post)
    assert CODEC.find_operation(get, IAM) == "GetUser" and CODEC.matches(get)
    assert CODEC.parse(get, IAM.operation_model("GetUser")) == {"UserName": "bob"}
    unknown = WireRequest.from_parts("GET", "/?Action=Explode")
    assert CODEC.find_operation(unknown, IAM) is None
    assert CODEC.find_operation(WireRequest.from_parts("GET", "/"), IAM) is None
    json_request = WireRequest.from_parts("POST", "/?Action=X", {"X-Amz-Target": "A.B"})
    assert not CODEC.matches(json_request)


def test_sns_publish_map_of_structures_with_blobs():
    recorder = Recorder()
    sns = make_client("sns", lambda op, params, request: {"MessageId": "m-1"}, recorder)
    out = sns.publish(
        TopicArn="arn:aws:sns:us-east-1:1:t",
        Message="hello & <world>",
        MessageAttributes={
            "bin": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
            "str": {"DataType": "String", "StringValue": "a=b+c"},
        },
    )
    assert out["MessageId"] == "m-1"
    assert recorder.params == {
        "TopicArn": "arn:aws:sns:us-east-1:1:t",
        "Message": "hello & <world>",
        "MessageAttributes": {
            "bin": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
            "str": {"DataType": "String", "StringValue": "a=b+c"},
        },
    }
    root = ElementTree.fromstring(recorder.response.body)
    ns = "{http://sns.amazonaws.com/doc/2010-03-31/}"
    assert root.tag == f"{ns}PublishResponse"
    assert [child.tag for child in root] == [f"{ns}PublishResult", f"{ns}ResponseMetadata"]
    assert root.find(f"{ns}ResponseMetadata/{ns}RequestId").text == REQUEST_ID


def test_iam_lists_timestamps_and_empty_lists():
    recorder = Recorder()
    created = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    users = [
        {
            "Path": "/",
            "UserName": "bob",
            "UserId": "AID1",
            "Arn": "arn:aws:iam::1:user/bob",
            "CreateDate": created,
        }
    ]

    def answer(op, params, request):
        return {"Users": users, "IsTruncated": False} if op == "ListUsers" else {"User": users[0]}

    iam = make_client("iam", answer, recorder)
    out = iam.list_users(PathPrefix="/", MaxItems=5)
    assert recorder.params == {"PathPrefix": "/", "MaxItems": 5}
    assert out["Users"] == users and out["IsTruncated"] is False
    iam.create_user(UserName="bob", Tags=[{"Key": "k", "Value": "v"}, {"Key": "k2", "Value": ""}])
    assert recorder.params == {
        "UserName": "bob",
        "Tags": [{"Key": "k", "Value": "v"}, {"Key": "k2", "Value": ""}],
    }
    iam.create_user(UserName="bob", Tags=[])
    assert recorder.params == {"UserName": "bob", "Tags": []}


def test_flattened_list_with_renamed_items():
    # CloudWatch (query) AlarmNames is a plain list; SQS-style flattened lists are in SimpleDB.
    op = service_model("sdb").operation_model("PutAttributes")
    shape = op.input_shape.members["Attributes"]
    assert shape.serialization.get("flattened")
    body = (
        "Action=PutAttributes&Version=2009-04-15&DomainName=d&ItemName=i"
        "&Attribute.1.Name=a&Attribute.1.Value=1&Attribute.2.Name=b&Attribute.2.Value=2&Attribute.2.Replace=true"
    )
    request = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, body
    )
    assert CODEC.parse(request, op) == {
        "DomainName": "d",
        "ItemName": "i",
        "Attributes": [{"Name": "a", "Value": "1"}, {"Name": "b", "Value": "2", "Replace": True}],
    }


def test_output_without_result_wrapper_or_shape():
    op = IAM.operation_model("DeleteUser")
    assert op.output_shape is None
    wire = CODEC.serialize({}, op, "rid")
    root = ElementTree.fromstring(wire.body)
    ns = "{https://iam.amazonaws.com/doc/2010-05-08/}"
    assert root.tag == f"{ns}DeleteUserResponse"
    assert [child.tag for child in root] == [f"{ns}ResponseMetadata"]
    assert wire.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert wire.headers == {"Content-Type": "text/xml", "x-amzn-RequestId": "rid"}


def test_shape_less_parse_returns_the_form():
    request = WireRequest.from_parts("GET", "/?Action=Do&Version=1&A.1=x&B=")
    assert CODEC.parse(request, None) == {"A.1": "x", "B": ""}
