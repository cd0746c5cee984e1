"""Secret operations: create, read, write, update, delete and restore, describe, list with
filters and sorting, batch reads, versions and stages, tags, resource policies, passwords."""

from __future__ import annotations

import json
import secrets as random_source
import string
from collections.abc import Sequence
from typing import Any, overload

from ...api import AWSError, RequestContext
from ...paging import offset_page
from . import errors
from .base import CURRENT, DAY, PENDING, SecretsBase, move_stage, timestamp
from .state import Secret, SecretsState

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def _bad_token() -> AWSError:
    return AWSError("InvalidNextTokenException", "The NextToken value is invalid.")


class SecretOperations(SecretsBase):

    # -- create, read, write -----------------------------------------------------------------
    def create_secret(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self.check_value(p)
        name = p["Name"]
        state = self.store.for_ctx(ctx)
        existing = self.find(ctx, name)
        if existing is not None:
            if existing.deleted_date is not None:
                raise errors.invalid_request(
                    "You can't create this secret because a secret with this name is already scheduled for deletion.")
            raise AWSError("ResourceExistsException", f"The operation failed because the secret {name} already exists.")
        now = ctx.clock.now()
        secret = Secret(name=name, arn=self.arn(ctx, name), created=now, changed=now,
                        description=p.get("Description") or "", kms_key_id=p.get("KmsKeyId"),
                        secret_type=p.get("Type"),
                        tags=[{"Key": k, "Value": v} for k, v in _tags(p.get("Tags") or []).items()])
        out: dict[str, Any] = {"ARN": secret.arn, "Name": name}
        if p.get("SecretString") is not None or p.get("SecretBinary") is not None:
            version, _ = self.new_version(ctx, secret, p, [CURRENT])
            self.attach(secret, version, [CURRENT])
            out["VersionId"] = version.version_id
        with self.store.lock:
            if name in state.secrets:
                raise AWSError("ResourceExistsException", f"The operation failed because the secret {name} already exists.")
            state.put(secret)
        if p.get("AddReplicaRegions"):
            out["ReplicationStatus"] = self.replicate(ctx, secret, p["AddReplicaRegions"],
                                                      bool(p.get("ForceOverwriteReplicaSecret")))
        return out

    def get_secret_value(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        return self.read_value(ctx, secret, ctx.params.get("VersionId"), ctx.params.get("VersionStage"))

    def read_value(self, ctx: RequestContext, secret: Secret, version_id: str | None, stage: str | None) -> dict[str, Any]:
        if version_id:
            version = secret.versions.get(version_id)
            if version is None or (stage and stage not in version.stages):
                raise errors.value_not_found(f"VersionId: {version_id}")
        else:
            version = secret.version_with(stage or CURRENT)
            if version is None:
                raise errors.value_not_found(f"staging label: {stage or CURRENT}")
        if version.blob is None:
            raise errors.value_not_found(f"staging label: {stage or CURRENT}")
        fields = self.value_fields(ctx, secret, version)
        now = ctx.clock.now()
        version.last_accessed = secret.last_accessed = now - now % DAY  # AWS records the day only
        return {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id, **fields,
                "VersionStages": list(version.stages), "CreatedDate": timestamp(version.created)}

    def put_secret_value(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self.check_value(p)
        if p.get("SecretString") is None and p.get("SecretBinary") is None:
            raise errors.invalid_request("You must provide either SecretString or SecretBinary.")
        secret = self.writable(ctx)
        stages = list(p.get("VersionStages") or [CURRENT])
        version, existed = self.new_version(ctx, secret, p, stages)
        if existed and sorted(version.stages) != sorted(stages) and p.get("VersionStages"):
            raise AWSError("ResourceExistsException",
                           "You can't modify an existing version, you can only create a new version.")
        with self.store.lock:
            if not existed:
                self.attach(secret, version, stages)
                secret.changed = ctx.clock.now()
        self.sync_replicas(ctx, secret)
        return {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id,
                "VersionStages": list(version.stages)}

    def update_secret(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self.check_value(p)
        secret = self.writable(ctx)
        if p.get("KmsKeyId") is not None:
            secret.kms_key_id = p["KmsKeyId"]
        out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
        if p.get("SecretString") is not None or p.get("SecretBinary") is not None:
            if secret.version_with(PENDING) is not None and secret.rotation_enabled:
                raise errors.invalid_request("A previous rotation isn't complete. That rotation will be reattempted.")
            version, existed = self.new_version(ctx, secret, p, [CURRENT])
            with self.store.lock:
                if not existed:
                    self.attach(secret, version, [CURRENT])
            out["VersionId"] = version.version_id
        with self.store.lock:
            if p.get("Description") is not None:
                secret.description = p["Description"]
            if p.get("Type") is not None:
                secret.secret_type = p["Type"]
            secret.changed = ctx.clock.now()
        self.sync_replicas(ctx, secret)
        return out

    # -- delete and restore --------------------------------------------------------------------
    def delete_secret(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        force, window = p.get("ForceDeleteWithoutRecovery"), p.get("RecoveryWindowInDays")
        if force and window is not None:
            raise errors.invalid_parameter(
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
        window = 30 if window is None else window
        if not force and not 7 <= window <= 30:
            raise errors.invalid_parameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
        secret = self.secret(ctx, allow_deleted=True)
        if secret.replicas:
            raise errors.invalid_request("You can't delete secret that has replicas. Remove the replica regions first.")
        now = ctx.clock.now()
        with self.store.lock:
            if force:
                self.store.for_ctx(ctx).remove(secret.name)
                deleted = now
            elif secret.deleted_date is None:
                secret.deleted_date = deleted = now + window * DAY
                self.store.for_ctx(ctx).timed.add(secret.name)
            else:
                deleted = secret.deleted_date
        return {"ARN": secret.arn, "Name": secret.name, "DeletionDate": timestamp(deleted)}

    def restore_secret(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx, allow_deleted=True)
        with self.store.lock:
            secret.deleted_date = None
        return {"ARN": secret.arn, "Name": secret.name}

    # -- describe and list -----------------------------------------------------------------------
    def describe_secret(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx, allow_deleted=True)
        out = self.entry(secret, "VersionIdsToStages")
        if secret.replicas:
            out["ReplicationStatus"] = [self.replica_status(r, k) for r, k in secret.replicas.items()]
        return out

    @staticmethod
    def replica_status(region: str, key: str) -> dict[str, Any]:
        return {"Region": region, "KmsKeyId": key, "Status": "InSync", "StatusMessage": "Replication succeeded"}

    @staticmethod
    def entry(secret: Secret, versions_member: str) -> dict[str, Any]:
        out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name, "RotationEnabled": secret.rotation_enabled,
                               "LastChangedDate": timestamp(secret.changed), "CreatedDate": timestamp(secret.created),
                               versions_member: {v.version_id: list(v.stages) for v in secret.versions.values() if v.stages}}
        optional = {"Description": secret.description or None, "KmsKeyId": secret.kms_key_id,
                    "Type": secret.secret_type, "RotationLambdaARN": secret.rotation_lambda,
                    "RotationRules": secret.rotation_rules, "LastRotatedDate": timestamp(secret.last_rotated),
                    "NextRotationDate": timestamp(secret.next_rotation) if secret.rotation_enabled else None,
                    "LastAccessedDate": timestamp(secret.last_accessed), "DeletedDate": timestamp(secret.deleted_date),
                    "Tags": secret.tags or None, "PrimaryRegion": secret.primary_region}
        out.update({k: v for k, v in optional.items() if v is not None})
        return out

    def list_secrets(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        include_deleted = bool(p.get("IncludePlannedDeletion"))
        sort_by = p.get("SortBy") or "created-date"
        secrets: Sequence[Secret]
        if not p.get("Filters") and sort_by == "created-date" and (p.get("SortOrder") or "asc") == "asc":
            secrets = self._by_created(ctx, include_deleted)  # the default listing: its page is cut from an index
        else:
            secrets = self._matching(ctx, p.get("Filters") or [], include_deleted)
            keys = {"created-date": lambda s: s.created, "last-accessed-date": lambda s: s.last_accessed or 0,
                    "last-changed-date": lambda s: s.changed, "name": lambda s: s.name}
            secrets.sort(key=keys[sort_by], reverse=(p.get("SortOrder") or "asc") == "desc")
        page, token = offset_page(secrets, p.get("NextToken"), p.get("MaxResults"), bad_token=_bad_token,
                                  scope="list-secrets")
        out: dict[str, Any] = {"SecretList": [self.entry(s, "SecretVersionsToStages") for s in page]}
        if token:
            out["NextToken"] = token
        return out

    def _matching(self, ctx: RequestContext, filters: list[dict[str, Any]], include_deleted: bool) -> list[Secret]:
        """The region's secrets (in order of arrival) that pass `filters`, once the clock is applied."""
        self._apply_clock(ctx)
        with self.store.lock:
            found = list(self.store.for_ctx(ctx).secrets.values())
        return [s for s in found if (include_deleted or s.deleted_date is None)
                and all(_filter_matches(s, f, ctx.region) for f in filters)]

    def _apply_clock(self, ctx: RequestContext) -> list[Secret]:
        """Look up (`find`) every secret the clock may have changed, in order of arrival, so due
        deletions and rotations happen; the ones still scheduled for deletion."""
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            timed = sorted((s for s in map(state.secrets.get, state.timed) if s is not None), key=lambda s: s.seq)
        deleting = []
        for secret in timed:
            found = self.find(ctx, secret.name)
            if found is not None and found.deleted_date is not None:
                deleting.append(found)
            elif found is None or not found.rotation_enabled:
                with self.store.lock:
                    state.timed.discard(secret.name)
        return deleting

    def _by_created(self, ctx: RequestContext, include_deleted: bool) -> Sequence[Secret]:
        """`_matching(ctx, [], include_deleted)` in created order, as an indexed view (no copy)."""
        state = self.store.for_ctx(ctx)
        deleting = self._apply_clock(ctx)
        with self.store.lock:
            hidden = [] if include_deleted else [state.by_created.index((s.created, s.seq)) for s in deleting]
            return _Listed(state, sorted(hidden))

    def batch_get_secret_value(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        ids, filters = p.get("SecretIdList"), p.get("Filters")
        if bool(ids) == bool(filters):
            raise errors.invalid_parameter("Either SecretIdList or Filters must be specified, but not both.")
        values, failures = [], []
        if ids:
            if p.get("MaxResults"):
                raise errors.invalid_parameter("MaxResults can only be used with Filters.")
            targets: list[tuple[str, Secret | None]] = [(i, self.find(ctx, i)) for i in ids]
            token = None
        else:
            matching = self._matching(ctx, filters, False)
            page, token = offset_page(matching, p.get("NextToken"), p.get("MaxResults") or 20, bad_token=_bad_token,
                                      scope="batch-get")
            targets = [(s.name, s) for s in page]
        for secret_id, secret in targets:
            try:
                if secret is None:
                    raise errors.not_found()
                if secret.deleted_date is not None:
                    raise errors.marked_for_deletion()
                values.append(self.read_value(ctx, secret, None, None))
            except AWSError as exc:
                failures.append({"SecretId": secret_id, "ErrorCode": exc.code, "Message": exc.message})
        out: dict[str, Any] = {"SecretValues": values, "Errors": failures}
        if token:
            out["NextToken"] = token
        return out

    # -- versions and stages -------------------------------------------------------------------
    def list_secret_version_ids(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx, allow_deleted=True)
        versions = sorted(secret.versions.values(), key=lambda v: v.created, reverse=True)
        if not ctx.params.get("IncludeDeprecated"):
            versions = [v for v in versions if v.stages]
        page, token = offset_page(versions, ctx.params.get("NextToken"), ctx.params.get("MaxResults"),
                                  bad_token=_bad_token, scope=f"versions:{secret.arn}")
        entries = []
        for v in page:
            entry: dict[str, Any] = {"VersionId": v.version_id, "VersionStages": list(v.stages),
                                     "CreatedDate": timestamp(v.created), "KmsKeyIds": [v.kms_key_id]}
            if v.last_accessed:
                entry["LastAccessedDate"] = timestamp(v.last_accessed)
            entries.append(entry)
        out: dict[str, Any] = {"Versions": entries, "ARN": secret.arn, "Name": secret.name}
        if token:
            out["NextToken"] = token
        return out

    def update_secret_version_stage(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        secret = self.writable(ctx)
        stage, remove_from, move_to = p["VersionStage"], p.get("RemoveFromVersionId"), p.get("MoveToVersionId")
        with self.store.lock:
            for version_id in (remove_from, move_to):
                if version_id and version_id not in secret.versions:
                    raise errors.invalid_parameter(f"The version {version_id} does not exist.")  # exact text unknown
            holder = secret.version_with(stage)
            if holder is not None and move_to and holder.version_id != move_to and remove_from != holder.version_id:
                raise errors.invalid_parameter(
                    f"The staging label {stage} is currently attached to version {holder.version_id}, but you did not "
                    "specify that version in the RemoveFromVersionId parameter.")
            if remove_from and (holder is None or holder.version_id != remove_from):
                raise errors.invalid_parameter(f"The staging label {stage} is not attached to version {remove_from}.")
            move_stage(secret, stage, secret.versions[move_to] if move_to else None)
            if stage == CURRENT and move_to:
                pending = secret.versions[move_to]
                if PENDING in pending.stages:
                    pending.stages.remove(PENDING)
            secret.changed = ctx.clock.now()
        return {"ARN": secret.arn, "Name": secret.name}

    # -- tags ---------------------------------------------------------------------------------
    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        with self.store.lock:
            tags = {t["Key"]: t["Value"] for t in secret.tags}
            tags.update(_tags(ctx.params["Tags"]))
            if len(tags) > 50:
                raise errors.invalid_request("A secret can have at most 50 tags.")
            secret.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        drop = set(ctx.params["TagKeys"])
        with self.store.lock:
            secret.tags = [t for t in secret.tags if t["Key"] not in drop]
        return {}

    # -- resource policies ----------------------------------------------------------------------
    def put_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        policy = ctx.params["ResourcePolicy"]
        problems = _policy_problems(policy)
        if problems:
            raise AWSError("MalformedPolicyDocumentException", problems[0])
        if ctx.params.get("BlockPublicPolicy") and _is_public(json.loads(policy)):
            raise AWSError("PublicPolicyException",
                           "You can't attach a policy that grants broad access to the secret while BlockPublicPolicy is set.")
        secret.policy = policy
        return {"ARN": secret.arn, "Name": secret.name}

    def get_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
        if secret.policy:
            out["ResourcePolicy"] = secret.policy
        return out

    def delete_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.secret(ctx)
        secret.policy = None
        return {"ARN": secret.arn, "Name": secret.name}

    def validate_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params.get("SecretId") and self.find(ctx, ctx.params["SecretId"]) is None:
            raise errors.not_found()
        problems = _policy_problems(ctx.params["ResourcePolicy"])
        return {"PolicyValidationPassed": not problems,
                "ValidationErrors": [{"CheckName": "JSON_SYNTAX_AND_SCHEMA", "ErrorMessage": m} for m in problems]}

    # -- passwords -----------------------------------------------------------------------------
    def get_random_password(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        length = p.get("PasswordLength") or 32
        if not 1 <= length <= 4096:
            raise errors.invalid_parameter("PasswordLength must be between 1 and 4096.")
        excluded = set(p.get("ExcludeCharacters") or "")
        groups = [g for g, skip in ((string.ascii_lowercase, p.get("ExcludeLowercase")),
                                    (string.ascii_uppercase, p.get("ExcludeUppercase")),
                                    (string.digits, p.get("ExcludeNumbers")),
                                    (PUNCTUATION, p.get("ExcludePunctuation")),
                                    (" ", not p.get("IncludeSpace"))) if not skip]
        groups = [kept for kept in ("".join(c for c in g if c not in excluded) for g in groups) if kept]
        if not groups:
            raise errors.invalid_parameter("The password can't be generated: every character type is excluded.")
        require_each = p.get("RequireEachIncludedType", True)
        if require_each and length < len(groups):
            raise errors.invalid_parameter(
                "The password length is too short to include every required character type.")
        alphabet = "".join(groups)
        chars = [random_source.choice(alphabet) for _ in range(length)]
        if require_each:
            positions = random_source.SystemRandom().sample(range(length), len(groups))
            for position, group in zip(positions, groups, strict=True):
                chars[position] = random_source.choice(group)
        return {"RandomPassword": "".join(chars)}


class _Listed(Sequence[Secret]):
    """A region's secrets in created order, without those at the `hidden` positions of the index
    (sorted): slices are found by position, not by walking every secret before them."""

    def __init__(self, state: SecretsState, hidden: list[int]) -> None:
        self.state, self.hidden = state, hidden

    def __len__(self) -> int:
        return len(self.state.by_created) - len(self.hidden)

    @overload
    def __getitem__(self, index: int) -> Secret: ...
    @overload
    def __getitem__(self, index: slice) -> list[Secret]: ...
    def __getitem__(self, index: int | slice) -> Secret | list[Secret]:
        if isinstance(index, int):
            return self[index:index + 1][0]
        start, stop, _ = index.indices(len(self))
        position = start  # the index position of the `start`-th secret shown
        for skipped in self.hidden:
            if skipped > position:
                break
            position += 1
        out: list[Secret] = []
        names = self.state.by_created.values()
        hidden = set(self.hidden)
        while len(out) < stop - start and position < len(names):
            if position not in hidden:
                out.append(self.state.secrets[names[position]])
            position += 1
        return out


def _tags(tags: list[dict[str, str]]) -> dict[str, str]:
    if any("Key" not in t for t in tags):
        raise errors.invalid_parameter("A tag must have a Key.")  # AWS's exact wording is not documented
    return {t["Key"]: t.get("Value", "") for t in tags}


def _filter_matches(secret: Secret, spec: dict[str, Any], region: str) -> bool:
    """AWS's ListSecrets filters: prefix matches, case-sensitive, `!` negates a value."""
    key, values = spec.get("Key"), spec.get("Values") or []
    fields = {
        "name": [secret.name], "description": [secret.description],
        "tag-key": [t["Key"] for t in secret.tags], "tag-value": [t["Value"] for t in secret.tags],
        "primary-region": [secret.primary_region or region], "owning-service": [],
    }
    candidates = (fields["name"] + fields["description"] + fields["tag-key"] + fields["tag-value"]
                  if key == "all" else fields.get(key or "", []))
    for value in values:
        negate = value.startswith("!")
        wanted = value[1:] if negate else value
        hit = any(c.startswith(wanted) for c in candidates)
        if hit == negate:
            return False
    return True


def _policy_problems(policy: str) -> list[str]:
    try:
        doc = json.loads(policy)
    except ValueError:
        return ["The policy document is not valid JSON."]
    if not isinstance(doc, dict) or "Statement" not in doc:
        return ["The policy document must contain a Statement."]
    statements = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            return ["Each statement must have an Effect of Allow or Deny."]
        if "Action" not in statement and "NotAction" not in statement:
            return ["Each statement must have an Action."]
    return []


def _is_public(doc: dict[str, Any]) -> bool:
    statements = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
    return any(s.get("Effect") == "Allow" and s.get("Principal") in ("*", {"AWS": "*"}) and not s.get("Condition")
               for s in statements)
