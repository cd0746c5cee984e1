"""The IAM interceptor: every request from the wire is authorized as AWS would, in
`audit` (recorded, let through) or `enforce` (answered with the service's denial).

Calls between services (`ctx.protocol == "internal"`: `Registry.call`) are checked when they
act as someone (`ctx.acting_as`, acting.py): a state machine's role, a target's role, a
function's execution role polling its event sources, or a service principal delivering to a
resource policy; the role's trust policy is checked first. Not checked, by design: the other
internal calls (the engine's own reads of IAM and resource policies, a service's lookups),
and `sts:GetCallerIdentity`, which AWS never denies. With `iam: off` the interceptor's hooks
and `Registry.authorizer` are None: nothing runs.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..api import AWSError, RequestContext, Response
from ..interception import Interceptor, Outcome
from . import context as context_keys
from .acting import AsRole, AsService
from .actions import RENAMED, action_name, iam_prefix
from .audit import AuditLog, Denial
from .denials import denial_error, message
from .directory import Directory
from .evaluation import IMPLICIT_DENY, Decision, Request, evaluate
from .live_context import LiveContext
from .policy import RESOURCE, Policy
from .principals import Caller, resolve, role_session_identity, service_caller
from .resource_policies import ResourceInfo, ResourcePolicies
from .resources import Where, resource_checks
from .s3_acl import acl_policy
from .scps import Scps
from .sessions import Sessions
from .stub_resources import ANY, stub_checks

if TYPE_CHECKING:
    from ..identities import Identity
    from ..registry import Registry

log = logging.getLogger("pytest_cloudmock")
MODES = ("off", "audit", "enforce")
NEVER_DENIED = {("sts", "GetCallerIdentity")}
_READS = ("Get", "List", "Describe", "Head", "Query", "Scan", "BatchGet", "Receive", "Select", "Simulate",
          "Generate", "Decrypt", "Encrypt", "Sign", "Verify", "Invoke", "Publish", "Send", "Filter", "Lookup",
          "Decode", "Test")
_DATA_WRITES = {"PutObject", "DeleteObject", "DeleteObjects", "CopyObject", "UploadPart", "CompleteMultipartUpload",
                "CreateMultipartUpload", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
                "TransactWriteItems", "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility",
                "ChangeMessageVisibilityBatch", "PutRecord", "PutRecords", "PutEvents", "PutLogEvents",
                "PutMetricData", "PutParameter", "PutSecretValue"}
_POLICY_SERVICES = {"s3", "sqs", "sns", "kms", "lambda", "secretsmanager", "ecr", "events"}


@lru_cache(maxsize=256)
def _where(region: str, account: str) -> Where:
    partition = "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
    return Where(partition, region, account)


def _protocol(ctx: RequestContext) -> str:
    """The protocol family a denial is answered in (an internal call's: its service's)."""
    if ctx.protocol != "internal":
        return ctx.protocol
    model = ctx.service_model
    return model.metadata.get("protocol", "json") if model is not None else "json"


def check_mode(mode: Any) -> str:
    if mode not in MODES:
        raise ValueError(f"iam mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


class IamPolicies:
    """The gateway's IAM policy evaluation (`gateway.iam`): mode, SCPs, denials, usage."""

    def __init__(self, registry: Registry, mode: str = "off") -> None:
        self.registry = registry
        self.directory = Directory(registry)
        self.sessions = Sessions()
        self.resources = ResourcePolicies(registry)
        self.scps = Scps(on_change=self.changed)
        self.audit = AuditLog()
        self.interceptor = Interceptor(name="cloudmock-iam")
        self._callers: dict[tuple[str, str], Caller] = {}
        self._acting: dict[AsRole | AsService, Caller] = {}
        self._declared: dict[str, dict[str, str]] = {}
        self._actions: dict[tuple[str, str], str] = {}  # (service, operation) -> IAM action
        self._lock = threading.Lock()
        #: `aws:SourceIp` of every request: the gateway serves loopback clients only; a test of
        #: an IP condition sets the address its callers should appear to come from.
        self.source_ip = "127.0.0.1"
        self.mode = "off"
        self.set_mode(mode)

    # -- public API -----------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """`off`, `audit` or `enforce`; caches start afresh."""
        self.mode = check_mode(mode)
        self.changed()
        on = mode != "off"
        self.interceptor.before = self._before if on else None
        self.interceptor.after = self._after if on else None
        self.registry.authorizer = self.authorize_acting if on else None

    def changed(self) -> None:
        """Forget every cached principal and resource (IAM or a policy changed, or a reset)."""
        self.directory.changed()
        self.resources.changed()
        self._callers = {}
        self._acting = {}

    def reset(self) -> None:
        """After a gateway reset: caches, sessions, SCPs and the audit log go."""
        self.changed()
        self.sessions.reset()
        self.scps.clear()
        self.audit.clear()

    def denials(self) -> list[Denial]:
        return self.audit.denials()

    def used(self, principal: str) -> dict[str, list[str]]:
        return self.audit.used(principal)

    def policy_for(self, principal: str) -> dict[str, Any]:
        return self.audit.policy_for(principal)

    def caller(self, identity: Identity) -> Caller:
        key = (identity.access_key_id, identity.arn)
        found = self._callers.get(key)
        if found is None:
            found = resolve(identity, self.directory, self.sessions, self.scps.for_account(identity.account_id))
            self._callers[key] = found
        return found

    # -- the interceptor ---------------------------------------------------------------------------
    def _before(self, ctx: RequestContext) -> Any:
        if ctx.protocol == "internal":
            if ctx.acting_as is not None:
                self.authorize_acting(ctx)
            return None
        identity = ctx.identity
        if identity is None or (ctx.service, ctx.operation) in NEVER_DENIED:
            return None
        try:
            self._authorize(ctx, self.caller(identity), identity.account_id)
        except AWSError:
            raise
        except Exception:  # a bug here must not turn a request into a 500: log it, let the call go on
            log.exception("cloudmock: IAM evaluation failed for %s.%s", ctx.service, ctx.operation)
        return None

    def authorize_acting(self, ctx: RequestContext) -> None:
        """Check a call a service makes as a role or as its service principal (`ctx.acting_as`);
        `Registry.authorizer` while policies are evaluated."""
        try:
            caller = self._acting_caller(ctx, ctx.acting_as)
            if caller is not None:
                self._authorize(ctx, caller, caller.principal.account)
        except AWSError:
            raise
        except Exception:  # a bug here must not fail a delivery: log it, let the call go on
            log.exception("cloudmock: IAM evaluation failed for %s.%s as %r", ctx.service, ctx.operation,
                          ctx.acting_as)

    def _acting_caller(self, ctx: RequestContext, acting: Any) -> Caller | None:
        found = self._acting.get(acting)
        if found is not None:
            return found
        if isinstance(acting, AsService):
            found = service_caller(acting.principal, acting.source_arn, acting.source_account, ctx.account_id)
        elif isinstance(acting, AsRole):
            found = self._assume(ctx, acting)
        else:
            return None
        self._acting[acting] = found
        return found

    def _assume(self, ctx: RequestContext, acting: AsRole) -> Caller:
        """The role session `acting` opens, once the role's trust policy lets its service assume it
        (else the denial, recorded and, when enforcing, raised as STS's)."""
        account = acting.account or ctx.account_id
        trusted = service_caller(acting.principal, "", "", account)
        info = self.resources.info("sts", acting.role_arn, account, ctx.region, "sts:AssumeRole")
        lookup = context_keys.build(trusted.context_keys, "sts", "AssumeRole", {}, ctx.region, ctx.clock.now, True)
        decision = evaluate(trusted.principal, Request("sts:AssumeRole", info.arn, lookup, info.account, info.policy,
                                                       True))
        if not decision.allowed:
            self._deny(ctx, trusted, "sts:AssumeRole", info.arn, decision, ("sts", "AssumeRole", "query"))
        identity = role_session_identity(acting.session_arn, account, self.directory)
        return resolve(identity, self.directory, self.sessions, self.scps.for_account(account))

    def _authorize(self, ctx: RequestContext, caller: Caller, account: str) -> None:
        """Raise the service's denial when enforcing and a check fails; record what was used."""
        p = caller.principal
        unlimited_root = p.is_root and p.scps is None  # no SCP limits it: only other accounts' policies can
        where = _where(ctx.region, account)
        default_action = self._action(ctx)
        lookup: LiveContext | None = None
        checks = resource_checks(ctx.service, ctx.operation, ctx.params, where)
        if checks == ANY and self.registry.profile(ctx.service).kind == "stub":
            checks = stub_checks(self.registry.get(ctx.service), ctx.operation, ctx.params, where)
        for action, resource in checks:
            action = action or default_action
            info = self.resources.info(ctx.service, resource, account, ctx.region, action)
            if unlimited_root and not info.required and info.account in (None, account):
                continue
            if lookup is None:
                lookup = LiveContext(ctx, caller, info.arn, self.source_ip)
            decision = evaluate(caller.principal, Request(
                action, info.arn, lookup, info.account, info.policy, info.required))
            if ctx.service == "s3" and decision.decision == IMPLICIT_DENY and info.account:
                decision = self._with_acl(caller, action, info, lookup, ctx.region) or decision
            self.audit.use((p.arn, p.role_arn) if p.role_arn else (p.arn,), action, info.arn)
            if not decision.allowed:
                self._deny(ctx, caller, action, info.arn, decision)

    def _with_acl(self, caller: Caller, action: str, info: ResourceInfo, lookup: Any, region: str) -> Decision | None:
        """A second look at an S3 request the policies deny: its ACL grants may allow it."""
        acl = acl_policy(self.registry, info.arn, info.account or "", caller.principal.account, region)
        if acl is None:
            return None
        statements = (*(info.policy.statements if info.policy else ()), *acl.statements)
        combined = Policy(statements, RESOURCE, info.policy.id if info.policy else "acl")
        return evaluate(caller.principal, Request(action, info.arn, lookup, info.account, combined, info.required))

    def _deny(self, ctx: RequestContext, caller: Caller, action: str, resource: str, decision: Decision,
              call: tuple[str, str, str] | None = None) -> None:
        """Record a denial; raise it, as `call` (service, operation, protocol; else the request's)
        answers one, when enforcing."""
        arn = caller.principal.arn
        service, operation, protocol = call or (ctx.service, ctx.operation, _protocol(ctx))
        enforced = self.mode == "enforce"
        self.audit.denied(Denial(arn, action, resource, decision.decision, decision.denied_by,
                                 message(arn, action, resource, decision, service), service, operation, enforced))
        if enforced:
            raise denial_error(service, protocol, arn, caller.user_id, action, resource, decision)

    def _after(self, ctx: RequestContext, outcome: Outcome) -> Any:
        if not isinstance(outcome, Response) or ctx.operation.startswith(_READS):
            return None
        if ctx.service in ("iam", "organizations"):
            self.directory.changed()
            self.resources.changed("sts")  # trust policies
            self._callers = {}
            self._acting = {}
        elif ctx.service in _POLICY_SERVICES and ctx.operation not in _DATA_WRITES:
            self.resources.changed(ctx.service)
        return None

    # -- helpers --------------------------------------------------------------------------------
    def _action(self, ctx: RequestContext) -> str:
        key = (ctx.service, ctx.operation)
        found = self._actions.get(key)
        if found is None:
            found = self._actions[key] = self._find_action(ctx)
        return found

    def _find_action(self, ctx: RequestContext) -> str:
        model = ctx.service_model
        signing = (model.metadata.get("signingName") if model is not None else None) or ctx.service
        prefix = iam_prefix(signing)
        if ctx.operation not in RENAMED.get(prefix, {}):
            declared = self._declared_actions(ctx.service).get(ctx.operation)
            if declared:
                return declared
        return action_name(prefix, ctx.operation)

    def _declared_actions(self, service: str) -> dict[str, str]:
        """The `iam_action` a service (a stub, a plugin) declares per operation."""
        found = self._declared.get(service)
        if found is None:
            target = self.registry.get(service)
            try:
                found = {a.name: a.iam_action for a in target.actions() if a.iam_action} if target else {}
            except Exception:  # a plugin that cannot list its actions declares none
                found = {}
            self._declared[service] = found
        return found

    # -- admin API -------------------------------------------------------------------------------
    def admin_routes(self) -> list[tuple[str, str, Any, list[str]]]:
        """`AdminApp.add_route` arguments: `GET /api/iam/used?principal=`, `GET /api/iam/denials`,
        `GET|PUT /api/iam/mode`."""
        return [
            ("/api/iam/used", "iam_used", self._admin_used, ["GET"]),
            ("/api/iam/denials", "iam_denials", lambda request: [d.to_dict() for d in self.denials()], ["GET"]),
            ("/api/iam/mode", "iam_mode", self._admin_mode, ["GET", "PUT"]),
        ]

    def _admin_used(self, request: Any) -> dict[str, Any]:
        from ..gateway.admin import AdminError

        principal = request.args.get("principal")
        if not principal:
            return {"principals": self.audit.principals()}
        if principal not in self.audit.principals():
            raise AdminError(404, f"no call by principal {principal!r} was seen")
        return {"principal": principal, "used": self.used(principal), "policy": self.policy_for(principal)}

    def _admin_mode(self, request: Any) -> dict[str, Any]:
        from ..gateway.admin import AdminError, json_body

        if request.method == "PUT":
            try:
                self.set_mode(json_body(request).get("mode"))
            except ValueError as exc:
                raise AdminError(400, str(exc)) from exc
        return {"mode": self.mode}


