"""Change sets: CreateChangeSet (CREATE, UPDATE and IMPORT), DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CloudFormationBase
from .engine import Run
from .planning import plan
from .preparation import Prepared, prepare
from .providers.base import ProviderContext
from .resource_import import check_request, import_changes, locate
from .state import ChangeSet
from .template import read_body

NO_CHANGES = ("The submitted information didn't contain changes. Submit different information to create a "
              "change set.")


class ChangeSetOperations(CloudFormationBase):
    """Planned changes, reviewed before they run."""

    def change_set(self, ctx: RequestContext) -> ChangeSet:
        name = ctx.params["ChangeSetName"]
        state = self.state(ctx)
        if name.startswith("arn:"):
            found = state.change_sets.get(name)
        else:
            stack_name = ctx.params.get("StackName")
            if not stack_name:
                raise errors.validation("StackName must be specified if ChangeSetName is not specified as an ARN.")
            stack = state.live(stack_name)
            found = next((c for c in state.change_sets.values()
                          if c.name == name and stack is not None and c.stack_id == stack.stack_id), None)
        if found is None:
            raise errors.change_set_not_found(name)
        return found

    def create_change_set(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        kind = params.get("ChangeSetType") or "UPDATE"
        name, stack_name = params["ChangeSetName"], params["StackName"]
        state = self.state(ctx)
        stack = state.live(stack_name)
        if kind == "IMPORT" and stack is not None and stack.status != "REVIEW_IN_PROGRESS":
            self.check_updatable(stack)  # type: ignore[attr-defined]
        if kind == "CREATE" and stack is not None and stack.status != "REVIEW_IN_PROGRESS":
            raise errors.validation(f"Stack [{stack_name}] already exists and cannot be created again with the "
                                    f"changeSet [{name}].")
        if kind == "UPDATE" and stack is None:
            raise errors.validation(f"Stack [{stack_name}] does not exist")
        if stack is not None and any(c.name == name and c.stack_id == stack.stack_id for c in state.change_sets.values()):
            raise AWSError("AlreadyExistsException", f"ChangeSet [{name}] already exists", 400)
        if params.get("UsePreviousTemplate"):
            if stack is None or kind == "CREATE":
                raise errors.validation("Cannot use previous template for a stack that does not exist")  # approx.
            body = stack.body
        else:
            body = str(read_body(ctx, params))
        previous = {k: p.value for k, p in stack.parameters.items()} if stack is not None else None
        prepared = prepare(ctx, body, params.get("Parameters") or [], previous, params.get("Capabilities"),
                           check_capabilities=True)
        to_import = list(params.get("ResourcesToImport") or [])
        if kind == "IMPORT":
            live = stack is not None and stack.status != "REVIEW_IN_PROGRESS"
            check_request(to_import, prepared.processed, stack.processed if live else None,  # type: ignore[union-attr]
                          stack.processed.get("Outputs") if live else None)  # type: ignore[union-attr]
        elif to_import:
            raise errors.validation("ResourcesToImport can only be specified with ChangeSetType IMPORT")  # approx.
        if stack is None:
            errors.check_stack_name(stack_name)
            stack = self.new_stack(ctx, stack_name, Prepared("", {}, {}, {}), params,  # type: ignore[attr-defined]
                                   status="REVIEW_IN_PROGRESS")
        change_set_id = f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:changeSet/{name}/{uuid.uuid4()}"
        change_set = ChangeSet(change_set_id, name, stack.stack_id, stack.name, ctx.clock.utcnow(), kind, body,
                               prepared.template, prepared.processed, list(params.get("Parameters") or []),
                               prepared.parameters, [], tags=list(params.get("Tags") or stack.tags),
                               capabilities=list(params.get("Capabilities") or []),
                               notification_arns=list(params.get("NotificationARNs") or []),
                               description=params.get("Description"), role_arn=params.get("RoleARN"),
                               include_nested=bool(params.get("IncludeNestedStacks")),
                               on_stack_failure=params.get("OnStackFailure"))
        try:
            if kind == "IMPORT":
                change_set.changes = self._plan_import(ctx, stack, change_set, to_import)
            else:
                change_set.changes = plan(self, stack, state, prepared.processed, prepared.parameters)
        except AWSError as exc:
            change_set.status, change_set.reason, change_set.execution_status = "FAILED", exc.message, "UNAVAILABLE"
        if change_set.status != "FAILED" and not change_set.changes and kind == "UPDATE":
            settings = self.update_settings(stack, prepared, params)  # type: ignore[attr-defined]
            if self.unchanged(stack, settings):  # type: ignore[attr-defined]
                change_set.status, change_set.reason, change_set.execution_status = "FAILED", NO_CHANGES, "UNAVAILABLE"
        with self.store.lock:
            state.change_sets[change_set_id] = change_set
        return {"Id": change_set_id, "StackId": stack.stack_id}

    def _plan_import(self, ctx: RequestContext, stack: Any, change_set: ChangeSet,
                     to_import: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Find each resource to import (it must exist and belong to no stack); the Import changes."""
        where = ProviderContext(self.registry_of(ctx), ctx.account_id, ctx.region, stack.name, stack.stack_id,
                                "", ctx)
        for item in to_import:
            physical, why_not = locate(self, where, self.state(ctx), item)
            if why_not:
                raise errors.validation(why_not)
            change_set.imports[item["LogicalResourceId"]] = physical
        return import_changes(to_import, change_set.imports)

    def describe_change_set(self, ctx: RequestContext) -> dict[str, Any]:
        change_set = self.change_set(ctx)
        stack = self.state(ctx).stacks.get(change_set.stack_id)
        out: dict[str, Any] = {
            "ChangeSetName": change_set.name, "ChangeSetId": change_set.change_set_id, "StackId": change_set.stack_id,
            "StackName": change_set.stack_name, "CreationTime": change_set.created,
            "ExecutionStatus": change_set.execution_status, "Status": change_set.status,
            "NotificationARNs": change_set.notification_arns, "RollbackConfiguration": {},
            "Capabilities": change_set.capabilities, "Tags": change_set.tags,
            "Parameters": [{"ParameterKey": k, "ParameterValue": "****" if p.no_echo else p.value}
                           for k, p in change_set.resolved.items()],
            "IncludeNestedStacks": change_set.include_nested,
        }
        if change_set.reason:
            out["StatusReason"] = change_set.reason
        if change_set.description:
            out["Description"] = change_set.description
        if change_set.on_stack_failure:
            out["OnStackFailure"] = change_set.on_stack_failure
        if stack is not None and change_set.kind == "UPDATE":
            out["StackDriftStatus"] = stack.drift_status
        out.update(self.page(ctx, change_set.changes, "Changes"))
        return out

    def describe_change_set_hooks(self, ctx: RequestContext) -> dict[str, Any]:
        change_set = self.change_set(ctx)
        return {"ChangeSetId": change_set.change_set_id, "ChangeSetName": change_set.name, "Hooks": [],
                "Status": "PLANNED", "StackId": change_set.stack_id, "StackName": change_set.stack_name}

    def list_change_sets(self, ctx: RequestContext) -> dict[str, Any]:
        stack = self.stack(ctx)
        summaries = []
        for change_set in list(self.state(ctx).change_sets.values()):
            if change_set.stack_id != stack.stack_id:
                continue
            item = {"StackId": stack.stack_id, "StackName": stack.name, "ChangeSetId": change_set.change_set_id,
                    "ChangeSetName": change_set.name, "ExecutionStatus": change_set.execution_status,
                    "Status": change_set.status, "CreationTime": change_set.created,
                    "IncludeNestedStacks": change_set.include_nested}
            if change_set.reason:
                item["StatusReason"] = change_set.reason
            if change_set.description:
                item["Description"] = change_set.description
            summaries.append(item)
        return self.page(ctx, summaries, "Summaries")

    def delete_change_set(self, ctx: RequestContext) -> dict[str, Any]:
        change_set = self.change_set(ctx)
        if change_set.execution_status == "EXECUTE_IN_PROGRESS":
            raise AWSError("InvalidChangeSetStatus", f"Cannot delete ChangeSet in status {change_set.status}", 400)
        state = self.state(ctx)
        with self.store.lock:
            state.change_sets.pop(change_set.change_set_id, None)
            stack = state.stacks.get(change_set.stack_id)
            if stack is not None and stack.status == "REVIEW_IN_PROGRESS" and not any(
                    c.stack_id == stack.stack_id for c in state.change_sets.values()):
                stack.status, stack.deleted = "DELETE_COMPLETE", ctx.clock.utcnow()
        return {}

    def execute_change_set(self, ctx: RequestContext) -> dict[str, Any]:
        change_set = self.change_set(ctx)
        if change_set.execution_status != "AVAILABLE":
            raise AWSError("InvalidChangeSetStatus", f"ChangeSet [{change_set.change_set_id}] cannot be executed in "
                           f"its current status of [{change_set.status}]", 400)
        state = self.state(ctx)
        stack = state.stacks[change_set.stack_id]
        prepared = Prepared(change_set.body, change_set.template, change_set.processed, change_set.resolved)
        settings = {"Tags": change_set.tags, "Capabilities": change_set.capabilities,
                    "NotificationARNs": change_set.notification_arns, "RoleARN": change_set.role_arn}
        disable_rollback = bool(ctx.params.get("DisableRollback"))
        with self.store.lock:
            change_set.execution_status = "EXECUTE_COMPLETE"
            stack.change_set_id = change_set.change_set_id
            for other in [c for c in state.change_sets.values() if c.stack_id == stack.stack_id and c is not change_set]:
                del state.change_sets[other.change_set_id]
        if change_set.kind == "IMPORT":
            if stack.status == "REVIEW_IN_PROGRESS":
                with self.store.lock:
                    stack.tags, stack.capabilities = list(change_set.tags), list(change_set.capabilities)
                    stack.notification_arns = list(change_set.notification_arns)
            else:
                self.check_updatable(stack)  # type: ignore[attr-defined]
            self.claim(stack, "IMPORT_IN_PROGRESS")  # type: ignore[attr-defined]
            imports = dict(change_set.imports)
            self.run_later(ctx, lambda: Run(self, stack, ctx).import_resources(prepared, imports), stack)
        elif stack.status == "REVIEW_IN_PROGRESS":
            with self.store.lock:
                self.apply_settings(stack, prepared, settings)  # type: ignore[attr-defined]
                stack.disable_rollback = disable_rollback
            on_failure = "DO_NOTHING" if disable_rollback else (change_set.on_stack_failure or "ROLLBACK")
            self.run_later(ctx, lambda: Run(self, stack, ctx).create(on_failure), stack)
        else:
            self.check_updatable(stack)  # type: ignore[attr-defined]
            new = self.update_settings(stack, prepared, settings)  # type: ignore[attr-defined]
            new["policy"] = stack.policy
            self.claim(stack, "UPDATE_IN_PROGRESS")  # type: ignore[attr-defined]
            self.run_later(ctx, lambda: Run(self, stack, ctx).update(new, disable_rollback), stack)
        return {}
