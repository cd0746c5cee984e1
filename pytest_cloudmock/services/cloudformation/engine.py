"""Running stack operations: create, update and delete resources in dependency order, roll back.

One `Run` is one stack operation on the gateway's dispatcher. It evaluates each
resource's properties when the resources it refers to exist, hands them to the type's
provider, and writes the stack events CloudFormation writes ("User Initiated",
"Resource creation Initiated", ...). The store lock is held only to change state,
never while a provider calls a service.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from ...api import AWSError, RequestContext
from .errors import ResourceFailure
from .graph import creation_order, dependencies
from .imports import importing_stacks
from .intrinsics import UNKNOWN
from .providers.base import Created, ProviderContext
from .scope import evaluator, resolve_dynamic
from .stack_policy import denial
from .stack_tags import with_stack_tags
from .state import Stack, StackEvent, StackResource
from .waits import cancel_requested, clear_cancel, limit_passed, time_limit

if TYPE_CHECKING:
    from .service import CloudFormationService

STACK_TYPE = "AWS::CloudFormation::Stack"


class Run:
    """One stack operation (create, update, delete, rollback) for one stack."""

    def __init__(self, service: CloudFormationService, stack: Stack, caller: RequestContext | None) -> None:
        self.service = service
        self.stack = stack
        self.caller = caller
        self.registry = service.registry_of(caller)
        self.policy: str | None = None  # the stack policy an update runs under
        self.journal: list[tuple[str, StackResource | None]] = []  # (logical id, the record before)
        self.replaced: list[StackResource] = []  # old resources replaced, deleted in cleanup
        self.state = service.store.get(stack.account_id, stack.region)

    # -- events and status -------------------------------------------------------------
    def now(self) -> Any:
        return self.registry.clock.utcnow() if self.registry is not None else None

    def stack_status(self, status: str, reason: str = "") -> None:
        with self.service.store.lock:
            stack = self.stack
            stack.status, stack.reason = status, reason
            event = self._event(stack.name, stack.stack_id, STACK_TYPE, status, reason)
        self._notify(event)

    def resource_status(self, resource: StackResource, status: str, reason: str = "",
                        physical_id: str | None = None) -> None:
        with self.service.store.lock:
            resource.status, resource.reason = status, reason
            resource.timestamp = self.now()
            props = json.dumps(resource.properties, default=str) if resource.properties else ""
            event = self._event(resource.logical_id, resource.physical_id if physical_id is None else physical_id,
                                resource.type, status, reason, props)
        self._notify(event)

    def _event(self, logical_id: str, physical_id: str, type_name: str, status: str, reason: str,
               properties: str = "") -> StackEvent:
        event = StackEvent(str(uuid.uuid4()), self.now(), logical_id, physical_id, type_name, status, reason,
                           properties)
        self.stack.events.append(event)
        return event

    def _notify(self, event: StackEvent) -> None:
        """Publish a stack event to the stack's `NotificationARNs`, in CloudFormation's message format."""
        stack = self.stack
        if not stack.notification_arns:
            return
        fields = {"StackId": stack.stack_id, "Timestamp": event.timestamp.isoformat(timespec="milliseconds")
                  .replace("+00:00", "Z"), "EventId": event.event_id, "LogicalResourceId": event.logical_id,
                  "Namespace": stack.account_id, "PhysicalResourceId": event.physical_id,
                  "PrincipalId": self.caller.access_key_id if self.caller is not None else "",
                  "ResourceProperties": event.properties or "null", "ResourceStatus": event.status,
                  "ResourceStatusReason": event.reason, "ResourceType": event.type, "StackName": stack.name,
                  "ClientRequestToken": "null"}
        message = "".join(f"{key}='{value}'\n" for key, value in fields.items())
        for topic in stack.notification_arns:
            with contextlib.suppress(AWSError):  # as on AWS, a topic that is gone does not stop the stack
                self.call("sns", "Publish", {"TopicArn": topic, "Message": message,
                                             "Subject": "AWS CloudFormation Notification"})

    # -- evaluation ----------------------------------------------------------------------
    def evaluate(self, template: dict[str, Any], parameters: dict[str, Any]) -> Any:
        return evaluator(self.stack, self.state, template, parameters)

    def properties_of(self, ev: Any, definition: dict[str, Any]) -> dict[str, Any]:
        props = ev.resolve(definition.get("Properties") or {})
        if not isinstance(props, dict):
            raise ResourceFailure("Properties must be an object")  # AWS's exact text unknown
        return resolve_dynamic(props, self.dynamic_value)

    def dynamic_value(self, kind: str, reference: str) -> str:
        """The value of a `{{resolve:...}}` reference, read from our SSM or Secrets Manager."""
        try:
            if kind in ("ssm", "ssm-secure"):
                name, _, version = reference.partition(":") if not reference.startswith("arn:") else (reference, "", "")
                found = self.call("ssm", "GetParameter", {"Name": f"{name}:{version}" if version else name,
                                                          "WithDecryption": kind == "ssm-secure"})
                return str(found["Parameter"]["Value"])
            parts = reference.split(":")
            if reference.startswith("arn:"):
                secret_id, rest = ":".join(parts[:7]), parts[7:]
            else:
                secret_id, rest = parts[0], parts[1:]
            rest += [""] * (4 - len(rest))
            _, json_key, stage, version_id = rest[:4]
            params: dict[str, Any] = {"SecretId": secret_id}
            if stage:
                params["VersionStage"] = stage
            if version_id:
                params["VersionId"] = version_id
            secret = str(self.call("secretsmanager", "GetSecretValue", params).get("SecretString", ""))
            if json_key:
                return str(json.loads(secret)[json_key])
            return secret
        except AWSError as exc:
            raise ResourceFailure(exc.message) from None
        except (KeyError, ValueError):
            raise ResourceFailure(f"Could not resolve dynamic reference {{{{resolve:{kind}:{reference}}}}}") from None

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.registry.call(service, operation, params, account_id=self.stack.account_id,
                                  region=self.stack.region, caller=self.caller)

    def provider_context(self, logical_id: str) -> ProviderContext:
        return ProviderContext(self.registry, self.stack.account_id, self.stack.region, self.stack.name,
                               self.stack.stack_id, logical_id, self.caller, list(self.stack.tags))

    # -- create and update ---------------------------------------------------------------
    def deploy(self, template: dict[str, Any], parameters: dict[str, Any], creating: bool) -> list[str]:
        """Bring the stack's resources to `template`; returns what failed (empty on success).

        Resources left out of the template, and old resources that were replaced, are
        deleted afterwards by `cleanup`; `self.journal` records what changed, for rollback.
        """
        self.journal = []
        ev = self.evaluate(template, parameters)
        conditions = ev.all_conditions()
        resources = template.get("Resources") or {}
        wanted = {k: v for k, v in resources.items() if conditions.get(v.get("Condition", ""), True)
                  or "Condition" not in v}
        order = creation_order(dependencies(wanted))
        for logical_id in order:
            if cancel_requested():
                raise ResourceFailure(f"Stack {'creation' if creating else 'update'} cancelled")  # AWS's wording
                # for a cancel between resources is not documented
            if self.registry is not None and limit_passed(self.registry.clock):
                # the stack's TimeoutInMinutes passed; AWS's wording is not documented
                raise ResourceFailure(f"Stack creation time exceeded the specified timeout of {self.stack.timeout} "
                                      "minute(s)")
            definition = wanted[logical_id]
            failure = self._apply(ev, logical_id, definition, creating)
            if failure:
                return [logical_id]
        self.write_outputs(ev, template)
        return []

    def _apply(self, ev: Any, logical_id: str, definition: dict[str, Any], creating: bool) -> str:
        """Create or update one resource; the failure reason, or "" when it worked."""
        type_name = str(definition["Type"])
        old = self.stack.resources.get(logical_id)
        try:
            props = self.properties_of(ev, definition)
        except ResourceFailure as exc:
            return self._fail_new(logical_id, type_name, definition, exc.reason, old)
        except AWSError as exc:
            return self._fail_new(logical_id, type_name, definition, exc.message, old)
        provider = self.service.provider(type_name)
        if old is None or not old.physical_id:
            return self._create(logical_id, type_name, definition, props, provider)
        tags_before, tags_after = self._tag_views(type_name, old.properties, props, creating)
        if old.type == type_name and old.properties == props and old.definition.get("DeletionPolicy") == \
                definition.get("DeletionPolicy") and old.definition.get("Metadata") == definition.get("Metadata") \
                and (provider is None or tags_before == tags_after):
            with self.service.store.lock:  # DependsOn or UpdateReplacePolicy may have changed: no update
                old.definition = definition
            return ""
        if provider is None:
            return self._fail_new(logical_id, type_name, definition, unsupported(type_name), old)
        replace = old.type != type_name or needs_replacement(provider, old.properties, props)
        denied = denial(self.policy, "Update:Replace" if replace else "Update:Modify", logical_id, type_name)
        if denied:
            self.journal.append((logical_id, _copy(old)))
            self.resource_status(old, "UPDATE_FAILED", denied)
            return denied
        before = _copy(old)
        self.journal.append((logical_id, before))
        if replace:
            resource = StackResource(logical_id, type_name, "UPDATE_IN_PROGRESS", self.now(), properties=props,
                                     metadata=definition.get("Metadata"), definition=definition)
            with self.service.store.lock:
                self.stack.resources[logical_id] = resource
            self.resource_status(resource, "UPDATE_IN_PROGRESS", physical_id=old.physical_id)
            self.resource_status(resource, "UPDATE_IN_PROGRESS",
                                 "Requested update requires the creation of a new physical resource; hence "
                                 "creating one.", physical_id=old.physical_id)
            try:
                created = provider.create(self.provider_context(logical_id), props)
            except (AWSError, ResourceFailure) as exc:
                reason = _reason(exc, resource.type)
                self.resource_status(resource, "UPDATE_FAILED", reason, physical_id="")
                return reason
            self._record(resource, created)
            self.resource_status(resource, "UPDATE_COMPLETE")
            self.replaced.append(before)
            return ""
        resource = old
        with self.service.store.lock:
            resource.definition, resource.metadata = definition, definition.get("Metadata")
        self.resource_status(resource, "UPDATE_IN_PROGRESS")
        try:
            created = provider.update(self.provider_context(logical_id), old.physical_id, tags_before, tags_after)
        except (AWSError, ResourceFailure) as exc:
            reason = _reason(exc, resource.type)
            self.resource_status(resource, "UPDATE_FAILED", reason)
            return reason
        resource.properties = props
        self._record(resource, created)
        self.resource_status(resource, "UPDATE_COMPLETE")
        return ""

    def _tag_views(self, type_name: str, old: dict[str, Any], new: dict[str, Any],
                   creating: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """The old and new properties as an in-place update sees them: with the stack's tags
        (before and after this update) merged into `Tags`, so a change of the stack's tags alone
        reaches its resources that take tags, as CloudFormation's does."""
        previous = self.stack.tags if creating or not self.stack.previous else self.stack.previous["tags"]
        return with_stack_tags(type_name, old, previous), with_stack_tags(type_name, new, self.stack.tags)

    def _create(self, logical_id: str, type_name: str, definition: dict[str, Any], props: dict[str, Any],
                provider: Any) -> str:
        resource = StackResource(logical_id, type_name, "CREATE_IN_PROGRESS", self.now(), properties=props,
                                 metadata=definition.get("Metadata"), definition=definition)
        with self.service.store.lock:
            self.stack.resources[logical_id] = resource
        self.journal.append((logical_id, None))
        self.resource_status(resource, "CREATE_IN_PROGRESS")
        if provider is None:
            self.resource_status(resource, "CREATE_FAILED", unsupported(type_name))
            return unsupported(type_name)
        self.resource_status(resource, "CREATE_IN_PROGRESS", "Resource creation Initiated")
        try:
            created = provider.create(self.provider_context(logical_id), props)
        except (AWSError, ResourceFailure) as exc:
            reason = _reason(exc, resource.type)
            if isinstance(exc, ResourceFailure) and exc.physical_id:
                with self.service.store.lock:
                    resource.physical_id = exc.physical_id
            self.resource_status(resource, "CREATE_FAILED", reason)
            return reason
        self._record(resource, created)
        failure = self._await_signals(resource, definition)
        if failure:
            self.resource_status(resource, "CREATE_FAILED", failure)
            return failure
        self.resource_status(resource, "CREATE_COMPLETE")
        return ""

    def _await_signals(self, resource: StackResource, definition: dict[str, Any]) -> str:
        """A `CreationPolicy` `ResourceSignal`: wait for `Count` SignalResource calls, `Timeout` on the clock."""
        policy = (definition.get("CreationPolicy") or {}).get("ResourceSignal")
        if not isinstance(policy, dict):
            return ""
        count = int(policy.get("Count", 1))
        answers = self.service.wait_for_answers(signal_token(self.stack.stack_id, resource.logical_id), count,
                                                iso_seconds(str(policy.get("Timeout", "PT5M"))))
        for answer in answers:
            status = answer.get("Status")
            self.resource_status(resource, "CREATE_IN_PROGRESS",
                                 f"Received {status} signal with UniqueId {answer.get('UniqueId')}")
            if status != "SUCCESS":
                return f"Received {status} signal with UniqueId {answer.get('UniqueId')}"
        if len(answers) < count:
            return f"Failed to receive {count} resource signal(s) within the specified duration"
        return ""

    def _fail_new(self, logical_id: str, type_name: str, definition: dict[str, Any], reason: str,
                  old: StackResource | None) -> str:
        """A resource whose properties could not be evaluated fails before its provider is called."""
        if old is not None and old.physical_id:
            self.journal.append((logical_id, _copy(old)))
            self.resource_status(old, "UPDATE_FAILED", reason)
            return reason
        resource = StackResource(logical_id, type_name, "CREATE_FAILED", self.now(), definition=definition)
        with self.service.store.lock:
            self.stack.resources[logical_id] = resource
        self.journal.append((logical_id, None))
        self.resource_status(resource, "CREATE_FAILED", reason)
        return reason

    def _record(self, resource: StackResource, created: Created) -> None:
        with self.service.store.lock:
            resource.physical_id = created.physical_id
            resource.attributes = dict(created.attributes)

    def write_outputs(self, ev: Any, template: dict[str, Any]) -> None:
        outputs, exports = [], {}
        for key, output in (template.get("Outputs") or {}).items():
            if "Condition" in output and not ev.condition(output["Condition"]):
                continue
            value = ev.resolve(output.get("Value"))
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            item: dict[str, Any] = {"OutputKey": key, "OutputValue": _text(value)}
            if output.get("Description") is not None:
                item["Description"] = str(output["Description"])
            if "Export" in output:
                name = _text(ev.resolve((output["Export"] or {}).get("Name")))
                owner = self.state.exports.get(name)
                if owner is not None and owner[0] != self.stack.stack_id:
                    owner_name = self.state.stacks[owner[0]].name if owner[0] in self.state.stacks else owner[0]
                    raise ResourceFailure(f"Export with name {name} is already exported by stack {owner_name}")
                item["ExportName"] = name
                exports[name] = item["OutputValue"]
            outputs.append(item)
        for name in self.stack.exports:
            users = importing_stacks(self.state, name, self.stack.stack_id)
            if users and name not in exports:
                raise ResourceFailure(f"Cannot delete export {name} as it is in use by {users[0]}")
            if users and exports[name] != self.state.exports.get(name, ("", None))[1]:
                raise ResourceFailure(f"Cannot update export {name} as it is in use by {users[0]}")
        with self.service.store.lock:
            for name in self.stack.exports:
                if name not in exports:
                    self.state.exports.pop(name, None)
            for name, value in exports.items():
                self.state.exports[name] = (self.stack.stack_id, value)
            self.stack.exports = list(exports)
            self.stack.outputs = outputs

    # -- delete ---------------------------------------------------------------------------
    def delete_resources(self, names: list[str], *, keep_retained: bool = True) -> list[str]:
        """Delete resources in reverse dependency order; the names that failed."""
        failed = []
        graph = dependencies({n: self.stack.resources[n].definition for n in names if n in self.stack.resources},
                             strict=False)
        try:
            order = creation_order(graph)
        except AWSError:  # a cycle among what is left: delete in the order made
            order = list(graph)
        kept: set[str] = set()  # failed to delete, and what they still depend on
        for logical_id in reversed(order):
            if any(logical_id in graph[k] for k in kept):
                kept.add(logical_id)  # a dependent is still there: CloudFormation leaves it alone
                continue
            resource = self.stack.resources[logical_id]
            if not self.delete_one(resource, keep_retained=keep_retained):
                failed.append(logical_id)
                kept.add(logical_id)
        return failed

    def delete_one(self, resource: StackResource, *, keep_retained: bool = True,
                   physical_id: str | None = None) -> bool:
        physical = resource.physical_id if physical_id is None else physical_id
        if resource.status == "DELETE_COMPLETE" or (not physical and resource.status.endswith("FAILED")):
            if resource.status != "DELETE_COMPLETE":
                self.resource_status(resource, "DELETE_COMPLETE")
            return True
        policy = resource.definition.get("DeletionPolicy") if physical_id is None else \
            resource.definition.get("UpdateReplacePolicy")
        retained = policy in ("Retain", "Snapshot") or (
            policy == "RetainExceptOnCreate" and not self.stack.status.startswith("ROLLBACK"))
        if keep_retained and retained and physical:
            self.resource_status(resource, "DELETE_SKIPPED", physical_id=physical)
            return True
        self.resource_status(resource, "DELETE_IN_PROGRESS", physical_id=physical)
        provider = self.service.provider(resource.type)
        if provider is not None and physical:
            try:
                provider.delete(self.provider_context(resource.logical_id), physical, resource.properties)
            except (AWSError, ResourceFailure) as exc:
                self.resource_status(resource, "DELETE_FAILED", _reason(exc, resource.type), physical_id=physical)
                return False
        self.resource_status(resource, "DELETE_COMPLETE", physical_id=physical)
        return True

    # -- whole operations -----------------------------------------------------------------
    def create(self, on_failure: str) -> None:
        stack = self.stack
        self.stack_status("CREATE_IN_PROGRESS", "User Initiated")
        limit = self.registry.clock.now() + int(stack.timeout) * 60 if stack.timeout else None
        with time_limit(limit):
            failed = self._guarded(lambda: self.deploy(stack.processed, stack.parameters, creating=True))
        if not failed:
            self.stack_status("CREATE_COMPLETE")
            return
        reason = self._failure_reason(failed, "create")
        self._cancel_in_progress("Resource creation cancelled")
        clear_cancel()
        if on_failure == "DO_NOTHING":
            self.stack_status("CREATE_FAILED", reason)
            return
        self.stack_status("ROLLBACK_IN_PROGRESS", f"{reason} Rollback requested by user.")
        left = self.delete_resources(list(stack.resources), keep_retained=False)
        self._drop_exports()
        if left:
            self.stack_status("ROLLBACK_FAILED", self._failure_reason(left, "delete"))
            return
        self.stack_status("ROLLBACK_COMPLETE")
        if on_failure == "DELETE":
            self.delete()

    def update(self, new: dict[str, Any], disable_rollback: bool) -> None:
        """Move from the stack's current template to `new` (template, parameters, ...)."""
        stack = self.stack
        previous = {"processed": stack.processed, "template": stack.template, "body": stack.body,
                    "parameters": stack.parameters, "outputs": stack.outputs, "exports": list(stack.exports),
                    "tags": stack.tags}
        with self.service.store.lock:
            stack.processed, stack.template, stack.body = new["processed"], new["template"], new["body"]
            stack.parameters = new["parameters"]
            stack.tags, stack.capabilities = new["tags"], new["capabilities"]
            stack.notification_arns, stack.description = new["notification_arns"], new["description"]
            stack.updated = self.now()
            stack.previous = previous
        self.stack_status("UPDATE_IN_PROGRESS", "User Initiated")
        self.policy = new.get("policy")
        failed = self._guarded(lambda: self._check_removals() or self.deploy(stack.processed, stack.parameters,
                                                                              creating=False))
        if not failed:
            self.stack_status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
            removed = [n for n in stack.resources if not self._kept(n)]
            self._cleanup(removed)
            self.stack_status("UPDATE_COMPLETE")
            return
        reason = self._failure_reason(failed, "update")
        self._cancel_in_progress("Resource update cancelled")
        clear_cancel()
        if disable_rollback:
            self.stack_status("UPDATE_FAILED", reason)
            return
        self.stack_status("UPDATE_ROLLBACK_IN_PROGRESS", reason)
        self.roll_back_update(previous)

    def _check_removals(self) -> list[str]:
        """A stack policy that protects a resource the update removes fails the update first."""
        for name, resource in self.stack.resources.items():
            if resource.physical_id and not self._kept(name):
                denied = denial(self.policy, "Update:Delete", name, resource.type)
                if denied:
                    raise ResourceFailure(denied)
        return []

    def roll_back_update(self, previous: dict[str, Any]) -> None:
        stack = self.stack
        with self.service.store.lock:
            stack.processed, stack.template, stack.body = previous["processed"], previous["template"], previous["body"]
            stack.parameters, stack.tags = previous["parameters"], previous["tags"]
        created_now: list[str] = []
        for logical_id, before in reversed(self.journal):
            current = stack.resources.get(logical_id)
            if before is None:
                created_now.append(logical_id)
                continue
            if current is None:
                continue
            provider = self.service.provider(before.type)
            if current.physical_id != before.physical_id:  # replaced: the new one goes in cleanup
                self.replaced.append(_copy(current))
                with self.service.store.lock:
                    stack.resources[logical_id] = before
                self.resource_status(before, "UPDATE_COMPLETE")
                continue
            self.resource_status(current, "UPDATE_IN_PROGRESS")
            try:
                if provider is not None and current.properties != before.properties:
                    provider.update(self.provider_context(logical_id), current.physical_id, current.properties,
                                    before.properties)
            except (AWSError, ResourceFailure) as exc:
                reason = _reason(exc, current.type)
                self.resource_status(current, "UPDATE_FAILED", reason)
                self.stack_status("UPDATE_ROLLBACK_FAILED", reason)
                return
            with self.service.store.lock:
                stack.resources[logical_id] = before
            self.resource_status(before, "UPDATE_COMPLETE")
        with self.service.store.lock:
            stack.outputs = previous["outputs"]
            for name in stack.exports:
                self.state.exports.pop(name, None)
            for output in stack.outputs:
                if "ExportName" in output:
                    self.state.exports[output["ExportName"]] = (stack.stack_id, output["OutputValue"])
            stack.exports = list(previous["exports"])
        self.stack_status("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        self.delete_resources(created_now, keep_retained=False)
        for name in created_now:
            stack.resources.pop(name, None)
        self._cleanup([])
        self.stack_status("UPDATE_ROLLBACK_COMPLETE")

    def continue_rollback(self, skip: list[str]) -> None:
        """ContinueUpdateRollback: bring the stack back to its previous template again; the resources
        in `skip` are taken as rolled back as they are."""
        stack = self.stack
        self.stack_status("UPDATE_ROLLBACK_IN_PROGRESS", "User Initiated")
        ev = self.evaluate(stack.processed, stack.parameters)
        for name in skip:
            resource = stack.resources[name]
            definition = (stack.processed.get("Resources") or {}).get(name)
            with self.service.store.lock:
                if definition is not None:
                    resource.properties, resource.definition = self.properties_of(ev, definition), definition
            self.resource_status(resource, "UPDATE_COMPLETE")
        failed = self._guarded(lambda: self.deploy(stack.processed, stack.parameters, creating=False))
        if failed:
            self.stack_status("UPDATE_ROLLBACK_FAILED", self._failure_reason(failed, "update"))
            return
        self.stack_status("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        self._cleanup([n for n in stack.resources if not self._kept(n)])
        self.stack_status("UPDATE_ROLLBACK_COMPLETE")

    def delete(self, retain: list[str] | None = None) -> None:
        stack = self.stack
        self.stack_status("DELETE_IN_PROGRESS", "User Initiated")
        users = self.service.importers(self.state, stack)
        if users:
            name, importer = users[0]
            self.stack_status("DELETE_FAILED", f"Export {name} cannot be deleted as it is in use by {importer}")
            return
        retained = set(retain or [])
        for name in retained & set(stack.resources):
            self.resource_status(stack.resources[name], "DELETE_SKIPPED")
        failed = self.delete_resources([n for n in stack.resources if n not in retained])
        if failed:
            self.stack_status("DELETE_FAILED", self._failure_reason(failed, "delete"))
            return
        self._drop_exports()
        with self.service.store.lock:
            stack.deleted = self.now()
        self.stack_status("DELETE_COMPLETE")

    def import_resources(self, prepared: Any, imports: dict[str, str]) -> None:
        """Adopt existing resources (logical id -> physical id) with the change set's template (IMPORT).

        Nothing is created or changed: each resource is read back to check it is still there,
        and its attributes are described. A failure takes the imported resources out of the
        stack again, leaving them as they are (IMPORT_ROLLBACK_*).
        """
        stack = self.stack
        previous = {"processed": stack.processed, "template": stack.template, "body": stack.body,
                    "parameters": stack.parameters}
        with self.service.store.lock:
            stack.processed, stack.template, stack.body = prepared.processed, prepared.template, prepared.body
            stack.parameters, stack.description = prepared.parameters, prepared.processed.get("Description")
            stack.updated = self.now() if stack.resources else None
        self.stack_status("IMPORT_IN_PROGRESS", "User Initiated")
        failed = self._guarded(lambda: self._import_each(imports))
        if not failed:
            self.stack_status("IMPORT_COMPLETE")
            return
        reason = self._failure_reason(failed, "import")
        self.stack_status("IMPORT_ROLLBACK_IN_PROGRESS", reason)
        for logical_id in reversed(list(imports)):
            resource = stack.resources.get(logical_id)
            if resource is not None and resource.status.startswith("IMPORT"):
                self.resource_status(resource, "IMPORT_ROLLBACK_COMPLETE")
                with self.service.store.lock:
                    stack.resources.pop(logical_id, None)
        with self.service.store.lock:
            stack.processed, stack.template, stack.body = previous["processed"], previous["template"], previous["body"]
            stack.parameters = previous["parameters"]
        self.stack_status("IMPORT_ROLLBACK_COMPLETE")

    def _import_each(self, imports: dict[str, str]) -> list[str]:
        ev = self.evaluate(self.stack.processed, self.stack.parameters)
        resources = self.stack.processed.get("Resources") or {}
        for logical_id in creation_order(dependencies({k: resources[k] for k in imports}, strict=False)):
            definition, physical = resources[logical_id], imports[logical_id]
            resource = StackResource(logical_id, str(definition["Type"]), "IMPORT_IN_PROGRESS", self.now(), physical,
                                     metadata=definition.get("Metadata"), definition=definition)
            with self.service.store.lock:
                self.stack.resources[logical_id] = resource
            self.resource_status(resource, "IMPORT_IN_PROGRESS")
            provider = self.service.provider(resource.type)
            try:
                resource.properties = self.properties_of(ev, definition)
                where = self.provider_context(logical_id)
                if provider.read(where, physical) is None:
                    raise ResourceFailure(f"Resource {physical} of type {resource.type} was not found")  # approx.
                created = provider.describe(where, physical, resource.properties) \
                    if hasattr(provider, "describe") else Created(physical)
            except (AWSError, ResourceFailure) as exc:
                self.resource_status(resource, "IMPORT_FAILED", _reason(exc, resource.type))
                return [logical_id]
            self._record(resource, created)
            self.resource_status(resource, "IMPORT_COMPLETE")
        self.write_outputs(ev, self.stack.processed)
        return []

    # -- helpers ----------------------------------------------------------------------
    def _guarded(self, work: Any) -> list[str]:
        """Run a deploy; a template error or failed output becomes a stack-level failure."""
        try:
            return work()
        except ResourceFailure as exc:
            self._stack_failure = exc.reason
            return ["<stack>"]
        except AWSError as exc:
            self._stack_failure = exc.message
            return ["<stack>"]

    def _failure_reason(self, failed: list[str], verb: str) -> str:
        if failed == ["<stack>"]:
            return self._stack_failure
        return f"The following resource(s) failed to {verb}: [{', '.join(failed)}]."

    def _cancel_in_progress(self, reason: str) -> None:
        for resource in list(self.stack.resources.values()):
            if resource.status.endswith("_IN_PROGRESS"):
                self.resource_status(resource, resource.status.replace("_IN_PROGRESS", "_FAILED"), reason)

    def _kept(self, logical_id: str) -> bool:
        """Whether a resource is still in the (condition-filtered) template."""
        resources = self.stack.processed.get("Resources") or {}
        if logical_id not in resources:
            return False
        condition = resources[logical_id].get("Condition")
        if condition is None:
            return True
        return self.evaluate(self.stack.processed, self.stack.parameters).condition(condition)

    def _cleanup(self, removed: list[str]) -> None:
        for old in self.replaced:
            self.delete_one(old, physical_id=old.physical_id)
        self.replaced = []
        self.delete_resources(removed)
        with self.service.store.lock:
            for name in removed:
                self.stack.resources.pop(name, None)

    def _drop_exports(self) -> None:
        with self.service.store.lock:
            for name in self.stack.exports:
                if self.state.exports.get(name, ("",))[0] == self.stack.stack_id:
                    del self.state.exports[name]
            self.stack.exports = []


def signal_token(stack_id: str, logical_id: str) -> str:
    """Where `SignalResource` leaves a resource's signals for the engine."""
    return f"signal:{stack_id}:{logical_id}"


def iso_seconds(duration: str) -> float:
    """Seconds of an ISO 8601 duration as CreationPolicy writes it (`PT1H30M`, `PT15M`, `PT30S`)."""
    import re

    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", duration)
    if match is None:
        return 300.0
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600.0 + minutes * 60.0 + seconds


def unsupported(type_name: str) -> str:
    """The event text for a type cloudmock cannot create (AWS: an unknown type is refused earlier)."""
    # AWS's exact event text for a type with no handler in the region is not documented; this
    # follows the "Unrecognized resource types" wording it gives at validation.
    return f"Unrecognized resource types: [{type_name}]"


def needs_replacement(provider: Any, old: dict[str, Any], new: dict[str, Any]) -> bool:
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    replacing = getattr(provider, "replacing", None)
    if changed and replacing is not None:  # a provider whose replacement turns on a nested property
        return bool(replacing(old, new))
    replaces = getattr(provider, "replaces", frozenset())
    return bool(changed) and ("*" in replaces or bool(changed & set(replaces)))


def _reason(exc: Exception, type_name: str) -> str:
    """A failed resource's event text: the engine's own reason, or a provider's service error in
    CloudFormation's "Resource handler returned message" form."""
    if isinstance(exc, ResourceFailure):
        return exc.reason
    if not isinstance(exc, AWSError):
        return str(exc)
    service = type_name.split("::")[1] if type_name.count("::") >= 2 else type_name
    token = uuid.uuid4()
    return (f'Resource handler returned message: "{exc.message or exc.code} (Service: {service}, Status Code: '
            f'{exc.status}, Request ID: {uuid.uuid4()})" (RequestToken: {token}, HandlerErrorCode: '
            f'{handler_error_code(exc)})')


def handler_error_code(exc: AWSError) -> str:
    """The CloudFormation handler error code for a service's error (AWS's documented set)."""
    code = exc.code
    if any(word in code for word in ("NotFound", "NoSuch", "DoesNotExist", "NonExistent")):
        return "NotFound"
    if "AlreadyExists" in code or "AlreadyOwned" in code or code in ("ResourceInUseException", "ResourceConflictException"):
        return "AlreadyExists"
    if "AccessDenied" in code or "Unauthorized" in code:
        return "AccessDenied"
    if "Throttl" in code or code == "TooManyRequestsException":
        return "Throttling"
    if "LimitExceeded" in code or "QuotaExceeded" in code:
        return "ServiceLimitExceeded"
    if exc.status >= 500:
        return "ServiceInternalError"
    return "InvalidRequest"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is UNKNOWN:
        return ""
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def _copy(resource: StackResource) -> StackResource:
    return StackResource(resource.logical_id, resource.type, resource.status, resource.timestamp,
                         resource.physical_id, resource.reason, dict(resource.properties),
                         dict(resource.attributes), resource.metadata, dict(resource.definition))


