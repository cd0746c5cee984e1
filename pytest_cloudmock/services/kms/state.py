"""KMS state: keys (with every version of their material), aliases, grants, custom key
stores and pending import parameters, per account and region. Plain data only."""

from __future__ import annotations

from dataclasses import dataclass, field

from sortedcontainers import SortedDict


@dataclass
class KeyMaterial:
    """One version of a key's material (rotations add versions; old ones still decrypt)."""

    material_id: str
    secret: bytes  # raw symmetric/HMAC bytes, or a PKCS#8 DER private key
    created: float
    rotation_type: str | None = None  # AUTOMATIC / ON_DEMAND; None for the first material
    imported: bool = False


@dataclass
class Key:
    key_id: str
    arn: str
    account_id: str
    region: str
    created: float
    key_spec: str
    key_usage: str
    state: str
    description: str = ""
    origin: str = "AWS_KMS"
    key_manager: str = "CUSTOMER"
    policy: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    materials: list[KeyMaterial] = field(default_factory=list)
    deletion_date: float | None = None
    pending_window: int | None = None
    rotation_enabled: bool = False
    rotation_period: int | None = None
    next_rotation: float | None = None
    on_demand_started: float | None = None
    multi_region: bool = False
    primary_region: str | None = None  # multi-Region keys: where the primary lives
    replica_regions: list[str] = field(default_factory=list)  # on the primary
    custom_key_store_id: str | None = None
    expiration_model: str | None = None
    valid_to: float | None = None
    last_used: tuple[float, str] | None = None

    @property
    def current(self) -> KeyMaterial | None:
        return self.materials[-1] if self.materials else None

    def material(self, material_id: str) -> KeyMaterial | None:
        return next((m for m in self.materials if m.material_id == material_id), None)


@dataclass
class Alias:
    name: str
    target_key_id: str
    created: float
    updated: float


@dataclass
class Grant:
    grant_id: str
    token: str
    key_id: str
    name: str
    grantee: str
    retiring: str | None
    operations: list[str]
    constraints: dict | None
    issuing_account: str
    created: float


@dataclass
class CustomKeyStore:
    store_id: str
    name: str
    store_type: str
    created: float
    state: str = "DISCONNECTED"
    settings: dict = field(default_factory=dict)


@dataclass
class ImportParameters:
    key_id: str
    token: bytes
    wrapping_key: bytes  # PKCS#8 DER
    algorithm: str
    valid_to: float


@dataclass
class KmsState:
    keys: dict[str, Key] = field(default_factory=dict)
    aliases: SortedDict = field(default_factory=SortedDict)  # name -> Alias, in name order (ListAliases pages)
    grants: dict[str, Grant] = field(default_factory=dict)
    custom_key_stores: dict[str, CustomKeyStore] = field(default_factory=dict)
    imports: dict[bytes, ImportParameters] = field(default_factory=dict)
