"""AWS::SNS::Topic, AWS::SNS::Subscription and AWS::SNS::TopicPolicy, made through our SNS."""

from __future__ import annotations

from typing import Any

from ...sns.topics import default_policy
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

_MISSING = ("NotFound",)

#: Topic properties that are topic attributes (same name in the API unless mapped).
TOPIC_ATTRIBUTES = {
    "DisplayName": "DisplayName",
    "KmsMasterKeyId": "KmsMasterKeyId",
    "ContentBasedDeduplication": "ContentBasedDeduplication",
    "SignatureVersion": "SignatureVersion",
    "TracingConfig": "TracingConfig",
    "ArchivePolicy": "ArchivePolicy",
    "DataProtectionPolicy": "DataProtectionPolicy",
    "FifoThroughputScope": "FifoThroughputScope",
}

#: Subscription properties that are subscription attributes.
SUBSCRIPTION_ATTRIBUTES = ("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery",
                           "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy")


class TopicProvider(BaseProvider):
    """AWS::SNS::Topic. `Ref`: the topic ARN."""

    type_name = "AWS::SNS::Topic"
    replaces = frozenset({"TopicName", "FifoTopic"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        fifo = as_bool(properties.get("FifoTopic", False))
        name = properties.get("TopicName") or generated_name(ctx, max_length=256, suffix=".fifo" if fifo else "")
        attributes = {api: as_text(properties[key]) for key, api in TOPIC_ATTRIBUTES.items()
                      if properties.get(key) is not None}
        if fifo:
            attributes["FifoTopic"] = "true"
        params: dict[str, Any] = {"Name": name, "Attributes": attributes}
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        topic_arn = ctx.call("sns", "CreateTopic", params)["TopicArn"]
        for subscription in properties.get("Subscription") or []:
            ctx.call("sns", "Subscribe", {"TopicArn": topic_arn, "Protocol": subscription["Protocol"],
                                          "Endpoint": subscription["Endpoint"]})
        return self.describe(ctx, topic_arn, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        for key, api in TOPIC_ATTRIBUTES.items():
            if new.get(key) != old.get(key):
                value = "" if new.get(key) is None else as_text(new[key])
                ctx.call("sns", "SetTopicAttributes",
                         {"TopicArn": physical_id, "AttributeName": api, "AttributeValue": value})
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("sns", "TagResource", {"ResourceArn": physical_id,
                                            "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("sns", "UntagResource", {"ResourceArn": physical_id, "TagKeys": to_remove})
        before = {(s["Protocol"], s["Endpoint"]) for s in old.get("Subscription") or []}
        after = {(s["Protocol"], s["Endpoint"]) for s in new.get("Subscription") or []}
        for protocol, endpoint in after - before:
            ctx.call("sns", "Subscribe", {"TopicArn": physical_id, "Protocol": protocol, "Endpoint": endpoint})
        if before - after:
            listed = ctx.call("sns", "ListSubscriptionsByTopic", {"TopicArn": physical_id})["Subscriptions"]
            for sub in listed:
                if (sub["Protocol"], sub["Endpoint"]) in before - after:
                    ctx.call("sns", "Unsubscribe", {"SubscriptionArn": sub["SubscriptionArn"]})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sns", "DeleteTopic", {"TopicArn": physical_id}), *_MISSING)

    readable = frozenset({"TopicName", "FifoTopic", "Tags", *(k for k in TOPIC_ATTRIBUTES if k != "TracingConfig")})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("sns", "GetTopicAttributes", {"TopicArn": physical_id}), *_MISSING)
        if found is None:
            return None
        attributes = found.get("Attributes", {})
        tags = ctx.call("sns", "ListTagsForResource", {"ResourceArn": physical_id}).get("Tags", [])
        out = {key: attributes[api] for key, api in TOPIC_ATTRIBUTES.items() if attributes.get(api) not in (None, "")}
        return {**out, "TopicName": physical_id.rsplit(":", 1)[-1], "FifoTopic": attributes.get("FifoTopic", "false"),
                "Tags": tag_list(tags)}

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"TopicArn": physical_id, "TopicName": physical_id.rsplit(":", 1)[-1]})


class SubscriptionProvider(BaseProvider):
    """AWS::SNS::Subscription. `Ref`: the subscription ARN."""

    type_name = "AWS::SNS::Subscription"
    replaces = frozenset({"Endpoint", "Protocol", "TopicArn"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        attributes = {k: as_text(properties[k]) for k in SUBSCRIPTION_ATTRIBUTES if properties.get(k) is not None}
        found = ctx.call("sns", "Subscribe", {
            "TopicArn": properties["TopicArn"], "Protocol": properties["Protocol"],
            "Endpoint": properties.get("Endpoint", ""), "Attributes": attributes, "ReturnSubscriptionArn": True,
        })
        return Created(found["SubscriptionArn"], {"Arn": found["SubscriptionArn"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        for key in SUBSCRIPTION_ATTRIBUTES:
            if new.get(key) != old.get(key):
                value = "" if new.get(key) is None else as_text(new[key])
                ctx.call("sns", "SetSubscriptionAttributes",
                         {"SubscriptionArn": physical_id, "AttributeName": key, "AttributeValue": value})
        return Created(physical_id, {"Arn": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sns", "Unsubscribe", {"SubscriptionArn": physical_id}), *_MISSING)


class TopicPolicyProvider(BaseProvider):
    """AWS::SNS::TopicPolicy: the `Policy` attribute of each topic in `Topics`."""

    type_name = "AWS::SNS::TopicPolicy"
    replaces = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        physical_id = generated_name(ctx)
        self._apply(ctx, properties)
        return Created(physical_id, {"Id": physical_id})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._clear(ctx, [t for t in old.get("Topics", []) if t not in new["Topics"]])
        self._apply(ctx, new)
        return Created(physical_id, {"Id": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        self._clear(ctx, properties.get("Topics", []))

    def _apply(self, ctx: ProviderContext, properties: dict[str, Any]) -> None:
        policy = as_json(properties["PolicyDocument"])
        for topic in properties["Topics"]:
            ctx.call("sns", "SetTopicAttributes",
                     {"TopicArn": topic, "AttributeName": "Policy", "AttributeValue": policy})

    def _clear(self, ctx: ProviderContext, topics: list[str]) -> None:
        """Give each topic back the default policy SNS gave it at creation."""
        for topic in topics:
            ignore_missing(lambda t=topic: ctx.call("sns", "SetTopicAttributes", {
                "TopicArn": t, "AttributeName": "Policy",
                "AttributeValue": default_policy(t, t.split(":")[4])}), *_MISSING)

