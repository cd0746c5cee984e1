"""S3's errors, with the codes, messages, statuses and extra fields AWS sends."""

from __future__ import annotations

from ...api import AWSError


def no_such_bucket(name: str) -> AWSError:
    return AWSError("NoSuchBucket", "The specified bucket does not exist", 404, BucketName=name)


def no_such_key(key: str) -> AWSError:
    return AWSError("NoSuchKey", "The specified key does not exist.", 404, Key=key)


def no_such_version(key: str, version_id: str) -> AWSError:
    return AWSError(
        "NoSuchVersion",
        "The specified version does not exist.",
        404,
        Key=key,
        VersionId=version_id,
    )


def no_such_upload(upload_id: str) -> AWSError:
    return AWSError(
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may "
        "have been aborted or completed.",
        404,
        UploadId=upload_id,
    )


def precondition_failed(condition: str) -> AWSError:
    return AWSError(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        412,
        Condition=condition,
    )


def invalid_argument(message: str, name: str, value: object) -> AWSError:
    return AWSError("InvalidArgument", message, 400, ArgumentName=name, ArgumentValue=str(value))


def invalid_request(message: str) -> AWSError:
    return AWSError("InvalidRequest", message, 400)


def method_not_allowed(method: str, resource: str) -> AWSError:
    return AWSError(
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        405,
        Method=method,
        ResourceType=resource,
    )


def access_denied(message: str = "Access Denied", **fields: object) -> AWSError:
    return AWSError("AccessDenied", message, 403, **fields)


def malformed_xml() -> AWSError:
    return AWSError(
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
