"""`CloudMock`: a running gateway as a test sees it (the `cloudmock` fixture).

One handle per session (per xdist worker). `region` and `account_id` are the
current test's (its `cloudmock` marker, else the config's), so clients, stores
and environment variables all follow the test's settings::

    cm = CloudMock(Gateway(Config()).start())
    sqs = cm.client("sqs")
    cm.store("sqs")          # the SQS state of cm.account_id / cm.region
    cm.reset()
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import boto3

    from ..clock import Clock
    from ..config import Config
    from ..faults import Faults
    from ..gateway import Gateway, Snapshot
    from ..gateway.request_log import RequestLog, RequestRecord
    from ..iam_policy import IamPolicies
    from ..interception import Interceptor
    from ..registry import Registry
    from ..store import Store

T = TypeVar("T")
SECRET_ACCESS_KEY = "test"
SESSION_TOKEN = "test"
# Variables that would send SDKs elsewhere than `env` says (`cloudmock_env` removes them).
_CONFLICTING_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")


class Stores(Mapping[str, "Store[Any]"]):
    """Service name -> its `Store`. Looking one up starts the service; iterating lists started ones."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway

    def __getitem__(self, name: str) -> Store[Any]:
        from ..store import Store

        service = self._gateway.registry.get(name)
        if service is None:
            raise KeyError(f"no service named {name!r} is registered")
        store = getattr(service, "store", None)
        if not isinstance(store, Store):
            raise KeyError(f"service {name!r} keeps no `store` (a pytest_cloudmock.store.Store)")
        return store

    def __iter__(self) -> Iterator[str]:
        return iter(self._gateway.stores())

    def __len__(self) -> int:
        return len(self._gateway.stores())


class CloudMock:
    """A running gateway with the current test's region and account."""

    def __init__(self, gateway: Gateway, region: str | None = None, account_id: str | None = None) -> None:
        self.gateway = gateway
        self.region = region or gateway.config.region
        self.account_id = account_id or gateway.config.account_id
        self.stores = Stores(gateway)
        self.test_start_seq = gateway.request_log.last_seq
        self._session: boto3.Session | None = None
        self._seeds: dict[str, tuple[Snapshot, Any]] = {}
        self._clients: dict[tuple[Any, ...], Any] = {}
        self._interceptors: list[Interceptor] = []
        gateway.request_log.keep_params = True  # for `assert_called`

    def __repr__(self) -> str:
        return f"CloudMock({self.endpoint}, region={self.region}, account={self.account_id})"

    # -- the gateway ------------------------------------------------------------------
    @property
    def config(self) -> Config:
        return self.gateway.config

    @property
    def endpoint(self) -> str:
        """The AWS endpoint URL, `http://127.0.0.1:PORT`."""
        return self.gateway.endpoint

    @property
    def admin_endpoint(self) -> str | None:
        """The admin API's URL (None when the config disables it)."""
        return self.gateway.admin_endpoint

    @property
    def registry(self) -> Registry:
        return self.gateway.registry

    @property
    def faults(self) -> Faults:
        """The gateway's fault injection (docs/faults.md); every fault is removed after each test."""
        return self.gateway.faults

    @property
    def iam(self) -> IamPolicies:
        """IAM policy evaluation (docs/iam.md): `set_mode`, `denials()`, `used(arn)`, `policy_for(arn)`, `scps`."""
        return self.gateway.iam

    @property
    def request_log(self) -> RequestLog:
        return self.gateway.request_log

    @property
    def clock(self) -> Clock:
        """The gateway clock (freeze and move it with the `cloudmock_clock` fixture)."""
        return self.gateway.clock

    @property
    def lambda_(self) -> Any:
        """The Lambda service: `.invocations(name)`, `.set_executor("inprocess")` (docs/services/lambda.md)."""
        return self.gateway.registry.get("lambda")

    @property
    def cognito(self) -> Any:
        """Cognito user pools: `.messages(pool_id, username)` (codes and invitations that would go
        by mail or SMS), `.last_code(pool_id, username)` (docs/services/cognito-idp.md)."""
        return self.gateway.registry.get("cognito-idp")

    @property
    def ses(self) -> Any:
        """SES (both APIs): `.messages(destination=None, source=None)` (every mail sent, rendered,
        with attachments), `.verify(identity)`, `.auto_verify = True` (docs/services/ses.md)."""
        return self.gateway.registry.get("ses")

    def calls(self) -> list[RequestRecord]:
        """The requests the gateway answered since the current test started, oldest first."""
        return self.request_log.since(self.test_start_seq)

    def assert_called(self, service: str, operation: str, count: int | None = None, **params: Any) -> list[RequestRecord]:
        """Assert the current test called `service` `operation` with `params` (each equal to what
        the SDK sent, as the boto3 call's keyword arguments), `count` times or, by default, at
        least once. Returns the matching calls; a failure lists the near misses: the test's other
        calls to that service, each with what differs.
        """
        from .calls import assert_called

        return assert_called(self.calls(), service, operation, count, params)

    def intercept(
        self,
        service: str = "*",
        operation: str = "*",
        *,
        before: Callable[..., Any] | None = None,
        after: Callable[..., Any] | None = None,
    ) -> Interceptor:
        """Run `before(ctx)` / `after(ctx, outcome)` around matching calls, for this test only.

        `before` may change `ctx.params` or answer (a dict, a `Response`, or raise
        `AWSError`); `after` may return a replacement answer. Globs match names
        (`"s3"`, `"Put*"`). Removed after the test; `remove_interceptor()` ends it sooner.
        """
        from ..interception import Interceptor

        interceptor = Interceptor(service, operation, before, after, name="test")
        self._interceptors.append(self.registry.interceptors.add(interceptor))
        return interceptor

    def remove_interceptor(self, interceptor: Interceptor) -> None:
        self.registry.interceptors.remove(interceptor)

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until every background effect queued so far (and what it queued) is delivered."""
        self.gateway.settle(timeout)

    def end_test(self) -> None:
        """Undo what the test added (the plugin calls this after each test)."""
        for interceptor in self._interceptors:
            self.registry.interceptors.remove(interceptor)
        self._interceptors.clear()

    def begin_test(self, region: str | None, account_id: str | None) -> None:
        """Make a new test current (the plugin calls this before each test)."""
        self.region = region or self.config.region
        self.account_id = account_id or self.config.account_id
        self.test_start_seq = self.request_log.last_seq

    # -- clients and environment ---------------------------------------------------------
    @property
    def session(self) -> boto3.Session:
        """One boto3 Session for the whole test session (the first client per service costs 5-120 ms)."""
        if self._session is None:
            import boto3
            from botocore.session import Session as CoreSession

            # Ignore the developer's AWS_PROFILE and ~/.aws files: tests must not depend on them.
            core = CoreSession(session_vars={
                "profile": (None, None, None, None),
                "config_file": (None, None, os.devnull, None),
                "credentials_file": (None, None, os.devnull, None),
            })
            self._session = boto3.Session(
                botocore_session=core,
                aws_access_key_id=self.config.account_id,
                aws_secret_access_key=SECRET_ACCESS_KEY,
                aws_session_token=SESSION_TOKEN,
                region_name=self.config.region,
            )
        return self._session

    def credentials(self) -> dict[str, str]:
        """boto3 keyword arguments for the current account (the access key id *is* the account id)."""
        return {
            "aws_access_key_id": self.account_id,
            "aws_secret_access_key": SECRET_ACCESS_KEY,
            "aws_session_token": SESSION_TOKEN,
        }

    def client(self, service_name: str, **kwargs: Any) -> Any:
        """A boto3 client pointed at the gateway, for the current region and account, no retries.

        Clients are shared: the same arguments (without `config=`) give the same client for
        the whole session, as making one costs 5-100 ms. Register event handlers only on a
        client of your own (`cloudmock.session.client(...)`).
        """
        args = self._client_kwargs(kwargs)
        if "config" in kwargs:
            return self.session.client(service_name, **args)
        key = (service_name, *sorted((k, v) for k, v in args.items() if k != "config"))
        try:
            client = self._clients.get(key)
        except TypeError:  # an unhashable argument: not shared
            return self.session.client(service_name, **args)
        if client is None:
            client = self._clients[key] = self.session.client(service_name, **args)
        return client

    def resource(self, service_name: str, **kwargs: Any) -> Any:
        """A boto3 resource (S3, DynamoDB, SQS, ...) pointed at the gateway."""
        return self.session.resource(service_name, **self._client_kwargs(kwargs))

    def _client_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        from botocore.config import Config as BotoConfig

        # Host prefixes (`stream-` for Logs live tail, `{AccountId}.` for S3 Control) name hosts that
        # no resolver finds for 127.0.0.1; the gateway routes those calls without them.
        config = BotoConfig(retries={"mode": "standard", "total_max_attempts": 1}, inject_host_prefix=False)
        if kwargs.get("config") is not None:
            config = config.merge(kwargs["config"])
        return {
            "endpoint_url": self.endpoint, "region_name": self.region, **self.credentials(),
            **kwargs, "config": config,
        }

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that send any AWS SDK or CLI (and subprocesses) to the gateway."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.account_id,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "AWS_SESSION_TOKEN": SESSION_TOKEN,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def conflicting_env(self, environ: Mapping[str, str]) -> list[str]:
        """Variables in `environ` that would override `env` (profiles, per-service endpoints)."""
        return [k for k in environ if k in _CONFLICTING_ENV or k.startswith("AWS_ENDPOINT_URL_")]

    # -- state ------------------------------------------------------------------------------
    def store(self, service: str, *, account_id: str | None = None, region: str | None = None) -> Any:
        """A service's state for the current (or the given) account and region, made if missing."""
        return self.stores[service].get(account_id or self.account_id, region or self.region)

    def reset(self, service: str | None = None) -> None:
        """Reset one service's state, or every service's (and credentials issued at run time)."""
        if service is None:
            self.gateway.reset()
        else:
            self.registry.reset(service)

    def snapshot(self) -> Snapshot:
        """A deep copy of every started service's store and of the credentials issued so far."""
        return self.gateway.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Go back to a snapshot; services started since then are reset. Reusable."""
        self.gateway.restore(snapshot)

    def seeded(self, seed: Callable[[], T], key: str | None = None) -> T:
        """Run `seed()` once per session and snapshot what it made; later calls restore that.

        Returns what `seed()` returned (the first time, and again on every restore).
        The key defaults to the seed function's qualified name.
        """
        key = key or f"{seed.__module__}.{seed.__qualname__}"
        if key in self._seeds:
            snapshot, value = self._seeds[key]
            self.restore(snapshot)
            return value
        value = seed()
        self._seeds[key] = (self.snapshot(), value)
        return value
