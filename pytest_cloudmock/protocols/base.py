"""The codec interface: one server-side codec per AWS wire protocol.

A codec is the inverse of botocore's serializer and parser for its protocol: it
finds the operation a request names, parses the request into the params dict a
boto3 user would have passed, and writes a result dict or an `AWSError` exactly
as botocore's parser for that protocol reads it back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from botocore.model import OperationModel, ServiceModel

from ..api import AWSError
from ..wire import WireRequest, WireResponse


class Codec(ABC):
    """Server side of one protocol. Instances are stateless and shared across threads."""

    protocol: ClassVar[str]

    @abstractmethod
    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        """The name of the operation the request calls, or None if none matches."""

    @abstractmethod
    def parse(
        self, request: WireRequest, operation: OperationModel | None, *, stream_payload: bool = False
    ) -> dict[str, Any]:
        """The request's params, shaped like `operation.input_shape` (types restored).

        With `stream_payload`, a streaming blob payload (an object upload's Body) is left
        unread on `request.stream` for the service to read itself (REST codecs; the
        RPC protocols have no streaming payloads). Raises `AWSError` (400, e.g.
        `SerializationException`, `MalformedXML`, `InvalidParameterValue`) when the
        request cannot be read.
        """

    @abstractmethod
    def serialize(
        self, result: dict[str, Any], operation: OperationModel, request_id: str, status: int = 0
    ) -> WireResponse:
        """Write a result dict shaped like `operation.output_shape`.

        `status` 0 means the model's default (`http.responseCode` or 200).
        """

    @abstractmethod
    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        """Write an error so botocore raises `ClientError` with its code, message and status.

        Fields of the error shape the model defines for `error.code` are included.
        """

    def wire_model(self, model: ServiceModel) -> ServiceModel:
        """The model this codec reads and writes a service's requests with (a service's
        codec may restore traits its botocore model lost: SQS's query XML names)."""
        return model

    def matches(self, request: WireRequest) -> bool:
        """Whether the request looks like this protocol (for multi-protocol services)."""
        return False

    # -- services that are found by Host or take unsigned requests (`HOST_ADDRESSED`) ------
    def host_path(
        self, request: WireRequest, hostname: str, is_service: Callable[[str], bool]
    ) -> str | None:
        """The path-style path of a request that names its resource in the Host header
        (a virtual-host bucket), or None when it does not."""
        return None

    def accepts_unsigned(self, request: WireRequest) -> bool:
        """Whether an unsigned request that names no service is this service's."""
        return False
