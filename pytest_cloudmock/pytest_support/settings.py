"""Plugin settings: `--cloudmock-*` flags, `cloudmock_*` ini keys and the `cloudmock` marker.

Precedence for gateway settings: flag > ini key > `CLOUDMOCK_*` environment >
config file > defaults. The config file itself is named by `--cloudmock-config`
or the `cloudmock_config` ini key (relative to the ini file's directory).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..config import Config

RESET_SCOPES = ("test", "class", "module", "session")
MARKER_KEYS = ("reset", "region", "account", "transport", "allow_real_aws", "iam")
IAM_MODES = ("off", "audit", "enforce")  # config.IAM_MODES (not imported: this module loads at pytest start)
TRANSPORTS = ("inprocess", "http")  # how boto3 clients in the test process reach the gateway


def _services(value: str) -> list[str]:
    return [s for s in value.replace(",", " ").split() if s]


def _reset_scope(value: str) -> str:
    if value not in RESET_SCOPES:
        raise ValueError(f"must be one of {', '.join(RESET_SCOPES)}")
    return value


def _transport(value: str) -> str:
    if value not in TRANSPORTS:
        raise ValueError(f"must be one of {', '.join(TRANSPORTS)}")
    return value


def _iam_mode(value: str) -> str:
    if value not in IAM_MODES:
        raise ValueError(f"must be one of {', '.join(IAM_MODES)}")
    return value


def _port(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError("must be a port number (0 picks a free port)") from None


class Option:
    """One setting, given as `--cloudmock-<name>` or ini key `cloudmock_<name>`.

    (A plain class: a dataclass or NamedTuple costs milliseconds to define, at every pytest start.)
    """

    def __init__(
        self, name: str, help: str, field: str = "", convert: Callable[[str], Any] = str,
        metavar: str = "VALUE",
    ) -> None:
        self.name = name
        self.help = help
        self.field = field  # the `Config` field it sets ("" for plugin-only settings)
        self.convert = convert
        self.metavar = metavar

    @property
    def flag(self) -> str:
        return f"--cloudmock-{self.name}"

    @property
    def ini(self) -> str:
        return f"cloudmock_{self.name}"


OPTIONS = (
    Option("config", "cloudmock YAML config file (see the config file reference)", metavar="FILE"),
    Option("region", "default region of the gateway, clients and cloudmock_env", "region", metavar="REGION"),
    Option("account", "default 12-digit account id of clients and cloudmock_env", "account_id", metavar="ID"),
    Option("host", "address the gateway binds (default 127.0.0.1)", "host", metavar="HOST"),
    Option("port", "gateway port (default 0: a free port per session/xdist worker)", "port", _port, "PORT"),
    Option("services", "services to enable, comma-separated (default: all)", "services", _services, "LIST"),
    Option("reset", "when state is reset: test (default), class, module or session", "", _reset_scope, "SCOPE"),
    Option("transport", "how boto3 clients in the test process reach the gateway: inprocess (default) "
           "or http", "", _transport, "MODE"),
    Option("iam", "IAM policy evaluation: off (default), audit or enforce (docs/iam.md)", "iam", _iam_mode, "MODE"),
)
ALLOW_REAL_AWS = "cloudmock_allow_real_aws"  # a plain flag (and a bool ini key), not an Option


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("cloudmock", "cloudmock (live AWS-compatible endpoint)")
    for opt in OPTIONS:
        group.addoption(opt.flag, dest=opt.ini, default=None, metavar=opt.metavar, help=opt.help)
        parser.addini(opt.ini, f"{opt.help} (overridden by {opt.flag})", default="")
    allow_help = "let botocore clients in the test process call real AWS endpoints (blocked by default)"
    group.addoption("--cloudmock-allow-real-aws", dest=ALLOW_REAL_AWS, action="store_true", default=None,
                    help=allow_help)
    parser.addini(ALLOW_REAL_AWS, f"{allow_help} (or --cloudmock-allow-real-aws)", type="bool", default=False)


class PluginSettings:
    """What the command line and ini file say; `build()` makes the gateway `Config`."""

    def __init__(self) -> None:
        self.config_file: Path | None = None
        self.overrides: dict[str, Any] = {}  # `Config` field -> value
        self.origins: list[str] = []  # the flags and ini keys that gave them
        self.reset = "test"
        self.transport = "inprocess"
        self.allow_real_aws = False

    @property
    def given(self) -> bool:
        """True when anything could be wrong, so the config must be checked at start."""
        return bool(self.config_file or self.overrides) or any(
            k.startswith("CLOUDMOCK_") for k in os.environ
        )

    def build(self) -> Config:
        """The gateway `Config` (raises `pytest.UsageError` naming the problem)."""
        from ..config import Config, ConfigError

        try:
            return Config.load(self.config_file, **self.overrides)
        except ConfigError as err:
            raise pytest.UsageError(f"cloudmock: {err}") from err

    def describe(self) -> str:
        """Where the settings came from, for the report header."""
        parts = [str(self.config_file) if self.config_file else "defaults"]
        parts += [k for k in os.environ if k.startswith("CLOUDMOCK_")]
        return " + ".join(parts + self.origins)


def read_settings(config: pytest.Config) -> PluginSettings:
    """Collect flags and ini keys (flag wins); bad values raise `pytest.UsageError`."""
    settings = PluginSettings()
    for opt in OPTIONS:
        raw = config.getoption(opt.ini)
        origin = opt.flag
        if raw is None:
            raw, origin = config.getini(opt.ini), f"ini {opt.ini}"
        if not raw:
            continue
        try:
            value = opt.convert(raw)
        except ValueError as exc:
            raise pytest.UsageError(f"cloudmock: {origin}={raw!r}: {exc}") from None
        if opt.name == "config":
            base = config.invocation_params.dir if origin == opt.flag else _ini_dir(config)
            settings.config_file = base / value
        elif opt.name == "reset":
            settings.reset = value
        elif opt.name == "transport":
            settings.transport = value
        else:
            settings.overrides[opt.field] = value
            settings.origins.append(origin)
    settings.allow_real_aws = bool(config.getoption(ALLOW_REAL_AWS) or config.getini(ALLOW_REAL_AWS))
    return settings


def _ini_dir(config: pytest.Config) -> Path:
    return config.inipath.parent if config.inipath else config.rootpath


# -- the marker -------------------------------------------------------------------------
MARKER_HELP = (
    "cloudmock(reset='test'|'class'|'module'|'session', region=None, account=None, "
    "transport='inprocess'|'http', allow_real_aws=False, iam='off'|'audit'|'enforce'): "
    "per-test cloudmock settings (state reset scope, region and account of clients and env, "
    "how test-process boto3 clients reach the gateway, whether they may call real AWS, "
    "IAM policy evaluation)"
)


def marker_values(item: pytest.Item) -> dict[str, Any]:
    """The `cloudmock` marker's keywords, closest marker first (module marks under test marks)."""
    values: dict[str, Any] = {}
    for mark in item.iter_markers("cloudmock"):
        if mark.args:
            raise ValueError(f"takes keywords only ({', '.join(MARKER_KEYS)}), not {mark.args!r}")
        for key, value in mark.kwargs.items():
            if key not in MARKER_KEYS:
                raise ValueError(f"unknown keyword {key!r} (valid: {', '.join(MARKER_KEYS)})")
            values.setdefault(key, value)
    if "reset" in values:
        _reset_scope(values["reset"])
    if values.get("iam", IAM_MODES[0]) not in IAM_MODES:
        raise ValueError(f"iam must be one of {', '.join(IAM_MODES)}, not {values['iam']!r}")
    if values.get("transport", TRANSPORTS[0]) not in TRANSPORTS:
        raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, not {values['transport']!r}")
    return values


def reset_key(item: pytest.Item, default: str) -> object | None:
    """Tests with equal, non-None keys share state; None means reset after the test."""
    try:
        scope = marker_values(item).get("reset", default)
    except ValueError:
        return None  # reported when the test is set up
    if scope == "session":
        return "session"
    if scope == "class":
        parent = item.getparent(pytest.Class)
        return ("class", parent.nodeid if parent else str(item.path))
    if scope == "module":
        return ("module", str(item.path))
    return None


def keeps_state(item: pytest.Item, nextitem: pytest.Item | None, default: str) -> bool:
    """True when `nextitem` runs in the same reset scope as `item`."""
    if nextitem is None:
        return False
    key = reset_key(item, default)
    return key is not None and key == reset_key(nextitem, default)
