"""Account features with no other service behind them, stored as IAM reports them:
outbound web identity federation (the issuer STS `GetWebIdentityToken` signs as),
Organizations root-credential features, the STS global endpoint token version,
and delegation requests (their states: UNASSIGNED, ASSIGNED, ACCEPTED, REJECTED,
FINALIZED)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from .base import IamBase, no_such_entity
from .paging import window
from .state import DelegationRequest, stamp
from .tags import invalid_input


class FederationOperations(IamBase):
    """Outbound federation, Organizations features, STS preferences, delegation requests."""

    # -- outbound web identity federation ------------------------------------------------------
    def enable_outbound_web_identity_federation(self, ctx: RequestContext) -> dict[str, Any]:
        state = self._state(ctx)
        if state.outbound_issuer is not None:
            raise AWSError("FeatureEnabled", "Outbound web identity federation is already enabled.", 409)
        state.outbound_issuer = f"https://{uuid.uuid4()}.tokens.sts.global.api.aws"
        return {"IssuerIdentifier": state.outbound_issuer}

    def disable_outbound_web_identity_federation(self, ctx: RequestContext) -> dict[str, Any]:
        self._outbound(ctx)
        self._state(ctx).outbound_issuer = None
        return {}

    def _outbound(self, ctx: RequestContext) -> str:
        issuer = self._state(ctx).outbound_issuer
        if issuer is None:
            raise AWSError("FeatureDisabled", "Outbound web identity federation is disabled.", 404)
        return issuer

    def get_outbound_web_identity_federation_info(self, ctx: RequestContext) -> dict[str, Any]:
        return {"IssuerIdentifier": self._outbound(ctx), "JwtVendingEnabled": True}

    # -- Organizations features -------------------------------------------------------------
    def _features(self, ctx: RequestContext) -> dict[str, Any]:
        organization = "o-" + hashlib.sha256(ctx.account_id.encode()).hexdigest()[:10]
        return {"OrganizationId": organization, "EnabledFeatures": list(self._state(ctx).organization_features)}

    def _set_feature(self, ctx: RequestContext, feature: str, enabled: bool) -> dict[str, Any]:
        features = self._state(ctx).organization_features
        if enabled and feature not in features:
            features.append(feature)
        elif not enabled and feature in features:
            features.remove(feature)
        return self._features(ctx)

    def list_organizations_features(self, ctx: RequestContext) -> dict[str, Any]:
        return self._features(ctx)

    def enable_organizations_root_credentials_management(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_feature(ctx, "RootCredentialsManagement", True)

    def disable_organizations_root_credentials_management(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_feature(ctx, "RootCredentialsManagement", False)

    def enable_organizations_root_sessions(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_feature(ctx, "RootSessions", True)

    def disable_organizations_root_sessions(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_feature(ctx, "RootSessions", False)

    def set_security_token_service_preferences(self, ctx: RequestContext) -> dict[str, Any]:
        self._state(ctx).sts_endpoint_token_version = ctx.params["GlobalEndpointTokenVersion"]
        return {}

    # -- delegation requests -----------------------------------------------------------------
    def _delegation(self, ctx: RequestContext) -> DelegationRequest:
        request = self._state(ctx).delegation_requests.get(ctx.params["DelegationRequestId"])
        if request is None:
            # AWS's exact wording is not documented.
            raise no_such_entity(f"Delegation request {ctx.params['DelegationRequestId']} cannot be found.")
        return request

    def _move(self, ctx: RequestContext, allowed: tuple[str, ...], state: str) -> DelegationRequest:
        request = self._delegation(ctx)
        if request.state not in allowed:
            # AWS's exact wording is not documented.
            raise invalid_input(f"Delegation request {request.id} is {request.state} and cannot become {state}.")
        request.state, request.updated = state, stamp(ctx.clock)
        return request

    def create_delegation_request(self, ctx: RequestContext) -> dict[str, Any]:
        request_id = str(uuid.uuid4())
        now = stamp(ctx.clock)
        self._state(ctx).delegation_requests[request_id] = DelegationRequest(
            request_id, dict(ctx.params), created=now, updated=now)
        return {"DelegationRequestId": request_id,
                "ConsoleDeepLink": f"https://console.aws.amazon.com/iam/home#/delegation/requests/{request_id}"}

    def _delegation_out(self, ctx: RequestContext, request: DelegationRequest) -> dict[str, Any]:
        f = request.fields
        out: dict[str, Any] = {
            "DelegationRequestId": request.id, "OwnerAccountId": f.get("OwnerAccountId", ctx.account_id),
            "Description": f["Description"], "Permissions": f["Permissions"], "State": request.state,
            "RequestorId": ctx.account_id, "CreateDate": request.created, "UpdatedTime": request.updated,
            "SessionDuration": f["SessionDuration"], "OnlySendByOwner": bool(f.get("OnlySendByOwner", False)),
        }
        for source, target in (("RequestMessage", "RequestMessage"), ("RedirectUrl", "RedirectUrl")):
            if f.get(source) is not None:
                out[target] = f[source]
        if request.notes is not None:
            out["Notes" if request.state != "REJECTED" else "RejectionReason"] = request.notes
        if request.approver is not None:
            out["ApproverId"] = request.approver
        return out

    def get_delegation_request(self, ctx: RequestContext) -> dict[str, Any]:
        return {"DelegationRequest": self._delegation_out(ctx, self._delegation(ctx))}

    def list_delegation_requests(self, ctx: RequestContext) -> dict[str, Any]:
        requests = sorted(self._state(ctx).delegation_requests.values(), key=lambda r: r.created)
        chunk, fields = window([self._delegation_out(ctx, r) for r in requests], ctx.params, "DelegationRequests")
        out: dict[str, Any] = {"DelegationRequests": chunk, "isTruncated": fields["IsTruncated"]}
        if "Marker" in fields:
            out["Marker"] = fields["Marker"]
        return out

    def associate_delegation_request(self, ctx: RequestContext) -> dict[str, Any]:
        request = self._move(ctx, ("UNASSIGNED",), "ASSIGNED")
        request.approver = ctx.identity.arn if ctx.identity else ctx.account_id
        return {}

    def accept_delegation_request(self, ctx: RequestContext) -> dict[str, Any]:
        self._move(ctx, ("UNASSIGNED", "ASSIGNED"), "ACCEPTED")
        return {}

    def reject_delegation_request(self, ctx: RequestContext) -> dict[str, Any]:
        request = self._move(ctx, ("UNASSIGNED", "ASSIGNED"), "REJECTED")
        request.notes = ctx.params.get("Notes", request.notes)
        return {}

    def update_delegation_request(self, ctx: RequestContext) -> dict[str, Any]:
        request = self._delegation(ctx)
        request.notes, request.updated = ctx.params.get("Notes", request.notes), stamp(ctx.clock)
        return {}

    def send_delegation_token(self, ctx: RequestContext) -> dict[str, Any]:
        self._move(ctx, ("ACCEPTED",), "FINALIZED")
        return {}
