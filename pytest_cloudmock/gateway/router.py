"""Which service, protocol and operation a request is for: one `Route`, computed once.

Clues, strongest first: `X-Amz-Target` (json), the rpc-v2-cbor path, the SigV4
credential scope, the Host header (services in `protocols.HOST_ADDRESSED`, such as
virtual-host S3; `service.region.host`), and `Action=` in a form body or the URL.
The operation itself is found by the protocol's codec (target suffix, `Action`, or
the model's URI templates). The request is never changed: a request addressed by
host is routed as a path-style view of it (`Route.request`), while the request as
received (and signed) stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple
from urllib.parse import unquote_plus

from botocore.model import OperationModel, ServiceModel

from ..api import AWSError, ServiceProfile
from ..models import index, protocols_of, service_model
from ..protocols import HOST_ADDRESSED, Codec, codec_for, detect_protocol
from ..registry import Registry
from ..services import PublicEndpoint
from ..wire import WireRequest
from .auth import Credentials, read_credentials

_CBOR_PATH = re.compile(r"^/service/([^/]+)/operation/([^/]+)$")
_QUERY_CONTENT = "application/x-www-form-urlencoded"
DEFAULT_REGION_FALLBACK = "us-east-1"


class Route(NamedTuple):
    """Where a request goes, and everything later steps need to know about it (immutable:
    a named tuple, made per request at a fifth of a frozen dataclass's cost).

    `request` is what the codec parses: the request itself, or its path-style view when
    it named its resource in the Host. `operation_model` is None for an operation
    outside the model (S3's form POST) or a service without a model.
    """

    service: str
    protocol: str
    operation: str
    model: ServiceModel | None
    operation_model: OperationModel | None
    credentials: Credentials
    region: str
    request: WireRequest
    codec: Codec
    profile: ServiceProfile
    #: Reached through a service's public endpoint (plain HTTP, no AWS signature checked).
    public: bool = False


def no_route(message: str) -> AWSError:
    return AWSError("UnknownOperationException", message, 400)


class Router:
    """Maps requests to routes using the registry and the botocore model index."""

    def __init__(
        self, registry: Registry, hostname: str = "localhost", default_region: str = "us-east-1",
        public: tuple[PublicEndpoint, ...] = (),
    ) -> None:
        self.registry = registry
        self.hostname = hostname.lower()
        self.default_region = default_region
        self.public = public
        # one pattern each for all public paths and hosts: most requests are turned away by two matches
        self._public_path = _union(e.path for e in public)
        self._public_host = _union(e.host for e in public)

    def route(self, request: WireRequest) -> Route:
        """The route of a request, or `AWSError` saying what is missing."""
        creds = read_credentials(request)
        host = _bare_host(request)
        if ((self._public_path and self._public_path.match(request.path))
                or (self._public_host and self._public_host.match(host))):
            public = self._public_route(request, creds, host)
            if public is not None:
                return public
        service = self._service_of(request, creds, host)
        profile = self.registry.profile(service)
        model = profile.model or _botocore_model(service)
        protocol = self._protocol_of(request, profile, model)
        if model is None:
            plan = None
            codec = codec_for(protocol, service)
        else:
            plan = _wire_plan(model, protocol, service)
            codec, model = plan.codec, plan.model
        routed = self._routed_request(request, service, protocol, host)
        operation = self._operation_of(routed, service, model, codec, profile)
        op_model = plan.operation(operation) if plan is not None else None
        region = creds.region or _region_from_host(host) or self.default_region
        return Route(service, protocol, operation, model, op_model, creds, region, routed, codec, profile)

    def _public_route(self, request: WireRequest, creds: Credentials, host: str) -> Route | None:
        """The route of a request to a service's public endpoint (`services.PUBLIC_ENDPOINTS`)."""
        for endpoint in self.public:
            if endpoint.service not in self.registry or not endpoint.matches(request):
                continue
            profile = self.registry.profile(endpoint.service)
            finder = profile.unmodelled_operation
            operation = finder(request) if finder is not None else None
            if not operation:
                continue
            model = profile.model or _botocore_model(endpoint.service)
            protocol = profile.protocol or (protocols_of(model)[0] if model is not None else "rest-json")
            region = creds.region or _region_from_host(host) or self.default_region
            return Route(endpoint.service, protocol, operation, model, None, creds, region, request,
                         codec_for(protocol, endpoint.service), profile, public=True)
        return None

    def _routed_request(self, request: WireRequest, service: str, protocol: str, host: str) -> WireRequest:
        """The request as its codec should read it: a path-style view of a host-addressed one."""
        if HOST_ADDRESSED.get(service) != protocol or not self._under_hostname(host):
            return request
        path = codec_for(protocol, service).host_path(request, self.hostname, self._is_service_label)
        return request.at_path(path) if path is not None else request

    # -- service ---------------------------------------------------------------------
    def _service_of(self, request: WireRequest, creds: Credentials, host: str) -> str:
        """The service a request is for (`host`: its Host less port, lower-cased)."""
        target = request.headers.get("X-Amz-Target")
        if target:
            prefix = target.rsplit(".", 1)[0] if "." in target else target.split("_", 1)[0]
            found = self.registry.resolve_alias(prefix) or self._by_target_prefix(prefix, target, request)
            if found:
                return found
        cbor = _CBOR_PATH.match(request.path)
        if cbor and request.headers.get("smithy-protocol"):
            found = self.registry.resolve_alias(cbor[1]) or index().by_target_prefix.get(cbor[1])
            if found:
                return found
        addressed = self._host_addressed(request, host)
        if addressed:
            return addressed
        if creds.service:
            found = self._by_signing_name(creds.service, request)
            if found:
                return found
        host_service = self._service_from_host(host)
        if host_service:
            return host_service
        action = self._form_action(request)
        if action:
            found = self._query_service_with(action, self._form_value(request, "Version"))
            if found:
                return found
        if target:
            raise no_route(f"No service is registered for X-Amz-Target {target!r}")
        if creds.service:
            raise no_route(f"No service is registered for credential scope {creds.service!r}")
        if not creds.present:
            for name, protocol in HOST_ADDRESSED.items():
                if name in self.registry and codec_for(protocol, name).accepts_unsigned(request):
                    return name
        if not creds.present and not action:
            raise AWSError(
                "MissingAuthenticationToken",
                "Request is missing Authentication Token: no Authorization header, X-Amz-Target "
                "or Action names the service",
                403,
            )
        raise no_route("Cannot tell which service this request is for")

    def _by_target_prefix(self, prefix: str, target: str, request: WireRequest) -> str | None:
        """The service of a json target prefix; where several APIs share one (Timestream Write
        and Query), the registered one with the operation, the Host's endpoint prefix
        (`ingest.timestream.`) breaking a tie."""
        found = index().by_target_prefix.get(prefix)
        sharing = _sharing_target_prefix(found) if found else ()
        if not sharing:
            return found
        operation = target.rsplit(".", 1)[-1]
        having = [n for n in sharing if n in self.registry and operation in service_model(n).operation_names]
        host = request.host.lower()
        return next((n for n in having if host.startswith(service_model(n).endpoint_prefix + ".")),
                    (having or [found])[0])

    def _by_signing_name(self, name: str, request: WireRequest) -> str | None:
        alias = self.registry.resolve_alias(name)
        if alias:
            return alias
        candidates = index().by_signing_name.get(name, [])
        if not candidates:
            return name if name in self.registry else None
        if len(candidates) == 1:
            return candidates[0]
        registered = [c for c in candidates if c in self.registry]
        if len(registered) == 1:
            return registered[0]
        pool = registered or candidates
        # Several services share a signing name (elb, elbv2): a query request's Version
        # names the API, else the first whose model has the operation.
        version = self._form_value(request, "Version")
        if version:
            pool = [n for n in pool if _api_version(n) == version] or pool
        # the API named like the signing name first: DocumentDB's and Neptune's are subsets of RDS's
        pool = sorted(pool, key=lambda n: n != name)
        for name_ in pool:
            try:
                model = service_model(name_)
                codec = codec_for(detect_protocol(request, protocols_of(model)))
                if codec.find_operation(request, model):
                    return name_
            except (KeyError, AWSError):
                continue
        return name if name in pool else pool[0]

    def _service_from_host(self, host: str) -> str | None:
        if not host.endswith(self.hostname) or host == self.hostname:
            return None
        first = host[: -len(self.hostname)].rstrip(".").split(".")[0]
        if first in self.registry:
            return first
        names = index().by_endpoint_prefix.get(first)
        return names[0] if names else None

    def _under_hostname(self, host: str) -> bool:
        """Whether the Host may name a host-addressed service: those hosts all end in
        `.<hostname>` (most requests, to `127.0.0.1:<port>` or `localhost`, are not looked at
        further)."""
        return "." + self.hostname in host

    def _is_service_label(self, label: str) -> bool:
        return label in self.registry or label in index().by_endpoint_prefix

    def _host_addressed(self, request: WireRequest, host: str) -> str | None:
        """The service a request names only by its Host (`bucket.s3.<region>.<hostname>`)."""
        if not self._under_hostname(host):
            return None
        for name, protocol in HOST_ADDRESSED.items():
            if codec_for(protocol, name).host_path(request, self.hostname, self._is_service_label):
                return name
        return None

    @staticmethod
    def _form_value(request: WireRequest, name: str) -> str | None:
        """A query-protocol parameter (`Action`, `Version`) from the URL or a form body."""
        value = request.query_value(name)
        if value:
            return value
        if request.method == "POST" and _QUERY_CONTENT in request.headers.get("Content-Type", ""):
            prefix = name.encode() + b"="
            for pair in request.body.split(b"&"):
                if pair.startswith(prefix):
                    return unquote_plus(pair[len(prefix):].decode("ascii", "replace"))
        return None

    def _form_action(self, request: WireRequest) -> str | None:
        return self._form_value(request, "Action")

    def _query_service_with(self, action: str, version: str | None) -> str | None:
        """The query/EC2 service with `action`; among several, the one whose API version the
        request names (`CreateUser` is IAM's and ElastiCache's: `Version=2010-05-08` is IAM)."""
        found = []
        for name, protocols in index().protocols.items():
            if ("query" in protocols or "ec2" in protocols) and name in self.registry:
                try:
                    if action in service_model(name).operation_names:
                        found.append(name)
                except KeyError:
                    continue
        if version:
            found.sort(key=lambda name: _api_version(name) != version)
        return found[0] if found else None

    def error_protocol(self, request: WireRequest) -> str | None:
        """The protocol to answer a request that could not be routed in: that of the service
        it names (credential scope, target, host), when it names one."""
        try:
            service = self._service_of(request, read_credentials(request), _bare_host(request))
            profile = self.registry.profile(service)
            return self._protocol_of(request, profile, profile.model or _botocore_model(service))
        except (AWSError, KeyError, ValueError):
            return None

    # -- model, protocol, operation -----------------------------------------------------

    def _protocol_of(self, request: WireRequest, profile: ServiceProfile, model: ServiceModel | None) -> str:
        if model is None:
            if profile.protocol:
                return profile.protocol
            return "query" if self._form_action(request) else "json"
        candidates = _protocols_answered(model)
        return detect_protocol(request, candidates) if len(candidates) > 1 else candidates[0]

    def _operation_of(
        self, request: WireRequest, service: str, model: ServiceModel | None, codec: Codec,
        profile: ServiceProfile,
    ) -> str:
        if model is None:
            op = self._modelless_operation(request)
            if not op:
                raise no_route(f"Cannot tell which operation of {service} this request calls")
            return op
        protocol = codec.protocol
        op = codec.find_operation(request, model)
        if not op and profile.unmodelled_operation is not None:
            op = profile.unmodelled_operation(request)
        if not op:
            what = request.headers.get("X-Amz-Target") or self._form_action(request) or (
                f"{request.method} {request.path}"
            )
            raise AWSError(
                "UnknownOperationException" if protocol not in ("query", "ec2") else "InvalidAction",
                f"{service} has no operation matching {what}",
                400,
            )
        return op

    def _modelless_operation(self, request: WireRequest) -> str | None:
        target = request.headers.get("X-Amz-Target")
        if target:
            return target.rsplit(".", 1)[-1]
        cbor = _CBOR_PATH.match(request.path)
        if cbor:
            return cbor[2]
        return self._form_action(request)


def _bare_host(request: WireRequest) -> str:
    """The request's Host less its port, lower-cased."""
    return request.headers.get("Host", "").partition(":")[0].lower()


_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")


def _region_from_host(host: str) -> str | None:
    """The region a Host names (`s3.eu-west-1.localhost`), if any."""
    return next((part for part in host.split(".") if _REGION.fullmatch(part)), None)


class _WirePlan:
    """How a service's requests in one protocol are read: its codec, the model that codec
    reads with, and that model's operations by name (filled as they are first asked for)."""

    def __init__(self, model: ServiceModel, protocol: str, service: str) -> None:
        self.codec = codec_for(protocol, service)
        self.model = self.codec.wire_model(model)
        self._names = frozenset(self.model.operation_names)
        self._operations: dict[str, OperationModel] = {}

    def operation(self, name: str) -> OperationModel | None:
        """The operation's model (None for one outside the model)."""
        found = self._operations.get(name)
        if found is None and name in self._names:
            found = self._operations[name] = self.model.operation_model(name)
        return found


@lru_cache(maxsize=1024)
def _wire_plan(model: ServiceModel, protocol: str, service: str) -> _WirePlan:
    """The wire plan of a service's model in a protocol (made once per model and protocol)."""
    return _WirePlan(model, protocol, service)


def _union(patterns: Iterable[re.Pattern[str] | None]) -> re.Pattern[str] | None:
    """One pattern matching where any of `patterns` matches (None for none)."""
    given = [p.pattern for p in patterns if p is not None]
    return re.compile("|".join(f"(?:{p})" for p in given)) if given else None


def _api_version(name: str) -> str | None:
    try:
        return service_model(name).api_version
    except KeyError:
        return None


@cache
def _sharing_target_prefix(name: str) -> tuple[str, ...]:
    """`name` and the other services whose models have its target prefix (empty: none do)."""
    model = _botocore_model(name)
    if model is None:
        return ()
    prefix = model.metadata.get("targetPrefix")
    others = [n for n in index().by_signing_name.get(model.signing_name, []) if n != name and (
        (other := _botocore_model(n)) is not None and other.metadata.get("targetPrefix") == prefix)]
    return (name, *others) if others else ()


@lru_cache(maxsize=1024)
def _protocols_answered(model: ServiceModel) -> list[str]:
    """The protocols a service answers in, its preferred first (worked out once per model)."""
    candidates = protocols_of(model)
    if model.metadata.get("awsQueryCompatible") is not None and "query" not in candidates:
        candidates = [*candidates, "query"]
    return candidates


def _botocore_model(service: str) -> ServiceModel | None:
    try:
        return service_model(service)
    except KeyError:
        return None
