"""SNS topic operations: create, attributes, permissions, list, delete, tags."""

from __future__ import annotations

import json
import re
from typing import Any

from ...api import AWSError, RequestContext
from . import delivery
from .base import EFFECTIVE_DELIVERY_POLICY, SnsBase, invalid, page
from .state import Topic

TOPIC_ATTRIBUTES = {
    "DeliveryPolicy", "DisplayName", "FifoTopic", "Policy", "SignatureVersion", "TracingConfig",
    "KmsMasterKeyId", "ContentBasedDeduplication", "ArchivePolicy", "DataProtectionPolicy",
    "FifoThroughputScope", "HTTPSuccessFeedbackRoleArn", "HTTPFailureFeedbackRoleArn",
    "HTTPSuccessFeedbackSampleRate", "SQSSuccessFeedbackRoleArn", "SQSFailureFeedbackRoleArn",
    "SQSSuccessFeedbackSampleRate", "LambdaSuccessFeedbackRoleArn", "LambdaFailureFeedbackRoleArn",
    "LambdaSuccessFeedbackSampleRate",
}
TOPIC_ACTIONS = {
    "AddPermission", "DeleteTopic", "GetTopicAttributes", "ListSubscriptionsByTopic", "Publish",
    "Receive", "RemovePermission", "SetTopicAttributes", "Subscribe",
}
MAX_TAGS = 50
_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_FIFO_NAME = re.compile(r"^[A-Za-z0-9_-]{1,251}\.fifo$")


def default_policy(topic_arn: str, account: str) -> str:
    return json.dumps({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                       "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                       "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
        }],
    }, separators=(",", ":"))


JSON_ATTRIBUTES = ("Policy", "DeliveryPolicy", "DataProtectionPolicy")


# Attributes with a fixed set of values (AWS's wording for a wrong one is not documented).
CHOICES = {
    "SignatureVersion": ("1", "2"),
    "TracingConfig": ("PassThrough", "Active"),
    "FifoThroughputScope": ("Topic", "MessageGroup"),
}


def _check_json_attribute(name: str, value: str) -> None:
    """A policy attribute must be a JSON object (AWS: "<name>: failed to parse JSON."); a
    choice attribute one of its values."""
    if name in CHOICES and value not in CHOICES[name]:
        raise invalid(f"Attributes Reason: {name}: Invalid value [{value}]")
    if name not in JSON_ATTRIBUTES or not value:
        return
    try:
        if not isinstance(json.loads(value), dict):
            raise ValueError
    except ValueError:
        raise invalid(f"Attributes Reason: {name}: failed to parse JSON.") from None


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def effective_delivery_policy(policy: str | None) -> str:
    """AWS's default delivery policy with the topic's `DeliveryPolicy` laid over it."""
    if not policy:
        return EFFECTIVE_DELIVERY_POLICY
    return json.dumps(_merged(json.loads(EFFECTIVE_DELIVERY_POLICY), json.loads(policy)), separators=(",", ":"))


class TopicOperations(SnsBase):
    """Topics and their attributes, permissions and tags."""

    def create_topic(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["Name"]
        attributes = dict(p.get("Attributes") or {})
        unknown = set(attributes) - TOPIC_ATTRIBUTES
        if unknown:
            raise invalid("AttributeName")
        for attribute, value in attributes.items():
            _check_json_attribute(attribute, value)
        fifo = attributes.get("FifoTopic", "false").lower() == "true"
        if fifo and not _FIFO_NAME.match(name):
            raise invalid(
                "Fifo Topic names must end with .fifo and must be made up of only uppercase and "
                "lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 "
                "and 256 characters long."
            )
        if not fifo and not _TOPIC_NAME.match(name):
            raise invalid("Topic Name")
        if not fifo:
            attributes.pop("FifoTopic", None)
        else:
            attributes["FifoTopic"] = "true"
            attributes.setdefault("ContentBasedDeduplication", "false")
        arn = f"arn:{ctx.partition}:sns:{ctx.region}:{ctx.account_id}:{name}"
        tags = [dict(t) for t in p.get("Tags") or []]
        with self.store.lock:
            state = self.store.for_ctx(ctx)
            existing = state.topics.get(arn)
            if existing is not None:
                if any(existing.attributes.get(k) != v for k, v in attributes.items()):
                    raise invalid("Attributes Reason: Topic already exists with different attributes")
                if tags and sorted(map(str, existing.tags)) != sorted(map(str, tags)):
                    raise invalid("Tags Reason: Topic already exists with different tags")
                return {"TopicArn": arn}
            state.topics[arn] = Topic(arn, name, attributes, tags)
        return {"TopicArn": arn}

    def delete_topic(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["TopicArn"]
        with self.store.lock:
            try:
                topic = self._topic(arn)
            except AWSError as err:
                if err.code == "NotFound":
                    return {}
                raise
            state = self._state_of(arn)
            del state.topics[topic.arn]
            for sub_arn in [s.arn for s in state.subscriptions.values() if s.topic_arn == arn]:
                del state.subscriptions[sub_arn]
        return {}

    def list_topics(self, ctx: RequestContext) -> dict[str, Any]:
        topics = sorted(self.store.for_ctx(ctx).topics)
        return page([{"TopicArn": a} for a in topics], ctx.params.get("NextToken"), "Topics", "ListTopics")

    def get_topic_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            topic = self._topic(ctx.params["TopicArn"])
            subs = [s for s in self._state_of(topic.arn).subscriptions.values() if s.topic_arn == topic.arn]
            account = delivery.arn_parts(topic.arn)[1]
            attributes = {
                "TopicArn": topic.arn,
                "Owner": account,
                "Policy": default_policy(topic.arn, account),
                "DisplayName": "",
                "SubscriptionsPending": str(sum(not s.confirmed for s in subs)),
                "SubscriptionsConfirmed": str(sum(s.confirmed for s in subs)),
                "SubscriptionsDeleted": str(topic.subscriptions_deleted),
                **topic.attributes,
                "EffectiveDeliveryPolicy": effective_delivery_policy(topic.attributes.get("DeliveryPolicy")),
            }
        return {"Attributes": attributes}

    def set_topic_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, value = p["AttributeName"], p.get("AttributeValue", "")
        if name not in TOPIC_ATTRIBUTES or name == "FifoTopic":
            raise invalid("AttributeName")
        with self.store.lock:
            topic = self._topic(p["TopicArn"])
            if name == "ContentBasedDeduplication" and not topic.fifo:
                raise invalid("ContentBasedDeduplication Reason: Content-based deduplication can only be set for FIFO topics")
            _check_json_attribute(name, value)
            topic.attributes[name] = value
        return {}

    def add_permission(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        actions = p["ActionName"]
        if any(a not in TOPIC_ACTIONS for a in actions):
            raise invalid("Policy statement action out of service scope!")
        with self.store.lock:
            topic = self._topic(p["TopicArn"])
            policy = self._policy(topic)
            if any(s.get("Sid") == p["Label"] for s in policy["Statement"]):
                raise invalid("Statement already exists")
            principals = [f"arn:{ctx.partition}:iam::{a}:root" for a in p["AWSAccountId"]]
            named = [f"SNS:{a}" for a in actions]
            policy["Statement"].append({
                "Sid": p["Label"], "Effect": "Allow",
                "Principal": {"AWS": principals[0] if len(principals) == 1 else principals},
                "Action": named[0] if len(named) == 1 else named,
                "Resource": topic.arn,
            })
            topic.attributes["Policy"] = json.dumps(policy, separators=(",", ":"))
        return {}

    def remove_permission(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            topic = self._topic(ctx.params["TopicArn"])
            policy = self._policy(topic)
            policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != ctx.params["Label"]]
            topic.attributes["Policy"] = json.dumps(policy, separators=(",", ":"))
        return {}

    # -- data protection ----------------------------------------------------------------------------
    def put_data_protection_policy(self, ctx: RequestContext) -> dict[str, Any]:
        text = ctx.params["DataProtectionPolicy"]
        if text:
            try:
                if not isinstance(json.loads(text), dict):
                    raise ValueError
            except ValueError:
                # AWS's wording for a policy that is not JSON is not documented.
                raise invalid("DataProtectionPolicy Reason: failed to parse JSON.") from None
        with self.store.lock:
            topic = self._topic(ctx.params["ResourceArn"])
            if text:
                topic.attributes["DataProtectionPolicy"] = text
            else:
                topic.attributes.pop("DataProtectionPolicy", None)
        return {}

    def get_data_protection_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            topic = self._topic(ctx.params["ResourceArn"])
            return {"DataProtectionPolicy": topic.attributes.get("DataProtectionPolicy", "")}

    @staticmethod
    def _policy(topic: Topic) -> dict[str, Any]:
        text = topic.attributes.get("Policy") or default_policy(topic.arn, delivery.arn_parts(topic.arn)[1])
        policy = json.loads(text)
        statements = policy.get("Statement") or []
        policy["Statement"] = [statements] if isinstance(statements, dict) else list(statements)
        return policy

    # -- tags -------------------------------------------------------------------------------------
    def _tagged(self, arn: str) -> Topic:
        try:
            return self._topic(arn)
        except AWSError:
            raise AWSError("ResourceNotFound", "Resource does not exist", 404) from None

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            topic = self._tagged(ctx.params["ResourceArn"])
            new = {t["Key"]: t["Value"] for t in ctx.params["Tags"]}
            merged = {t["Key"]: t["Value"] for t in topic.tags} | new
            if len(merged) > MAX_TAGS:
                raise AWSError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded", 400)
            topic.tags = [{"Key": k, "Value": v} for k, v in merged.items()]
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            topic = self._tagged(ctx.params["ResourceArn"])
            drop = set(ctx.params["TagKeys"])
            topic.tags = [t for t in topic.tags if t["Key"] not in drop]
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        topic = self._tagged(ctx.params["ResourceArn"])
        return {"Tags": [dict(t) for t in topic.tags]}
