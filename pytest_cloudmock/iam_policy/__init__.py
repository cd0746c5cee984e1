"""IAM policy evaluation on every request (`iam: off | audit | enforce`), the policy
simulator's engine, and the least-privilege report (docs/iam.md).

    gateway.iam.set_mode("enforce")
    gateway.iam.denials(); gateway.iam.used(arn); gateway.iam.policy_for(arn)
"""

from __future__ import annotations

from .enforcer import MODES, IamPolicies, check_mode
from .evaluation import Decision, Principal, Request, evaluate
from .policy import Policy, parse

__all__ = ["MODES", "Decision", "IamPolicies", "Policy", "Principal", "Request", "check_mode", "evaluate", "parse"]
