"""Delivering one published message to one subscription, per protocol.

SQS and Lambda deliveries go through the registry (`SendMessage` to the
queue's URL, `Invoke`); HTTP(S) endpoints on this machine get AWS's POST,
headers included; email, email-json and sms (and HTTP endpoints elsewhere,
which are never contacted) are captured for tests to read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from ...api import AWSError, RequestContext
from ...iam_policy.acting import AsService
from . import messages
from .state import Delivery, Subscription

log = logging.getLogger("pytest_cloudmock.sns")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
HTTP_TIMEOUT = 5.0
USER_AGENT = "Amazon Simple Notification Service Agent"
#: The protocols whose endpoints get the JSON envelope (Lambda only in a failure's record).
ENVELOPED = frozenset({"sqs", "lambda", "http", "https", "email-json"})


@dataclass
class Publication:
    """One published message, ready to go out to every subscription."""

    message_id: str
    topic_arn: str
    region: str
    message: str
    sent_at: str
    subject: str | None = None
    per_protocol: dict[str, str] | None = None  # MessageStructure=json
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    group_id: str | None = None
    dedup_id: str | None = None
    sequence_number: str | None = None

    def message_for(self, protocol: str) -> str:
        if self.per_protocol is None:
            return self.message
        return self.per_protocol.get(protocol, self.per_protocol["default"])


def arn_parts(arn: str) -> tuple[str, str, str]:
    """(region, account, resource) of an ARN."""
    parts = arn.split(":", 5)
    return parts[3], parts[4], parts[5]


def platform_of(endpoint_arn: str) -> str:
    """The platform (`GCM`, `APNS`, ...) of a platform endpoint ARN (`...:endpoint/GCM/app/id`)."""
    parts = arn_parts(endpoint_arn)[2].split("/") if endpoint_arn.count(":") >= 5 else []
    return parts[1] if len(parts) > 1 else ""


def is_local(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


def unsubscribe_url(base: str, subscription_arn: str) -> str:
    return f"{base}/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"


def subscribe_url(base: str, topic_arn: str, token: str) -> str:
    return f"{base}/?Action=ConfirmSubscription&TopicArn={topic_arn}&Token={token}"


def _unverified_tls() -> ssl.SSLContext:
    """TLS to a subscriber on 127.0.0.1 (a test's self-signed certificate): not verified."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def post(url: str, body: str, headers: dict[str, str]) -> str:
    """POST to a local endpoint; the error ('' when it answered 2xx)."""
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "text/plain; charset=UTF-8", "User-Agent": USER_AGENT, **headers,
    })
    context = _unverified_tls() if url.startswith("https") else None
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT, context=context) as response:
            response.read()
            return ""
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"


def record(sub: Subscription, pub: Publication, kind: str, message: str, body: str) -> Delivery:
    return Delivery(
        protocol=sub.protocol, endpoint=sub.endpoint, topic_arn=sub.topic_arn,
        subscription_arn=sub.arn, message_id=pub.message_id, type=kind, message=message, body=body,
        subject=pub.subject, message_attributes=dict(pub.attributes),
    )


def deliver(ctx: RequestContext, sub: Subscription, pub: Publication, base_url: str) -> Delivery | None:
    """Send `pub` to `sub`; a record to keep if the message was captured or failed.

    The JSON envelope is written only for the protocols that receive it (and a failure's record).
    """
    protocol = sub.protocol
    message = pub.message_for(platform_of(sub.endpoint) if protocol == "application" else protocol)
    unsubscribe = unsubscribe_url(base_url, sub.arn)
    if protocol == "email":
        return record(sub, pub, "Notification", message, messages.email_text(message, unsubscribe))
    if protocol not in ENVELOPED:  # sms, application (mobile push), firehose: captured
        return record(sub, pub, "Notification", message, message)
    raw = sub.attributes.get("RawMessageDelivery", "false").lower() == "true"
    if protocol == "lambda":
        error = _to_lambda(ctx, sub, pub, message, unsubscribe)
        if not error:
            return None
    body = message if raw else _notification(pub, message, unsubscribe)
    if protocol == "sqs":
        error = _to_sqs(ctx, sub, pub, body, raw)
    elif protocol in ("http", "https") and is_local(sub.endpoint):
        headers = {
            "x-amz-sns-message-type": "Notification",
            "x-amz-sns-message-id": pub.message_id,
            "x-amz-sns-topic-arn": pub.topic_arn,
            "x-amz-sns-subscription-arn": sub.arn,
        }
        if raw:
            headers["x-amz-sns-rawdelivery"] = "true"
        error = post(sub.endpoint, body, headers)
    elif protocol != "lambda":  # email-json, and http(s) endpoints elsewhere: captured
        return record(sub, pub, "Notification", message, body)
    if not error:
        return None
    log.warning("cloudmock sns: delivery to %s %s failed: %s", protocol, sub.endpoint, error)
    failed = record(sub, pub, "Notification", message, body)
    failed.error = error
    _redrive(ctx, sub, pub, body, raw)
    return failed


def _notification(pub: Publication, message: str, unsubscribe: str) -> str:
    return messages.notification(
        message_id=pub.message_id, topic_arn=pub.topic_arn, message=message, sent_at=pub.sent_at,
        unsubscribe_url=unsubscribe, region=pub.region, subject=pub.subject,
        attributes=pub.attributes, sequence_number=pub.sequence_number,
    )


def _redrive(ctx: RequestContext, sub: Subscription, pub: Publication, body: str, raw: bool) -> None:
    """Send a failed delivery to the subscription's dead-letter queue (`RedrivePolicy`), as SNS's
    principal for the topic (the queue policy must allow it, as AWS's DLQ docs say). The message
    is the one the endpoint would have got; what else AWS adds to it is not documented here."""
    try:
        queue = json.loads(sub.attributes.get("RedrivePolicy") or "{}").get("deadLetterTargetArn")
    except (ValueError, AttributeError):
        return
    if isinstance(queue, str) and ":sqs:" in queue:
        error = _to_sqs(ctx, replace(sub, protocol="sqs", endpoint=queue), pub, body, raw)
        if error:
            log.warning("cloudmock sns: redrive of %s to %s failed: %s", sub.arn, queue, error)


@lru_cache(maxsize=1024)
def _as_sns(topic_arn: str) -> AsService:
    """SNS's service principal delivering for the topic (the queue's or function's policy must allow it)."""
    return AsService("sns.amazonaws.com", topic_arn, topic_arn.split(":")[4])


@lru_cache(maxsize=1024)
def queue_url(queue_arn: str) -> str:
    """The AWS-style URL of the queue an ARN names (`https://sqs.<region>.amazonaws.com/<account>/<name>`):
    SQS finds the queue from it, so a delivery needs no `GetQueueUrl` first."""
    region, account, name = arn_parts(queue_arn)
    return f"https://sqs.{region}.amazonaws.com/{account}/{quote(name, safe='')}"


def _to_sqs(ctx: RequestContext, sub: Subscription, pub: Publication, body: str, raw: bool) -> str:
    region, account, queue = arn_parts(sub.endpoint)
    registry = ctx.registry
    if registry is None:
        return "no registry"
    params: dict[str, Any] = {"MessageBody": body}
    if raw and pub.attributes:
        params["MessageAttributes"] = {
            name: {k: v for k, v in attr.items() if k in ("DataType", "StringValue", "BinaryValue")}
            for name, attr in pub.attributes.items()
        }
    if queue.endswith(".fifo"):
        params["MessageGroupId"] = pub.group_id or "default"
        params["MessageDeduplicationId"] = pub.dedup_id or hashlib.sha256(body.encode()).hexdigest()
    elif pub.group_id:
        params["MessageGroupId"] = pub.group_id
    try:
        registry.call("sqs", "SendMessage", {"QueueUrl": queue_url(sub.endpoint), **params},
                      account_id=account, region=region, caller=ctx, acting_as=_as_sns(pub.topic_arn))
    except AWSError as err:
        return f"{err.code}: {err.message}"
    return ""


def _to_lambda(ctx: RequestContext, sub: Subscription, pub: Publication, message: str, unsubscribe: str) -> str:
    region, account, _ = arn_parts(sub.endpoint)
    if ctx.registry is None:
        return "no registry"
    payload = messages.lambda_event(
        subscription_arn=sub.arn, message_id=pub.message_id, topic_arn=pub.topic_arn, message=message,
        sent_at=pub.sent_at, unsubscribe_url=unsubscribe, region=pub.region, subject=pub.subject,
        attributes=pub.attributes,
    )
    try:
        ctx.registry.call("lambda", "Invoke", {"FunctionName": sub.endpoint, "InvocationType": "Event",
                                               "Payload": payload}, account_id=account, region=region, caller=ctx,
                          acting_as=_as_sns(pub.topic_arn))
    except AWSError as err:
        return f"{err.code}: {err.message}"
    return ""


def confirm_request(ctx: RequestContext, sub: Subscription, region: str, base_url: str,
                    message_id: str, kind: str = "SubscriptionConfirmation") -> Delivery | None:
    """Ask an endpoint to confirm (or tell it it was unsubscribed); a record if captured or failed.

    Unsubscribe confirmations go to local http(s) endpoints only.
    """
    url = subscribe_url(base_url, sub.topic_arn, sub.token)
    if kind == "SubscriptionConfirmation":
        text = (f"You have chosen to subscribe to the topic {sub.topic_arn}.\nTo confirm the subscription, "
                "visit the SubscribeURL included in this message.")
    else:
        text = (f"You have chosen to deactivate subscription {sub.arn}.\nTo cancel this operation and "
                "restore the subscription, visit the SubscribeURL included in this message.")
    envelope = messages.confirmation(
        kind=kind, message_id=message_id, token=sub.token, topic_arn=sub.topic_arn,
        message=text, subscribe_url=url, sent_at=messages.timestamp(ctx.clock), region=region,
    )
    record = Delivery(protocol=sub.protocol, endpoint=sub.endpoint, topic_arn=sub.topic_arn,
                      subscription_arn=sub.arn, message_id=message_id, type=kind,
                      message=text, body=envelope, token=sub.token)
    if sub.protocol in ("http", "https") and is_local(sub.endpoint):
        headers = {"x-amz-sns-message-type": kind, "x-amz-sns-message-id": message_id,
                   "x-amz-sns-topic-arn": sub.topic_arn}
        if kind != "SubscriptionConfirmation":
            headers["x-amz-sns-subscription-arn"] = sub.arn
        record.error = post(sub.endpoint, envelope, headers)
        return record if record.error else None
    if kind != "SubscriptionConfirmation":
        return None
    if sub.protocol == "email":
        record.body = (f"You have chosen to subscribe to the topic:\n{sub.topic_arn}\n\nTo confirm this "
                       f"subscription, click or visit the link below (If this was in error no action is "
                       f"necessary):\nConfirm subscription\n{url}")
    return record


def content_dedup_id(message: str) -> str:
    return hashlib.sha256(message.encode()).hexdigest()


def parse_structure(message: str) -> dict[str, str]:
    """A `MessageStructure=json` message: protocol -> message; AWS's errors."""
    try:
        parsed = json.loads(message)
    except ValueError:
        raise AWSError("InvalidParameter", "Invalid parameter: Message Structure - JSON message body failed to parse", 400) from None
    if not isinstance(parsed, dict):
        raise AWSError("InvalidParameter", "Invalid parameter: Message Structure - JSON message body failed to parse", 400)
    if "default" not in parsed:
        raise AWSError("InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body", 400)
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in parsed.items()}
