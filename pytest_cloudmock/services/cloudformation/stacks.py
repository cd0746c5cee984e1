"""Stack operations: create, update, delete, describe, list, events, resources, policies."""

from __future__ import annotations

import json
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CloudFormationBase
from .drift import drift_information
from .engine import Run, signal_token
from .imports import importing_stacks
from .parameters import MASK
from .preparation import Prepared, prepare
from .state import Stack
from .template import read_body

_UPDATABLE = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE",
              "IMPORT_ROLLBACK_COMPLETE"}


class StackOperations(CloudFormationBase):
    """CreateStack, UpdateStack, DeleteStack and what describes stacks."""

    # -- create ----------------------------------------------------------------------------
    def create_stack(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        name = params["StackName"]
        errors.check_stack_name(name)
        state = self.state(ctx)
        if state.live(name) is not None:
            raise errors.stack_exists(name)
        if params.get("DisableRollback") and params.get("OnFailure"):
            raise errors.validation("You cannot specify both OnFailure and DisableRollback.")  # wording approximate
        body = read_body(ctx, params)
        prepared = prepare(ctx, body, params.get("Parameters") or [], capabilities=params.get("Capabilities"),
                           check_capabilities=True)
        stack = self.new_stack(ctx, name, prepared, params)
        on_failure = params.get("OnFailure") or ("DO_NOTHING" if params.get("DisableRollback") else "ROLLBACK")
        self.run_later(ctx, lambda: Run(self, stack, ctx).create(on_failure), stack)
        return {"StackId": stack.stack_id}

    def new_stack(self, ctx: RequestContext, name: str, prepared: Prepared, params: dict[str, Any],
                  status: str = "CREATE_IN_PROGRESS", parent: Stack | None = None) -> Stack:
        """A stack in CREATE_IN_PROGRESS (or REVIEW_IN_PROGRESS for a change set), stored."""
        with self.store.lock:
            state = self.state(ctx)
            if state.live(name) is not None:
                raise errors.stack_exists(name)
            stack = Stack(self.new_stack_id(ctx, name), name, ctx.account_id, ctx.region, ctx.clock.utcnow(),
                          status=status)
            self.apply_settings(stack, prepared, params)
            stack.disable_rollback = bool(params.get("DisableRollback")) or params.get("OnFailure") == "DO_NOTHING"
            stack.termination_protection = bool(params.get("EnableTerminationProtection"))
            stack.timeout = params.get("TimeoutInMinutes")
            stack.policy = params.get("StackPolicyBody")
            stack.retain_except_on_create = bool(params.get("RetainExceptOnCreate"))
            if parent is not None:
                stack.parent_id, stack.root_id = parent.stack_id, parent.root_id or parent.stack_id
            state.stacks[stack.stack_id] = stack
        return stack

    @staticmethod
    def apply_settings(stack: Stack, prepared: Prepared, params: dict[str, Any]) -> None:
        stack.body, stack.template, stack.processed = prepared.body, prepared.template, prepared.processed
        stack.parameters = prepared.parameters
        stack.description = prepared.processed.get("Description")
        stack.tags = list(params.get("Tags") or [])
        stack.capabilities = list(params.get("Capabilities") or [])
        stack.notification_arns = list(params.get("NotificationARNs") or [])
        stack.role_arn = params.get("RoleARN")

    # -- update ----------------------------------------------------------------------------
    def update_stack(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        stack = self.stack(ctx)
        self.check_updatable(stack)
        if params.get("UsePreviousTemplate"):
            if params.get("TemplateBody") or params.get("TemplateURL"):
                raise errors.validation("You cannot specify both usePreviousTemplate and Template Body/Template URL")
            body = stack.body
        else:
            body = read_body(ctx, params, required=False)
            if body is None:
                raise errors.validation("Either Template URL or Template Body must be specified.")
        previous = {k: p.value for k, p in stack.parameters.items()}
        capabilities = params.get("Capabilities") or []
        prepared = prepare(ctx, body, params.get("Parameters") or [], previous, capabilities, check_capabilities=True)
        new = self.update_settings(stack, prepared, params)
        if self.unchanged(stack, new):
            raise errors.no_updates()
        new["policy"] = self.policy_during_update(ctx, stack)
        self.claim(stack, "UPDATE_IN_PROGRESS")
        self.run_later(ctx, lambda: Run(self, stack, ctx).update(new, bool(params.get("DisableRollback"))), stack)
        return {"StackId": stack.stack_id}

    def policy_during_update(self, ctx: RequestContext, stack: Stack) -> str | None:
        """The stack policy this update runs under: the request's temporary one, else the stack's."""
        params = ctx.params
        if params.get("StackPolicyDuringUpdateURL"):
            from .template import fetch_url, request_caller

            return fetch_url(request_caller(ctx), params["StackPolicyDuringUpdateURL"])
        return params.get("StackPolicyDuringUpdateBody") or stack.policy

    def claim(self, stack: Stack, status: str) -> None:
        """Move a stack to an IN_PROGRESS status now, so a second operation is refused until this one ran."""
        with self.store.lock:
            stack.status = status

    def check_updatable(self, stack: Stack) -> None:
        if stack.status not in _UPDATABLE:
            raise errors.validation(f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")

    @staticmethod
    def update_settings(stack: Stack, prepared: Prepared, params: dict[str, Any]) -> dict[str, Any]:
        tags = params.get("Tags")
        notification = params.get("NotificationARNs")
        capabilities = params.get("Capabilities")
        return {"processed": prepared.processed, "template": prepared.template, "body": prepared.body,
                "parameters": prepared.parameters,
                "tags": list(tags) if tags is not None else list(stack.tags),
                "capabilities": list(capabilities) if capabilities is not None else list(stack.capabilities),
                "notification_arns": list(notification) if notification is not None else list(stack.notification_arns),
                "description": prepared.processed.get("Description")}

    @staticmethod
    def unchanged(stack: Stack, new: dict[str, Any]) -> bool:
        return (new["processed"] == stack.processed and new["tags"] == stack.tags
                and {k: p.value for k, p in new["parameters"].items()} == {k: p.value for k, p in stack.parameters.items()}
                and new["notification_arns"] == stack.notification_arns)

    def cancel_update_stack(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        if stack.status != "UPDATE_IN_PROGRESS":
            raise errors.validation("CancelUpdateStack cannot be called from current stack status")
        self.cancel_operation(stack, "Resource update cancelled")  # it stops at its next resource or wait
        # and rolls back
        return {}

    def continue_update_rollback(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        if stack.status != "UPDATE_ROLLBACK_FAILED":
            raise errors.validation(f"Stack {stack.name} is in {stack.status} state and can not continue "
                                    "update rollback.")  # wording approximate
        skip = list(ctx.params.get("ResourcesToSkip") or [])
        wrong = [n for n in skip if n.split(".")[-1] not in stack.resources
                 or stack.resources[n.split(".")[-1]].status != "UPDATE_FAILED"]
        if wrong:
            raise errors.validation(f"Resources [{', '.join(wrong)}] cannot be skipped: only resources in "
                                    "UPDATE_FAILED state can be skipped")  # wording approximate
        self.claim(stack, "UPDATE_ROLLBACK_IN_PROGRESS")
        self.run_later(ctx, lambda: Run(self, stack, ctx).continue_rollback([n.split(".")[-1] for n in skip]),
                       stack)
        return {}

    def rollback_stack(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        if stack.status not in ("CREATE_FAILED", "UPDATE_FAILED"):
            raise errors.validation(f"Stack {stack.name} is in {stack.status} state and can not be rolled back.")
        if stack.status == "CREATE_FAILED":
            def work() -> None:
                run = Run(self, stack, ctx)
                run.stack_status("ROLLBACK_IN_PROGRESS", "Rollback requested by user.")
                run.delete_resources(list(stack.resources), keep_retained=False)
                run.stack_status("ROLLBACK_COMPLETE")
        else:
            previous = stack.previous or {}

            def work() -> None:
                run = Run(self, stack, ctx)
                run.stack_status("UPDATE_ROLLBACK_IN_PROGRESS", "Rollback requested by user.")
                if previous:
                    run.roll_back_update(previous)
                else:
                    run.stack_status("UPDATE_ROLLBACK_COMPLETE")
        self.run_later(ctx, work, stack)
        return {"StackId": stack.stack_id}

    # -- delete ----------------------------------------------------------------------------
    def delete_stack(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["StackName"]
        stack = self.state(ctx).live(name)
        if stack is None or not stack.active:
            return {}  # deleting a stack that does not exist succeeds, as on AWS
        if stack.termination_protection:
            raise errors.validation(f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled")
        if stack.status == "DELETE_IN_PROGRESS":
            return {}
        retain = ctx.params.get("RetainResources") or []
        if retain and stack.status != "DELETE_FAILED":
            raise errors.validation("Invalid operation on stack [" + stack.stack_id + "]: RetainResources can "
                                    "only be specified when the stack is in the DELETE_FAILED state")  # approx.
        if ctx.params.get("DeletionMode") == "FORCE_DELETE_STACK":
            if stack.status != "DELETE_FAILED":
                raise errors.validation("DeletionMode FORCE_DELETE_STACK can only be used on a stack in the "
                                        "DELETE_FAILED state")  # wording approximate
            retain = [n for n, r in stack.resources.items() if r.status == "DELETE_FAILED"]
        if stack.status == "REVIEW_IN_PROGRESS":
            with self.store.lock:
                stack.status, stack.deleted = "DELETE_COMPLETE", ctx.clock.utcnow()
            return {}
        if stack.status == "CREATE_IN_PROGRESS":  # the creation stops (and rolls back) before the delete
            self.cancel_operation(stack, "Resource creation cancelled")
        self.claim(stack, "DELETE_IN_PROGRESS")
        self.run_later(ctx, lambda: Run(self, stack, ctx).delete(retain), stack)
        return {}

    def update_termination_protection(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        if stack.parent_id:
            raise errors.validation("Termination protection can only be updated on the root stack.")  # approx.
        with self.store.lock:
            stack.termination_protection = bool(ctx.params["EnableTerminationProtection"])
        return {"StackId": stack.stack_id}

    # -- aliases ------------------------------------------------------------------------------
    def set_alias(self, ctx: RequestContext) -> dict[str, Any]:
        stack, alias = self.stack(ctx), ctx.params["AliasName"]
        errors.check_stack_name(alias, "aliasName")
        with self.store.lock:
            if self.state(ctx).live(alias) is not None:
                # AWS's exact wording for these two errors is not documented.
                raise AWSError("AlreadyExistsException", f"Stack or alias [{alias}] already exists", 400)
            if stack.alias:
                raise AWSError("LimitExceededException", f"Stack [{stack.name}] already has the alias "
                               f"[{stack.alias}]; remove it first", 400)
            stack.alias = alias
        return {}

    def remove_alias(self, ctx: RequestContext) -> dict[str, Any]:
        alias = ctx.params["AliasName"]
        with self.store.lock:
            stack = next((s for s in self.state(ctx).stacks.values() if s.active and s.alias == alias), None)
            if stack is None:
                raise errors.validation(f"Alias [{alias}] does not exist")  # wording approximate
            stack.alias = None
        return {}

    # -- describe ---------------------------------------------------------------------------
    def describe_stacks(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("StackName")
        with self.store.lock:
            if name:
                stacks = [self.stack(ctx, name)]
            else:
                stacks = [s for s in self.state(ctx).stacks.values() if s.active]
            described = [stack_description(s) for s in stacks]
        return self.page(ctx, described, "Stacks")

    def list_stacks(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = set(ctx.params.get("StackStatusFilter") or [])
        with self.store.lock:
            stacks = [s for s in self.state(ctx).stacks.values() if not wanted or s.status in wanted]
            summaries = [stack_summary(s) for s in reversed(stacks)]
        return self.page(ctx, summaries, "StackSummaries")

    def describe_stack_events(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        with self.store.lock:
            events = [event_out(stack, e) for e in reversed(stack.events)]
        return self.page(ctx, events, "StackEvents")

    def describe_events(self, ctx: RequestContext) -> dict[str, Any]:
        """Events of one stack or all, newest first (the newer DescribeEvents API)."""
        name = ctx.params.get("StackName")
        with self.store.lock:
            stacks = [self.stack(ctx, name)] if name else list(self.state(ctx).stacks.values())
            events = [_operation_event(stack, e) for stack in stacks for e in reversed(stack.events)]
        return self.page(ctx, events, "OperationEvents")

    def describe_stack_resource(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        logical_id = ctx.params["LogicalResourceId"]
        resource = stack.resources.get(logical_id)
        if resource is None:
            raise errors.validation(f"Resource {logical_id} does not exist for stack {stack.name}")
        detail = resource_out(stack, resource)
        detail["LastUpdatedTimestamp"] = detail.pop("Timestamp")
        if resource.metadata is not None:
            detail["Metadata"] = json.dumps(resource.metadata)
        return {"StackResourceDetail": detail}

    def describe_stack_resources(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        physical = params.get("PhysicalResourceId")
        if not params.get("StackName") and not physical:
            raise errors.validation("Either StackName or PhysicalResourceId must be specified.")  # approx.
        if physical and not params.get("StackName"):
            stack = next((s for s in self.state(ctx).stacks.values() if s.active and any(
                r.physical_id == physical for r in s.resources.values())), None)
            if stack is None:
                raise errors.validation(f"Stack for {physical} does not exist")
        else:
            stack = self.stack(ctx)
        logical = params.get("LogicalResourceId")
        resources = [resource_out(stack, r) for r in stack.resources.values()
                     if not logical or r.logical_id == logical]
        return {"StackResources": resources}

    def list_stack_resources(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        summaries = []
        for resource in stack.resources.values():
            item = resource_out(stack, resource)
            summaries.append({"LogicalResourceId": item["LogicalResourceId"],
                              "PhysicalResourceId": item.get("PhysicalResourceId", ""),
                              "ResourceType": item["ResourceType"], "LastUpdatedTimestamp": item["Timestamp"],
                              "ResourceStatus": item["ResourceStatus"],
                              **({"ResourceStatusReason": item["ResourceStatusReason"]}
                                 if "ResourceStatusReason" in item else {}),
                              "DriftInformation": drift_information(resource)})
        return self.page(ctx, summaries, "StackResourceSummaries")

    # -- templates and policies ---------------------------------------------------------------
    def get_template(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        if params.get("ChangeSetName"):
            change_set = self.change_set(ctx)  # type: ignore[attr-defined]
            body, processed = change_set.body, change_set.processed
            stages = ["Original", "Processed"]
        else:
            stack = self.stack(ctx)
            body, processed = stack.body, stack.processed
            stages = ["Original", "Processed"] if stack.processed is not stack.template else ["Original"]
        if params.get("TemplateStage") == "Processed":
            return {"TemplateBody": json.dumps(processed), "StagesAvailable": stages}
        return {"TemplateBody": body, "StagesAvailable": stages}

    def get_stack_policy(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        return {"StackPolicyBody": stack.policy} if stack.policy else {}

    def set_stack_policy(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        body = ctx.params.get("StackPolicyBody")
        if ctx.params.get("StackPolicyURL"):
            from .template import fetch_url, request_caller

            body = fetch_url(request_caller(ctx), ctx.params["StackPolicyURL"])
        if body is not None:
            try:
                json.loads(body)
            except ValueError:
                raise errors.validation("Error validating stack policy: Invalid stack policy") from None  # approx.
        with self.store.lock:
            stack.policy = body
        return {}

    def signal_resource(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        logical_id = ctx.params["LogicalResourceId"]
        resource = stack.resources.get(logical_id)
        if resource is None:
            raise errors.validation(f"Resource {logical_id} does not exist for stack {stack.name}")
        if not resource.status.endswith("_IN_PROGRESS"):
            raise errors.validation(f"Resource {logical_id} is in {resource.status} state and can not be "
                                    "signaled")  # wording approximate
        self.answer(signal_token(stack.stack_id, logical_id),
                    {"Status": ctx.params["Status"], "UniqueId": ctx.params["UniqueId"]})
        return {}

    # -- exports --------------------------------------------------------------------------------
    def list_exports(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        with self.store.lock:
            exports = [{"ExportingStackId": stack_id, "Name": name, "Value": value}
                       for name, (stack_id, value) in sorted(state.exports.items())]
        return self.page(ctx, exports, "Exports")

    def list_imports(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ExportName"]
        state = self.state(ctx)
        if name not in state.exports:
            raise errors.validation(f"Export '{name}' does not exist.")  # wording approximate
        users = importing_stacks(state, name, state.exports[name][0])
        if not users:
            raise errors.validation(f"Export '{name}' is not imported by any stack.")
        return self.page(ctx, users, "Imports")


def stack_description(stack: Stack) -> dict[str, Any]:
    out: dict[str, Any] = {
        "StackId": stack.stack_id, "StackName": stack.name, "CreationTime": stack.created,
        "StackStatus": stack.status, "DisableRollback": stack.disable_rollback,
        "NotificationARNs": list(stack.notification_arns), "Capabilities": list(stack.capabilities),
        "Tags": list(stack.tags), "EnableTerminationProtection": stack.termination_protection,
        "RollbackConfiguration": {}, "Parameters": parameters_out(stack),
        "DriftInformation": {"StackDriftStatus": stack.drift_status,
                             **({"LastCheckTimestamp": stack.drift_checked} if stack.drift_checked else {})},
    }
    optional = {"StackStatusReason": stack.reason or None, "Description": stack.description,
                "LastUpdatedTime": stack.updated, "DeletionTime": stack.deleted, "RoleARN": stack.role_arn,
                "TimeoutInMinutes": stack.timeout, "ParentId": stack.parent_id, "RootId": stack.root_id,
                "ChangeSetId": stack.change_set_id, "AliasName": stack.alias}
    out.update({k: v for k, v in optional.items() if v is not None})
    if stack.outputs:
        out["Outputs"] = [dict(o) for o in stack.outputs]
    if stack.retain_except_on_create:
        out["RetainExceptOnCreate"] = True
    return out


def parameters_out(stack: Stack) -> list[dict[str, Any]]:
    out = []
    for key, parameter in stack.parameters.items():
        item = {"ParameterKey": key, "ParameterValue": MASK if parameter.no_echo else parameter.value}
        if parameter.ssm_resolved is not None:
            item["ResolvedValue"] = MASK if parameter.no_echo else parameter.ssm_resolved
        out.append(item)
    return out


def stack_summary(stack: Stack) -> dict[str, Any]:
    out: dict[str, Any] = {"StackId": stack.stack_id, "StackName": stack.name, "CreationTime": stack.created,
                           "StackStatus": stack.status,
                           "DriftInformation": {"StackDriftStatus": stack.drift_status}}
    optional = {"TemplateDescription": stack.description, "LastUpdatedTime": stack.updated,
                "DeletionTime": stack.deleted, "StackStatusReason": stack.reason or None,
                "ParentId": stack.parent_id, "RootId": stack.root_id}
    out.update({k: v for k, v in optional.items() if v is not None})
    return out


def event_out(stack: Stack, event: Any) -> dict[str, Any]:
    out = {"StackId": stack.stack_id, "EventId": event.event_id, "StackName": stack.name,
           "LogicalResourceId": event.logical_id, "PhysicalResourceId": event.physical_id,
           "ResourceType": event.type, "Timestamp": event.timestamp, "ResourceStatus": event.status}
    if event.reason:
        out["ResourceStatusReason"] = event.reason
    if event.properties:
        out["ResourceProperties"] = event.properties
    return out


def _operation_event(stack: Stack, event: Any) -> dict[str, Any]:
    out = {"EventId": event.event_id, "StackId": stack.stack_id, "EventType": "PROVISIONING_EVENT",
           "LogicalResourceId": event.logical_id, "PhysicalResourceId": event.physical_id,
           "ResourceType": event.type, "Timestamp": event.timestamp, "ResourceStatus": event.status}
    if event.reason:
        out["ResourceStatusReason"] = event.reason
    return out


def resource_out(stack: Stack, resource: Any) -> dict[str, Any]:
    out = {"StackName": stack.name, "StackId": stack.stack_id, "LogicalResourceId": resource.logical_id,
           "ResourceType": resource.type, "Timestamp": resource.timestamp, "ResourceStatus": resource.status,
           "DriftInformation": drift_information(resource)}
    if resource.physical_id:
        out["PhysicalResourceId"] = resource.physical_id
    if resource.reason:
        out["ResourceStatusReason"] = resource.reason
    return out
