"""The one sending path of both SES APIs: `send(ctx, OutgoingMessage) -> message id`.

`send` checks what AWS checks before it accepts a message (account and configuration-set
sending enabled, the sender's identity verified, in the sandbox every recipient verified
too, the 24-hour quota, at most 50 recipients), renders a template, parses raw MIME,
captures the message (`SesService.messages()`), counts it for `GetSendQuota` and
`GetSendStatistics`, and then lets the mailbox simulator and the suppression list decide
each recipient's fate: events go to the configuration set's destinations and
notifications to the identity's SNS topics (events.py). A template that cannot be rendered
is accepted and dropped with a `Rendering Failure` event, as AWS does.

The maximum send rate (1/s in the sandbox) is reported, not enforced: tests send faster.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING

from ...api import AWSError, RequestContext
from . import authorization, events, mime
from .errors import (
    account_sending_paused,
    config_set_not_found,
    config_set_sending_paused,
    for_api,
    invalid_parameter,
    message_rejected,
    template_not_found,
)
from .rendering import RenderingError, parse_data, render_parts
from .state import SentMessage, SesState

if TYPE_CHECKING:
    from .base import SesBase

MAX_RECIPIENTS = 50
STATISTICS_BUCKET = timedelta(minutes=15)


@dataclass
class OutgoingMessage:
    """A message one of the APIs asks SES to send (addresses may carry display names).

    Give `raw` (MIME bytes), or `template` (a stored template's name) or `template_content`
    ((subject, text, html), v2's inline template) with `template_data`, or the simple parts.
    """

    api: str  # "ses" | "sesv2"
    operation: str  # SendEmail, SendRawEmail, SendTemplatedEmail, SendBulkTemplatedEmail, ...
    source: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    return_path: str | None = None
    subject: str | None = None
    text: str | None = None
    html: str | None = None
    raw: bytes | None = None
    template: str | None = None
    template_content: tuple[str | None, str | None, str | None] | None = None
    template_data: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    configuration_set: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    #: False: the sandbox does not apply to the recipients (a bounce, a verification mail)
    sandboxed: bool = True
    #: sending authorization: the identities (ARNs) the source, the From header and the return
    #: path are sent as (authorization.py)
    source_arn: str | None = None
    from_arn: str | None = None
    return_path_arn: str | None = None


def new_message_id(now: datetime) -> str:
    """AWS's shape: hex milliseconds, a UUID, and `-000000`."""
    return f"{int(now.timestamp() * 1000):016x}-{uuid.uuid4()}-000000"


def send(service: SesBase, ctx: RequestContext, out: OutgoingMessage) -> str:
    """Check, render, capture and deliver one message; its message id, or an AWSError in the
    error codes of `out.api`."""
    try:
        return _send(service, ctx, out)
    except AWSError as exc:
        raise for_api(exc, out.api) from None


def _send(service: SesBase, ctx: RequestContext, out: OutgoingMessage) -> str:
    state = service.store.for_ctx(ctx)
    now = ctx.clock.utcnow()
    message_id = new_message_id(now)
    parsed = None
    if out.raw is not None:
        try:
            parsed = mime.parse(out.raw)
        except (ValueError, TypeError) as exc:
            raise invalid_parameter(f"Could not parse the raw message: {exc}") from None  # AWS's text unknown
        source = out.source or parsed.sender
        if not source:
            raise invalid_parameter("Missing required header 'From'.")
        to, cc, bcc = (out.to, out.cc, out.bcc) if out.to or out.cc or out.bcc else (parsed.to, parsed.cc, parsed.bcc)
    else:
        source = out.source or ""
        to, cc, bcc = out.to, out.cc, out.bcc
    recipients = [mime.bare_address(a) for a in [*to, *cc, *bcc]]
    sender = mime.bare_address(source)
    # AWS's answer to an address without a domain (and, as users report, to no recipient at all)
    if not recipients or not all(_has_domain(a) for a in [sender, *recipients]):
        raise invalid_parameter("Missing final '@domain'")
    if len(recipients) > MAX_RECIPIENTS:
        raise invalid_parameter(f"Recipient count exceeds {MAX_RECIPIENTS}.")
    return_path = out.return_path or (parsed.return_path if parsed is not None else None)
    delegated = authorization.delegations(ctx, [
        (out.source_arn, sender), (out.from_arn, parsed.sender if parsed is not None else sender),
        (out.return_path_arn, return_path)])
    if delegated:
        from_header = next((v for n, v in parsed.headers if n.lower() == "from"), source) if parsed else source
        authorization.authorize(service, ctx, out.api, out.operation, delegated, recipients, sender,
                                parseaddr(from_header)[0], mime.bare_address(return_path) if return_path else None)
    external = {d.address for d in delegated}  # verified in their owners' accounts

    with service.store.lock:
        identity = service.sending_identity(state, sender)
        config_name = out.configuration_set or (identity.configuration_set if identity else None)
        config_set = state.configuration_sets.get(config_name) if config_name else None
        if config_name and config_set is None:
            raise config_set_not_found(config_name)
        if not state.account.sending_enabled:
            raise account_sending_paused()
        if config_set is not None and not config_set.sending_enabled:
            raise config_set_sending_paused(config_name or "")
        targets = events.enabled_destinations(config_set)
        senders = [sender, *([mime.bare_address(out.return_path)] if out.return_path else [])]
        if parsed is not None:  # AWS checks the From and Return-Path headers too
            senders += [a for a in (parsed.sender, parsed.return_path) if a]
        unverified = service.unverified(state, [a for a in senders if a not in external],
                                        recipients if out.sandboxed else [])
        if unverified:
            raise message_rejected("Email address is not verified. The following identities failed the check "
                                   f"in region {ctx.region.upper()}: {', '.join(unverified)}")
        sent_24h = _sent_since(state, now - timedelta(hours=24))
        if sent_24h + len(recipients) > state.account.max_24h:
            raise AWSError("Throttling", "Daily message quota exceeded.", 400)
        state.send_times.extend([now] * len(recipients))  # counted as accepted, in the same lock as the check
        template_name = out.template
        parts = out.template_content
        if template_name is not None:
            template = state.templates.get(template_name)
            if template is None:
                raise template_not_found(template_name)
            parts = (template.subject, template.text, template.html)

    msg = SentMessage(
        message_id=message_id, time=now, api=out.api, operation=out.operation, account_id=ctx.account_id,
        region=ctx.region, source=source, to=[mime.bare_address(a) for a in to],
        cc=[mime.bare_address(a) for a in cc], bcc=[mime.bare_address(a) for a in bcc], reply_to=list(out.reply_to),
        subject=out.subject or "", text=out.text, html=out.html, tags=dict(out.tags),
        configuration_set=config_name, template=template_name, template_data=out.template_data, raw=out.raw,
        headers=list(out.headers))
    if parsed is not None:
        msg.reply_to, msg.subject, msg.text, msg.html = parsed.reply_to, parsed.subject, parsed.text, parsed.html
        msg.attachments, msg.headers = parsed.attachments, parsed.headers
    else:
        msg.headers = [("From", source), ("To", ", ".join(to)), *([("Cc", ", ".join(cc))] if cc else []),
                       ("Subject", msg.subject), *msg.headers]
    source_arn = next((d.arn for d in delegated if d.address == sender), None) or service.identity_arn(
        ctx, identity.name if identity else sender)
    if parts is not None:
        try:
            msg.subject, msg.text, msg.html = render_parts(*parts, parse_data(out.template_data))
            msg.headers = [(n, msg.subject if n == "Subject" else v) for n, v in msg.headers]
        except (RenderingError, ValueError) as exc:
            if not isinstance(exc, RenderingError):
                exc = RenderingError(f"Template data is not valid JSON: {exc}")  # AWS's text unknown
            mail = events.mail_object(msg, source_arn, tags=True)
            events.publish_events(ctx, targets, [("RENDERING_FAILURE", events.event(
                "RENDERING_FAILURE", {"templateName": template_name or "", "errorMessage": str(exc)}, mail))])
            return message_id

    with service.store.lock:
        suppressed = service.suppressed_for(state, config_set)
        outcome = events.simulate(recipients, suppressed)
        state.messages.append(msg)
        counters = _bucket(state, now)
        counters["DeliveryAttempts"] += len(recipients)
        counters["Bounces"] += len(outcome.bounced)
        counters["Complaints"] += len(outcome.complained)
        topics, with_headers = service.notification_settings(state, sender)

    mail = events.mail_object(msg, source_arn, tags=True)
    details = events.details(outcome, now)
    events.publish_events(ctx, targets, [("SEND", events.event("SEND", {}, mail)),
                                            *[(k, events.event(k, d, mail)) for k, d in details]])
    notes = [(k, events.notification(k, d, events.mail_object(msg, source_arn, tags=False,
                                                             headers=with_headers.get(k, False))))
             for k, d in details if topics.get(k)]
    events.publish_notifications(ctx, topics, notes)
    return message_id


def _has_domain(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and domain)


def _sent_since(state: SesState, since: datetime) -> int:
    times = state.send_times
    while times and times[0] < since:  # the list is in time order: drop what left the window
        times.pop(0)
    return len(times)


def sent_last_24h(state: SesState, now: datetime) -> int:
    return _sent_since(state, now - timedelta(hours=24))


def _bucket(state: SesState, now: datetime) -> dict[str, int]:
    start = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return state.statistics.setdefault(start, {"DeliveryAttempts": 0, "Bounces": 0, "Complaints": 0, "Rejects": 0})
