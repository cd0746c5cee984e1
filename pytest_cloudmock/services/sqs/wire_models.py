"""SQS's two wire models: botocore's json model, and the query model old SDKs speak.

botocore (since 1.34) ships SQS as json only (`awsQueryCompatible`); the query
protocol's XML traits (member names, flattening, result wrappers) were dropped
with the old model. `with_query_traits` puts them back from the small tables below, taken
from the last query-protocol model botocore shipped (1.33), so the query codec
reads `Attribute.1.Name=...` and writes `<ReceiveMessageResult><Message>...` as
AWS does. Its error shapes get the legacy query codes
(`AWS.SimpleQueueService.NonExistentQueue`, ...) from `wire`'s table, which
the json codec uses for the `x-amzn-query-error` header.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from botocore.loaders import Loader
from botocore.model import ServiceModel

from ...models import service_model
from .wire import AWS_QUERY_ERRORS

XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/"

# list shape -> the (flattened) XML name of its members
LIST_MEMBER_NAMES = {
    "AWSAccountIdList": "AWSAccountId",
    "ActionNameList": "ActionName",
    "AttributeNameList": "AttributeName",
    "BatchResultErrorEntryList": "BatchResultErrorEntry",
    "BinaryList": "BinaryListValue",
    "ChangeMessageVisibilityBatchRequestEntryList": "ChangeMessageVisibilityBatchRequestEntry",
    "ChangeMessageVisibilityBatchResultEntryList": "ChangeMessageVisibilityBatchResultEntry",
    "DeleteMessageBatchRequestEntryList": "DeleteMessageBatchRequestEntry",
    "DeleteMessageBatchResultEntryList": "DeleteMessageBatchResultEntry",
    "ListMessageMoveTasksResultEntryList": "ListMessageMoveTasksResultEntry",
    "MessageAttributeNameList": "MessageAttributeName",
    "MessageList": "Message",
    "MessageSystemAttributeList": "MessageSystemAttributeName",  # newer than the query model
    "QueueUrlList": "QueueUrl",
    "SendMessageBatchRequestEntryList": "SendMessageBatchRequestEntry",
    "SendMessageBatchResultEntryList": "SendMessageBatchResultEntry",
    "StringList": "StringListValue",
    "TagKeyList": "TagKey",
}

# map shape -> XML names of its key and value
MAP_ENTRY_NAMES = {
    "MessageBodyAttributeMap": ("Name", "Value"),
    "MessageBodySystemAttributeMap": ("Name", "Value"),
    "MessageSystemAttributeMap": ("Name", "Value"),
    "QueueAttributeMap": ("Name", "Value"),
    "TagMap": ("Key", "Value"),
}

# shape -> XML name wherever a member of that shape is not renamed itself
SHAPE_NAMES = {"MessageSystemAttributeMap": "Attribute", "QueueAttributeMap": "Attribute", "TagMap": "Tag"}

# structure member -> XML name
MEMBER_NAMES = {
    ("CreateQueueRequest", "Attributes"): "Attribute",
    ("CreateQueueRequest", "tags"): "Tag",
    ("GetQueueAttributesResult", "Attributes"): "Attribute",
    ("ListQueueTagsResult", "Tags"): "Tag",
    ("Message", "Attributes"): "Attribute",
    ("Message", "MessageAttributes"): "MessageAttribute",
    ("MessageAttributeValue", "BinaryListValues"): "BinaryListValue",
    ("MessageAttributeValue", "StringListValues"): "StringListValue",
    ("MessageSystemAttributeValue", "BinaryListValues"): "BinaryListValue",
    ("MessageSystemAttributeValue", "StringListValues"): "StringListValue",
    ("SendMessageBatchRequestEntry", "MessageAttributes"): "MessageAttribute",
    ("SendMessageBatchRequestEntry", "MessageSystemAttributes"): "MessageSystemAttribute",
    ("SendMessageRequest", "MessageAttributes"): "MessageAttribute",
    ("SendMessageRequest", "MessageSystemAttributes"): "MessageSystemAttribute",
    ("SetQueueAttributesRequest", "Attributes"): "Attribute",
}


def with_query_traits(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the json model's data, turned into the query protocol's model."""
    out = copy.deepcopy(data)
    meta = out["metadata"]
    meta["protocol"] = "query"
    meta["protocols"] = ["query"]
    meta["xmlNamespace"] = XML_NAMESPACE
    for key in ("jsonVersion", "targetPrefix", "awsQueryCompatible"):
        meta.pop(key, None)
    shapes = out["shapes"]
    for name, member_name in LIST_MEMBER_NAMES.items():
        shapes[name]["member"]["locationName"] = member_name
    for name, (key, value) in MAP_ENTRY_NAMES.items():
        shapes[name]["key"]["locationName"] = key
        shapes[name]["value"]["locationName"] = value
    for name, xml_name in SHAPE_NAMES.items():
        shapes[name]["locationName"] = xml_name
    for (shape, member), xml_name in MEMBER_NAMES.items():
        shapes[shape]["members"][member]["locationName"] = xml_name
    for name, (code, status) in AWS_QUERY_ERRORS.items():
        shapes[name]["error"] = {"code": code, "httpStatusCode": status, "senderFault": True}
    for name, op in out["operations"].items():
        if "output" in op:
            op["output"]["resultWrapper"] = f"{name}Result"
    return out


@lru_cache(maxsize=1)
def json_model() -> ServiceModel:
    """botocore's SQS model, as shipped."""
    return service_model("sqs")


@lru_cache(maxsize=1)
def query_model() -> ServiceModel:
    """The SQS model with the query protocol's XML traits restored."""
    data = Loader().load_service_model("sqs", "service-2")
    return ServiceModel(with_query_traits(data), service_name="sqs")
