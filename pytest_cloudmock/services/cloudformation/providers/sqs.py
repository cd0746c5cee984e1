"""AWS::SQS::Queue and AWS::SQS::QueuePolicy, made through our SQS."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_json,
    as_text,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
)

_MISSING_QUEUE = ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")

#: Queue properties that are queue attributes of the same name, with the value SQS falls
#: back to when a template drops one (CloudFormation resets a removed property).
ATTRIBUTES: dict[str, str | None] = {
    "ContentBasedDeduplication": None,
    "DeduplicationScope": None,
    "DelaySeconds": "0",
    "FifoThroughputLimit": None,
    "KmsDataKeyReusePeriodSeconds": "300",
    "KmsMasterKeyId": "",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "RedriveAllowPolicy": "",
    "RedrivePolicy": "",
    "SqsManagedSseEnabled": None,
    "VisibilityTimeout": "30",
}


def queue_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


class QueueProvider(BaseProvider):
    """AWS::SQS::Queue. `Ref`: the queue URL."""

    type_name = "AWS::SQS::Queue"
    replaces = frozenset({"QueueName", "FifoQueue"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        fifo = as_bool(properties.get("FifoQueue", False))
        name = properties.get("QueueName") or generated_name(ctx, max_length=80, suffix=".fifo" if fifo else "")
        attributes = {k: as_text(properties[k]) for k in ATTRIBUTES if properties.get(k) is not None}
        if fifo:
            attributes["FifoQueue"] = "true"
        params: dict[str, Any] = {"QueueName": name, "Attributes": attributes}
        tags = resource_tags(ctx, properties)
        if tags:
            params["tags"] = {t["Key"]: t["Value"] for t in tags}
        url = ctx.call("sqs", "CreateQueue", params)["QueueUrl"]
        return self.describe(ctx, url, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        attributes = {}
        for key, default in ATTRIBUTES.items():
            if new.get(key) != old.get(key):
                if new.get(key) is not None:
                    attributes[key] = as_text(new[key])
                elif default is not None:
                    attributes[key] = default
        if attributes:
            ctx.call("sqs", "SetQueueAttributes", {"QueueUrl": physical_id, "Attributes": attributes})
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("sqs", "TagQueue", {"QueueUrl": physical_id, "Tags": to_set})
        if to_remove:
            ctx.call("sqs", "UntagQueue", {"QueueUrl": physical_id, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sqs", "DeleteQueue", {"QueueUrl": physical_id}), *_MISSING_QUEUE)

    readable = frozenset({*ATTRIBUTES, "QueueName", "FifoQueue", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("sqs", "GetQueueAttributes", {
            "QueueUrl": physical_id, "AttributeNames": ["All"]}), *_MISSING_QUEUE)
        if found is None:
            return None
        attributes = found.get("Attributes", {})
        tags = ctx.call("sqs", "ListQueueTags", {"QueueUrl": physical_id}).get("Tags", {})
        return {"QueueName": queue_name(physical_id), "FifoQueue": attributes.get("FifoQueue", "false"),
                "Tags": tag_list(tags), **{k: v for k, v in attributes.items() if k in ATTRIBUTES}}

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("sqs", "GetQueueAttributes", {"QueueUrl": physical_id, "AttributeNames": ["QueueArn"]})
        return Created(physical_id, {"Arn": found["Attributes"]["QueueArn"], "QueueUrl": physical_id,
                                     "QueueName": queue_name(physical_id)})


class QueuePolicyProvider(BaseProvider):
    """AWS::SQS::QueuePolicy: the `Policy` attribute of each queue in `Queues` (URLs)."""

    type_name = "AWS::SQS::QueuePolicy"
    replaces = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        policy = as_json(properties["PolicyDocument"])
        for url in properties["Queues"]:
            ctx.call("sqs", "SetQueueAttributes", {"QueueUrl": url, "Attributes": {"Policy": policy}})
        return Created(generated_name(ctx))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._clear(ctx, [url for url in old.get("Queues", []) if url not in new["Queues"]])
        self.create(ctx, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        self._clear(ctx, properties.get("Queues", []))

    def _clear(self, ctx: ProviderContext, urls: list[str]) -> None:
        for url in urls:
            ignore_missing(lambda u=url: ctx.call("sqs", "SetQueueAttributes",
                                                  {"QueueUrl": u, "Attributes": {"Policy": ""}}), *_MISSING_QUEUE)
