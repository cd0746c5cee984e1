"""Which botocore clients go in-process, and the hook that registers them.

While at least one gateway is attached, `botocore.session.Session.create_client`
registers one `before-send` handler on every new client (boto3 clients and
resources included; aiobotocore's sessions make their clients elsewhere and
keep using HTTP). The handler answers a request for the port of an attached
gateway on a local host name in-process (unless that gateway's transport is
"http"); anything else goes on as usual.

The real-AWS guard sits where a request would leave the process, botocore's
`URLLib3Session.send`, so it also covers clients made before the gateway started
and lets another mock that answers in `before-send` (moto) keep working: a
request to an AWS host raises `RealAWSRequestBlocked` unless allowed.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .aws_guard import RealAWSRequestBlocked, event_names, is_real_aws_host
from .inprocess import send, split_url

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse

    from ..gateway import Gateway

HANDLER_ID = "cloudmock-transport"
TRANSPORTS = ("inprocess", "http")


@dataclass
class Attachment:
    """One attached gateway; the plugin changes `transport` and `allow_real_aws` per test."""

    gateway: Gateway
    transport: str = "inprocess"  # or "http"
    guard: bool = True  # refuse real AWS calls while attached
    allow_real_aws: bool = False
    #: host name -> whether it reaches the gateway (`serves`)
    _served: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def serves(self, host: str) -> bool:
        """True for a host name that reaches this gateway (loopback, `localhost`, its hostname),
        also behind the host prefix botocore adds for some operations (`stream-127.0.0.1`:
        Logs StartLiveTail), which no resolver would find but the in-process path can serve.
        Worked out once per host name."""
        served = self._served.get(host)
        if served is None:
            if len(self._served) >= 1024:  # (virtual-host buckets: one name each)
                self._served.clear()
            served = self._served[host] = self._reaches(host)
        return served

    def _reaches(self, host: str) -> bool:
        host = host.strip("[]").lower()
        name = self.gateway.config.hostname.lower()
        local = ("127.0.0.1", "::1", "localhost", name, self.gateway.config.host)
        if host in local or host.endswith((".localhost", "." + name)):
            return True
        return any(_HOST_PREFIX.fullmatch(host[: -len(base)]) for base in local if base and host.endswith(base))


_HOST_PREFIX = re.compile(r"[a-z0-9][a-z0-9-]*-|[a-z0-9][a-z0-9.-]*\.")  # botocore's `hostPrefix` forms
_lock = threading.Lock()
_by_port: dict[int, Attachment] = {}
_original_create_client: Any = None
_original_send: Any = None
_pending = threading.local()


def attach(gateway: Gateway, transport: str = "inprocess", guard: bool = True,
           allow_real_aws: bool = False) -> Attachment:
    """Route clients created from now on to `gateway` in-process; guard real AWS. Undo: `detach`."""
    if transport not in TRANSPORTS:
        raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
    attachment = Attachment(gateway, transport, guard, allow_real_aws)
    with _lock:
        _by_port[gateway.port] = attachment
        _install()
    return attachment


def detach(attachment: Attachment) -> None:
    """Forget an attached gateway; with none left, clients created later are plain again."""
    with _lock:
        for port, attached in list(_by_port.items()):
            if attached is attachment:
                del _by_port[port]
        if not _by_port:
            _uninstall()


def attachments() -> list[Attachment]:
    """The gateways attached now."""
    return list(_by_port.values())


def before_send(request: AWSPreparedRequest, event_name: str = "", **_: Any) -> AWSResponse | None:
    """botocore `before-send`: answer a request for an attached gateway in-process, else None."""
    _, netloc, _, _ = split_url(request.url)
    host, colon, port = netloc.rpartition(":")
    attachment = _by_port.get(int(port)) if colon and port.isdigit() else None
    if attachment is not None and attachment.serves(host):
        if attachment.transport == "inprocess":
            return send(attachment.gateway.app, request)
        return None
    _pending.request = (request, event_name)  # names the call if the guard stops it
    return None


def guarding() -> bool:
    """True while some attached gateway guards and none allows real AWS (a test's marker or flag)."""
    attached = list(_by_port.values())
    return any(a.guard for a in attached) and not any(a.allow_real_aws for a in attached)


def guarded_send(session: Any, request: AWSPreparedRequest) -> Any:
    """botocore's HTTP send, refusing real AWS hosts while a guarding gateway is attached."""
    hostname = urlsplit(request.url).hostname or ""
    if is_real_aws_host(hostname) and guarding():
        pending = getattr(_pending, "request", None)
        if pending is not None and pending[0] is request:
            service, operation = event_names(pending[1])
        else:  # a client made before the gateway started: no event name to read
            service, operation = hostname.split(".")[0], "(operation unknown)"
        raise RealAWSRequestBlocked(service, operation, request.url)
    return _original_send(session, request)


def register(client: Any) -> Any:
    """Register the handler on one client (done for every client made while attached)."""
    client.meta.events.register("before-send", before_send, unique_id=HANDLER_ID)
    return client


def _install() -> None:
    global _original_create_client, _original_send
    if _original_create_client is not None:
        return
    import botocore.httpsession
    import botocore.session

    original = botocore.session.Session.create_client
    _original_send = botocore.httpsession.URLLib3Session.send
    botocore.httpsession.URLLib3Session.send = guarded_send  # type: ignore[method-assign]

    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        return register(original(self, *args, **kwargs))

    create_client.__wrapped__ = original  # type: ignore[attr-defined]
    create_client.__doc__ = original.__doc__
    botocore.session.Session.create_client = create_client  # type: ignore[method-assign]
    _original_create_client = original


def _uninstall() -> None:
    global _original_create_client, _original_send
    if _original_create_client is None:
        return
    import botocore.httpsession
    import botocore.session

    botocore.session.Session.create_client = _original_create_client  # type: ignore[method-assign]
    botocore.httpsession.URLLib3Session.send = _original_send  # type: ignore[method-assign]
    _original_create_client = _original_send = None
