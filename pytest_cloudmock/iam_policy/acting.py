"""Who a service's own call acts as, for IAM (`RequestContext.acting_as`, given through
`Registry.call(..., acting_as=)` and `Registry.authorize`):

- `AsRole`: a role the service assumes (a state machine's `roleArn`, an EventBridge target's
  or a schedule's `RoleArn`, a function's execution role for its event source mappings). The
  role's trust policy must let the service principal assume it (`sts:AssumeRole`); the call is
  then the role session's, evaluated like any request signed by it.
- `AsService`: the service principal itself (`events.amazonaws.com` sending to a queue,
  `sns.amazonaws.com` invoking a function, `s3.amazonaws.com` notifying): only the target's
  resource-based policy can allow it, with `aws:SourceArn` and `aws:SourceAccount` in the
  request context, as AWS documents for these deliveries.

Internal calls without `acting_as` are the engine's own (reads of policies, lookups) and are
never checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from ..api import AWSError

if TYPE_CHECKING:
    from ..registry import Registry


class AsRole(NamedTuple):  # a tuple: cheap to make on every delivery, hashable for the caches
    """A role session the service `principal` (`states.amazonaws.com`) assumes to make the call."""

    role_arn: str
    principal: str
    session: str = ""  # the role session name (AWS's own names for these sessions are not documented)

    @property
    def account(self) -> str:
        parts = self.role_arn.split(":", 5)
        return parts[4] if len(parts) == 6 else ""

    @property
    def name(self) -> str:
        return self.role_arn.rsplit("/", 1)[-1]

    @property
    def session_arn(self) -> str:
        partition = self.role_arn.split(":", 2)[1] if self.role_arn.count(":") >= 2 else "aws"
        return f"arn:{partition}:sts::{self.account}:assumed-role/{self.name}/{self.session or self.principal.split('.')[0]}"


class AsService(NamedTuple):
    """The service principal `principal` (`events.amazonaws.com`) on behalf of `source_arn`."""

    principal: str
    source_arn: str = ""
    source_account: str = ""


#: The delivery targets whose resource-based policy AWS checks against the delivering service's
#: principal (the others are reached through a role, or are not checked here).
RESOURCE_POLICY_TARGETS = frozenset({"sqs", "sns", "lambda"})


def for_target(target_service: str, principal: str, source_arn: str, source_account: str,
               role_arn: str | None = None, session: str = "") -> AsRole | AsService | None:
    """How EventBridge reaches a rule's target: SQS, SNS and Lambda through their resource
    policies (as its service principal), the others (Kinesis, Step Functions, another bus, ...)
    through the target's `RoleArn`; None when neither applies (not checked)."""
    if target_service in RESOURCE_POLICY_TARGETS:
        return AsService(principal, source_arn, source_account)
    if role_arn:
        return AsRole(role_arn, principal, session)
    return None


def may_assume(registry: Registry | None, role_arn: str, principal: str, account: str, region: str) -> bool:
    """False when IAM enforces policies and `role_arn`'s trust policy does not let the service
    `principal` assume it (a service refusing such a role at create time)."""
    if registry is None or registry.authorizer is None:
        return True
    try:
        registry.authorize("sts", "AssumeRole", {"RoleArn": role_arn}, account_id=account, region=region,
                           acting_as=AsService(principal))
    except AWSError:
        return False
    return True


def may_call(registry: Registry | None, acting: AsRole | AsService, service: str, operation: str,
             params: dict[str, Any], account: str, region: str) -> bool:
    """False when IAM enforces policies and would deny `acting` the call (not made)."""
    if registry is None or registry.authorizer is None:
        return True
    try:
        registry.authorize(service, operation, params, account_id=account, region=region, acting_as=acting)
    except AWSError:
        return False
    return True
