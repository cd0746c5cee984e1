"""SSM state: Parameter Store parameters (every version), documents, tags and the calls kept
for the areas answered shallowly. Plain data only; SecureString values are KMS blobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ParameterVersion:
    version: int
    value: str  # plaintext for String/StringList; base64 of the KMS envelope for SecureString
    type: str
    modified: float
    data_type: str = "text"
    description: str = ""
    allowed_pattern: str = ""
    tier: str = "Standard"
    policies: list[dict[str, Any]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    key_id: str | None = None
    user: str = ""


@dataclass
class Parameter:
    name: str
    versions: list[ParameterVersion] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> ParameterVersion:
        return self.versions[-1]


@dataclass
class DocumentVersion:
    version: str
    content: str
    created: float
    version_name: str | None = None


@dataclass
class Document:
    name: str
    document_type: str
    document_format: str
    created: float
    versions: list[DocumentVersion] = field(default_factory=list)
    default_version: str = "1"
    target_type: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class SsmState:
    parameters: dict[str, Parameter] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    other_tags: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    calls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # shallow areas: what was asked
