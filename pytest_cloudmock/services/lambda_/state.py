"""Lambda's state: functions (with versions and aliases), layers, mappings, configs.

Plain data only (snapshots deep-copy it); processes, servers and locks live on the
service. A function's `$LATEST` and each published version are `Version`s sharing
the `Function`'s tags, policy, concurrency and aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sortedcontainers import SortedDict


@dataclass
class Code:
    """A deployment package: zip bytes (or an image URI) and its digest."""

    zip_bytes: bytes = b""
    sha256: str = ""  # base64, as Lambda reports CodeSha256
    image_uri: str = ""

    @property
    def size(self) -> int:
        return len(self.zip_bytes)


@dataclass
class Version:
    """`$LATEST` or a published version: configuration and code."""

    version: str
    config: dict[str, Any]  # the FunctionConfiguration members that are settings
    code: Code
    revision_id: str
    last_modified: str
    generation: int = 0  # bumped on every code/config change: warm environments are keyed by it


@dataclass
class Alias:
    name: str
    function_version: str
    description: str = ""
    weights: dict[str, float] = field(default_factory=dict)  # AdditionalVersionWeights
    revision_id: str = ""


@dataclass
class Function:
    name: str
    arn: str
    latest: Version
    versions: dict[str, Version] = field(default_factory=dict)  # published, "1", "2", ...
    next_version: int = 1
    aliases: dict[str, Alias] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    policy: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # qualifier -> Sid -> statement
    reserved_concurrency: int | None = None
    provisioned: dict[str, dict[str, Any]] = field(default_factory=dict)  # qualifier -> config
    event_invoke: dict[str, dict[str, Any]] = field(default_factory=dict)  # qualifier -> config
    urls: dict[str, dict[str, Any]] = field(default_factory=dict)  # qualifier ("" = none) -> config
    code_signing_config: str = ""
    recursion: str = "Terminate"
    runtime_management: dict[str, Any] = field(default_factory=lambda: {"UpdateRuntimeOn": "Auto"})
    scaling: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class LayerVersion:
    number: int
    arn: str
    zip_bytes: bytes
    sha256: str
    info: dict[str, Any]  # Description, CompatibleRuntimes, LicenseInfo, CreatedDate, ...
    policy: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Layer:
    name: str
    arn: str
    versions: dict[int, LayerVersion] = field(default_factory=dict)
    next_version: int = 1


@dataclass
class LambdaState:
    """One account and region."""

    functions: SortedDict = field(default_factory=SortedDict)  # name -> Function, in name order (list pages)
    url_ids: dict[str, tuple[str, str]] = field(default_factory=dict)  # function URL id -> (function, qualifier)
    layers: dict[str, Layer] = field(default_factory=dict)
    mappings: dict[str, dict[str, Any]] = field(default_factory=dict)  # UUID -> configuration
    code_signing: dict[str, dict[str, Any]] = field(default_factory=dict)  # ARN -> config
    capacity_providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # non-function ARNs -> tags
