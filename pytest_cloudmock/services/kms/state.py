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
    seq: int = 0  # order of arrival in its region's `keys` (ties of `created`)

    @property
    def timed(self) -> bool:
        """Whether the clock may change this key (deletion, rotation, imported material expiry)."""
        return self.state == "PendingDeletion" or self.rotation_enabled or self.valid_to is not None

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
    keys: dict[str, Key] = field(default_factory=dict)  # by key id, in order of arrival
    by_created: SortedDict = field(default_factory=SortedDict)  # (created, seq) -> key id: ListKeys' order
    timed: set[str] = field(default_factory=set)  # ids of keys the clock may change: a superset
    next_seq: int = 0
    aliases: SortedDict = field(default_factory=SortedDict)  # name -> Alias, in name order (ListAliases pages)
    key_aliases: dict[str, set[str]] = field(default_factory=dict)  # key id -> names of the aliases to it
    grants: dict[str, Grant] = field(default_factory=dict)
    custom_key_stores: dict[str, CustomKeyStore] = field(default_factory=dict)
    imports: dict[bytes, ImportParameters] = field(default_factory=dict)

    def put(self, key: Key) -> None:
        """Add a new key (store lock held)."""
        self.next_seq += 1
        key.seq = self.next_seq
        self.keys[key.key_id] = key
        self.by_created[(key.created, key.seq)] = key.key_id
        if key.timed:
            self.timed.add(key.key_id)

    def remove(self, key_id: str) -> None:
        """Forget the key `key_id` and the aliases to it (store lock held)."""
        key = self.keys.pop(key_id, None)
        if key is not None:
            del self.by_created[(key.created, key.seq)]
        self.timed.discard(key_id)
        for name in list(self.key_aliases.get(key_id, ())):
            self.remove_alias(name)

    def put_alias(self, alias: Alias) -> None:
        """Add `alias`, in the place of any of its name (store lock held)."""
        self.remove_alias(alias.name)
        self.aliases[alias.name] = alias
        self.key_aliases.setdefault(alias.target_key_id, set()).add(alias.name)

    def retarget_alias(self, alias: Alias, key_id: str) -> None:
        """Point `alias` at the key `key_id` (store lock held)."""
        self._unlink(alias)
        alias.target_key_id = key_id
        self.key_aliases.setdefault(key_id, set()).add(alias.name)

    def remove_alias(self, name: str) -> None:
        """Forget the alias `name`, if there is one (store lock held)."""
        alias = self.aliases.pop(name, None)
        if alias is not None:
            self._unlink(alias)

    def _unlink(self, alias: Alias) -> None:
        names = self.key_aliases.get(alias.target_key_id)
        if names is not None:
            names.discard(alias.name)
            if not names:
                del self.key_aliases[alias.target_key_id]
