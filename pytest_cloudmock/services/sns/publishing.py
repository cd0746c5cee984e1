"""SNS publishing: `Publish`, `PublishBatch`, fan-out, and SMS settings.

Deliveries happen before `Publish` returns: a test's next `ReceiveMessage`
sees the message.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from ...api import AWSError, RequestContext
from ...api import new_request_id as new_message_id  # UUID v4 text, as AWS's message ids
from ...clock import Clock
from . import delivery, filter_policy, messages
from .base import E164, SnsBase, base_url, invalid
from .state import Delivery, Subscription, Topic

MAX_MESSAGE_BYTES = 262144
MAX_ATTRIBUTES = 10
MAX_BATCH = 10
DEDUP_WINDOW = 300.0
NUMBER_LIMIT = Decimal("1e126")
_BATCH_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,256}$")
# The reserved names AWS documents for SMS and mobile push publishes (exact spelling).
AWS_ATTRIBUTES = frozenset({
    "AWS.SNS.SMS.SenderID", "AWS.SNS.SMS.MaxPrice", "AWS.SNS.SMS.SMSType", "AWS.MM.SMS.OriginationNumber",
    "AWS.MM.SMS.EntityId", "AWS.MM.SMS.TemplateId", "AWS.SNS.MOBILE.APNS.MDM.Topic",
    "AWS.SNS.MOBILE.APNS.PRIORITY", "AWS.SNS.MOBILE.APNS.PUSH_TYPE", "AWS.SNS.MOBILE.APNS.COLLAPSE_ID",
    "AWS.SNS.MOBILE.APNS.TOPIC", "AWS.SNS.MOBILE.APNS.TTL", "AWS.SNS.MOBILE.APNS_SANDBOX.TTL",
    "AWS.SNS.MOBILE.APNS_VOIP.TTL", "AWS.SNS.MOBILE.APNS_VOIP_SANDBOX.TTL", "AWS.SNS.MOBILE.MACOS.TTL",
    "AWS.SNS.MOBILE.MACOS_SANDBOX.TTL", "AWS.SNS.MOBILE.GCM.TTL", "AWS.SNS.MOBILE.FCM.TTL",
    "AWS.SNS.MOBILE.ADM.TTL", "AWS.SNS.MOBILE.BAIDU.TTL", "AWS.SNS.MOBILE.BAIDU.DeployStatus",
    "AWS.SNS.MOBILE.BAIDU.MessageType", "AWS.SNS.MOBILE.BAIDU.MessageKey", "AWS.SNS.MOBILE.MPNS.Type",
    "AWS.SNS.MOBILE.MPNS.NotificationClass", "AWS.SNS.MOBILE.MPNS.TTL", "AWS.SNS.MOBILE.WNS.CachePolicy",
    "AWS.SNS.MOBILE.WNS.Group", "AWS.SNS.MOBILE.WNS.Match", "AWS.SNS.MOBILE.WNS.SuppressPopup",
    "AWS.SNS.MOBILE.WNS.Tag", "AWS.SNS.MOBILE.WNS.TTL", "AWS.SNS.MOBILE.WNS.Type",
})


@lru_cache(maxsize=256)
def _compiled_policy(text: str, scope: str) -> dict[str, Any]:
    """A stored (so already validated) filter policy, parsed once."""
    return filter_policy.parse(text, scope)


def _forget_expired(topic: Topic, now: float) -> None:
    """Drop the deduplication ids sent more than five minutes ago, oldest first (so a publish
    costs the same however many ids the window holds). An id sent again after its window
    has a newer entry, which an older one's expiry leaves alone; the clock moved back can
    leave an expired id queued behind a newer one, so lookups check the window too."""
    order, dedup = topic.dedup_order, topic.dedup
    while order and now - order[0][0] >= DEDUP_WINDOW:
        sent, dedup_id = order.popleft()
        entry = dedup.get(dedup_id)
        if entry is not None and entry[0] == sent:
            del dedup[dedup_id]


class PublishOperations(SnsBase):
    """Publishing to topics and phone numbers; SMS settings."""

    def _check_attributes(self, attributes: dict[str, dict[str, Any]]) -> None:
        reason = "MessageAttributes Reason: "
        if len(attributes) > MAX_ATTRIBUTES:
            raise invalid(f"{reason}Number of message attributes [{len(attributes)}] exceeds the allowed maximum [{MAX_ATTRIBUTES}].")
        for name, attr in attributes.items():
            if not _ATTRIBUTE_NAME.match(name) or name.startswith(".") or name.endswith(".") or ".." in name:
                raise invalid(f"{reason}The message attribute name '{name}' is invalid.")
            if name.lower().startswith(("aws.", "amazon.")) and name not in AWS_ATTRIBUTES:
                # The text SDK users report for a reserved name (the exact envelope is not documented).
                raise AWSError("InvalidParameter", "Message attribute names starting with 'AWS.' or 'Amazon.' "
                               "are reserved for use by Amazon.", 400)
            data_type = attr.get("DataType", "")
            base = data_type.split(".", 1)[0]
            if base not in ("String", "Number", "Binary"):
                raise invalid(f"{reason}The message attribute '{name}' has an invalid message attribute "
                              "type, the set of supported type prefixes is Binary, Number, and String.")
            if base == "Binary":
                if attr.get("BinaryValue") is None:
                    raise invalid(f"{reason}The message attribute '{name}' with type 'Binary' must use field 'Binary'.")
                continue
            value = attr.get("StringValue")
            if value is None or value == "":
                raise invalid(f"{reason}The message attribute '{name}' must contain non-empty message "
                              f"attribute value for message attribute type '{base}'.")
            if base == "Number":
                try:
                    number = Decimal(value.strip())
                except InvalidOperation:
                    raise invalid(f"{reason}Could not cast message attribute '{name}' value to number.") from None
                # AWS: up to 38 digits of precision, between 10^-128 and 10^+126.
                if not number.is_finite() or abs(number) > NUMBER_LIMIT or len(number.as_tuple().digits) > 38:
                    raise invalid(f"{reason}Value {value} for message attribute '{name}' is out of range.")
            if data_type == "String.Array":
                try:
                    parsed = json.loads(value)
                except ValueError:
                    parsed = None
                if not isinstance(parsed, list) or any(isinstance(v, (list, dict)) for v in parsed):
                    raise invalid(f"{reason}Invalid attribute value for String.Array: {value}")

    def _prepare(self, ctx: RequestContext, topic_arn: str, entry: dict[str, Any]) -> delivery.Publication:
        """Validate one message for a topic; the publication (message id not yet assigned)."""
        message = entry.get("Message")
        if message is None or message == "":
            raise invalid("Empty message")
        if len(message.encode()) > MAX_MESSAGE_BYTES:
            raise invalid("Message too long")
        subject = entry.get("Subject")
        if subject is not None and (not subject or len(subject) > 100 or not subject.isascii()
                                    or any(c in subject for c in "\r\n")):
            raise invalid("Subject")
        per_protocol = delivery.parse_structure(message) if entry.get("MessageStructure") == "json" else None
        if entry.get("MessageStructure") not in (None, "json"):
            raise invalid("MessageStructure")
        attributes = dict(entry.get("MessageAttributes") or {})
        self._check_attributes(attributes)
        return delivery.Publication(
            message_id="", topic_arn=topic_arn, region=delivery.arn_parts(topic_arn)[0], message=message,
            sent_at="", subject=subject, per_protocol=per_protocol, attributes=attributes,
            group_id=entry.get("MessageGroupId"), dedup_id=entry.get("MessageDeduplicationId"),
        )

    def _enqueue(self, topic: Topic, pub: delivery.Publication, clock: Clock) -> list[Subscription]:
        """Assign id (and FIFO sequence number); the subscriptions to deliver to (none if a duplicate).

        Call with the store lock held.
        """
        if topic.fifo:
            if not pub.group_id:
                raise invalid("The MessageGroupId parameter is required for FIFO topics")
            if not pub.dedup_id:
                if topic.attributes.get("ContentBasedDeduplication", "false").lower() != "true":
                    raise invalid("The topic should either have ContentBasedDeduplication enabled or "
                                  "MessageDeduplicationId provided explicitly")
                pub.dedup_id = delivery.content_dedup_id(pub.message)
            now = clock.now()
            _forget_expired(topic, now)
            seen = topic.dedup.get(pub.dedup_id)
            if seen is not None and now - seen[0] < DEDUP_WINDOW:
                pub.message_id, pub.sequence_number = seen[1], seen[2]
                return []
            topic.sequence += 1
            pub.sequence_number = f"{topic.sequence:020d}"
        elif pub.dedup_id:
            raise invalid("MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
                          "parameter that is not valid for this topic type")
        pub.message_id = new_message_id()
        pub.sent_at = messages.timestamp(clock)
        if topic.fifo:
            topic.dedup[pub.dedup_id] = (now, pub.message_id, pub.sequence_number or "")  # type: ignore[index]
            topic.dedup_order.append((now, pub.dedup_id))  # type: ignore[arg-type]
        state = self._state_of(topic.arn)
        return [Subscription(**vars(s)) for s in state.subscriptions.values()
                if s.topic_arn == topic.arn and s.confirmed]

    def _fan_out(self, ctx: RequestContext, pub: delivery.Publication, subs: list[Subscription]) -> None:
        base = base_url(ctx)
        opted_out: set[str] = set()
        enabled: dict[str, bool] = {}
        if any(sub.protocol in ("sms", "application") for sub in subs):  # phones and devices: as they are now
            with self.store.lock:
                state = self._state_of(pub.topic_arn)
                opted_out = set(state.opted_out)
                enabled = {arn: e.attributes.get("Enabled") == "true" for arn, e in state.endpoints.items()}
        records: list[Delivery | None] = []
        policy_input = filter_policy.PolicyInput(pub.attributes)
        for sub in subs:
            if sub.protocol == "sms" and sub.endpoint in opted_out:
                continue
            if sub.protocol == "application" and not enabled.get(sub.endpoint, False):
                failed = delivery.record(sub, pub, "Notification", pub.message, pub.message)
                failed.error = "EndpointDisabled" if sub.endpoint in enabled else "Endpoint does not exist"
                records.append(failed)
                continue
            policy_text = sub.attributes.get("FilterPolicy")
            if policy_text:
                scope = sub.attributes.get("FilterPolicyScope", filter_policy.ATTRIBUTES)
                policy = _compiled_policy(policy_text, scope)
                if not filter_policy.matches(policy, scope, policy_input, pub.message_for(sub.protocol)):
                    continue
            records.append(delivery.deliver(ctx, sub, pub, base))
        self._keep(pub.topic_arn, records)

    def _publish_sms(self, ctx: RequestContext, phone: str) -> dict[str, Any]:
        if not E164.match(phone):  # AWS's message; a number without "+" is refused too
            raise invalid(f"PhoneNumber Reason: {phone} is not valid to publish to")
        message = ctx.params.get("Message") or ""
        if not message:
            raise invalid("Empty message")
        self._check_attributes(dict(ctx.params.get("MessageAttributes") or {}))
        message_id = new_message_id()
        record = Delivery(protocol="sms", endpoint=phone, topic_arn="", subscription_arn="",
                          message_id=message_id, type="Notification", message=message, body=message,
                          subject=ctx.params.get("Subject"),
                          message_attributes=dict(ctx.params.get("MessageAttributes") or {}))
        with self.store.lock:
            state = self.store.for_ctx(ctx)
            if phone not in state.opted_out:
                state.outbox.append(record)
        return {"MessageId": message_id}

    def _publish_to_endpoint(self, ctx: RequestContext, arn: str) -> dict[str, Any]:
        """Mobile push to one platform endpoint: captured in the outbox (protocol `application`)."""
        with self.store.lock:
            try:
                endpoint = self._endpoint(arn)
            except AWSError as err:
                if err.code != "NotFound":
                    raise
                raise invalid("TargetArn Reason: No endpoint found for the target arn specified") from None
            enabled = endpoint.attributes.get("Enabled", "true") == "true"
            platform = delivery.platform_of(arn)
        if not enabled:
            raise AWSError("EndpointDisabled", "Endpoint is disabled", 400)
        pub = self._prepare(ctx, arn, ctx.params)
        if pub.group_id or pub.dedup_id:
            raise invalid("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid "
                          "for this topic type")  # AWS's wording for endpoints is not documented
        message_id = new_message_id()
        record = Delivery(protocol="application", endpoint=arn, topic_arn="", subscription_arn="",
                          message_id=message_id, type="Notification", message=pub.message_for(platform),
                          body=pub.message_for(platform), subject=pub.subject,
                          message_attributes=dict(pub.attributes))
        with self.store.lock:
            self._state_of(arn).outbox.append(record)
        return {"MessageId": message_id}

    def publish(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        targets = [k for k in ("TopicArn", "TargetArn", "PhoneNumber") if p.get(k)]
        if not targets:
            raise invalid("TopicArn or TargetArn Reason: no value for required parameter")
        if len(targets) > 1:
            raise invalid("TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified")
        if targets[0] == "PhoneNumber":
            return self._publish_sms(ctx, p["PhoneNumber"])
        topic_arn = p[targets[0]]
        if targets[0] == "TargetArn" and ":endpoint/" in topic_arn:
            return self._publish_to_endpoint(ctx, topic_arn)
        self._check_key(ctx, topic_arn, self._topic(topic_arn))
        pub = self._prepare(ctx, topic_arn, p)
        with self._ordering(topic_arn):
            with self.store.lock:
                subs = self._enqueue(self._topic(topic_arn), pub, ctx.clock)
            self._fan_out(ctx, pub, subs)
        out = {"MessageId": pub.message_id}
        if pub.sequence_number:
            out["SequenceNumber"] = pub.sequence_number
        return out

    def publish_batch(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        entries = p.get("PublishBatchRequestEntries") or []
        if not entries:
            raise AWSError("EmptyBatchRequest", "The batch request doesn't contain any entries", 400)
        if len(entries) > MAX_BATCH:
            raise AWSError("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.", 400)
        ids = [e["Id"] for e in entries]
        if len(ids) != len(set(ids)):
            raise AWSError("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.", 400)
        if not all(_BATCH_ID.match(i) for i in ids):
            raise AWSError("InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification.", 400)
        if sum(len((e.get("Message") or "").encode()) for e in entries) > MAX_MESSAGE_BYTES:
            raise AWSError("BatchRequestTooLong", "The length of all the messages put together is more than the limit.", 400)
        topic_arn = p["TopicArn"]
        self._check_key(ctx, topic_arn, self._topic(topic_arn))  # one key for the whole batch
        successful, failed, ready = [], [], []
        with self._ordering(topic_arn):
            for entry in entries:
                try:
                    pub = self._prepare(ctx, topic_arn, entry)
                    with self.store.lock:
                        subs = self._enqueue(self._topic(topic_arn), pub, ctx.clock)
                except AWSError as err:
                    failed.append({"Id": entry["Id"], "Code": err.code, "Message": err.message,
                                   "SenderFault": err.sender_fault})
                    continue
                ready.append((pub, subs))
                result = {"Id": entry["Id"], "MessageId": pub.message_id}
                if pub.sequence_number:
                    result["SequenceNumber"] = pub.sequence_number
                successful.append(result)
            for pub, subs in ready:
                self._fan_out(ctx, pub, subs)
        return {"Successful": successful, "Failed": failed}
