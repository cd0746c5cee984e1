"""The public Service API: what a service receives, returns and raises."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from .gateway.identities import Identity
    from .registry import Registry
    from .wire import WireRequest


@dataclass(frozen=True)
class Action:
    """One operation a service answers, as the plugin docs' `ActionDef`."""

    name: str
    method: str = "POST"
    iam_action: str = ""


class AWSError(Exception):
    """An error answered to the client in the request's protocol.

    `code` is AWS's error code (`QueueDoesNotExist`), `status` the HTTP status,
    `sender_fault` picks `Sender`/`Receiver` where the protocol says so, `headers`
    are added to the response, and any other keyword is a modelled error field
    (`BucketName=...`). A field whose name collides with a parameter here (a
    member called `code` or `message`) goes in the `fields` dict instead.
    """

    def __init__(
        self,
        code: str,
        message: str = "",
        status: int = 400,
        *,
        sender_fault: bool | None = None,
        headers: dict[str, str] | None = None,
        fields: dict[str, Any] | None = None,
        **extra_fields: Any,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.sender_fault = status < 500 if sender_fault is None else sender_fault
        self.headers = dict(headers or {})
        self.fields = {**(fields or {}), **extra_fields}


@dataclass
class Response:
    """What a service returns: a dict shaped like the output shape, or raw bytes.

    A dict body is serialized by the request's protocol codec; bytes (or an
    iterable of bytes) go out as they are, with `headers`. `status` 0 means the
    operation's usual one (the model's `responseCode`, e.g. 204, else 200).
    """

    body: dict[str, Any] | bytes | Any = None
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RequestContext:
    """One request as a service sees it: operation, params and who asked."""

    service: str
    operation: str
    params: dict[str, Any]
    region: str
    account_id: str
    access_key_id: str
    request_id: str
    protocol: str
    method: str = "POST"
    path: str = "/"
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    wire: WireRequest | None = None
    endpoint: str = ""
    identity: Identity | None = None
    registry: Registry | None = None
    service_model: ServiceModel | None = None
    operation_model: OperationModel | None = None

    @property
    def partition(self) -> str:
        """The AWS partition of the request's region (`aws`, `aws-cn`, ...)."""
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"


def new_request_id() -> str:
    """A request id in AWS's UUID format."""
    return str(uuid.uuid4())


@runtime_checkable
class Service(Protocol):
    """What every service implements: Tier 1 classes, stubs and plugin adapters."""

    name: str

    def actions(self) -> list[Action]:
        """The operations this service answers."""
        ...

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        """Answer one request, or raise `AWSError`."""
        ...

    def health_check(self) -> bool:
        """True when the service can answer requests."""
        ...

    def reset(self) -> None:
        """Forget all state."""
        ...
