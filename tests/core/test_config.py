"""Config: file, environment and override precedence; errors that name the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cloudmock.config import Config, ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cloudmock.yaml"
    path.write_text(text)
    return path


def test_defaults() -> None:
    config = Config()
    assert (config.region, config.account_id, config.host, config.port) == (
        "us-east-1", "123456789012", "127.0.0.1", 0
    )


def test_file_env_override_precedence(tmp_path: Path) -> None:
    path = write(tmp_path, "region: eu-west-1\naccount_id: '111111111111'\nport: 5000\n")
    config = Config.load(path, env={"CLOUDMOCK_ACCOUNT_ID": "222222222222"}, port=6000, region=None)
    assert config.region == "eu-west-1"  # file (override None is ignored)
    assert config.account_id == "222222222222"  # env beats file
    assert config.port == 6000  # override beats all
    assert config.source == str(path)


def test_defaults_argument_sits_below_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "admin_port: 7000\n")
    config = Config.load(path, env={}, defaults={"port": 4566, "admin_port": 4599})
    assert (config.port, config.admin_port) == (4566, 7000)


def test_misspelled_key_names_the_nearest(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown key 'regoin' \(did you mean 'region'\?\)"):
        Config.from_file(write(tmp_path, "regoin: us-east-1\n"))


def test_plugins_schema(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "plugins:\n  - name: myservice\n    type: grpc\n    address: localhost:50051\n",
    )
    (plugin,) = Config.from_file(path).plugins
    assert (plugin.name, plugin.type, plugin.address) == ("myservice", "grpc", "localhost:50051")
    with pytest.raises(ConfigError, match="adress.*did you mean 'address'"):
        Config.from_file(write(tmp_path, "plugins:\n  - name: x\n    adress: a:1\n"))
    with pytest.raises(ConfigError, match="needs 'address' or 'command'"):
        Config.from_file(write(tmp_path, "plugins:\n  - name: x\n    type: grpc\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("account_id: '12'\n", "account_id must be 12 digits"),
        ("region: moon\n", "not a valid AWS region"),
        ("port: 70000\n", "port must be a port number"),
        ("- a\n- b\n", "must be a mapping"),
        ("region: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_values(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_file(write(tmp_path, text))


def test_missing_file_and_bad_env(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        Config.from_file(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="CLOUDMOCK_PORT"):
        Config.load(env={"CLOUDMOCK_PORT": "http"})
