"""Secrets Manager state: secrets with their encrypted versions and staging labels, per
account and region. Plain data only: values are kept as KMS envelope blobs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sortedcontainers import SortedDict


@dataclass
class Version:
    version_id: str
    blob: bytes | None  # `kms.api.encrypt_for` output; None for a version with no value
    binary: bool
    created: float
    stages: list[str] = field(default_factory=list)
    kms_key_id: str = ""
    last_accessed: float | None = None


@dataclass
class Secret:
    name: str
    arn: str
    created: float
    changed: float
    description: str = ""
    kms_key_id: str | None = None
    secret_type: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    versions: dict[str, Version] = field(default_factory=dict)
    policy: str | None = None
    deleted_date: float | None = None
    rotation_enabled: bool = False
    rotation_lambda: str | None = None
    rotation_rules: dict | None = None
    last_rotated: float | None = None
    next_rotation: float | None = None
    last_accessed: float | None = None
    primary_region: str | None = None  # set on replicas and on primaries that have replicas
    replicas: dict[str, str] = field(default_factory=dict)  # region -> KMS key id (on the primary)
    seq: int = 0  # order of arrival in its region's `secrets` (ties of `created`)

    def version_with(self, stage: str) -> Version | None:
        return next((v for v in self.versions.values() if stage in v.stages), None)


@dataclass
class SecretsState:
    secrets: dict[str, Secret] = field(default_factory=dict)  # by name, in order of arrival
    by_created: SortedDict = field(default_factory=SortedDict)  # (created, seq) -> name: ListSecrets' default order
    timed: set[str] = field(default_factory=set)  # names the clock may change (deletion, rotation): a superset
    next_seq: int = 0

    def put(self, secret: Secret) -> None:
        """Add `secret`, or put it in the place of the one of that name (store lock held)."""
        old = self.secrets.get(secret.name)
        if old is not None:
            del self.by_created[(old.created, old.seq)]
            secret.seq = old.seq
        else:
            self.next_seq += 1
            secret.seq = self.next_seq
        self.secrets[secret.name] = secret
        self.by_created[(secret.created, secret.seq)] = secret.name
        if secret.deleted_date is not None or secret.rotation_enabled:
            self.timed.add(secret.name)

    def remove(self, name: str) -> None:
        """Forget the secret `name`, if there is one (store lock held)."""
        secret = self.secrets.pop(name, None)
        if secret is not None:
            del self.by_created[(secret.created, secret.seq)]
        self.timed.discard(name)
