"""Stack sets: one template deployed as a stack per (account, region) instance, by the same engine."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CloudFormationBase
from .engine import Run
from .preparation import prepare
from .state import StackInstance, StackSet, StackSetOperation
from .template import read_body


def _operation_not_found(operation_id: str) -> AWSError:
    return AWSError("OperationNotFoundException", f"Operation {operation_id} not found", 404)  # wording approximate


class StackSetOperations(CloudFormationBase):
    """CreateStackSet, stack instances and their operations."""

    def stack_set(self, ctx: RequestContext) -> StackSet:
        name = ctx.params.get("StackSetName", "")
        found = self.state(ctx).stack_sets.get(name.split(":", 1)[0]) or next(
            (s for s in self.state(ctx).stack_sets.values() if name in (s.stack_set_id, s.arn)), None)
        if found is None:
            raise errors.stack_set_not_found(name)
        return found

    def create_stack_set(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        name = params["StackSetName"]
        errors.check_stack_name(name, "stackSetName")
        state = self.state(ctx)
        if name in state.stack_sets:
            raise AWSError("NameAlreadyExistsException", f"StackSet {name} already exists", 409)  # approx.
        if params.get("StackId"):
            body = self.stack(ctx, params["StackId"]).body
        else:
            body = str(read_body(ctx, params))
        prepare(ctx, body, params.get("Parameters") or [])
        set_id = f"{name}:{uuid.uuid4()}"
        stack_set = StackSet(set_id, name, f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:"
                             f"stackset/{set_id}", body, list(params.get("Parameters") or []),
                             list(params.get("Capabilities") or []), list(params.get("Tags") or []),
                             params.get("Description"), permission_model=params.get("PermissionModel") or "SELF_MANAGED",
                             admin_role=params.get("AdministrationRoleARN"),
                             execution_role=params.get("ExecutionRoleName"),
                             auto_deployment=params.get("AutoDeployment"))
        with self.store.lock:
            state.stack_sets[name] = stack_set
        return {"StackSetId": set_id}

    def describe_stack_set(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        out = {"StackSetName": s.name, "StackSetId": s.stack_set_id, "Status": s.status, "TemplateBody": s.body,
               "Parameters": s.parameters, "Capabilities": s.capabilities, "Tags": s.tags, "StackSetARN": s.arn,
               "PermissionModel": s.permission_model, "ManagedExecution": s.managed_execution,
               "Regions": sorted({r for _, r in s.instances}),
               "StackSetDriftDetectionDetails": dict(s.drift)}
        optional = {"Description": s.description, "AdministrationRoleARN": s.admin_role,
                    "ExecutionRoleName": s.execution_role, "AutoDeployment": s.auto_deployment}
        out.update({k: v for k, v in optional.items() if v is not None})
        return {"StackSet": out}

    def list_stack_sets(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = ctx.params.get("Status")
        summaries = [{"StackSetName": s.name, "StackSetId": s.stack_set_id, "Status": s.status,
                      "PermissionModel": s.permission_model, "ManagedExecution": s.managed_execution,
                      **({"Description": s.description} if s.description else {})}
                     for s in self.state(ctx).stack_sets.values() if not wanted or s.status == wanted]
        return self.page(ctx, summaries, "Summaries")

    def update_stack_set(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        params = ctx.params
        body = s.body if params.get("UsePreviousTemplate") else str(read_body(ctx, params))
        prepare(ctx, body, params.get("Parameters") or [])
        with self.store.lock:
            s.body = body
            for key, attribute in (("Parameters", "parameters"), ("Capabilities", "capabilities"), ("Tags", "tags"),
                                   ("Description", "description"), ("AutoDeployment", "auto_deployment")):
                if params.get(key) is not None:
                    setattr(s, attribute, params[key])
        targets = [k for k in s.instances if (not params.get("Accounts") or k[0] in params["Accounts"])
                   and (not params.get("Regions") or k[1] in params["Regions"])]
        return {"OperationId": self._operate(ctx, s, "UPDATE", targets)}

    def delete_stack_set(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        if s.instances:
            raise AWSError("StackSetNotEmptyException", f"StackSet {s.name} is not empty", 409)  # wording approximate
        with self.store.lock:
            self.state(ctx).stack_sets.pop(s.name, None)
        return {}

    # -- instances ------------------------------------------------------------------------
    def _targets(self, ctx: RequestContext) -> list[tuple[str, str]]:
        params = ctx.params
        accounts = list(params.get("Accounts") or (params.get("DeploymentTargets") or {}).get("Accounts") or [])
        if not accounts:
            raise errors.validation("Accounts or DeploymentTargets must be specified")  # wording approximate
        return [(a, r) for a in accounts for r in params["Regions"]]

    def create_stack_instances(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        targets = self._targets(ctx)
        with self.store.lock:
            for key in targets:
                s.instances.setdefault(key, StackInstance(key[0], key[1], status="OUTDATED", detailed="PENDING",
                                                          overrides=list(ctx.params.get("ParameterOverrides") or [])))
        return {"OperationId": self._operate(ctx, s, "CREATE", targets)}

    def update_stack_instances(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        targets = self._targets(ctx)
        missing = [k for k in targets if k not in s.instances]
        if missing:
            raise AWSError("StackInstanceNotFoundException", f"Stack instance {missing[0][0]}/{missing[0][1]} "
                           "not found", 404)  # wording approximate
        with self.store.lock:
            for key in targets:
                s.instances[key].overrides = list(ctx.params.get("ParameterOverrides") or [])
        return {"OperationId": self._operate(ctx, s, "UPDATE", targets)}

    def delete_stack_instances(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        targets = [k for k in self._targets(ctx) if k in s.instances]
        return {"OperationId": self._operate(ctx, s, "DELETE", targets, retain=bool(ctx.params.get("RetainStacks")))}

    def import_stacks_to_stack_set(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        for stack_id in ctx.params.get("StackIds") or []:
            stack = self.stack(ctx, stack_id)
            with self.store.lock:
                s.instances[(stack.account_id, stack.region)] = StackInstance(stack.account_id, stack.region,
                                                                              stack.stack_id)
        return {"OperationId": self._operate(ctx, s, "CREATE", [])}

    def describe_stack_instance(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        key = (ctx.params["StackInstanceAccount"], ctx.params["StackInstanceRegion"])
        instance = s.instances.get(key)
        if instance is None:
            raise AWSError("StackInstanceNotFoundException", f"Stack instance {key[0]}/{key[1]} not found in "
                           f"StackSet {s.name}", 404)  # wording approximate
        out = _instance(s, instance)
        out["ParameterOverrides"] = instance.overrides
        return {"StackInstance": out}

    def list_stack_instances(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        account, region = ctx.params.get("StackInstanceAccount"), ctx.params.get("StackInstanceRegion")
        items = [_instance(s, i) for (a, r), i in s.instances.items()
                 if (not account or a == account) and (not region or r == region)]
        return self.page(ctx, items, "Summaries")

    def list_stack_instance_resource_drifts(self, ctx: RequestContext) -> dict[str, Any]:
        """The resource drifts the instance's stack has from the last drift detection."""
        s = self.stack_set(ctx)
        self._operation(s, ctx.params["OperationId"])
        params = ctx.params
        instance = s.instances.get((params["StackInstanceAccount"], params["StackInstanceRegion"]))
        stack = self.store.get(instance.account, instance.region).stacks.get(instance.stack_id or "") \
            if instance is not None else None
        wanted = set(params.get("StackInstanceResourceDriftStatuses") or [])
        items = []
        for resource in list(stack.resources.values()) if stack is not None else []:
            drift = resource.drift
            if drift is None or drift["StackResourceDriftStatus"] == "NOT_CHECKED" or (
                    wanted and drift["StackResourceDriftStatus"] not in wanted):
                continue
            items.append({k: drift[k] for k in ("StackId", "LogicalResourceId", "PhysicalResourceId", "ResourceType",
                                                "PropertyDifferences", "StackResourceDriftStatus", "Timestamp")
                          if k in drift})
        return self.page(ctx, items, "Summaries")

    def list_stack_set_auto_deployment_targets(self, ctx: RequestContext) -> dict[str, Any]:
        self.stack_set(ctx)
        return {"Summaries": []}

    # -- operations --------------------------------------------------------------------------
    def _operation(self, s: StackSet, operation_id: str) -> StackSetOperation:
        found = s.operations.get(operation_id)
        if found is None:
            raise _operation_not_found(operation_id)
        return found

    def _operate(self, ctx: RequestContext, s: StackSet, action: str, targets: list[tuple[str, str]],
                 retain: bool = False) -> str:
        operation_id = ctx.params.get("OperationId") or str(uuid.uuid4())
        if operation_id in s.operations:
            raise AWSError("OperationIdAlreadyExistsException", f"Operation {operation_id} already exists", 409)
        operation = StackSetOperation(operation_id, action, "RUNNING", ctx.clock.utcnow(),
                                      preferences=dict(ctx.params.get("OperationPreferences") or {}))
        with self.store.lock:
            s.operations[operation_id] = operation
        self.run_later(ctx, lambda: self._run_operation(ctx, s, operation, targets, retain), key=s.arn)
        return operation_id

    def _run_operation(self, ctx: RequestContext, s: StackSet, operation: StackSetOperation,
                       targets: list[tuple[str, str]], retain: bool) -> None:
        failed = False
        for account, region in targets:
            instance = s.instances[(account, region)]
            local = dataclasses.replace(ctx, account_id=account, region=region, params={}, deferred=[])
            try:
                reason = self._run_instance(local, s, instance, operation.action, retain)
            except AWSError as exc:
                reason = exc.message
            status = "FAILED" if reason else "SUCCEEDED"
            failed = failed or bool(reason)
            with self.store.lock:
                operation.results.append({"Account": account, "Region": region, "Status": status,
                                          **({"StatusReason": reason} if reason else {})})
                if operation.action == "DELETE" and not reason:
                    s.instances.pop((account, region), None)
                elif operation.action != "DETECT_DRIFT":
                    instance.status = "INOPERABLE" if reason else "CURRENT"
                    instance.detailed, instance.reason = status, reason
        with self.store.lock:
            operation.status = "FAILED" if failed else "SUCCEEDED"
            operation.ended = ctx.clock.utcnow()
            if operation.action == "DETECT_DRIFT":
                s.drift = drift_details(s, operation)

    def _run_instance(self, ctx: RequestContext, s: StackSet, instance: StackInstance, action: str,
                      retain: bool) -> str:
        """Create, update or delete one instance's stack; the failure reason or ""."""
        state = self.store.get(ctx.account_id, ctx.region)
        stack = state.stacks.get(instance.stack_id or "")
        overrides = {p["ParameterKey"]: p for p in instance.overrides}
        given = [overrides.get(p["ParameterKey"], p) for p in s.parameters] + \
                [p for k, p in overrides.items() if k not in {q["ParameterKey"] for q in s.parameters}]
        if action == "DETECT_DRIFT":
            if stack is None or not stack.active:
                return "Stack instance has no stack to check"  # wording approximate
            status = self.detect(ctx, stack)  # type: ignore[attr-defined]
            with self.store.lock:
                instance.drift_status, instance.drift_checked = status, ctx.clock.utcnow()
            return ""
        if action == "DELETE":
            if stack is not None and stack.active and not retain:
                Run(self, stack, ctx).delete()
                return "" if stack.status == "DELETE_COMPLETE" else stack.reason
            return ""
        prepared = prepare(ctx, s.body, given)
        if stack is None or not stack.active:
            name = f"StackSet-{s.name}-{uuid.uuid4()}"
            stack = self.new_stack(ctx, name, prepared, {"Tags": s.tags, "Capabilities": s.capabilities})  # type: ignore[attr-defined]
            with self.store.lock:
                instance.stack_id = stack.stack_id
            Run(self, stack, ctx).create("ROLLBACK")
            return "" if stack.status == "CREATE_COMPLETE" else stack.reason
        new = self.update_settings(stack, prepared, {"Tags": s.tags, "Capabilities": s.capabilities})  # type: ignore[attr-defined]
        if self.unchanged(stack, new):  # type: ignore[attr-defined]
            return ""
        Run(self, stack, ctx).update(new, False)
        return "" if stack.status == "UPDATE_COMPLETE" else stack.reason

    def describe_stack_set_operation(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        operation = self._operation(s, ctx.params["OperationId"])
        out = {"OperationId": operation.operation_id, "StackSetId": s.stack_set_id, "Action": operation.action,
               "Status": operation.status, "OperationPreferences": operation.preferences,
               "CreationTimestamp": operation.created,
               "StatusDetails": {"FailedStackInstancesCount": sum(r["Status"] == "FAILED" for r in operation.results)}}
        if operation.ended is not None:
            out["EndTimestamp"] = operation.ended
        return {"StackSetOperation": out}

    def list_stack_set_operations(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        items = [{"OperationId": o.operation_id, "Action": o.action, "Status": o.status,
                  "CreationTimestamp": o.created, **({"EndTimestamp": o.ended} if o.ended else {})}
                 for o in s.operations.values()]
        return self.page(ctx, items, "Summaries")

    def list_stack_set_operation_results(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        operation = self._operation(s, ctx.params["OperationId"])
        items = [{"Account": r["Account"], "Region": r["Region"], "Status": r["Status"],
                  **({"StatusReason": r["StatusReason"]} if "StatusReason" in r else {}),
                  "AccountGateResult": {"Status": "SKIPPED"}} for r in operation.results]
        return self.page(ctx, items, "Summaries")

    def stop_stack_set_operation(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        operation = self._operation(s, ctx.params["OperationId"])
        if operation.status != "RUNNING":
            raise AWSError("InvalidOperationException", f"Operation {operation.operation_id} is not running", 400)
        with self.store.lock:
            operation.status = "STOPPED"
        return {}

    def detect_stack_set_drift(self, ctx: RequestContext) -> dict[str, Any]:
        s = self.stack_set(ctx)
        with self.store.lock:
            s.drift = {**s.drift, "DriftDetectionStatus": "IN_PROGRESS"}
        return {"OperationId": self._operate(ctx, s, "DETECT_DRIFT", list(s.instances))}


def drift_details(s: StackSet, operation: StackSetOperation) -> dict[str, Any]:
    """A stack set's StackSetDriftDetectionDetails after a DETECT_DRIFT operation."""
    instances = list(s.instances.values())
    drifted = sum(i.drift_status == "DRIFTED" for i in instances)
    failed = sum(r["Status"] == "FAILED" for r in operation.results)
    return {"DriftStatus": "DRIFTED" if drifted else "IN_SYNC",
            "DriftDetectionStatus": "PARTIAL_SUCCESS" if failed and failed < len(instances) else
            "FAILED" if failed else "COMPLETED",
            "LastDriftCheckTimestamp": operation.ended, "TotalStackInstancesCount": len(instances),
            "DriftedStackInstancesCount": drifted, "InSyncStackInstancesCount": sum(
                i.drift_status == "IN_SYNC" for i in instances),
            "InProgressStackInstancesCount": 0, "FailedStackInstancesCount": failed}


def _instance(s: StackSet, instance: StackInstance) -> dict[str, Any]:
    out = {"StackSetId": s.stack_set_id, "Region": instance.region, "Account": instance.account,
           "Status": instance.status, "StackInstanceStatus": {"DetailedStatus": instance.detailed},
           "DriftStatus": instance.drift_status}
    if instance.drift_checked is not None:
        out["LastDriftCheckTimestamp"] = instance.drift_checked
    if instance.stack_id:
        out["StackId"] = instance.stack_id
    if instance.reason:
        out["StatusReason"] = instance.reason
    return out
