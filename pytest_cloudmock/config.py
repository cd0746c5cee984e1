"""One `Config` for the CLI and the pytest plugin: YAML file, `CLOUDMOCK_*` env, overrides.

Unknown or misspelled keys, and unknown service names, are an error naming the key and
the nearest valid one; every value is checked against its field's type when loaded
(an unquoted 12-digit YAML account id becomes the string it means).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import types
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


class ConfigError(ValueError):
    """A configuration problem, with a message that names it."""


@dataclass
class PluginConfig:
    """One entry of `plugins:` (the plugin docs' `name`, `type`, `address`, plus our extras)."""

    name: str
    type: str = "grpc"
    address: str = ""
    command: list[str] | str | None = None
    module: str = ""
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    startup_timeout: float = 15.0
    target_prefix: str = ""

    def validate(self) -> None:
        check_types(self, f"plugin {self.name!r}: ")
        if self.type not in ("grpc", "python"):
            raise ConfigError(f"plugin {self.name!r}: type must be 'grpc' or 'python', not {self.type!r}")
        if self.type == "grpc" and not (self.address or self.command):
            raise ConfigError(f"plugin {self.name!r}: a grpc plugin needs 'address' or 'command'")
        if self.type == "python" and ":" not in self.module:
            raise ConfigError(f"plugin {self.name!r}: a python plugin needs 'module: pkg.mod:ClassName'")


@dataclass
class Config:
    """Everything a gateway needs to know. Defaults suit a test session."""

    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT
    access_keys: dict[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    admin_host: str = "127.0.0.1"
    admin_port: int | None = 0
    hostname: str = "localhost"
    services: list[str] | None = None
    disabled_services: list[str] = field(default_factory=list)
    plugins: list[PluginConfig] = field(default_factory=list)
    stubs: list[dict[str, Any]] = field(default_factory=list)
    verify_signatures: bool = False
    secret_keys: dict[str, str] = field(default_factory=dict)
    plugin_timeout: float = 5.0
    request_log_size: int = 1000
    max_body_size: int = 5 * 1024**3
    # -- hardening (docs/config.md, "Limits and the admin API") --
    admin_token: str = ""
    admin_allowed_hosts: list[str] = field(default_factory=lambda: ["localhost", "127.0.0.1", "::1"])
    allow_plugin_override: bool = False
    plugin_dial_hosts: list[str] = field(default_factory=list)
    worker_threads: int = 32
    max_connections: int = 1024
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    idle_timeout: float = 60.0
    # `module:attr` paths of in-process interceptors (an Interceptor, a list, or a factory)
    interceptors: list[str] = field(default_factory=list)
    # the `lambda:` key of the file (`executor: subprocess|inprocess`, `idle_seconds`)
    lambda_settings: dict[str, Any] = field(default_factory=dict)
    # the `ses:` key of the file (`auto_verify: true` verifies identities as they are created)
    ses_settings: dict[str, Any] = field(default_factory=dict)
    # IAM policy evaluation: off (default), audit (record would-be denials), enforce (docs/iam.md)
    iam: str = "off"
    source: str = "defaults"

    def __post_init__(self) -> None:
        self.account_id = account_id(self.account_id, "account_id")
        if isinstance(self.access_keys, dict):
            self.access_keys = {
                key: account_id(value, f"access_keys[{key!r}]") for key, value in self.access_keys.items()
            }

    # -- construction -----------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "dict") -> Config:
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: the config must be a mapping, not {type(data).__name__}")
        data = {_FILE_KEYS.get(key, key): value for key, value in data.items()}
        known = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
        for key in data:
            if key not in known:
                file_keys = {k for k in known if k not in _FILE_KEYS.values()} | set(_FILE_KEYS)
                raise ConfigError(f"{source}: unknown key {key!r}{_did_you_mean(key, file_keys)}")
        values = dict(data)
        if "plugins" in values:
            values["plugins"] = [_plugin(p, source) for p in values["plugins"] or []]
        config = cls(**values, source=source)
        config.validate()
        return config

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Config:
        """Read a YAML config file."""
        return cls.from_dict(read_yaml(path), source=str(path))

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        defaults: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> Config:
        """`defaults` < config file < `CLOUDMOCK_*` environment < keyword overrides (None is ignored)."""
        data = dict(defaults or {})
        if path:
            data.update(read_yaml(path))
        config = cls.from_dict(data, source=str(path) if path else "defaults")
        env_values = _from_env(os.environ if env is None else env)
        given = {k: v for k, v in overrides.items() if v is not None}
        changes = {**env_values, **given}
        config = config.replace(**changes) if changes else config
        config.check_service_names()
        return config

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed (validated)."""
        known = {f.name for f in dataclasses.fields(self)}
        for key in changes:
            if key not in known:
                raise ConfigError(f"unknown setting {key!r}{_did_you_mean(key, known)}")
        new = dataclasses.replace(self, **changes)
        new.validate()
        return new

    def validate(self) -> None:
        check_types(self)
        if not _ACCOUNT_RE.match(str(self.account_id)):
            raise ConfigError(f"account_id must be 12 digits, not {self.account_id!r}")
        if not _REGION_RE.match(str(self.region)):
            raise ConfigError(f"region {self.region!r} is not a valid AWS region name")
        for key, account in self.access_keys.items():
            if not _ACCOUNT_RE.match(str(account)):
                raise ConfigError(f"access_keys[{key!r}]: account must be 12 digits, not {account!r}")
        for key, secret in self.secret_keys.items():
            if not secret:
                raise ConfigError(f"secret_keys[{key!r}]: the secret must be a non-empty string, not {secret!r}")
        for port_name in ("port", "admin_port"):
            port = getattr(self, port_name)
            if port is not None and not (isinstance(port, int) and 0 <= port < 65536):
                raise ConfigError(f"{port_name} must be a port number 0-65535, not {port!r}")
        for key in ("worker_threads", "max_connections"):
            if not (isinstance(getattr(self, key), int) and getattr(self, key) >= 1):
                raise ConfigError(f"{key} must be a positive integer, not {getattr(self, key)!r}")
        for key in ("header_timeout", "body_timeout", "idle_timeout"):
            if not (isinstance(getattr(self, key), (int, float)) and getattr(self, key) > 0):
                raise ConfigError(f"{key} must be a positive number of seconds, not {getattr(self, key)!r}")
        if not all(":" in i for i in self.interceptors):
            raise ConfigError(f"interceptors must be a list of 'pkg.module:attr' paths, not {self.interceptors!r}")
        _check_lambda(self.lambda_settings)
        _check_ses(self.ses_settings)
        if self.iam not in IAM_MODES:
            raise ConfigError(f"iam must be one of {', '.join(IAM_MODES)}, not {self.iam!r}")
        names = [p.name for p in self.plugins]
        for plugin in self.plugins:
            plugin.validate()
            if names.count(plugin.name) > 1:
                raise ConfigError(f"plugin {plugin.name!r} is configured twice")

    def service_settings(self) -> dict[str, dict[str, Any]]:
        """Settings the config holds for particular services, by service name."""
        return {"lambda": dict(self.lambda_settings), "ses": dict(self.ses_settings)}

    def check_service_names(self) -> None:
        """`ConfigError` for a name in `services:` / `disabled_services:` that nothing serves."""
        listed = [*(self.services or []), *self.disabled_services]
        if not listed:
            return
        known = known_service_names(self)
        for key in ("services", "disabled_services"):
            for name in getattr(self, key) or []:
                if name not in known:
                    close = difflib.get_close_matches(name, sorted(known), n=1)
                    hint = f"did you mean {close[0]!r}?" if close else "docs/services/index.md lists them"
                    raise ConfigError(f"{key}: unknown service {name!r} ({hint})")

    def service_enabled(self, name: str) -> bool:
        if name in self.disabled_services:
            return False
        return self.services is None or name in self.services


# file keys that are not Python names
_FILE_KEYS = {"lambda": "lambda_settings", "ses": "ses_settings"}
_LAMBDA_EXECUTORS = ("subprocess", "inprocess")
IAM_MODES = ("off", "audit", "enforce")  # iam_policy.MODES (not imported: config stays light)


def _check_lambda(settings: Any) -> None:
    if not isinstance(settings, dict):
        raise ConfigError(f"lambda: must be a mapping, not {type(settings).__name__}")
    for key, value in settings.items():
        if key == "executor":
            if value not in _LAMBDA_EXECUTORS:
                raise ConfigError(f"lambda.executor must be one of {', '.join(_LAMBDA_EXECUTORS)}, not {value!r}")
        elif key == "idle_seconds":
            if not (isinstance(value, (int, float)) and value > 0):
                raise ConfigError(f"lambda.idle_seconds must be a positive number of seconds, not {value!r}")
        else:
            raise ConfigError(f"lambda: unknown key {key!r}{_did_you_mean(key, {'executor', 'idle_seconds'})}")


def _check_ses(settings: Any) -> None:
    if not isinstance(settings, dict):
        raise ConfigError(f"ses: must be a mapping, not {type(settings).__name__}")
    for key, value in settings.items():
        if key != "auto_verify":
            raise ConfigError(f"ses: unknown key {key!r}{_did_you_mean(key, {'auto_verify'})}")
        if not isinstance(value, bool):
            raise ConfigError(f"ses.auto_verify must be true or false, not {value!r}")


def known_service_names(config: Config) -> set[str]:
    """Names `services:` can list: built-in (Tier 1 and stub catalog), configured, entry points."""
    from importlib.metadata import entry_points

    from .services import builtin_names
    from .stubs.catalog import builtin_entry_names

    names = {*builtin_names(), *builtin_entry_names(), *(p.name for p in config.plugins)}
    names.update(str(s["service"]) for s in config.stubs if isinstance(s, dict) and "service" in s)
    # plugins.manager.ENTRY_POINT_GROUP, not imported: that module loads the whole gateway
    names.update(ep.name for ep in entry_points(group="cloudmock.services"))
    return names


def account_id(value: Any, key: str) -> Any:
    """A 12-digit account id as a string: YAML reads `account_id: 123456789012` as a number.

    A number of fewer digits is refused (YAML dropped its leading zeros, or read it as
    octal): only the quoted string says what was meant. Other types are left to `validate`.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if 10**11 <= value < 10**12:
            return str(value)
        raise ConfigError(
            f"{key}: {value!r} is a number, not a 12-digit account id; quote it in YAML "
            f"(\"012345678901\"): unquoted, leading zeros are lost"
        )
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def check_types(obj: Any, prefix: str = "") -> None:
    """`ConfigError` naming the first field of a config dataclass whose value has the wrong type."""
    for name, hint in _hints(type(obj)).items():
        value = getattr(obj, name)
        if not _matches(value, hint):
            where, wrong = _first_wrong(name, hint, value)
            what = f": {where} is" if where != name else ", not"
            raise ConfigError(f"{prefix}{name} must be {_describe(hint)}{what} {type(wrong).__name__} {wrong!r}")


def _first_wrong(name: str, hint: Any, value: Any) -> tuple[str, Any]:
    """The wrong item of a list or mapping of the right kind (`name[key]` and its value), else `value`."""
    hints = [h for h in get_args(hint) if h is not type(None)] if get_origin(hint) in (Union, types.UnionType) else [hint]
    for h in hints:
        origin, args = get_origin(h), get_args(h)
        if origin is list and isinstance(value, list):
            for i, item in enumerate(value):
                if not _matches(item, args[0]):
                    return f"{name}[{i}]", item
        if origin is dict and isinstance(value, dict):
            for key, item in value.items():
                if not _matches(key, args[0]):
                    return f"the key {key!r}", key
                if not _matches(item, args[1]):
                    return f"{name}[{key!r}]", item
    return name, value


def _matches(value: Any, hint: Any) -> bool:
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any:
        return True
    if origin in (Union, types.UnionType):
        return any(_matches(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if hint in (int, float):  # a bool is no number here; an int is a fine float
        numbers = (int,) if hint is int else (int, float)
        return isinstance(value, numbers) and not isinstance(value, bool)
    if origin is list:
        return isinstance(value, list) and all(_matches(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            _matches(k, args[0]) and _matches(v, args[1]) for k, v in value.items()
        )
    return isinstance(value, origin or hint)


def _describe(hint: Any) -> str:
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return " or ".join(_describe(arg) for arg in args)
    if origin is list:
        return f"a list of {_describe(args[0]).split(' ', 1)[-1]}s"
    if origin is dict:
        return f"a mapping of {_describe(args[0]).split(' ', 1)[-1]} to {_describe(args[1]).split(' ', 1)[-1]}"
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             type(None): "null", Any: "any value"}
    return names.get(hint, f"a {getattr(hint, '__name__', hint)}")


def read_yaml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The mapping in a YAML file, or `ConfigError` naming what is wrong."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text()) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: the config must be a mapping, not {type(data).__name__}")
    return data


def _plugin(entry: Any, source: str) -> PluginConfig:
    if isinstance(entry, PluginConfig):
        return entry
    if not isinstance(entry, dict) or "name" not in entry:
        raise ConfigError(f"{source}: each plugins entry needs a 'name'")
    known = {f.name for f in dataclasses.fields(PluginConfig)}
    for key in entry:
        if key not in known:
            raise ConfigError(
                f"{source}: plugin {entry['name']!r}: unknown key {key!r}{_did_you_mean(key, known)}"
            )
    return PluginConfig(**entry)


_ENV_KEYS = {
    "CLOUDMOCK_REGION": ("region", str),
    "CLOUDMOCK_ACCOUNT_ID": ("account_id", str),
    "CLOUDMOCK_HOST": ("host", str),
    "CLOUDMOCK_PORT": ("port", int),
    "CLOUDMOCK_ADMIN_HOST": ("admin_host", str),
    "CLOUDMOCK_ADMIN_PORT": ("admin_port", int),
    "CLOUDMOCK_HOSTNAME": ("hostname", str),
    "CLOUDMOCK_SERVICES": ("services", lambda v: [s.strip() for s in v.split(",") if s.strip()]),
    "CLOUDMOCK_VERIFY_SIGNATURES": ("verify_signatures", lambda v: v.lower() in ("1", "true", "yes")),
    "CLOUDMOCK_PLUGIN_TIMEOUT": ("plugin_timeout", float),
    "CLOUDMOCK_ADMIN_TOKEN": ("admin_token", str),
    "CLOUDMOCK_IAM": ("iam", str),
}


def _from_env(env: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for var, (key, convert) in _ENV_KEYS.items():
        if var in env:
            try:
                out[key] = convert(env[var])
            except ValueError as exc:
                raise ConfigError(f"{var}={env[var]!r}: {exc}") from exc
    return out


def _did_you_mean(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(sorted(known))})"
