"""SNS state, one `SnsState` per account and region.

Tests read deliveries that leave AWS from `outbox` (email, email-json, sms,
and http/https endpoints that are not on this machine) and failed deliveries
from `failed`; phone numbers in `opted_out` get no SMS.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Topic:
    arn: str
    name: str
    attributes: dict[str, str] = field(default_factory=dict)  # as set by the user
    tags: list[dict[str, str]] = field(default_factory=list)
    sequence: int = 0  # FIFO sequence numbers
    dedup: dict[str, tuple[float, str, str]] = field(default_factory=dict)  # id -> (time, msg id, seq)
    dedup_order: deque[tuple[float, str]] = field(default_factory=deque)  # (time, id) as sent: expiry oldest first
    subscriptions_deleted: int = 0

    @property
    def fifo(self) -> bool:
        return self.attributes.get("FifoTopic", "false").lower() == "true"


@dataclass
class Subscription:
    arn: str
    topic_arn: str
    protocol: str
    endpoint: str
    owner: str
    attributes: dict[str, str] = field(default_factory=dict)  # as set by the user
    confirmed: bool = False
    token: str = ""


@dataclass
class Delivery:
    """One message SNS sent (or tried to send) to an endpoint."""

    protocol: str
    endpoint: str
    topic_arn: str
    subscription_arn: str
    message_id: str
    type: str  # Notification, SubscriptionConfirmation, ...
    message: str  # the message for this protocol
    body: str  # what the endpoint receives (the message, or the JSON envelope)
    subject: str | None = None
    message_attributes: dict[str, Any] = field(default_factory=dict)
    token: str = ""  # for SubscriptionConfirmation
    error: str = ""  # for failed deliveries


@dataclass
class PlatformApplication:
    arn: str
    name: str
    platform: str  # APNS, APNS_SANDBOX, GCM, ADM, BAIDU, MPNS, WNS
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class PlatformEndpoint:
    arn: str
    application_arn: str
    attributes: dict[str, str] = field(default_factory=dict)  # Token, Enabled, CustomUserData


@dataclass
class SandboxNumber:
    """A destination phone number of the SMS sandbox (`Pending` until verified)."""

    phone: str
    status: str
    otp: str
    language: str = "en-US"


@dataclass
class SnsState:
    topics: dict[str, Topic] = field(default_factory=dict)  # by ARN
    subscriptions: dict[str, Subscription] = field(default_factory=dict)  # by ARN
    outbox: list[Delivery] = field(default_factory=list)
    failed: list[Delivery] = field(default_factory=list)
    sms_attributes: dict[str, str] = field(default_factory=dict)
    opted_out: set[str] = field(default_factory=set)  # phone numbers (tests may add to it)
    applications: dict[str, PlatformApplication] = field(default_factory=dict)  # by ARN
    endpoints: dict[str, PlatformEndpoint] = field(default_factory=dict)  # by ARN
    sandbox_numbers: dict[str, SandboxNumber] = field(default_factory=dict)  # by phone number
    in_sms_sandbox: bool = True  # new accounts are; tests may set it
    # ListOriginationNumbers' PhoneNumberInformation entries (none unless a test adds them)
    origination_numbers: list[dict[str, Any]] = field(default_factory=list)
