"""One `Config` for the CLI and the pytest plugin: YAML file, `CLOUDMOCK_*` env, overrides.

Unknown or misspelled keys are an error naming the key and the nearest valid one.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    source: str = "defaults"

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
        return config.replace(**changes) if changes else config

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
        if not _ACCOUNT_RE.match(str(self.account_id)):
            raise ConfigError(f"account_id must be 12 digits, not {self.account_id!r}")
        if not _REGION_RE.match(str(self.region)):
            raise ConfigError(f"region {self.region!r} is not a valid AWS region name")
        for key, account in self.access_keys.items():
            if not _ACCOUNT_RE.match(str(account)):
                raise ConfigError(f"access_keys[{key!r}]: account must be 12 digits, not {account!r}")
        if not isinstance(self.secret_keys, dict):
            raise ConfigError(f"secret_keys must be a mapping of access key id -> secret, not {self.secret_keys!r}")
        for key, secret in self.secret_keys.items():
            if not (isinstance(secret, str) and secret):
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
        for key in ("admin_allowed_hosts", "plugin_dial_hosts"):
            if not (isinstance(getattr(self, key), list) and all(isinstance(h, str) for h in getattr(self, key))):
                raise ConfigError(f"{key} must be a list of host names, not {getattr(self, key)!r}")
        if not (isinstance(self.interceptors, list)
                and all(isinstance(i, str) and ":" in i for i in self.interceptors)):
            raise ConfigError(f"interceptors must be a list of 'pkg.module:attr' paths, not {self.interceptors!r}")
        _check_lambda(self.lambda_settings)
        names = [p.name for p in self.plugins]
        for plugin in self.plugins:
            plugin.validate()
            if names.count(plugin.name) > 1:
                raise ConfigError(f"plugin {plugin.name!r} is configured twice")

    def service_settings(self) -> dict[str, dict[str, Any]]:
        """Settings the config holds for particular services, by service name."""
        return {"lambda": dict(self.lambda_settings)}

    def service_enabled(self, name: str) -> bool:
        if name in self.disabled_services:
            return False
        return self.services is None or name in self.services


# file keys that are not Python names
_FILE_KEYS = {"lambda": "lambda_settings"}
_LAMBDA_EXECUTORS = ("subprocess", "inprocess")


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
