"""Which IAM action an operation is: `<prefix>:<Operation>` unless a table says otherwise.

The IAM prefix is the service's SigV4 signing name, except where `PREFIXES` says (the one
table of those differences). `RENAMED` lists the operations whose action name differs from
the operation name (from the Service Authorization Reference's "Actions" tables).
"""

from __future__ import annotations

from functools import lru_cache

# signing name (or service name) -> IAM service prefix, where they differ
PREFIXES: dict[str, str] = {
    "monitoring": "cloudwatch",
    "email": "ses",
    "iotdata": "iot",
    "dynamodbstreams": "dynamodb",
    "s3control": "s3",
    "sso-oidc": "sso-oauth",
    "mediastore-data": "mediastore",
    "lex-runtime": "lex",
    "runtime.lex": "lex",
    "runtime.sagemaker": "sagemaker",
    "opensearch": "es",
    "stepfunctions": "states",
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
}

_S3 = {
    "ListObjectsV2": "ListBucket", "ListObjects": "ListBucket", "HeadBucket": "ListBucket",
    "ListObjectVersions": "ListBucketVersions", "ListBuckets": "ListAllMyBuckets",
    "ListMultipartUploads": "ListBucketMultipartUploads", "ListParts": "ListMultipartUploadParts",
    "HeadObject": "GetObject", "CreateMultipartUpload": "PutObject", "UploadPart": "PutObject",
    "UploadPartCopy": "PutObject", "CompleteMultipartUpload": "PutObject", "CopyObject": "PutObject",
    "DeleteObjects": "DeleteObject", "SelectObjectContent": "GetObject", "RenameObject": "PutObject",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "PutBucketNotificationConfiguration": "PutBucketNotification",
    "GetBucketCors": "GetBucketCORS", "PutBucketCors": "PutBucketCORS", "DeleteBucketCors": "PutBucketCORS",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration", "GetBucketLifecycle": "GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration", "PutBucketLifecycle": "PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "PutLifecycleConfiguration",
    "GetBucketEncryption": "GetEncryptionConfiguration", "PutBucketEncryption": "PutEncryptionConfiguration",
    "DeleteBucketEncryption": "PutEncryptionConfiguration",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock", "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeleteBucketTagging": "PutBucketTagging", "DeleteBucketReplication": "PutReplicationConfiguration",
    "GetBucketReplication": "GetReplicationConfiguration", "PutBucketReplication": "PutReplicationConfiguration",
    "GetBucketAccelerateConfiguration": "GetAccelerateConfiguration",
    "PutBucketAccelerateConfiguration": "PutAccelerateConfiguration",
    "GetBucketAnalyticsConfiguration": "GetAnalyticsConfiguration",
    "PutBucketAnalyticsConfiguration": "PutAnalyticsConfiguration",
    "DeleteBucketAnalyticsConfiguration": "PutAnalyticsConfiguration",
    "ListBucketAnalyticsConfigurations": "GetAnalyticsConfiguration",
    "GetBucketInventoryConfiguration": "GetInventoryConfiguration",
    "PutBucketInventoryConfiguration": "PutInventoryConfiguration",
    "DeleteBucketInventoryConfiguration": "PutInventoryConfiguration",
    "ListBucketInventoryConfigurations": "GetInventoryConfiguration",
    "GetBucketMetricsConfiguration": "GetMetricsConfiguration",
    "PutBucketMetricsConfiguration": "PutMetricsConfiguration",
    "DeleteBucketMetricsConfiguration": "PutMetricsConfiguration",
    "ListBucketMetricsConfigurations": "GetMetricsConfiguration",
    "GetBucketIntelligentTieringConfiguration": "GetIntelligentTieringConfiguration",
    "PutBucketIntelligentTieringConfiguration": "PutIntelligentTieringConfiguration",
    "DeleteBucketIntelligentTieringConfiguration": "PutIntelligentTieringConfiguration",
    "ListBucketIntelligentTieringConfigurations": "GetIntelligentTieringConfiguration",
    "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
    "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
}

RENAMED: dict[str, dict[str, str]] = {
    "s3": _S3,
    "sqs": {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
            "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"},
    "sns": {"PublishBatch": "Publish"},
    "lambda": {"Invoke": "InvokeFunction", "InvokeWithResponseStream": "InvokeFunction",
               "InvokeAsync": "InvokeFunction"},
    "dynamodb": {"ExecuteStatement": "PartiQLSelect", "BatchExecuteStatement": "PartiQLSelect",
                 "ExecuteTransaction": "PartiQLSelect"},
}


def iam_prefix(signing_name: str) -> str:
    """The IAM service prefix for a signing (or service) name."""
    return PREFIXES.get(signing_name, signing_name)


@lru_cache(maxsize=4096)
def action_name(prefix: str, operation: str) -> str:
    """`s3:ListBucket` for (`s3`, `ListObjectsV2`); `<prefix>:<Operation>` by default."""
    return f"{prefix}:{RENAMED.get(prefix, {}).get(operation, operation)}"
