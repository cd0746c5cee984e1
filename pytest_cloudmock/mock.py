"""`mock_aws`: the gateway for code that is not a pytest fixture (moto's decorator, ours).

    from pytest_cloudmock import mock_aws

    with mock_aws() as aws:              # or @mock_aws on a function or a class
        boto3.client("s3").create_bucket(Bucket="b")
        aws.store("s3")                  # the same handle as the `cloudmock` fixture

Inside the block, boto3/botocore clients created in this process reach a gateway in
this process without a socket (the in-process transport), real AWS endpoints are
refused, and `AWS_ENDPOINT_URL`, test credentials and the region are set in
`os.environ` (restored after). State is reset on the way in and out of the outermost
block. The gateway is the pytest session's when one runs, else one per process,
started on first use and stopped at exit.
"""

from __future__ import annotations

import atexit
import functools
import inspect
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .pytest_support.isolation import reset_default_sessions

if TYPE_CHECKING:
    from .config import Config
    from .gateway import Gateway
    from .pytest_support.handle import CloudMock
    from .transport import Attachment

F = TypeVar("F", bound=Callable[..., Any])
_lock = threading.RLock()
_gateway: Gateway | None = None  # this module's own, when no pytest session's is attached
_depth = 0  # blocks entered and not left (nested or on several threads)
_sessions: list[Gateway] = []  # pytest sessions' gateways while they run (inner pytester runs nest)


def session_gateway_started(gateway: Gateway) -> None:
    """The pytest plugin names its session gateway: `mock_aws` uses it even when a test suite
    attached gateways of its own before it."""
    _sessions.append(gateway)


def session_gateway_stopped(gateway: Gateway) -> None:
    if gateway in _sessions:
        _sessions.remove(gateway)


def shared_gateway(config: Config | None = None) -> Gateway:
    """The gateway `mock_aws` uses: the pytest session's, else an attached one, else this module's."""
    global _gateway
    from .transport import attachments

    running = [g for g in _sessions if g.running]
    if running:
        return running[-1]
    attached = attachments()
    if attached:
        return attached[0].gateway
    if _gateway is None or not _gateway.running:
        from .config import Config
        from .gateway import Gateway

        _gateway = Gateway(config or Config(admin_port=None)).start()
        atexit.register(_gateway.stop)
    return _gateway


class mock_aws:  # noqa: N801 - named as the moto entry point it replaces
    """Context manager and decorator: AWS calls made inside go to an in-process gateway.

    `region` and `account` set what `os.environ` and the handle use (default: the
    gateway's config, us-east-1 and 123456789012). A decorated class has each of its
    `test*` methods wrapped.
    """

    def __new__(cls, func: Any = None, **kwargs: Any) -> Any:
        if func is not None:  # @mock_aws on a function or a class: a plain function or the class
            return cls(**kwargs)(func)
        return super().__new__(cls)

    def __init__(self, func: None = None, *, region: str | None = None, account: str | None = None) -> None:
        self.region = region
        self.account = account
        self._saved: list[tuple[dict[str, str | None], Attachment | None]] = []

    def __call__(self, target: F) -> F:
        """Decorate a function (each call runs in a block) or a class (its `test*` methods)."""
        if inspect.isclass(target):
            for name, value in list(vars(target).items()):
                if name.startswith("test") and inspect.isfunction(value):
                    setattr(target, name, self(value))
            return target
        region, account = self.region, self.account

        @functools.wraps(target)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock_aws(region=region, account=account):
                return target(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    # -- the block --------------------------------------------------------------------------
    def __enter__(self) -> CloudMock:
        global _depth
        from .pytest_support.handle import CloudMock
        from .transport import attach, attachments

        with _lock:
            gateway = shared_gateway()
            attachment = None
            if not any(a.gateway is gateway for a in attachments()):
                attachment = attach(gateway)
            handle = CloudMock(gateway, self.region, self.account)
            if _depth == 0:
                gateway.reset()
            _depth += 1
            conflicting = handle.conflicting_env(os.environ)
            saved = {name: os.environ.get(name) for name in (*handle.env, *conflicting)}
            for name in conflicting:
                del os.environ[name]
            os.environ.update(handle.env)
            self._saved.append((saved, attachment))
            reset_default_sessions()
            self.handle = handle
            return handle

    def __exit__(self, *exc: object) -> None:
        global _depth
        from .transport import detach

        with _lock:
            saved, attachment = self._saved.pop()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            reset_default_sessions()
            _depth -= 1
            if _depth == 0:
                self.handle.gateway.reset()
            if attachment is not None:
                detach(attachment)
