"""SNS subscription operations: subscribe, confirm, unsubscribe, list, attributes."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import delivery, filter_policy
from .base import EFFECTIVE_DELIVERY_POLICY, PHONE, SnsBase, base_url, invalid, page
from .state import Subscription, Topic

SUBSCRIPTION_ATTRIBUTES = {
    "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy",
    "SubscriptionRoleArn", "ReplayPolicy",
}
PROTOCOLS = ("http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose")
NEEDS_CONFIRMATION = ("http", "https", "email", "email-json")
_QUEUE_ARN = re.compile(r"^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}(\.fifo)?$")
_FUNCTION_ARN = re.compile(r"^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _filter_reason(err: filter_policy.FilterPolicyError, in_attributes_param: bool) -> AWSError:
    if err.bare:
        return invalid(err.reason)
    where = "Attributes Reason: FilterPolicy" if in_attributes_param else "FilterPolicy"
    return invalid(f"{where}: {err.reason}")


class SubscriptionOperations(SnsBase):
    """Subscriptions, their confirmation and attributes."""

    def _check_endpoint(self, protocol: str, endpoint: str, topic: Topic) -> None:
        if protocol not in PROTOCOLS:
            raise invalid(f"Amazon SNS does not support this protocol string: {protocol}")
        if topic.fifo and protocol != "sqs":
            raise invalid(f"Invalid protocol type: {protocol}")
        if protocol in ("http", "https") and not endpoint.lower().startswith(f"{protocol}://"):
            raise invalid("Endpoint must match the specified protocol")
        if protocol in ("email", "email-json") and not _EMAIL.match(endpoint):
            raise invalid("Email address")
        if protocol == "sms" and not PHONE.match(endpoint):
            raise invalid(f"SMS endpoint Reason: {endpoint} is not a valid phone number")
        if protocol == "sqs":
            if not _QUEUE_ARN.match(endpoint):
                raise invalid("SQS endpoint ARN")
            if endpoint.endswith(".fifo") and not topic.fifo:
                raise invalid("Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
        if protocol == "lambda" and not _FUNCTION_ARN.match(endpoint):
            raise invalid("Lambda endpoint ARN")

    def _check_subscription_attributes(self, attributes: dict[str, str], in_attributes_param: bool) -> None:
        for name, value in attributes.items():
            if name not in SUBSCRIPTION_ATTRIBUTES:
                raise invalid("Attributes Reason: Unknown attribute" if in_attributes_param else "AttributeName")
            if name == "RawMessageDelivery" and value.lower() not in ("true", "false"):
                raise invalid(f"Attributes Reason: RawMessageDelivery: Invalid value [{value}]. Must be true or false.")
            if name == "FilterPolicyScope" and value not in filter_policy.SCOPES:
                raise invalid(f"FilterPolicyScope: Invalid value [{value}]. Please use either MessageBody or MessageAttributes")
            if name in ("DeliveryPolicy", "RedrivePolicy") and value:
                try:
                    json.loads(value)
                except ValueError:
                    raise invalid(f"{name}: failed to parse JSON.") from None
        if attributes.get("FilterPolicy"):
            scope = attributes.get("FilterPolicyScope", filter_policy.ATTRIBUTES)
            try:
                filter_policy.parse(attributes["FilterPolicy"], scope)
            except filter_policy.FilterPolicyError as err:
                raise _filter_reason(err, in_attributes_param) from None

    def subscribe(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        protocol, endpoint = p["Protocol"], p.get("Endpoint", "")
        attributes = dict(p.get("Attributes") or {})
        self._check_subscription_attributes(attributes, True)
        with self.store.lock:
            topic = self._topic(p["TopicArn"])
            self._check_endpoint(protocol, endpoint, topic)
            state = self._state_of(topic.arn)
            for sub in state.subscriptions.values():
                if (sub.topic_arn, sub.protocol, sub.endpoint) == (topic.arn, protocol, endpoint):
                    if any(sub.attributes.get(k) != v for k, v in attributes.items()):
                        raise invalid("Attributes Reason: Subscription already exists with different attributes")
                    shown = sub.arn if sub.confirmed or p.get("ReturnSubscriptionArn") else "pending confirmation"
                    return {"SubscriptionArn": shown}
            sub = Subscription(
                arn=f"{topic.arn}:{uuid.uuid4()}", topic_arn=topic.arn, protocol=protocol,
                endpoint=endpoint, owner=ctx.account_id, attributes=attributes,
                confirmed=protocol not in NEEDS_CONFIRMATION, token=secrets.token_hex(64),
            )
            state.subscriptions[sub.arn] = sub
        if not sub.confirmed:
            record = delivery.confirm_request(
                ctx, sub, delivery.arn_parts(topic.arn)[0], base_url(ctx), str(uuid.uuid4())
            )
            self._keep(topic.arn, [record])
            if not p.get("ReturnSubscriptionArn"):
                return {"SubscriptionArn": "pending confirmation"}
        return {"SubscriptionArn": sub.arn}


    def confirm_subscription(self, ctx: RequestContext) -> dict[str, Any]:
        token = ctx.params["Token"]
        with self.store.lock:
            topic = self._topic(ctx.params["TopicArn"])
            for sub in self._state_of(topic.arn).subscriptions.values():
                if sub.topic_arn == topic.arn and sub.token == token:
                    sub.confirmed = True
                    return {"SubscriptionArn": sub.arn}
        raise invalid("Token")

    def unsubscribe(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["SubscriptionArn"]
        with self.store.lock:
            try:
                sub = self._subscription(arn)
            except AWSError as err:
                if err.code == "NotFound":
                    return {}
                raise
            state = self._state_of(arn)
            del state.subscriptions[sub.arn]
            topic = state.topics.get(sub.topic_arn)
            if topic is not None:
                topic.subscriptions_deleted += 1
        if sub.confirmed:
            record = delivery.confirm_request(ctx, sub, delivery.arn_parts(arn)[0], base_url(ctx),
                                              str(uuid.uuid4()), kind="UnsubscribeConfirmation")
            self._keep(sub.topic_arn, [record])
        return {}

    @staticmethod
    def _listed(sub: Subscription) -> dict[str, str]:
        return {"SubscriptionArn": sub.arn if sub.confirmed else "PendingConfirmation", "Owner": sub.owner,
                "Protocol": sub.protocol, "Endpoint": sub.endpoint, "TopicArn": sub.topic_arn}

    def list_subscriptions(self, ctx: RequestContext) -> dict[str, Any]:
        subs = [self._listed(s) for s in self.store.for_ctx(ctx).subscriptions.values()]
        return page(subs, ctx.params.get("NextToken"), "Subscriptions", "ListSubscriptions")

    def list_subscriptions_by_topic(self, ctx: RequestContext) -> dict[str, Any]:
        topic = self._topic(ctx.params["TopicArn"])
        subs = [self._listed(s) for s in self._state_of(topic.arn).subscriptions.values()
                if s.topic_arn == topic.arn]
        return page(subs, ctx.params.get("NextToken"), "Subscriptions", f"ListSubscriptionsByTopic:{topic.arn}")

    def get_subscription_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        sub = self._subscription(ctx.params["SubscriptionArn"])
        attributes = {
            "SubscriptionArn": sub.arn, "TopicArn": sub.topic_arn, "Owner": sub.owner,
            "Protocol": sub.protocol, "Endpoint": sub.endpoint,
            "ConfirmationWasAuthenticated": "true" if sub.confirmed else "false",
            "PendingConfirmation": "false" if sub.confirmed else "true",
            "SubscriptionPrincipal": f"arn:{ctx.partition}:iam::{sub.owner}:root",
            "RawMessageDelivery": "false",
            **({"EffectiveDeliveryPolicy": EFFECTIVE_DELIVERY_POLICY} if sub.protocol in ("http", "https") else {}),
            **sub.attributes,
        }
        if attributes.get("FilterPolicy"):
            attributes.setdefault("FilterPolicyScope", filter_policy.ATTRIBUTES)
        else:
            attributes.pop("FilterPolicy", None)
            attributes.pop("FilterPolicyScope", None)
        return {"Attributes": attributes}

    def set_subscription_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, value = p["AttributeName"], p.get("AttributeValue", "")
        with self.store.lock:
            sub = self._subscription(p["SubscriptionArn"])
            if name == "FilterPolicyScope" and value in filter_policy.SCOPES and sub.attributes.get("FilterPolicy"):
                probe = {"FilterPolicy": sub.attributes["FilterPolicy"], "FilterPolicyScope": value}
            elif name == "FilterPolicy" and value:
                probe = {name: value, "FilterPolicyScope": sub.attributes.get("FilterPolicyScope", filter_policy.ATTRIBUTES)}
            else:
                probe = {name: value}
            self._check_subscription_attributes(probe, False)
            if name == "RawMessageDelivery" and sub.protocol not in ("sqs", "http", "https", "firehose"):
                raise invalid(f"AttributeName Reason: Delivery protocol [{sub.protocol}] does not support raw message delivery.")
            if value == "" and name in ("FilterPolicy",):
                sub.attributes.pop(name, None)
            else:
                sub.attributes[name] = value
        return {}
