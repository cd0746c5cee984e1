"""Resource-based policies, owners, canonical ARNs and tags, read from each service's own
state through its API (`registry.call`, protocol `internal`: the enforcer never checks
these calls). Answers are cached per resource until a call that may change that service's
policies passes (`changed(service)`), or the gateway resets.

Readers: S3 `GetBucketPolicy` (the bucket owner's account), SQS `GetQueueAttributes`
`Policy`, SNS `GetTopicAttributes` `Policy`, KMS `GetKeyPolicy` plus `ListGrants` (each grant
becomes an Allow statement for its grantee and operations, its constraints conditions),
Lambda `GetPolicy`, Secrets Manager `GetResourcePolicy`, ECR `GetRepositoryPolicy` (the stub),
EventBridge `DescribeEventBus` `Policy`, and IAM `GetRole`'s trust policy for `sts:AssumeRole`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api import AWSError
from .policy import RESOURCE, Policy, PolicySyntaxError, parse

if TYPE_CHECKING:
    from ..registry import Registry


@dataclass(frozen=True)
class ResourceInfo:
    """What the enforcer needs to know of one resource."""

    arn: str  # canonical (a KMS alias resolved to its key, a secret name to its ARN)
    account: str | None  # the owner's account (None: the caller's)
    policy: Policy | None = None
    required: bool = False  # the resource policy must allow even in the same account (KMS, trust)


def _account_of(arn: str) -> str | None:
    """An ARN's owning account; None for none or AWS's own (`arn:aws:iam::aws:policy/...`)."""
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[4].isdigit() else None


def _region_of(arn: str, default: str) -> str:
    parts = arn.split(":", 5)
    return (parts[3] or default) if len(parts) == 6 else default


def _policy(text: Any, arn: str) -> Policy | None:
    if not text:
        return None
    try:
        return parse(text if isinstance(text, str) else json.dumps(text), RESOURCE, arn, "", "resource")
    except PolicySyntaxError:
        return None


class ResourcePolicies:
    """Resource facts by (service, ARN), cached per service generation."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[tuple[str, str, str], ResourceInfo] = {}
        self._lock = threading.Lock()
        self._readers: dict[str, Callable[[str, str, str], ResourceInfo]] = {
            "s3": self._s3, "sqs": self._sqs, "sns": self._sns, "kms": self._kms, "lambda": self._lambda,
            "secretsmanager": self._secretsmanager, "ecr": self._ecr, "sts": self._trust, "events": self._events,
        }

    def changed(self, service: str | None = None) -> None:
        with self._lock:
            if service is None:
                self._cache = {}
            else:
                self._cache = {k: v for k, v in self._cache.items() if k[0] != service}

    def info(self, service: str, arn: str, caller_account: str, region: str, action: str = "") -> ResourceInfo:
        """The resource's canonical ARN, owner and policy (nothing to read for `*`)."""
        if arn == "*":
            return ResourceInfo("*", None)
        if service == "sts" and action != "sts:AssumeRole" and not action.startswith("sts:AssumeRoleWith"):
            return ResourceInfo(arn, _account_of(arn))
        cached_arn = arn.split("/", 1)[0] if service == "s3" else arn  # one entry per bucket
        key = (service, cached_arn, caller_account)
        found = self._cache.get(key)
        if found is None:
            reader = self._readers.get(service)
            try:
                found = reader(arn, caller_account, region) if reader else ResourceInfo(arn, _account_of(arn))
            except AWSError:
                found = ResourceInfo(arn, _account_of(arn))
            with self._lock:
                self._cache[key] = found
        if service == "s3" and found.arn != arn:  # the bucket's facts, for this object
            return ResourceInfo(arn, found.account, found.policy, found.required)
        return found

    def _call(self, service: str, operation: str, params: dict[str, Any], account: str, region: str) -> dict[str, Any]:
        if service not in self.registry:
            raise AWSError("NotServed", service)
        return self.registry.call(service, operation, params, account_id=account, region=region)

    # -- readers ------------------------------------------------------------------------------
    def _s3(self, arn: str, caller: str, region: str) -> ResourceInfo:
        bucket = arn.split(":::", 1)[-1].split("/", 1)[0]
        owner = self._bucket_owner(bucket)
        if owner is None:
            return ResourceInfo(arn, None)
        try:
            text = self._call("s3", "GetBucketPolicy", {"Bucket": bucket}, owner, region).get("Policy")
        except AWSError:
            text = None
        return ResourceInfo(arn, owner, _policy(text, f"arn:aws:s3:::{bucket}"))

    def _bucket_owner(self, bucket: str) -> str | None:
        # S3 has no API that names a bucket's owning account to anyone but its owner: the
        # store's public lookup (as `cloudmock.stores["s3"]` offers tests) answers it.
        service = self.registry.get("s3")
        lookup = getattr(getattr(service, "store", None), "bucket", None)
        found = lookup(bucket) if callable(lookup) else None
        return getattr(found, "account_id", None)

    def _sqs(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account, name = _account_of(arn) or caller, arn.rsplit(":", 1)[-1]
        region = _region_of(arn, region)
        url = self._call("sqs", "GetQueueUrl", {"QueueName": name}, account, region)["QueueUrl"]
        attributes = self._call("sqs", "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["Policy"]},
                                account, region).get("Attributes") or {}
        return ResourceInfo(arn, account, _policy(attributes.get("Policy"), arn))

    def _sns(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        attributes = self._call("sns", "GetTopicAttributes", {"TopicArn": arn}, account,
                                _region_of(arn, region)).get("Attributes") or {}
        return ResourceInfo(arn, account, _policy(attributes.get("Policy"), arn))

    def _kms(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        region = _region_of(arn, region)
        key = arn.split(":", 5)[-1]
        if key.startswith("alias/"):
            described = self._call("kms", "DescribeKey", {"KeyId": arn}, account, region)["KeyMetadata"]
            arn = described["Arn"]
        text = self._call("kms", "GetKeyPolicy", {"KeyId": arn, "PolicyName": "default"}, account, region).get(
            "Policy")
        statements = json.loads(text)["Statement"] if text else []
        statements = statements if isinstance(statements, list) else [statements]
        grants = self._call("kms", "ListGrants", {"KeyId": arn}, account, region).get("Grants") or []
        statements += [_grant_statement(g) for g in grants]
        policy = _policy({"Version": "2012-10-17", "Statement": statements}, arn) if statements else None
        return ResourceInfo(arn, account, policy, required=True)

    def _lambda(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        try:
            text = self._call("lambda", "GetPolicy", {"FunctionName": arn}, account, _region_of(arn, region)).get(
                "Policy")
        except AWSError:
            text = None
        return ResourceInfo(arn, account, _policy(text, arn))

    def _secretsmanager(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        region = _region_of(arn, region)
        try:  # a full ARN (with its random suffix), else the name a partial ARN ends with
            found = self._call("secretsmanager", "GetResourcePolicy", {"SecretId": arn}, account, region)
        except AWSError:
            found = self._call("secretsmanager", "GetResourcePolicy", {"SecretId": arn.split(":secret:", 1)[-1]},
                               account, region)
        real = found.get("ARN") or arn
        return ResourceInfo(real, account, _policy(found.get("ResourcePolicy"), real))

    def _ecr(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        name = arn.split(":repository/", 1)[-1]
        try:
            text = self._call("ecr", "GetRepositoryPolicy", {"repositoryName": name}, account,
                              _region_of(arn, region)).get("policyText")
        except AWSError:
            text = None
        return ResourceInfo(arn, account, _policy(text, arn))

    def _events(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        if ":event-bus/" not in arn:  # rules and the rest: no resource policy
            return ResourceInfo(arn, account)
        found = self._call("events", "DescribeEventBus", {"Name": arn.split(":event-bus/", 1)[1]}, account,
                           _region_of(arn, region))
        return ResourceInfo(arn, account, _policy(found.get("Policy"), arn))

    def _trust(self, arn: str, caller: str, region: str) -> ResourceInfo:
        account = _account_of(arn) or caller
        name = arn.rsplit("/", 1)[-1]
        role = self._call("iam", "GetRole", {"RoleName": name}, account, "us-east-1")["Role"]
        return ResourceInfo(arn, account, _policy(role.get("AssumeRolePolicyDocument"), arn), required=True)


def _grant_statement(grant: dict[str, Any]) -> dict[str, Any]:
    """A KMS grant as the Allow statement it amounts to."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": grant.get("GranteePrincipal", "")},
        "Action": [f"kms:{op}" for op in grant.get("Operations") or []] or ["kms:none"],
        "Resource": "*",
    }
    constraints = grant.get("Constraints") or {}
    conditions: dict[str, dict[str, Any]] = {}
    for key, value in (constraints.get("EncryptionContextEquals") or {}).items():
        conditions.setdefault("StringEquals", {})[f"kms:EncryptionContext:{key}"] = value
    for key, value in (constraints.get("EncryptionContextSubset") or {}).items():
        conditions.setdefault("StringEquals", {})[f"kms:EncryptionContext:{key}"] = value
    if conditions:
        statement["Condition"] = conditions
    return statement


def resource_tags(registry: Registry, service: str, arn: str, account: str, region: str) -> dict[str, str]:
    """A resource's tags (`aws:ResourceTag/*`), where the service can tell; {} otherwise."""
    region = _region_of(arn, region)
    account = _account_of(arn) or account
    try:
        if service == "sqs":
            url = registry.call("sqs", "GetQueueUrl", {"QueueName": arn.rsplit(":", 1)[-1]}, account_id=account,
                                region=region)["QueueUrl"]
            return dict(registry.call("sqs", "ListQueueTags", {"QueueUrl": url}, account_id=account,
                                      region=region).get("Tags") or {})
        if service == "sns":
            tags = registry.call("sns", "ListTagsForResource", {"ResourceArn": arn}, account_id=account, region=region)
            return {t["Key"]: t["Value"] for t in tags.get("Tags") or []}
        if service == "dynamodb":
            table = arn.split("/index/", 1)[0].split("/stream/", 1)[0]
            tags = registry.call("dynamodb", "ListTagsOfResource", {"ResourceArn": table}, account_id=account,
                                 region=region)
            return {t["Key"]: t["Value"] for t in tags.get("Tags") or []}
        if service == "lambda":
            function = ":".join(arn.split(":")[:7])
            return dict(registry.call("lambda", "ListTags", {"Resource": function}, account_id=account,
                                      region=region).get("Tags") or {})
        if service == "kms":
            tags = registry.call("kms", "ListResourceTags", {"KeyId": arn}, account_id=account, region=region)
            return {t["TagKey"]: t["TagValue"] for t in tags.get("Tags") or []}
        if service == "secretsmanager":
            found = registry.call("secretsmanager", "DescribeSecret", {"SecretId": arn}, account_id=account,
                                  region=region)
            return {t["Key"]: t["Value"] for t in found.get("Tags") or []}
        if service == "s3" and ":::" in arn:
            bucket = arn.split(":::", 1)[1].split("/", 1)[0]
            tags = registry.call("s3", "GetBucketTagging", {"Bucket": bucket}, account_id=account, region=region)
            return {t["Key"]: t["Value"] for t in tags.get("TagSet") or []}
    except (AWSError, KeyError, TypeError):
        return {}
    return {}
