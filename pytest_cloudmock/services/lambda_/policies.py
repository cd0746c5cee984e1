"""Resource-based policies of functions and layer versions (AddPermission, GetPolicy, ...)."""

from __future__ import annotations

import json
from typing import Any

from ...api import RequestContext
from . import errors
from .base import LambdaBase


def statement(sid: str, action: str, principal: str, resource: str, params: dict[str, Any]) -> dict[str, Any]:
    """One policy statement as Lambda writes it for AddPermission."""
    who: Any = {"Service": principal} if principal.endswith(".amazonaws.com") else (
        "*" if principal == "*" else {"AWS": principal if principal.startswith("arn:") else
                                      f"arn:aws:iam::{principal}:root"})
    out: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Principal": who, "Action": action, "Resource": resource}
    condition: dict[str, dict[str, str]] = {}
    if params.get("SourceArn"):
        condition.setdefault("ArnLike", {})["AWS:SourceArn"] = params["SourceArn"]
    for key, name in (("SourceAccount", "AWS:SourceAccount"), ("PrincipalOrgID", "aws:PrincipalOrgID"),
                      ("OrganizationId", "aws:PrincipalOrgID"), ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType"),
                      ("EventSourceToken", "lambda:EventSourceToken")):
        if params.get(key):
            condition.setdefault("StringEquals", {})[name] = params[key]
    if condition:
        out["Condition"] = condition
    return out


def policy_document(statements: dict[str, dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Id": "default", "Statement": list(statements.values())})


def add_statement(statements: dict[str, dict[str, Any]], new: dict[str, Any]) -> None:
    if new["Sid"] in statements:
        # AWS's exact wording for a duplicate statement id is not documented
        raise errors.conflict(f"The statement id ({new['Sid']}) provided already exists. Please provide a new "
                              "statement id, or remove the existing statement.")
    statements[new["Sid"]] = new


def remove_statement(statements: dict[str, dict[str, Any]], sid: str) -> None:
    if statements.pop(sid, None) is None:
        raise errors.not_found(f"Statement {sid} is not found in resource policy.")


class PolicyOps(LambdaBase):
    """Function permissions; layer-version permissions live with the layers."""

    def add_permission(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            function, qualifier = self.function(ctx)
            version = self.version_of(ctx, function, qualifier)
            if p.get("RevisionId") and p["RevisionId"] != version.revision_id:
                raise errors.precondition()
            new = statement(p["StatementId"], p["Action"], p["Principal"],
                            self.function_arn(ctx, function.name, qualifier), p)
            add_statement(function.policy.setdefault(qualifier or "", {}), new)
        return {"Statement": json.dumps(new)}

    def get_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            version = self.version_of(ctx, function, qualifier)
            statements = function.policy.get(qualifier or "")
            if not statements:
                raise errors.not_found("The resource you requested does not exist.")
            return {"Policy": policy_document(statements), "RevisionId": version.revision_id}

    def remove_permission(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self.version_of(ctx, function, qualifier)
            remove_statement(function.policy.setdefault(qualifier or "", {}), ctx.params["StatementId"])
        return {}
