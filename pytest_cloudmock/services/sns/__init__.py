"""SNS (query protocol): topics, subscriptions, publish and fan-out.

Operations are grouped in mixins (`topics`, `subscriptions`, `publishing`) over
`base.SnsBase`; filter policies are in `filter_policy`, envelopes in
`messages`, per-protocol delivery in `delivery`, state in `state`.
"""

from .publishing import PublishOperations
from .subscriptions import SubscriptionOperations
from .topics import TopicOperations


class SNS(TopicOperations, SubscriptionOperations, PublishOperations):
    """The SNS service."""


SERVICE = SNS

__all__ = ["SERVICE", "SNS"]
