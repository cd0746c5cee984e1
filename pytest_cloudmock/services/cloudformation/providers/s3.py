"""AWS::S3::Bucket and AWS::S3::BucketPolicy, made through our S3.

A bucket's sub-configurations (versioning, lifecycle, encryption, CORS, notifications,
website, public access block, ownership controls, tags) are each one S3 `Put...` call,
translated from CloudFormation's property shapes to the API's; on update, a changed one
is put again and a removed one deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_int,
    as_json,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_list,
)

_MISSING_BUCKET = ("NoSuchBucket",)


def _drop_none(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v is not None and v != {} and v != []}


def _key_filter(filter_: dict[str, Any] | None) -> dict[str, Any] | None:
    rules = ((filter_ or {}).get("S3Key") or {}).get("Rules")
    return {"Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}} if rules else None


def _notification(config: dict[str, Any]) -> dict[str, Any]:
    def targets(key: str, arn_key: str, api_arn_key: str) -> list[dict[str, Any]]:
        return [_drop_none({api_arn_key: item[arn_key], "Events": [item["Event"]],
                            "Filter": _key_filter(item.get("Filter"))}) for item in config.get(key) or []]

    out = {
        "LambdaFunctionConfigurations": targets("LambdaConfigurations", "Function", "LambdaFunctionArn"),
        "QueueConfigurations": targets("QueueConfigurations", "Queue", "QueueArn"),
        "TopicConfigurations": targets("TopicConfigurations", "Topic", "TopicArn"),
    }
    if as_bool((config.get("EventBridgeConfiguration") or {}).get("EventBridgeEnabled", False)):
        out["EventBridgeConfiguration"] = {}
    return {k: v for k, v in out.items() if v or k == "EventBridgeConfiguration"}


def _lifecycle_filter(rule: dict[str, Any]) -> dict[str, Any]:
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in rule.get("TagFilters") or []]
    prefix = rule.get("Prefix")
    greater, less = as_int(rule.get("ObjectSizeGreaterThan")), as_int(rule.get("ObjectSizeLessThan"))
    parts = sum(x is not None for x in (prefix, greater, less)) + len(tags)
    if parts > 1:
        return {"And": _drop_none({"Prefix": prefix, "Tags": tags, "ObjectSizeGreaterThan": greater,
                                   "ObjectSizeLessThan": less})}
    if tags:
        return {"Tag": tags[0]}
    if greater is not None:
        return {"ObjectSizeGreaterThan": greater}
    if less is not None:
        return {"ObjectSizeLessThan": less}
    return {"Prefix": prefix or ""}


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    expiration = _drop_none({"Days": as_int(rule.get("ExpirationInDays")), "Date": rule.get("ExpirationDate"),
                             "ExpiredObjectDeleteMarker": rule.get("ExpiredObjectDeleteMarker")})
    transitions = [*(rule.get("Transitions") or []), *([rule["Transition"]] if rule.get("Transition") else [])]
    noncurrent = dict(rule.get("NoncurrentVersionExpiration") or {})
    if rule.get("NoncurrentVersionExpirationInDays") is not None:
        noncurrent["NoncurrentDays"] = rule["NoncurrentVersionExpirationInDays"]
    noncurrent_transitions = [*(rule.get("NoncurrentVersionTransitions") or []),
                              *([rule["NoncurrentVersionTransition"]] if rule.get("NoncurrentVersionTransition") else [])]
    abort = rule.get("AbortIncompleteMultipartUpload")
    return _drop_none({
        "ID": rule.get("Id"),
        "Status": rule["Status"],
        "Filter": _lifecycle_filter(rule),
        "Expiration": expiration,
        "Transitions": [_drop_none({"Days": as_int(t.get("TransitionInDays")), "Date": t.get("TransitionDate"),
                                    "StorageClass": t["StorageClass"]}) for t in transitions],
        "NoncurrentVersionExpiration": _drop_none({
            "NoncurrentDays": as_int(noncurrent.get("NoncurrentDays")),
            "NewerNoncurrentVersions": as_int(noncurrent.get("NewerNoncurrentVersions"))}),
        "NoncurrentVersionTransitions": [_drop_none({
            "NoncurrentDays": as_int(t.get("TransitionInDays")), "StorageClass": t["StorageClass"],
            "NewerNoncurrentVersions": as_int(t.get("NewerNoncurrentVersions"))}) for t in noncurrent_transitions],
        "AbortIncompleteMultipartUpload": (
            {"DaysAfterInitiation": as_int(abort["DaysAfterInitiation"])} if abort else None),
    })


def _cors_rule(rule: dict[str, Any]) -> dict[str, Any]:
    return _drop_none({"ID": rule.get("Id"), "AllowedHeaders": rule.get("AllowedHeaders"),
                       "AllowedMethods": rule["AllowedMethods"], "AllowedOrigins": rule["AllowedOrigins"],
                       "ExposeHeaders": rule.get("ExposedHeaders"), "MaxAgeSeconds": as_int(rule.get("MaxAge"))})


def _encryption_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation's `ServerSideEncryptionByDefault` is the API's `ApplyServerSideEncryptionByDefault`."""
    out = _drop_none({"ApplyServerSideEncryptionByDefault": rule.get("ServerSideEncryptionByDefault")})
    if rule.get("BucketKeyEnabled") is not None:
        out["BucketKeyEnabled"] = as_bool(rule["BucketKeyEnabled"])
    return out


def _website(config: dict[str, Any]) -> dict[str, Any]:
    redirect = config.get("RedirectAllRequestsTo")
    return _drop_none({
        "IndexDocument": {"Suffix": config["IndexDocument"]} if config.get("IndexDocument") else None,
        "ErrorDocument": {"Key": config["ErrorDocument"]} if config.get("ErrorDocument") else None,
        "RedirectAllRequestsTo": _drop_none(dict(redirect)) if redirect else None,
        "RoutingRules": [_drop_none({"Condition": r.get("RoutingRuleCondition"), "Redirect": r["RedirectRule"]})
                         for r in config.get("RoutingRules") or []],
    })


def _logging(config: dict[str, Any]) -> dict[str, Any]:
    """`DestinationBucketName`/`LogFilePrefix` are the API's `TargetBucket`/`TargetPrefix`."""
    return {"LoggingEnabled": {"TargetBucket": config["DestinationBucketName"],
                               "TargetPrefix": config.get("LogFilePrefix", "")}}


def _replication(config: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation's rule `Id` is the API's `ID`; the rest has the API's shape."""
    rules = []
    for rule in config["Rules"]:
        rule = dict(rule)
        if "Id" in rule:
            rule["ID"] = rule.pop("Id")
        if rule.get("Priority") is not None:
            rule["Priority"] = as_int(rule["Priority"])
        rules.append(rule)
    return {"Role": config["Role"], "Rules": rules}


@dataclass(frozen=True)
class SubConfig:
    """One bucket property held by its own S3 call pair."""

    prop: str
    put: str
    param: str
    shape: Callable[[Any], Any]
    remove: str | None  # the Delete... operation; None: put the `empty` value instead
    empty: Any = None


SUBCONFIGS = (
    SubConfig("VersioningConfiguration", "PutBucketVersioning", "VersioningConfiguration",
              lambda v: {"Status": v["Status"]}, None, {"Status": "Suspended"}),
    SubConfig("LifecycleConfiguration", "PutBucketLifecycleConfiguration", "LifecycleConfiguration",
              lambda v: {"Rules": [_lifecycle_rule(r) for r in v["Rules"]]}, "DeleteBucketLifecycle"),
    SubConfig("BucketEncryption", "PutBucketEncryption", "ServerSideEncryptionConfiguration",
              lambda v: {"Rules": [_encryption_rule(r) for r in v["ServerSideEncryptionConfiguration"]]},
              "DeleteBucketEncryption"),
    SubConfig("CorsConfiguration", "PutBucketCors", "CORSConfiguration",
              lambda v: {"CORSRules": [_cors_rule(r) for r in v["CorsRules"]]}, "DeleteBucketCors"),
    SubConfig("NotificationConfiguration", "PutBucketNotificationConfiguration", "NotificationConfiguration",
              _notification, None, {}),
    SubConfig("WebsiteConfiguration", "PutBucketWebsite", "WebsiteConfiguration", _website, "DeleteBucketWebsite"),
    SubConfig("PublicAccessBlockConfiguration", "PutPublicAccessBlock", "PublicAccessBlockConfiguration",
              lambda v: {k: as_bool(x) for k, x in v.items()}, "DeletePublicAccessBlock"),
    SubConfig("OwnershipControls", "PutBucketOwnershipControls", "OwnershipControls",
              lambda v: {"Rules": v["Rules"]}, "DeleteBucketOwnershipControls"),
    SubConfig("LoggingConfiguration", "PutBucketLogging", "BucketLoggingStatus", _logging, None, {}),
    SubConfig("ReplicationConfiguration", "PutBucketReplication", "ReplicationConfiguration", _replication,
              "DeleteBucketReplication"),
    SubConfig("ObjectLockConfiguration", "PutObjectLockConfiguration", "ObjectLockConfiguration",
              lambda v: _drop_none({"ObjectLockEnabled": v.get("ObjectLockEnabled"), "Rule": v.get("Rule")}), None,
              {"ObjectLockEnabled": "Enabled"}),
    SubConfig("AccelerateConfiguration", "PutBucketAccelerateConfiguration", "AccelerateConfiguration",
              lambda v: {"Status": v["AccelerationStatus"]}, None, {"Status": "Suspended"}),
)


def _website_host(region: str) -> str:
    """S3's website endpoint: dash form in the older regions, dot form in the newer ones."""
    dashed = {"us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
              "eu-west-1", "sa-east-1", "us-gov-west-1"}
    return f"s3-website-{region}" if region in dashed else f"s3-website.{region}"


class BucketProvider(BaseProvider):
    """AWS::S3::Bucket. `Ref`: the bucket name."""

    type_name = "AWS::S3::Bucket"
    replaces = frozenset({"BucketName", "ObjectLockEnabled"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("BucketName") or generated_name(ctx, max_length=63, lowercase=True)
        params: dict[str, Any] = {"Bucket": name}
        if ctx.region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": ctx.region}
        if as_bool(properties.get("ObjectLockEnabled", False)):
            params["ObjectLockEnabledForBucket"] = True
        if properties.get("AccessControl"):
            params["ACL"] = _canned_acl(properties["AccessControl"])
        ctx.call("s3", "CreateBucket", params)
        try:
            self._configure(ctx, name, {}, properties)
        except Exception:
            ignore_missing(lambda: ctx.call("s3", "DeleteBucket", {"Bucket": name}), *_MISSING_BUCKET)
            raise
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._configure(ctx, physical_id, old, new)
        if new.get("AccessControl") != old.get("AccessControl"):
            ctx.call("s3", "PutBucketAcl", {"Bucket": physical_id,
                                            "ACL": _canned_acl(new.get("AccessControl") or "Private")})
        return self.describe(ctx, physical_id, new)

    def _configure(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for sub in SUBCONFIGS:
            value = new.get(sub.prop)
            if value == old.get(sub.prop):
                continue
            if value:
                ctx.call("s3", sub.put, {"Bucket": name, sub.param: sub.shape(value)})
            elif sub.remove:
                ctx.call("s3", sub.remove, {"Bucket": name})
            else:
                ctx.call("s3", sub.put, {"Bucket": name, sub.param: sub.empty})
        tags, old_tags = resource_tags(ctx, new), resource_tags(ctx, old) if old else []
        if tags != old_tags:
            if tags:
                ctx.call("s3", "PutBucketTagging", {"Bucket": name, "Tagging": {"TagSet": tags}})
            else:
                ctx.call("s3", "DeleteBucketTagging", {"Bucket": name})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("s3", "DeleteBucket", {"Bucket": physical_id}), *_MISSING_BUCKET)

    readable = frozenset({"BucketName", "VersioningConfiguration", "Tags", "PublicAccessBlockConfiguration"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        versioning = read_or_gone(lambda: ctx.call("s3", "GetBucketVersioning", {"Bucket": physical_id}),
                                  *_MISSING_BUCKET)
        if versioning is None:
            return None
        out: dict[str, Any] = {"BucketName": physical_id}
        if versioning.get("Status"):
            out["VersioningConfiguration"] = {"Status": versioning["Status"]}
        tags = read_or_gone(lambda: ctx.call("s3", "GetBucketTagging", {"Bucket": physical_id}), "NoSuchTagSet")
        out["Tags"] = tag_list((tags or {}).get("TagSet") or [])
        block = read_or_gone(lambda: ctx.call("s3", "GetPublicAccessBlock", {"Bucket": physical_id}),
                             "NoSuchPublicAccessBlockConfiguration")
        if block is not None:
            out["PublicAccessBlockConfiguration"] = block["PublicAccessBlockConfiguration"]
        return out

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        region = ctx.region
        return Created(physical_id, {
            "Arn": f"arn:aws:s3:::{physical_id}",
            "DomainName": f"{physical_id}.s3.amazonaws.com",
            "DualStackDomainName": f"{physical_id}.s3.dualstack.{region}.amazonaws.com",
            "RegionalDomainName": f"{physical_id}.s3.{region}.amazonaws.com",
            "WebsiteURL": f"http://{physical_id}.{_website_host(region)}.amazonaws.com",
        })


def _canned_acl(access_control: str) -> str:
    """CloudFormation's `AccessControl` (PublicRead) as S3's canned ACL (public-read)."""
    return "".join("-" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(access_control))


class BucketPolicyProvider(BaseProvider):
    """AWS::S3::BucketPolicy. `Ref`: the bucket name (AWS gives an id of its own; the name is stable)."""

    type_name = "AWS::S3::BucketPolicy"
    replaces = frozenset({"Bucket"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        bucket = properties["Bucket"]
        ctx.call("s3", "PutBucketPolicy", {"Bucket": bucket, "Policy": as_json(properties["PolicyDocument"])})
        return Created(bucket)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        return self.create(ctx, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        bucket = properties.get("Bucket", physical_id)
        ignore_missing(lambda: ctx.call("s3", "DeleteBucketPolicy", {"Bucket": bucket}), *_MISSING_BUCKET)
