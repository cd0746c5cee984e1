"""SES state shared by both SES APIs (`ses` v1 and `sesv2`), one `SesState` per account and region.

AWS keeps one set of identities, templates, configuration sets, sending settings and one
suppression list per account and region, whichever API reads or writes them; so does this
module. Plain data only (the `Store` snapshots it): the service holds the locks.

Event types are kept in SES v2's spelling (`SEND`, `BOUNCE`, `RENDERING_FAILURE`, ...); the
v1 API converts (`events.V1_EVENT_TYPES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SANDBOX_MAX_24H = 200.0
SANDBOX_MAX_RATE = 1.0
PRODUCTION_MAX_24H = 50000.0
PRODUCTION_MAX_RATE = 14.0


@dataclass
class Identity:
    """An email address or domain identity and everything attached to it."""

    name: str
    kind: str  # "EmailAddress" | "Domain"
    created: datetime
    status: str = "Pending"  # Pending | Success | Failed | TemporaryFailure | NotStarted
    verification_token: str | None = None  # domains: the TXT record's value
    dkim_enabled: bool = False
    dkim_tokens: list[str] = field(default_factory=list)
    dkim_status: str = "NotStarted"  # NotStarted | Pending | Success | Failed | TemporaryFailure
    dkim_signing_key_type: str = "RSA_2048_BIT"  # v2: Easy DKIM key length
    mail_from_domain: str | None = None
    mail_from_behavior: str = "UseDefaultValue"  # behavior on MX failure: UseDefaultValue | RejectMessage
    #: notification type (Bounce | Complaint | Delivery) -> SNS topic ARN
    notification_topics: dict[str, str] = field(default_factory=dict)
    #: notification type -> include the original headers
    headers_in_notifications: dict[str, bool] = field(default_factory=dict)
    forwarding_enabled: bool = True
    policies: dict[str, str] = field(default_factory=dict)  # policy name -> JSON document
    configuration_set: str | None = None  # v2: the identity's default configuration set
    tags: dict[str, str] = field(default_factory=dict)  # v2
    extras: dict[str, Any] = field(default_factory=dict)  # v2-only attributes (BYODKIM, ...)

    @property
    def verified(self) -> bool:
        return self.status == "Success"


@dataclass
class Template:
    """An email template (shared by the v1 `Template` and v2 `EmailTemplate` APIs)."""

    name: str
    created: datetime
    subject: str | None = None
    text: str | None = None
    html: str | None = None


@dataclass
class CustomVerificationTemplate:
    name: str
    from_address: str
    subject: str
    content: str
    success_url: str
    failure_url: str
    created: datetime


@dataclass
class EventDestination:
    """Where a configuration set publishes events (v1 and v2 shapes both map onto this)."""

    name: str
    enabled: bool = False
    event_types: list[str] = field(default_factory=list)  # v2 spelling: SEND, BOUNCE, ...
    sns_topic_arn: str | None = None
    firehose_stream_arn: str | None = None
    firehose_role_arn: str | None = None
    cloudwatch_dimensions: list[dict[str, Any]] | None = None  # [{DimensionName, DimensionValueSource, DefaultDimensionValue}]
    eventbridge_bus_arn: str | None = None  # v2 only
    pinpoint_application_arn: str | None = None  # v2 only


@dataclass
class ConfigurationSet:
    name: str
    created: datetime
    destinations: dict[str, EventDestination] = field(default_factory=dict)  # in creation order
    custom_redirect_domain: str | None = None  # tracking options; None: none set
    https_policy: str | None = None  # v2 tracking option
    tls_policy: str = "OPTIONAL"
    sending_pool: str | None = None
    max_delivery_seconds: int | None = None  # v2
    reputation_metrics_enabled: bool = False
    sending_enabled: bool = True
    last_fresh_start: datetime | None = None
    suppressed_reasons: list[str] | None = None  # v2; None: the account's list applies
    tags: dict[str, str] = field(default_factory=dict)  # v2
    extras: dict[str, Any] = field(default_factory=dict)  # v2-only options (Vdm, Archiving, ...)


@dataclass
class Suppression:
    """One address on the account-level suppression list."""

    email: str
    reason: str  # BOUNCE | COMPLAINT
    time: datetime
    message_id: str | None = None
    feedback_id: str | None = None


@dataclass
class ReceiptRuleSet:
    name: str
    created: datetime
    rules: list[dict[str, Any]] = field(default_factory=list)  # v1 `ReceiptRule` dicts, in order


@dataclass
class Account:
    """The account's sending settings in one region."""

    production_access: bool = False  # False: the sandbox (verified recipients only, 200/24h, 1/s)
    sending_enabled: bool = True
    max_24h: float = SANDBOX_MAX_24H
    max_rate: float = SANDBOX_MAX_RATE
    #: account-level suppression (on for both by default, as for accounts made since 2020)
    suppressed_reasons: list[str] = field(default_factory=lambda: ["BOUNCE", "COMPLAINT"])
    details: dict[str, Any] = field(default_factory=dict)  # v2 PutAccountDetails (MailType, WebsiteURL, ...)
    extras: dict[str, Any] = field(default_factory=dict)  # v2-only settings (dedicated IP warm-up, VDM, ...)


@dataclass
class SentMessage:
    """A message SES accepted, as captured for tests (`SesService.messages()`)."""

    message_id: str
    time: datetime
    api: str  # "ses" | "sesv2"
    operation: str
    account_id: str
    region: str
    source: str  # as given (may carry a display name: `Shop <shop@example.com>`)
    to: list[str]  # bare addresses, here and in cc and bcc
    cc: list[str]
    bcc: list[str]
    reply_to: list[str]
    subject: str
    text: str | None
    html: str | None
    attachments: list[dict[str, Any]] = field(default_factory=list)  # {filename, content_type, content (bytes)}
    headers: list[tuple[str, str]] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    configuration_set: str | None = None
    template: str | None = None
    template_data: str | None = None
    raw: bytes | None = None  # SendRawEmail / v2 Raw content: the MIME message as sent

    @property
    def destinations(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able form served by `GET /api/ses/messages` (attachments' content base64)."""
        import base64

        return {
            "MessageId": self.message_id, "Timestamp": self.time.isoformat(), "Api": self.api,
            "Operation": self.operation, "AccountId": self.account_id, "Region": self.region,
            "Source": self.source, "Destination": {"ToAddresses": self.to, "CcAddresses": self.cc,
                                                   "BccAddresses": self.bcc},
            "ReplyToAddresses": self.reply_to, "Subject": self.subject, "Text": self.text, "Html": self.html,
            "Attachments": [{"Filename": a["filename"], "ContentType": a["content_type"],
                             "Content": base64.b64encode(a["content"]).decode()} for a in self.attachments],
            "Headers": [{"Name": n, "Value": v} for n, v in self.headers], "Tags": dict(self.tags),
            "ConfigurationSetName": self.configuration_set, "Template": self.template,
            "TemplateData": self.template_data,
        }


@dataclass
class SesState:
    identities: dict[str, Identity] = field(default_factory=dict)  # name as given (lookups: `find_identity`)
    templates: dict[str, Template] = field(default_factory=dict)
    custom_verification_templates: dict[str, CustomVerificationTemplate] = field(default_factory=dict)
    configuration_sets: dict[str, ConfigurationSet] = field(default_factory=dict)
    account: Account = field(default_factory=Account)
    suppressed: dict[str, Suppression] = field(default_factory=dict)  # lower-cased address -> entry
    rule_sets: dict[str, ReceiptRuleSet] = field(default_factory=dict)
    active_rule_set: str | None = None
    receipt_filters: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> v1 ReceiptFilter
    messages: list[SentMessage] = field(default_factory=list)
    #: send times (for the 24-hour quota and `SentLast24Hours`)
    send_times: list[datetime] = field(default_factory=list)
    #: 15-minute bucket start -> counters (DeliveryAttempts, Bounces, Complaints, Rejects)
    statistics: dict[datetime, dict[str, int]] = field(default_factory=dict)
