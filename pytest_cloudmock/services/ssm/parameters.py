"""Parameter Store: put, get (with `:version` and `:label` selectors), by path, describe,
delete, history, labels, SecureString through KMS, policies with expiration on the clock,
and AWS public parameters under `/aws/service/`."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from typing import Any, ClassVar

from ...api import AWSError, RequestContext
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from ..kms import api as kms_api
from .public import public_parameters
from .state import Parameter, ParameterVersion, SsmState

MAX_VERSIONS = 100
MAX_LABELS = 10
MAX_DEPTH = 15
_NAME = re.compile(r"^[a-zA-Z0-9_.\-/]+$")
_AMI = re.compile(r"^ami-[0-9a-f]{8,17}$")


def timestamp(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def not_found(name: str = "") -> AWSError:
    return AWSError("ParameterNotFound", "")  # AWS answers ParameterNotFound without a message


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def _bad_token() -> AWSError:
    return AWSError("InvalidNextToken", "The specified token isn't valid.")


class ParameterOperations(ModelService):
    name: ClassVar[str] = "ssm"

    def __init__(self) -> None:
        self.store: Store[SsmState] = Store(SsmState)

    # -- names and lookup ---------------------------------------------------------------------
    @staticmethod
    def arn(ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:ssm:{ctx.region}:{ctx.account_id}:parameter/{name.lstrip('/')}"

    @staticmethod
    def plain_name(name: str) -> str:
        """A parameter name from a name or ARN."""
        if name.startswith("arn:"):
            rest = name.split(":parameter", 1)[-1]
            return rest if rest.startswith("/") and rest.count("/") > 1 else rest.lstrip("/")
        return name

    def _check_name(self, name: str) -> None:
        if not _NAME.match(name) or ("/" in name and not name.startswith("/")):
            raise validation("Parameter name must be a fully qualified name.")
        if re.match(r"^/?(aws|ssm)", name, re.IGNORECASE):
            raise validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).')
        if name.count("/") > MAX_DEPTH:
            raise AWSError("HierarchyLevelLimitExceededException",
                           f"Parameter name can have at most {MAX_DEPTH} levels of hierarchy.")

    def parameters(self, ctx: RequestContext) -> dict[str, Parameter]:
        """The live parameters (expired ones are deleted on the way, on the gateway clock)."""
        state = self.store.for_ctx(ctx)
        now = ctx.clock.now()
        with self.store.lock:
            for name in [n for n, p in state.parameters.items() if _expired(p.latest, now)]:
                del state.parameters[name]
            return dict(state.parameters)

    def live(self, ctx: RequestContext, name: str) -> Parameter | None:
        """The live parameter of this plain name, if any (deleted on the way if it has expired): one
        lookup, whatever the number of parameters."""
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            parameter = state.parameters.get(name)
            if parameter is not None and _expired(parameter.latest, ctx.clock.now()):
                del state.parameters[name]
                return None
            return parameter

    def _public(self, name: str) -> Parameter | None:
        value = public_parameters().get(name)
        if value is None:
            return None
        return Parameter(name, [ParameterVersion(1, value, "String", 0.0)])

    def find(self, ctx: RequestContext, name: str) -> Parameter | None:
        name = self.plain_name(name)
        return self.live(ctx, name) or self._public(name)

    def resolve(self, ctx: RequestContext, ref: str) -> tuple[Parameter, ParameterVersion, str | None]:
        """(parameter, version, selector) for `name`, `name:version` or `name:label`."""
        name, _, selector = self.plain_name(ref).partition(":")
        parameter = self.find(ctx, name)
        if parameter is None:
            raise not_found(name)
        if not selector:
            return parameter, parameter.latest, None
        if selector.isdigit():
            version = next((v for v in parameter.versions if v.version == int(selector)), None)
            if version is None:
                raise AWSError("ParameterVersionNotFound", f"Systems Manager could not find version {selector} of "
                               f"{name}. Verify the version and try again.")
        else:
            version = next((v for v in parameter.versions if selector in v.labels), None)
            if version is None:
                raise not_found(name)
        return parameter, version, f":{selector}"

    # -- values ---------------------------------------------------------------------------
    def _seal(self, ctx: RequestContext, name: str, key_id: str, value: str) -> str:
        try:
            blob = kms_api.encrypt_for(ctx, key_id, value.encode(), {"PARAMETER_ARN": self.arn(ctx, name)})
        except AWSError as exc:
            raise AWSError("InvalidKeyId", f"{exc.code}: {exc.message}") from None
        return base64.b64encode(blob).decode()

    def value_of(self, ctx: RequestContext, name: str, version: ParameterVersion, decrypt: bool) -> str:
        if version.type != "SecureString" or not decrypt:
            return version.value
        try:
            return kms_api.decrypt_for(ctx, base64.b64decode(version.value),
                                       {"PARAMETER_ARN": self.arn(ctx, name)}).decode()
        except AWSError as exc:
            raise AWSError("InvalidKeyId", f"{exc.code}: {exc.message}") from None

    def rendered(self, ctx: RequestContext, parameter: Parameter, version: ParameterVersion, decrypt: bool,
                 selector: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"Name": parameter.name, "Type": version.type,
                               "Value": self.value_of(ctx, parameter.name, version, decrypt),
                               "Version": version.version, "LastModifiedDate": timestamp(version.modified),
                               "ARN": self.arn(ctx, parameter.name), "DataType": version.data_type}
        if selector:
            out["Selector"] = selector
        return out

    # -- put ------------------------------------------------------------------------------
    def put_parameter(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, value = p["Name"], p["Value"]
        self._check_name(name)
        if p.get("Tags") and p.get("Overwrite"):
            raise validation("Invalid request: tags and overwrite can't be used together. To create a parameter with "
                             "tags, please remove overwrite flag. To update tags for an existing parameter, please use "
                             "AddTagsToResource or RemoveTagsFromResource.")
        existing = self.live(ctx, name)
        if existing is not None and not p.get("Overwrite"):
            raise AWSError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the "
                           "overwrite option in the request to true.")
        previous = existing.latest if existing is not None else None
        kind = p.get("Type") or (previous.type if previous else None)
        if kind is None:
            raise validation("A parameter type is required when you create a parameter.")
        if kind not in ("String", "StringList", "SecureString"):
            raise AWSError("UnsupportedParameterType", kind)
        data_type = p.get("DataType") or (previous.data_type if previous else "text")
        if data_type not in ("text", "aws:ec2:image", "aws:ssm:integration"):
            raise validation(f"The following data type is not supported: {data_type} (Data type names are "
                             "all lowercase.)")
        if data_type == "aws:ec2:image" and (kind != "String" or not _AMI.match(value)):
            raise validation(f"Parameter value {value} is not a valid AMI id for data type aws:ec2:image.")
        pattern = p.get("AllowedPattern") if p.get("AllowedPattern") is not None else (
            previous.allowed_pattern if previous else "")
        if pattern:
            try:
                compiled = re.compile(pattern)
            except re.error:
                raise AWSError("InvalidAllowedPatternException", f"The allowed pattern {pattern} is not valid.") from None
            if not compiled.fullmatch(value):
                raise AWSError("ParameterPatternMismatchException",
                               f"Parameter value, cannot be validated against allowedPattern: {pattern}")
        policies = _policies(p["Policies"]) if p.get("Policies") else []
        tier = self._tier(p.get("Tier"), previous, value, policies)
        key_id = None
        stored = value
        if kind == "SecureString":
            key_id = p.get("KeyId") or (previous.key_id if previous and previous.type == "SecureString" else None) \
                or kms_api.default_key("ssm")
            stored = self._seal(ctx, name, key_id, value)
        elif p.get("KeyId"):
            raise validation("KeyId is required for SecureString type parameter only.")
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            parameter = state.parameters.get(name)
            if parameter is None:
                parameter = state.parameters[name] = Parameter(name, tags={t["Key"]: t["Value"] for t in p.get("Tags") or []})
            elif not p.get("Overwrite"):
                raise AWSError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set "
                               "the overwrite option in the request to true.")
            number = parameter.latest.version + 1 if parameter.versions else 1
            if len(parameter.versions) >= MAX_VERSIONS:
                oldest = parameter.versions[0]
                if oldest.labels:
                    raise AWSError("ParameterMaxVersionLimitExceeded",
                                   f"You attempted to create a new version of {name} by calling the PutParameter API "
                                   f"with the overwrite flag. Version {oldest.version}, the oldest version, can't be "
                                   "deleted because it has a label associated with it. Move the label to another "
                                   "version of the parameter, and try again.")
                parameter.versions.pop(0)
            description = p.get("Description") if p.get("Description") is not None else (
                previous.description if previous else "")
            parameter.versions.append(ParameterVersion(
                number, stored, kind, ctx.clock.now(), data_type, description, pattern or "", tier, policies, [],
                key_id, f"arn:{ctx.partition}:iam::{ctx.account_id}:root"))
        return {"Version": number, "Tier": tier}

    @staticmethod
    def _tier(asked: str | None, previous: ParameterVersion | None, value: str, policies: list) -> str:
        needs_advanced = len(value.encode()) > 4096 or bool(policies)
        if asked == "Intelligent-Tiering":
            tier = "Advanced" if needs_advanced else (previous.tier if previous else "Standard")
        else:
            tier = asked or (previous.tier if previous else "Standard")
        if previous is not None and previous.tier == "Advanced" and tier == "Standard":
            raise validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the "
                             "advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the "
                             "advanced parameter and recreate it as a standard parameter.")
        if tier == "Standard" and len(value.encode()) > 4096:
            raise validation("Standard tier parameters support a maximum parameter value of 4096 characters. To create "
                             "a larger parameter value, upgrade the parameter to use the advanced-parameter tier.")
        if tier == "Standard" and policies:
            raise validation("Parameter policies are supported only for the advanced-parameter tier.")
        return tier

    # -- get ------------------------------------------------------------------------------
    def get_parameter(self, ctx: RequestContext) -> dict[str, Any]:
        parameter, version, selector = self.resolve(ctx, ctx.params["Name"])
        return {"Parameter": self.rendered(ctx, parameter, version, bool(ctx.params.get("WithDecryption")), selector)}

    def get_parameters(self, ctx: RequestContext) -> dict[str, Any]:
        found, invalid = [], []
        for ref in ctx.params["Names"]:
            try:
                parameter, version, selector = self.resolve(ctx, ref)
            except AWSError as exc:
                if exc.code not in ("ParameterNotFound", "ParameterVersionNotFound"):
                    raise
                invalid.append(ref)
                continue
            found.append(self.rendered(ctx, parameter, version, bool(ctx.params.get("WithDecryption")), selector))
        return {"Parameters": found, "InvalidParameters": invalid}

    def get_parameters_by_path(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        path = p["Path"]
        if not path.startswith("/"):
            raise validation("The parameter doesn't meet the parameter name requirements. The parameter name must "
                             "begin with a forward slash \"/\".")
        prefix = path.rstrip("/") + "/"
        filters = p.get("ParameterFilters") or []
        for spec in filters:
            if spec["Key"] in ("Name", "Path", "Tier", "DataType"):
                raise AWSError("InvalidFilterKey", f"The following filter key is not valid: {spec['Key']}. "
                               "Valid filter keys include: [Type, KeyId, Label, tag].")
        pool = {**(self._public_pool() if prefix.startswith("/aws/service/") else {}), **self.parameters(ctx)}
        recursive = p.get("Recursive")
        matches = [pool[n] for n in sorted(n for n in pool if n.startswith(prefix) and (
            recursive or "/" not in n[len(prefix):]))]
        matches = [m for m in matches if all(_parameter_filter(m, f) for f in filters)]
        page, token = offset_page(matches, p.get("NextToken"), p.get("MaxResults") or 10, bad_token=_bad_token,
                                  scope=f"path:{prefix}")
        out: dict[str, Any] = {"Parameters": [self.rendered(ctx, m, m.latest, bool(p.get("WithDecryption")))
                                              for m in page]}
        if token:
            out["NextToken"] = token
        return out

    def _public_pool(self) -> dict[str, Parameter]:
        return {name: self._public(name) for name in public_parameters()}  # type: ignore[misc]

    def describe_parameters(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        filters = list(p.get("ParameterFilters") or [])
        for old in p.get("Filters") or []:  # the deprecated Filters: Name/Type/KeyId, "Equals" (Name: BeginsWith)
            filters.append({"Key": old["Key"], "Option": "BeginsWith" if old["Key"] == "Name" else "Equals",
                            "Values": old["Values"]})
        params = self.parameters(ctx)
        matches = [params[n] for n in sorted(params) if all(_parameter_filter(params[n], f) for f in filters)]
        page, token = offset_page(matches, p.get("NextToken"), p.get("MaxResults") or 50, bad_token=_bad_token,
                                  scope="describe")
        out: dict[str, Any] = {"Parameters": [self._metadata(ctx, m) for m in page]}
        if token:
            out["NextToken"] = token
        return out

    def _metadata(self, ctx: RequestContext, parameter: Parameter) -> dict[str, Any]:
        v = parameter.latest
        out: dict[str, Any] = {"Name": parameter.name, "ARN": self.arn(ctx, parameter.name), "Type": v.type,
                               "LastModifiedDate": timestamp(v.modified), "LastModifiedUser": v.user,
                               "Version": v.version, "Tier": v.tier, "DataType": v.data_type,
                               "Policies": [_policy_out(x) for x in v.policies]}
        if v.key_id:
            out["KeyId"] = v.key_id
        if v.description:
            out["Description"] = v.description
        if v.allowed_pattern:
            out["AllowedPattern"] = v.allowed_pattern
        return out

    # -- delete ---------------------------------------------------------------------------
    def delete_parameter(self, ctx: RequestContext) -> dict[str, Any]:
        name = self.plain_name(ctx.params["Name"])
        self.live(ctx, name)  # an expired parameter is not found
        with self.store.lock:
            if self.store.for_ctx(ctx).parameters.pop(name, None) is None:
                raise not_found(name)
        return {}

    def delete_parameters(self, ctx: RequestContext) -> dict[str, Any]:
        for name in ctx.params["Names"]:
            self.live(ctx, self.plain_name(name))  # an expired parameter is not found
        deleted, invalid = [], []
        with self.store.lock:
            state = self.store.for_ctx(ctx)
            for name in ctx.params["Names"]:
                (deleted if state.parameters.pop(self.plain_name(name), None) is not None else invalid).append(name)
        return {"DeletedParameters": deleted, "InvalidParameters": invalid}

    # -- history and labels --------------------------------------------------------------------
    def get_parameter_history(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        parameter = self.find(ctx, p["Name"])
        if parameter is None:
            raise not_found()
        page, token = offset_page(parameter.versions, p.get("NextToken"), p.get("MaxResults") or 50,
                                  bad_token=_bad_token, scope=f"history:{parameter.name}")
        entries = []
        for v in page:
            entry = {**self._metadata(ctx, Parameter(parameter.name, [v])),
                     "Value": self.value_of(ctx, parameter.name, v, bool(p.get("WithDecryption"))),
                     "Labels": list(v.labels)}
            entry.pop("ARN", None)
            entries.append(entry)
        out: dict[str, Any] = {"Parameters": entries}
        if token:
            out["NextToken"] = token
        return out

    def label_parameter_version(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        parameter = self.find(ctx, p["Name"])
        if parameter is None or parameter.name.startswith("/aws/"):
            raise not_found()
        number = p.get("ParameterVersion") or parameter.latest.version
        with self.store.lock:
            target = next((v for v in parameter.versions if v.version == number), None)
            if target is None:
                raise AWSError("ParameterVersionNotFound", f"Systems Manager could not find version {number} of "
                               f"{parameter.name}. Verify the version and try again.")
            valid = [label for label in p["Labels"] if _label_ok(label)]
            invalid = [label for label in p["Labels"] if not _label_ok(label)]
            if len(set(target.labels) | set(valid)) > MAX_LABELS:
                raise AWSError("ParameterVersionLabelLimitExceeded",
                               "A parameter version can have maximum 10 labels.Move one or more labels to another "
                               "version and try again.")
            for label in valid:  # a label names one version: it moves here from any other
                for version in parameter.versions:
                    if label in version.labels and version is not target:
                        version.labels.remove(label)
                if label not in target.labels:
                    target.labels.append(label)
        return {"InvalidLabels": invalid, "ParameterVersion": number}

    def unlabel_parameter_version(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        parameter = self.find(ctx, p["Name"])
        if parameter is None:
            raise not_found()
        with self.store.lock:
            target = next((v for v in parameter.versions if v.version == p["ParameterVersion"]), None)
            if target is None:
                raise AWSError("ParameterVersionNotFound", f"Systems Manager could not find version "
                               f"{p['ParameterVersion']} of {parameter.name}. Verify the version and try again.")
            removed = [label for label in p["Labels"] if label in target.labels]
            target.labels = [label for label in target.labels if label not in removed]
        return {"RemovedLabels": removed, "InvalidLabels": [label for label in p["Labels"] if label not in removed]}


def _label_ok(label: str) -> bool:
    """AWS's label rules: at most 100 characters, not all digits, no `aws`/`ssm` prefix, no `/` or `:`."""
    return (0 < len(label) <= 100 and not label.isdigit() and re.match(r"^(aws|ssm)", label, re.IGNORECASE) is None
            and re.fullmatch(r"[a-zA-Z0-9_.\-]+", label) is not None)


def _policies(text: str) -> list[dict[str, Any]]:
    try:
        policies = json.loads(text)
    except ValueError:
        raise AWSError("InvalidPolicyTypeException", "The policy is not valid JSON.") from None
    if not isinstance(policies, list):
        policies = [policies]
    if len(policies) > 10:
        raise AWSError("PoliciesLimitExceededException", "A parameter can have at most 10 policies.")
    for policy in policies:
        if not isinstance(policy, dict) or policy.get("Type") not in (
                "Expiration", "ExpirationNotification", "NoChangeNotification"):
            raise AWSError("InvalidPolicyTypeException", f"The policy type is not supported: {policy!r}")
        attributes = policy.get("Attributes") or {}
        if policy["Type"] == "Expiration":
            try:
                datetime.fromisoformat(str(attributes.get("Timestamp")).replace("Z", "+00:00"))
            except ValueError:
                raise AWSError("InvalidPolicyAttributeException",
                               "An Expiration policy needs a Timestamp in ISO 8601 format.") from None
    return policies


def _policy_out(policy: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyText": json.dumps(policy), "PolicyType": policy["Type"], "PolicyStatus": "Pending"}


def _expired(version: ParameterVersion, now: float) -> bool:
    for policy in version.policies:
        if policy.get("Type") == "Expiration":
            when = datetime.fromisoformat(str(policy["Attributes"]["Timestamp"]).replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            if now >= when.timestamp():
                return True
    return False


def _parameter_filter(parameter: Parameter, spec: dict[str, Any]) -> bool:
    key, option, values = spec["Key"], spec.get("Option") or "Equals", spec.get("Values") or []
    v = parameter.latest
    if key.startswith("tag:"):
        tag = parameter.tags.get(key[4:])
        return tag is not None and (not values or tag in values)
    if key == "Label":
        return any(label in values for version in parameter.versions for label in version.labels)
    if key in ("Name", "Path"):
        name = parameter.name
        if key == "Path":
            prefix = values[0].rstrip("/") + "/" if values else "/"
            rest = name[len(prefix):] if name.startswith(prefix) else None
            return rest is not None and (option == "Recursive" or "/" not in rest)
        if option == "BeginsWith":
            return any(name.startswith(x) or name.lstrip("/").startswith(x.lstrip("/")) for x in values)
        if option == "Contains":
            return any(x in name for x in values)
        return any(name == x or name.lstrip("/") == x.lstrip("/") for x in values)
    actual = {"Type": v.type, "KeyId": v.key_id or "", "Tier": v.tier, "DataType": v.data_type}.get(key)
    if actual is None:
        raise AWSError("InvalidFilterKey", f"The following filter key is not valid: {key}.")
    if option == "BeginsWith":
        return any(actual.startswith(x) for x in values)
    return actual in values
