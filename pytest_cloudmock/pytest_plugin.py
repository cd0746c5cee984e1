"""The pytest plugin (entry point `cloudmock`): a live AWS-compatible endpoint for every test.

Installing the package is the whole setup. The gateway starts the first time a
test asks for a `cloudmock*` fixture (once per session, once per xdist worker,
on a free port) and stops at session end; a suite that never asks pays nothing:
this module imports only pytest and the standard library.

State is reset after every test unless the `cloudmock` marker or
`--cloudmock-reset` keeps it for a class, module or the session. A failing test
that used the gateway gets a report section listing the AWS calls it made.
"""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .pytest_support.isolation import reset_default_sessions
from .pytest_support.settings import (
    MARKER_HELP,
    PluginSettings,
    add_options,
    keeps_state,
    marker_values,
    read_settings,
)

if TYPE_CHECKING:
    import boto3

    from .clock import Clock
    from .config import Config
    from .pytest_support.handle import CloudMock
    from .registry import Registry
    from .transport import Attachment

# Fixture modules of other parts (`-p no:NAME` blocks one); they must import only pytest too.
EXTENSION_MODULES = ("pytest_cloudmock.stubs.fixtures", "pytest_cloudmock.plugins.fixtures")
CLOCK_MARKER_HELP = (
    "cloudmock_clock(at): where the `cloudmock_clock` fixture freezes the gateway clock "
    "(a datetime, an ISO 8601 string or epoch seconds; default: now)"
)
START_SEQ = pytest.StashKey[int]()  # on each test: the request log's sequence number at its start
IAM_START = pytest.StashKey[int]()  # on each test: how many IAM denials were recorded before it
FAULTS_MARKER = "cloudmock_faults"
FAULTS_MARKER_HELP = (
    f"{FAULTS_MARKER}(service, operation=None, *, error=None, status=None, message=None, times=None, "
    "probability=1.0, latency=0.0, seed=None, fail_entries=None): inject a fault for the marked "
    "test(s), as cloudmock.faults.add (docs/faults.md); removed after each test"
)


class SessionState:
    """The plugin's per-session state (on `config.stash`): settings, then the gateway once started."""

    def __init__(self, settings: PluginSettings, config: Config | None) -> None:
        self.settings = settings
        self._config = config
        self.handle: CloudMock | None = None
        self.item: pytest.Item | None = None
        self.test: tuple[str | None, str | None] = (None, None)  # current test's region, account
        self.served: tuple[str, int] | None = None  # endpoint and request count, after stop
        self.attachment: Attachment | None = None  # the in-process transport and real-AWS guard
        self.transport = (settings.transport, settings.allow_real_aws)  # current test's
        self.iam: str | None = None  # current test's marker `iam=` mode

    @property
    def config(self) -> Config:
        """The gateway's `Config` (built on first use when no setting was given)."""
        if self._config is None:
            self._config = self.settings.build()
        return self._config

    def header(self) -> str:
        """The report header line: where the gateway will listen, where settings came from."""
        host, port = "127.0.0.1", "<free port>"
        if self._config is not None:
            host, port = self._config.host, str(self._config.port or port)
        return f"cloudmock: http://{host}:{port} (started on first use); config: {self.settings.describe()}"

    def begin(self, item: pytest.Item) -> None:
        """Make `item` the current test: check its marker, note where its calls start."""
        self.test = (None, None)
        try:
            values = marker_values(item)
        except ValueError as exc:
            pytest.fail(f"@pytest.mark.cloudmock: {exc}", pytrace=False)
        region, account = values.get("region"), values.get("account")
        if region is not None or account is not None:
            from .config import ConfigError

            try:
                self.config.replace(
                    region=region or self.config.region, account_id=account or self.config.account_id
                )
            except ConfigError as exc:
                pytest.fail(f"@pytest.mark.cloudmock: {exc}", pytrace=False)
        self.test = (region, account)
        self.transport = (
            values.get("transport", self.settings.transport),
            bool(values.get("allow_real_aws", self.settings.allow_real_aws)),
        )
        if self.attachment is not None:
            self.attachment.transport, self.attachment.allow_real_aws = self.transport
        self.iam = values.get("iam")
        if self.handle is not None:
            self.handle.begin_test(region, account)
            item.stash[START_SEQ] = self.handle.test_start_seq
            self._apply_iam(item)

    def _apply_iam(self, item: pytest.Item | None) -> None:
        """The current test's IAM mode (its marker's, else the config's); where its denials start."""
        assert self.handle is not None
        iam = self.handle.gateway.iam
        mode = self.iam or self.config.iam
        if iam.mode != mode:
            iam.set_mode(mode)
        if item is not None:
            item.stash[IAM_START] = len(iam.denials())

    def start(self) -> CloudMock:
        from .gateway import Gateway
        from .mock import session_gateway_started
        from .pytest_support.handle import CloudMock
        from .transport import attach

        self.handle = CloudMock(Gateway(self.config).start(), *self.test)
        transport, allow_real_aws = self.transport
        self.attachment = attach(self.handle.gateway, transport, allow_real_aws=allow_real_aws)
        session_gateway_started(self.handle.gateway)
        if self.item is not None:
            self.item.stash[START_SEQ] = self.handle.test_start_seq
        self._apply_iam(self.item)
        return self.handle

    def stop(self) -> None:
        handle, self.handle = self.handle, None
        if handle is not None:
            from .mock import session_gateway_stopped

            session_gateway_stopped(handle.gateway)
            self.served = (handle.endpoint, handle.request_log.last_seq)
            if self.attachment is not None:
                from .transport import detach

                detach(self.attachment)
                self.attachment = None
            handle.gateway.stop()


STATE = pytest.StashKey[SessionState]()


# -- configuration ------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
    config.addinivalue_line("markers", CLOCK_MARKER_HELP)
    config.addinivalue_line("markers", FAULTS_MARKER_HELP)
    settings = read_settings(config)
    gateway_config = settings.build() if settings.given else None  # a bad config fails now
    distributed = bool(getattr(config.option, "numprocesses", None)) or hasattr(config, "workerinput")
    if gateway_config is not None and gateway_config.port and distributed:
        raise pytest.UsageError(
            f"cloudmock: port {gateway_config.port} is fixed, but each pytest-xdist worker runs its "
            "own gateway: use port 0 (the default) to give each a free port"
        )
    config.stash[STATE] = SessionState(settings, gateway_config)
    _register_extensions(config)


def _register_extensions(config: pytest.Config) -> None:
    manager = config.pluginmanager
    for name in EXTENSION_MODULES:
        if not (manager.has_plugin(name) or manager.is_blocked(name)):
            manager.register(importlib.import_module(name), name)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the gateway, run pending finalizers now, and freeze what is left for the collector.

    A pytest-xdist worker reports "finished" after this hook; execnet then gives it 5
    seconds to exit before sending it SIGINT. pytest's own clean-up after that report runs
    five full garbage collections (looking for unraisable exceptions), each walking the
    whole heap of a worker that ran hundreds of tests, with hypothesis's gc callbacks on top:
    together past 5 seconds, so the SIGINT landed inside one of them and a green run ended
    with a `KeyboardInterrupt` reported as an unraisable exception. Collected here (slow
    finalizers such as Lambda stopping its environments finish before the report, and their
    errors are still reported) and then frozen (`gc.freeze`: the survivors are never walked
    again), pytest's collections find nothing left to walk. Only in a worker: an inline
    pytester session must not freeze the heap of the process that runs it.
    """
    session.config.stash[STATE].stop()
    if hasattr(session.config, "workerinput"):  # an xdist worker: the process ends next
        gc.collect()
        gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is not None:
        state.stop()


def pytest_report_header(config: pytest.Config) -> str:
    return config.stash[STATE].header()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    state = terminalreporter.config.stash[STATE]
    if state.served is not None:
        endpoint, calls = state.served
        terminalreporter.write_line(f"cloudmock: gateway at {endpoint} answered {calls} requests in this session")


# -- per test -------------------------------------------------------------------------------
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    state = item.config.stash[STATE]
    state.item = item
    if _isolated(state, item):  # boto3.client() in the test reads this test's environment
        reset_default_sessions()
    state.begin(item)


def _isolated(state: SessionState, item: pytest.Item) -> bool:
    """True for a test that runs while the gateway runs or asks for a cloudmock fixture."""
    return state.handle is not None or any(
        name.startswith("cloudmock") for name in getattr(item, "fixturenames", ())
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests with a `cloudmock_faults` marker get the fixture that adds those faults, set up
    after the test's other fixtures (so fixtures that seed state are not faulted)."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and item.get_closest_marker(FAULTS_MARKER) is not None:
            names.append("cloudmock_faults_marker")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    state = item.config.stash[STATE]
    if state.handle is not None:
        state.handle.faults.clear()  # before fixture teardown, so its calls are not faulted
        state.handle.end_test()
    try:
        return (yield)
    finally:
        state = item.config.stash[STATE]
        if _isolated(state, item):  # nor does the next test inherit this one's account
            reset_default_sessions()
        if state.handle is not None and not keeps_state(item, nextitem, state.settings.reset):
            state.handle.reset()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    state = item.config.stash[STATE]
    if report.failed and state.handle is not None and START_SEQ in item.stash:
        start = item.stash[START_SEQ]
        records = state.handle.request_log.since(start)
        if records or "cloudmock" in getattr(item, "fixturenames", ()):
            from .pytest_support.report import SECTION_TITLE, calls_section

            report.sections.append((f"{SECTION_TITLE} ({report.when})", calls_section(records, start)))
    if report.failed and state.handle is not None and IAM_START in item.stash:
        denials = state.handle.gateway.iam.denials()[item.stash[IAM_START]:]
        if denials:
            from .iam_policy.audit import format_denials

            report.sections.append((f"cloudmock: IAM denials ({report.when})", format_denials(denials)))
    return report


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def cloudmock(pytestconfig: pytest.Config) -> Iterator[CloudMock]:
    """The session's gateway (started now if needed), as the current test sees it.

    `endpoint`, `admin_endpoint`, `region`, `account_id` (the test's marker or the
    config), `registry`, `stores`, `store(name)`, `client(name, **kw)`,
    `resource(name)`, `session`, `env`, `reset()`, `request_log`, `calls()`,
    `snapshot()`/`restore()`, `seeded(fn)`, and the `gateway` itself.
    """
    state = pytestconfig.stash[STATE]
    yield state.start()
    state.stop()


@pytest.fixture
def cloudmock_faults_marker(cloudmock: CloudMock, request: pytest.FixtureRequest) -> None:
    """Add the faults of the test's `cloudmock_faults` markers (outermost first)."""
    for mark in reversed(list(request.node.iter_markers(FAULTS_MARKER))):
        try:
            cloudmock.faults.add(*mark.args, **mark.kwargs)
        except (TypeError, ValueError) as exc:
            pytest.fail(f"@pytest.mark.{FAULTS_MARKER}: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def cloudmock_endpoint(cloudmock: CloudMock) -> str:
    """The gateway URL, `http://127.0.0.1:PORT`, for `endpoint_url=`."""
    return cloudmock.endpoint


@pytest.fixture(scope="session")
def cloudmock_session(cloudmock: CloudMock) -> boto3.Session:
    """One boto3 Session for the whole test session, with test credentials and the default region."""
    return cloudmock.session


@pytest.fixture(scope="session")
def cloudmock_client(cloudmock: CloudMock) -> Callable[..., Any]:
    """`cloudmock_client("sqs", **kwargs)`: a boto3 client pointed at the gateway.

    Region and account are the current test's; retries are off unless `config=` says otherwise.
    """
    return cloudmock.client


@pytest.fixture(scope="session")
def cloudmock_store(cloudmock: CloudMock) -> Callable[..., Any]:
    """`cloudmock_store("sqs")`: the service's state for the test's account and region.

    `cloudmock_store("sqs", account_id=..., region=...)` reaches other partitions;
    `cloudmock.stores["sqs"]` is the whole `Store`.
    """
    return cloudmock.store


@pytest.fixture
def cloudmock_registry(cloudmock: CloudMock) -> Iterator[Registry]:
    """The service registry; what the test registers or unregisters is undone after it."""
    registry = cloudmock.registry
    saved = registry.snapshot()
    yield registry
    registry.restore(saved)


@pytest.fixture
def cloudmock_env(cloudmock: CloudMock, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Points every AWS SDK, the CLI and subprocesses at the gateway for this test.

    Sets `AWS_ENDPOINT_URL`, credentials and region, removes `AWS_PROFILE` and
    per-service `AWS_ENDPOINT_URL_*`; all restored after the test. Returns what it set.
    """
    for name in cloudmock.conflicting_env(os.environ):
        monkeypatch.delenv(name)
    env = cloudmock.env
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture(scope="session")
def cloudmock_snapshot(cloudmock: CloudMock) -> Callable[..., Any]:
    """`cloudmock_snapshot(seed)`: run `seed()` once per session, restore its state on later calls.

    Returns `seed()`'s result every time. Seed expensive state once, start every test from it.
    """
    return cloudmock.seeded


@pytest.fixture
def cloudmock_clock(cloudmock: CloudMock, request: pytest.FixtureRequest) -> Iterator[Clock]:
    """The gateway clock, frozen for this test; back to real time after it.

    Frozen now, or at `@pytest.mark.cloudmock_clock(at)`. `advance(seconds=, minutes=,
    hours=, days=)`, `set(when)`, `now()` (epoch seconds), `utcnow()`, `freeze(at=None)`,
    `unfreeze()`, and `wait_for_waiters(n)` (a long poll is blocked, so moving the clock
    wakes it). Visibility timeouts, delays, credential and presigned URL expiry, and
    every timestamp the gateway writes follow it.
    """
    marker = request.node.get_closest_marker("cloudmock_clock")
    at = (marker.args[0] if marker.args else marker.kwargs.get("at")) if marker is not None else None
    clock = cloudmock.clock
    try:
        clock.freeze(at)
    except (TypeError, ValueError) as exc:
        pytest.fail(f"@pytest.mark.cloudmock_clock: {exc}", pytrace=False)
    yield clock
    clock.reset()
