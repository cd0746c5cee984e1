"""Documented service-specific condition keys, from a request's params.

S3 (`s3:prefix`, `s3:delimiter`, `s3:max-keys`, `s3:x-amz-acl`, `s3:x-amz-server-side-encryption`,
`s3:x-amz-server-side-encryption-aws-kms-key-id`, `s3:VersionId`, `s3:x-amz-copy-source`,
`s3:x-amz-metadata-directive`, `s3:x-amz-storage-class`, `s3:RequestObjectTag/<k>`,
`s3:RequestObjectTagKeys`, `s3:authType`, `s3:signatureversion`), SNS (`sns:Protocol`,
`sns:Endpoint`), KMS (`kms:EncryptionContext:<k>`, `kms:EncryptionContextKeys`,
`kms:EncryptionAlgorithm`, `kms:SigningAlgorithm`, `kms:GrantOperations`,
`kms:GranteePrincipal`, `kms:KeySpec`, `kms:KeyUsage`, `kms:CallerAccount`, `kms:RequestAlias`),
DynamoDB (`dynamodb:Attributes`, `dynamodb:Select`, `dynamodb:ReturnValues`,
`dynamodb:ReturnConsumedCapacity`; `dynamodb:LeadingKeys` is computed lazily by context.py
because it needs the table's key schema), Lambda (`lambda:FunctionArn`, `lambda:Principal`,
`lambda:FunctionUrlAuthType`, `lambda:Layer`), Secrets Manager (`secretsmanager:Name`,
`secretsmanager:Description`, `secretsmanager:KmsKeyId`, `secretsmanager:SecretId`,
`secretsmanager:VersionStage`, `secretsmanager:VersionId`,
`secretsmanager:ForceDeleteWithoutRecovery`, `secretsmanager:RecoveryWindowInDays`,
`secretsmanager:BlockPublicPolicy`). Keys are lower-cased (IAM compares key names
case-insensitively). SQS documents no service-specific keys.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

Keys = dict[str, list[str]]


def _put(out: Keys, key: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        out[key.lower()] = ["true" if value else "false"]
    elif isinstance(value, list):
        out[key.lower()] = [str(v) for v in value]
    else:
        out[key.lower()] = [str(value)]


def _s3(p: dict[str, Any], operation: str) -> Keys:
    out: Keys = {}
    if operation in ("ListObjects", "ListObjectsV2", "ListObjectVersions"):
        _put(out, "s3:prefix", p.get("Prefix", ""))
        _put(out, "s3:delimiter", p.get("Delimiter"))
        _put(out, "s3:max-keys", p.get("MaxKeys"))
    for key, member in (("s3:x-amz-acl", "ACL"), ("s3:x-amz-server-side-encryption", "ServerSideEncryption"),
                        ("s3:x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"),
                        ("s3:VersionId", "VersionId"), ("s3:x-amz-metadata-directive", "MetadataDirective"),
                        ("s3:x-amz-storage-class", "StorageClass")):
        _put(out, key, p.get(member))
    source = p.get("CopySource")
    if source:
        _put(out, "s3:x-amz-copy-source",
             source if isinstance(source, str) else f"{source.get('Bucket')}/{source.get('Key')}")
    if isinstance(p.get("Tagging"), str):
        tags = dict(parse_qsl(p["Tagging"], keep_blank_values=True))
        for key, value in tags.items():
            _put(out, f"s3:RequestObjectTag/{key}", value)
        _put(out, "s3:RequestObjectTagKeys", list(tags))
    _put(out, "s3:authType", "REST-HEADER")
    _put(out, "s3:signatureversion", "AWS4-HMAC-SHA256")
    return out


def _sns(p: dict[str, Any], operation: str) -> Keys:
    out: Keys = {}
    if operation == "Subscribe":
        _put(out, "sns:Protocol", p.get("Protocol"))
        _put(out, "sns:Endpoint", p.get("Endpoint"))
    return out


def _kms(p: dict[str, Any], operation: str) -> Keys:
    out: Keys = {}
    context = p.get("EncryptionContext") or p.get("DestinationEncryptionContext") or {}
    for key, value in context.items():
        _put(out, f"kms:EncryptionContext:{key}", value)
    if context:
        _put(out, "kms:EncryptionContextKeys", list(context))
    _put(out, "kms:EncryptionAlgorithm", p.get("EncryptionAlgorithm"))
    _put(out, "kms:SigningAlgorithm", p.get("SigningAlgorithm"))
    _put(out, "kms:GrantOperations", p.get("Operations"))
    _put(out, "kms:GranteePrincipal", p.get("GranteePrincipal"))
    _put(out, "kms:RetiringPrincipal", p.get("RetiringPrincipal"))
    _put(out, "kms:KeySpec", p.get("KeySpec") or p.get("KeyPairSpec"))
    _put(out, "kms:KeyUsage", p.get("KeyUsage"))
    _put(out, "kms:KeyOrigin", p.get("Origin"))
    _put(out, "kms:MessageType", p.get("MessageType"))
    key_id = p.get("KeyId") or ""
    if key_id.startswith("alias/") or ":alias/" in key_id:
        _put(out, "kms:RequestAlias", key_id.split(":", 5)[-1])
    return out


_NAME = re.compile(r"#?[A-Za-z_][\w]*")


def _expression_attributes(expression: str | None, names: dict[str, str]) -> list[str]:
    if not expression:
        return []
    found = []
    for path in expression.split(","):
        first = re.split(r"[.\[]", path.strip(), maxsplit=1)[0]
        if first:
            found.append(names.get(first, first))
    return found


def _dynamodb(p: dict[str, Any], operation: str) -> Keys:
    out: Keys = {}
    names = p.get("ExpressionAttributeNames") or {}
    attributes: list[str] = []
    if isinstance(p.get("Item"), dict):
        attributes += list(p["Item"])
    if isinstance(p.get("Key"), dict):
        attributes += list(p["Key"])
    attributes += list(p.get("AttributesToGet") or [])
    attributes += _expression_attributes(p.get("ProjectionExpression"), names)
    attributes += [v for v in names.values() if v not in attributes]
    if isinstance(p.get("AttributeUpdates"), dict):
        attributes += list(p["AttributeUpdates"])
    if attributes:
        _put(out, "dynamodb:Attributes", list(dict.fromkeys(attributes)))
    _put(out, "dynamodb:Select", p.get("Select"))
    _put(out, "dynamodb:ReturnValues", p.get("ReturnValues"))
    _put(out, "dynamodb:ReturnConsumedCapacity", p.get("ReturnConsumedCapacity"))
    return out


def _lambda(p: dict[str, Any], operation: str) -> Keys:
    out: Keys = {}
    if operation in ("CreateEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping"):
        _put(out, "lambda:FunctionArn", p.get("FunctionName"))
    if operation == "AddPermission":
        _put(out, "lambda:Principal", p.get("Principal"))
    _put(out, "lambda:FunctionUrlAuthType", p.get("AuthType"))
    _put(out, "lambda:Layer", p.get("Layers"))
    return out


def _secretsmanager(p: dict[str, Any], operation: str) -> Keys:
    out: Keys = {}
    for key, member in (("Name", "Name"), ("Description", "Description"), ("KmsKeyId", "KmsKeyId"),
                        ("SecretId", "SecretId"), ("VersionStage", "VersionStage"), ("VersionId", "VersionId"),
                        ("ForceDeleteWithoutRecovery", "ForceDeleteWithoutRecovery"),
                        ("RecoveryWindowInDays", "RecoveryWindowInDays"), ("BlockPublicPolicy", "BlockPublicPolicy")):
        _put(out, f"secretsmanager:{key}", p.get(member))
    return out


_BY_SERVICE = {"s3": _s3, "sns": _sns, "kms": _kms, "dynamodb": _dynamodb, "lambda": _lambda,
               "secretsmanager": _secretsmanager}


def service_keys(service: str, operation: str, params: dict[str, Any]) -> Keys:
    found = _BY_SERVICE.get(service)
    if found is None:
        return {}
    try:
        return found(params, operation)
    except (AttributeError, TypeError):
        return {}
