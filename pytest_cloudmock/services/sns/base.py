"""What the SNS operations share: the store, lookups by ARN, errors, paging.

Topics and subscriptions live in the partition of the topic's account and
region (found from the ARN, so confirmation links and cross-account
subscriptions work). The store lock is never held while delivering (an HTTP
endpoint may call back into the gateway).
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from . import delivery
from .state import Delivery, PlatformEndpoint, SnsState, Subscription, Topic

PAGE_SIZE = 100
PHONE = re.compile(r"^\+?[1-9]\d{1,14}$")  # what Subscribe and the opt-out calls accept
E164 = re.compile(r"^\+[1-9]\d{1,14}$")  # what Publish and the SMS sandbox accept
EFFECTIVE_DELIVERY_POLICY = json.dumps({
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
            "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}, separators=(",", ":"))


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameter", f"Invalid parameter: {message}", 400)


def not_found(message: str) -> AWSError:
    return AWSError("NotFound", message, 404)


def check_arn(arn: str, name: str, kind: str) -> None:
    """An SNS ARN of `kind` (`:app/`, `:endpoint/`), else `Invalid parameter: <name>`."""
    if not arn.startswith("arn:") or arn.count(":") != 5 or kind not in arn:
        raise invalid(name)


def page(
    items: list[Any], token: str | None, key: str, listing: str,
    limit: int | None = None, token_key: str = "NextToken",
) -> dict[str, Any]:
    """`{key: one page of items}` and its next token; tokens are scoped to `listing`."""
    chunk, next_token = offset_page(
        items, token, limit or PAGE_SIZE, bad_token=lambda: invalid("NextToken"), scope=listing
    )
    out: dict[str, Any] = {key: chunk}
    if next_token:
        out[token_key] = next_token
    return out


def base_url(ctx: RequestContext) -> str:
    """Where links in messages point: this gateway (AWS's endpoint when unknown)."""
    return ctx.endpoint.rstrip("/") or f"https://sns.{ctx.region}.amazonaws.com"


class SnsBase(ModelService):
    """The SNS service's state and lookups; the operations are in mixins."""

    name = "sns"

    def __init__(self) -> None:
        self.store: Store[SnsState] = Store(SnsState)
        self._order_locks: dict[str, threading.Lock] = {}  # FIFO topic ARN -> delivery order lock

    def _ordering(self, topic_arn: str) -> AbstractContextManager[Any]:
        """Held from numbering to delivery, so a FIFO topic's queues get its sequence order."""
        if not topic_arn.endswith(".fifo"):
            return nullcontext()
        with self.store.lock:
            return self._order_locks.setdefault(topic_arn, threading.Lock())

    # -- lookups --------------------------------------------------------------------------
    def _state_of(self, arn: str) -> SnsState:
        """The partition of an existing topic or subscription ARN."""
        region, account, _ = delivery.arn_parts(arn)
        return self.store.get(account, region)

    def _topic(self, arn: str) -> Topic:
        if not arn.startswith("arn:") or arn.count(":") != 5:
            raise invalid("TopicArn")
        region, account, _ = delivery.arn_parts(arn)
        state = self.store.find(account, region)
        topic = state.topics.get(arn) if state is not None else None
        if topic is None:
            raise not_found("Topic does not exist")
        return topic

    @staticmethod
    def _check_key(ctx: RequestContext, topic_arn: str, topic: Topic) -> None:
        """SNS's KMS* error when an encrypted topic's key cannot seal a message (checked at
        publish, as AWS does: any `KmsMasterKeyId` is accepted when the topic is set up)."""
        key_id = topic.attributes.get("KmsMasterKeyId")
        if not key_id:
            return
        from ..kms import api as kms_api  # KMS loads only for encrypted topics

        region, account, _ = delivery.arn_parts(topic_arn)
        problem = kms_api.key_problem(ctx, key_id, account, region)
        if problem is not None:
            condition, message = problem
            # codes from SNS's model; AWS's messages for them are not documented (KMS's are passed on)
            raise AWSError(f"KMS{condition}", message, 400)

    def _subscription(self, arn: str) -> Subscription:
        if not arn.startswith("arn:") or arn.count(":") != 6:
            raise invalid("SubscriptionArn")
        region, account, _ = delivery.arn_parts(arn)
        state = self.store.find(account, region)
        sub = state.subscriptions.get(arn) if state is not None else None
        if sub is None:
            raise not_found("Subscription does not exist")
        return sub

    def _endpoint(self, arn: str) -> PlatformEndpoint:
        """A platform endpoint (AWS: `NotFound`, "Endpoint does not exist")."""
        check_arn(arn, "EndpointArn", ":endpoint/")
        endpoint = self._state_of(arn).endpoints.get(arn)
        if endpoint is None:
            raise not_found("Endpoint does not exist")
        return endpoint

    def _keep(self, topic_arn: str, records: list[Delivery | None]) -> None:
        """Store captured and failed deliveries in the topic's partition."""
        records = [r for r in records if r is not None]
        if not records:
            return
        with self.store.lock:
            state = self._state_of(topic_arn)
            for record in records:
                (state.failed if record.error else state.outbox).append(record)
