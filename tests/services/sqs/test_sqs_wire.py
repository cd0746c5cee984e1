"""The two wire protocols: the query overlay against the old model, raw requests, error envelopes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import requests
from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.serialize import create_serializer

from pytest_cloudmock.services.sqs.wire_models import query_model, with_query_traits

from .conftest import ACCOUNT, DATA

XML_TRAITS = ("locationName", "flattened", "resultWrapper", "xmlNamespace")


def _traits(node, path=""):
    """Every XML-relevant trait in a model fragment, by path."""
    out = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in XML_TRAITS:
                out[f"{path}/{key}"] = value
            elif key != "documentation":
                out.update(_traits(value, f"{path}/{key}"))
    return out


def test_query_overlay_restores_every_xml_trait_of_the_old_query_model():
    old = Loader(extra_search_paths=[str(DATA)]).load_service_model("sqs", "service-2")
    assert old["metadata"]["protocol"] == "query"
    new = with_query_traits(Loader().load_service_model("sqs", "service-2"))
    old_traits = _traits({"shapes": old["shapes"], "operations": old["operations"]})
    new_traits = _traits({"shapes": new["shapes"], "operations": new["operations"]})
    # Beyond those: the list newer than the query model (`MessageSystemAttributeNames`), and
    # the one member the json model itself marks flattened (its list is flattened in both).
    assert {k: new_traits.get(k) for k in old_traits} == old_traits
    assert set(new_traits) - set(old_traits) == {
        "/shapes/ListMessageMoveTasksResult/members/Results/flattened",
        "/shapes/MessageSystemAttributeList/flattened",
        "/shapes/MessageSystemAttributeList/member/locationName",
    }
    assert new["metadata"]["xmlNamespace"] == old["metadata"]["xmlNamespace"]


def test_query_overlay_serializes_requests_exactly_as_the_old_model():
    """botocore's own query serializer writes the same form with either model."""
    old_model = ServiceModel(Loader(extra_search_paths=[str(DATA)]).load_service_model("sqs", "service-2"), "sqs")
    serializer = create_serializer("query")
    url = f"http://127.0.0.1/{ACCOUNT}/q"
    calls = {
        "CreateQueue": {"QueueName": "q", "Attributes": {"DelaySeconds": "1"}, "tags": {"a": "b"}},
        "TagQueue": {"QueueUrl": url, "Tags": {"a": "b", "c": "d"}},
        "UntagQueue": {"QueueUrl": url, "TagKeys": ["a", "c"]},
        "SetQueueAttributes": {"QueueUrl": url, "Attributes": {"VisibilityTimeout": "3"}},
        "GetQueueAttributes": {"QueueUrl": url, "AttributeNames": ["All", "QueueArn"]},
        "AddPermission": {"QueueUrl": url, "Label": "l", "AWSAccountIds": ["1", "2"], "Actions": ["A", "B"]},
        "SendMessage": {
            "QueueUrl": url,
            "MessageBody": "b",
            "MessageAttributes": {"s": {"DataType": "String", "StringValue": "v"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00"}},
            "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1"}},
        },
        "SendMessageBatch": {"QueueUrl": url, "Entries": [{"Id": "1", "MessageBody": "b", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "1"}}}]},
        "ReceiveMessage": {"QueueUrl": url, "AttributeNames": ["All"], "MessageAttributeNames": ["a.*"], "MaxNumberOfMessages": 3},
        "DeleteMessageBatch": {"QueueUrl": url, "Entries": [{"Id": "1", "ReceiptHandle": "r"}]},
        "ChangeMessageVisibilityBatch": {"QueueUrl": url, "Entries": [{"Id": "1", "ReceiptHandle": "r", "VisibilityTimeout": 3}]},
    }
    for name, params in calls.items():
        ours = serializer.serialize_to_request(params, query_model().operation_model(name))
        theirs = serializer.serialize_to_request(params, old_model.operation_model(name))
        assert ours["body"] == theirs["body"], name


def test_an_old_sdk_query_request_gets_aws_xml(aws):
    """A hand-written query request, as pre-2024 SDKs send it; XML shaped like AWS's."""
    auth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0"
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Authorization": auth}

    def call(**form):
        return requests.post(aws.endpoint + "/", data={"Version": "2012-11-05", **form}, headers=headers, timeout=10)

    ns = {"q": "http://queue.amazonaws.com/doc/2012-11-05/"}
    created = call(Action="CreateQueue", QueueName="raw", **{"Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "7"})
    assert created.status_code == 200
    url = ET.fromstring(created.content).find("q:CreateQueueResult/q:QueueUrl", ns).text
    sent = call(Action="SendMessage", QueueUrl=url, MessageBody="hi", **{
        "MessageAttribute.1.Name": "k", "MessageAttribute.1.Value.DataType": "String", "MessageAttribute.1.Value.StringValue": "v",
    })
    assert ET.fromstring(sent.content).find("q:SendMessageResult/q:MD5OfMessageBody", ns).text == "49f68a5c8493ec2c0bf489821c21fc3b"
    got = ET.fromstring(call(Action="ReceiveMessage", QueueUrl=url, **{"AttributeName.1": "All", "MessageAttributeName.1": "All"}).content)
    message = got.find("q:ReceiveMessageResult/q:Message", ns)
    assert message.find("q:Body", ns).text == "hi"
    names = {a.find("q:Name", ns).text: a.find("q:Value", ns).text for a in message.findall("q:Attribute", ns)}
    assert names["ApproximateReceiveCount"] == "1"
    attribute = message.find("q:MessageAttribute", ns)
    assert attribute.find("q:Name", ns).text == "k"
    assert attribute.find("q:Value/q:StringValue", ns).text == "v"
    assert got.find("q:ResponseMetadata/q:RequestId", ns).text
    attrs = ET.fromstring(call(Action="GetQueueAttributes", QueueUrl=url, **{"AttributeName.1": "VisibilityTimeout"}).content)
    assert [(a.find("q:Name", ns).text, a.find("q:Value", ns).text) for a in attrs.iter(f"{{{ns['q']}}}Attribute")] == [("VisibilityTimeout", "7")]
    # Old clients post to the queue URL itself, without a QueueUrl parameter.
    posted = requests.post(url, data={"Action": "SendMessage", "MessageBody": "to the path", "Version": "2012-11-05"}, headers=headers, timeout=10)
    assert posted.status_code == 200, posted.text
    assert ET.fromstring(posted.content).find("q:SendMessageResult/q:MessageId", ns).text
    no_name = call(Action="CreateQueue")
    assert no_name.status_code == 400
    assert ET.fromstring(no_name.content).find("q:Error/q:Code", ns).text == "MissingParameter"
    no_body = call(Action="SendMessageBatch", QueueUrl=url, **{"SendMessageBatchRequestEntry.1.Id": "a"})
    assert ET.fromstring(no_body.content).find("q:Error/q:Message", ns).text.endswith("Entries.MessageBody.")
    missing = call(Action="GetQueueUrl", QueueName="absent")
    assert missing.status_code == 400
    error = ET.fromstring(missing.content)
    assert error.find("q:Error/q:Code", ns).text == "AWS.SimpleQueueService.NonExistentQueue"
    assert error.find("q:Error/q:Type", ns).text == "Sender"
    assert error.find("q:RequestId", ns).text


def test_json_errors_carry_the_query_code_header(aws):
    response = requests.post(
        aws.endpoint + "/",
        data=json.dumps({"QueueName": "absent"}),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AmazonSQS.GetQueueUrl",
            "x-amzn-query-mode": "true",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
        },
        timeout=10,
    )
    assert response.status_code == 400
    # As AWS's "Interpreting Amazon SQS JSON API responses" shows: the shape's full id.
    assert response.json() == {"__type": "com.amazonaws.sqs#QueueDoesNotExist",
                               "message": "The specified queue does not exist."}
    assert response.headers["x-amzn-ErrorType"] == "com.amazonaws.sqs#QueueDoesNotExist"
    assert response.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
