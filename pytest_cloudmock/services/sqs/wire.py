"""SQS's wire quirk in the json protocol: the legacy query error codes.

SQS moved from query to json before botocore's models could list both, so its json
model's error shapes carry no `error.code`; yet AWS still sends, in the
`x-amzn-query-error` header, the legacy query codes (and statuses) users match on
(`AWS.SimpleQueueService.NonExistentQueue`, ...). `SqsJsonCodec` (chosen by
`protocols.CODECS`) writes them; `wire_models` gives the query model the same codes.

The json error body's `__type` (and `x-amzn-ErrorType`) is the shape's full id,
`com.amazonaws.sqs#QueueDoesNotExist`, as AWS's "Interpreting Amazon SQS JSON API
responses" shows; botocore keeps the part after `#`. Codes without a shape in the
json model (`InvalidParameterValue`, `MissingParameter`) get the same namespace: AWS's
exact `__type` for those is not documented.
"""

from __future__ import annotations

import json

from botocore.model import OperationModel, ServiceModel, Shape

from ...api import AWSError
from ...protocols.json_ import JsonCodec, dumps, find_error_shape
from ...protocols.query import QueryCodec
from ...wire import WireResponse

SHAPE_NAMESPACE = "com.amazonaws.sqs"

# error shape name -> (awsQueryError code, HTTP status)
AWS_QUERY_ERRORS: dict[str, tuple[str, int]] = {
    "BatchEntryIdsNotDistinct": ("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400),
    "BatchRequestTooLong": ("AWS.SimpleQueueService.BatchRequestTooLong", 400),
    "EmptyBatchRequest": ("AWS.SimpleQueueService.EmptyBatchRequest", 400),
    "InvalidAddress": ("InvalidAddress", 404),
    "InvalidBatchEntryId": ("AWS.SimpleQueueService.InvalidBatchEntryId", 400),
    "InvalidSecurity": ("InvalidSecurity", 403),
    "KmsAccessDenied": ("KMS.AccessDeniedException", 400),
    "KmsDisabled": ("KMS.DisabledException", 400),
    "KmsInvalidKeyUsage": ("KMS.InvalidKeyUsageException", 400),
    "KmsInvalidState": ("KMS.InvalidStateException", 400),
    "KmsNotFound": ("KMS.NotFoundException", 400),
    "KmsOptInRequired": ("KMS.OptInRequired", 403),
    "KmsThrottled": ("KMS.ThrottlingException", 400),
    "MessageNotInflight": ("AWS.SimpleQueueService.MessageNotInflight", 400),
    "OverLimit": ("OverLimit", 403),
    "PurgeQueueInProgress": ("AWS.SimpleQueueService.PurgeQueueInProgress", 403),
    "QueueDeletedRecently": ("AWS.SimpleQueueService.QueueDeletedRecently", 400),
    "QueueDoesNotExist": ("AWS.SimpleQueueService.NonExistentQueue", 400),
    "QueueNameExists": ("QueueAlreadyExists", 400),
    "ReceiptHandleIsInvalid": ("ReceiptHandleIsInvalid", 404),
    "RequestThrottled": ("RequestThrottled", 403),
    "ResourceNotFoundException": ("ResourceNotFoundException", 404),
    "TooManyEntriesInBatchRequest": ("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400),
    "UnsupportedOperation": ("AWS.SimpleQueueService.UnsupportedOperation", 400),
}
_BY_QUERY_CODE = {code: name for name, (code, _) in AWS_QUERY_ERRORS.items()}


class SqsJsonCodec(JsonCodec):
    """awsJson 1.0 with SQS's legacy query error codes."""

    def error_shape(self, model: ServiceModel | None, code: str) -> Shape | None:
        """The error shape `code` names: its json name, or its legacy query code."""
        return find_error_shape(model, _BY_QUERY_CODE.get(code, code))

    def query_error_code(self, shape: Shape) -> str | None:
        legacy = AWS_QUERY_ERRORS.get(shape.name)
        return legacy[0] if legacy else None

    def serialize_error(
        self, error: AWSError, model: ServiceModel | None, operation: OperationModel | None, request_id: str,
    ) -> WireResponse:
        """The json error, its `__type` and `x-amzn-ErrorType` the shape's full id."""
        response = super().serialize_error(error, model, operation, request_id)
        body = json.loads(response.body)  # type: ignore[arg-type]
        code = str(body.get("__type") or error.code)
        if "#" not in code:
            code = f"{SHAPE_NAMESPACE}#{code}"
        body["__type"] = code
        response.headers["x-amzn-ErrorType"] = code
        response.body = dumps(body)
        return response


class SqsQueryCodec(QueryCodec):
    """The query protocol old SDKs speak to SQS, with the XML traits botocore's json-only
    model lost (`wire_models.query_model`)."""

    def wire_model(self, model: ServiceModel) -> ServiceModel:
        from .wire_models import query_model

        return query_model()
