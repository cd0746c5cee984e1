"""The public Service API: what a service receives, returns and raises."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .clock import REAL_CLOCK, Clock

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from .identities import Identity
    from .registry import Registry
    from .validation import ValidationPolicy
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
    deferred: list[Callable[[], Any]] = field(default_factory=list, repr=False)
    #: Who an internal call acts as, for IAM (`iam_policy.acting`: a service's role session, or
    #: a service principal delivering to a resource policy); None: an unchecked internal call.
    acting_as: Any = None

    @property
    def clock(self) -> Clock:
        """The gateway clock (real time outside a gateway): read time only from here."""
        registry = self.registry
        return registry.clock if registry is not None else REAL_CLOCK

    def defer(self, effect: Callable[[], Any]) -> None:
        """Run `effect()` after the service returns and its locks are released.

        Deferred effects run in order, before the response is written: S3
        notifications, SNS deliveries, any call into another service. An effect's
        exception is logged, never turned into this request's answer.
        """
        self.deferred.append(effect)

    def dispatch(self, work: Callable[[], Any]) -> None:
        """Queue `work` for the gateway's background dispatcher (asynchronous effects:
        async invokes, event source mappings, targets); `settle()` waits for it."""
        registry = self.registry
        if registry is None or registry.dispatcher is None:
            self.defer(work)
        else:
            registry.dispatcher.submit(work)

    @property
    def partition(self) -> str:
        """The AWS partition of the request's region (`aws`, `aws-cn`, ...)."""
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"


def new_request_id() -> str:
    """A request id in AWS's UUID format (a version-4 UUID; ids need not be unguessable, so
    from `random`, a third of `uuid.uuid4()`'s cost)."""
    h = "%032x" % (_random_bits(128) & _UUID4_CLEAR | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_random_bits = random.Random().getrandbits
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))  # the version and variant bits
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


@dataclass(frozen=True)
class ServiceProfile:
    """What a service declares to the gateway, read once at registration.

    Every field is optional; the defaults suit a Tier 1 service named after its
    botocore model. The gateway reads nothing else from a service object.
    """

    #: Further service names this object answers (one package, shared state:
    #: `dynamodb` + `dynamodbstreams`). Each is registered as an alias of the service.
    also_serves: tuple[str, ...] = ()
    #: Wire names that find the service when botocore does not know it (plugins, custom
    #: models): its `X-Amz-Target` prefix, SigV4 signing name, host endpoint prefix.
    target_prefix: str = ""
    signing_name: str = ""
    endpoint_prefix: str = ""
    #: The model to parse and serialize with, when it is not botocore's own
    #: (a stub's or plugin's custom model). None: botocore's model of the routed name.
    model: ServiceModel | None = None
    #: The protocol of a service with no model at all (a raw gRPC plugin).
    protocol: str = ""
    #: Hand the raw request to the service unparsed (`ctx.body`, `ctx.wire`): gRPC plugins.
    raw_requests: bool = False
    #: Operations whose request payload the service streams itself from `ctx.wire.stream`.
    streaming_operations: frozenset[str] = frozenset()
    #: Finds an operation the model lacks (S3 form POST, CORS preflight) from the request.
    unmodelled_operation: Callable[[WireRequest], str | None] | None = None
    #: The validation step's settings for this service (own error code, checks it does itself).
    validation: ValidationPolicy | None = None
    #: Operations answered outside the model (dispatched like modelled ones).
    extra_operations: frozenset[str] = frozenset()
    #: Called with the registry after every move of the gateway clock (freeze, advance, set,
    #: reset), for the work time brings due: TTL and retention sweeps, schedules, alarms.
    #: Called only for services made so far, on the thread that moved the clock.
    on_clock: Callable[[Registry], None] | None = None
    #: How the admin API lists it: `tier1`, `stub`, `plugin`.
    kind: str = "tier1"
    #: Called when the gateway stops (processes or servers the service started: Lambda).
    on_stop: Callable[[], None] | None = None


DEFAULT_PROFILE = ServiceProfile()


def profile_of(service: object) -> ServiceProfile:
    """A service's declared profile (the default for one that declares none)."""
    profile = getattr(service, "profile", None)  # the one place the gateway looks
    return profile if isinstance(profile, ServiceProfile) else DEFAULT_PROFILE


@runtime_checkable
class Service(Protocol):
    """What every service implements: Tier 1 classes, stubs and plugin adapters.

    A service may also carry `profile: ServiceProfile` (class or instance attribute).
    """

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
