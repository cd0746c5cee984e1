"""SNS (query protocol): topics, subscriptions, publish and fan-out, mobile push, SMS.

Operations are grouped in mixins (`topics`, `subscriptions`, `publishing`,
`platform` for mobile push, `sms` for SMS settings and the sandbox) over
`base.SnsBase`; filter policies are in `filter_policy`, envelopes in
`messages`, per-protocol delivery in `delivery`, state in `state`.
"""

from .platform import PlatformOperations
from .publishing import PublishOperations
from .sms import SmsOperations
from .subscriptions import SubscriptionOperations
from .topics import TopicOperations


class SNS(TopicOperations, SubscriptionOperations, PublishOperations, PlatformOperations, SmsOperations):
    """The SNS service."""


SERVICE = SNS

__all__ = ["SERVICE", "SNS"]
