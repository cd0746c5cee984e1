"""Service-specific credentials (CodeCommit HTTPS Git, Amazon Keyspaces, Bedrock API keys)."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from typing import Any

from ...api import AWSError, RequestContext
from .. import _credentials as creds
from .base import IamBase, limit_exceeded, no_such_entity
from .paging import page
from .state import ServiceCredential, User, stamp

SERVICES = ("codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com")
MAX_PER_SERVICE = 2
_PASSWORD = string.ascii_letters + string.digits + "+/="


class ServiceCredentialOperations(IamBase):
    """Create, list, reset, update and delete a user's service-specific credentials."""

    def _service_credential(self, ctx: RequestContext) -> tuple[User, ServiceCredential]:
        user = self._named_or_calling_user(ctx)
        found = user.service_credentials.get(ctx.params["ServiceSpecificCredentialId"])
        if found is None:
            raise no_such_entity(
                f"No such credential {ctx.params['ServiceSpecificCredentialId']} exists for user {user.name}."
            )  # AWS's exact wording is not documented
        return user, found

    @staticmethod
    def _out(user: User, credential: ServiceCredential, secret: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"CreateDate": credential.created, "ServiceName": credential.service,
                               "ServiceUserName": credential.user_name, "ServiceSpecificCredentialId": credential.id,
                               "UserName": user.name, "Status": credential.status}
        if credential.expires is not None:
            out["ExpirationDate"] = credential.expires
        if secret:
            out["ServicePassword"] = credential.password
        return out

    def create_service_specific_credential(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        user = self._user(ctx, p["UserName"])
        service = p["ServiceName"]
        if service not in SERVICES:
            # AWS's exact wording is not documented.
            raise AWSError("NotSupportedService", f"Service {service} is not supported for service specific credentials.", 404)
        if sum(c.service == service for c in user.service_credentials.values()) >= MAX_PER_SERVICE:
            raise limit_exceeded(f"Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: {MAX_PER_SERVICE}")
        created = stamp(ctx.clock)
        days = p.get("CredentialAgeDays")
        credential = ServiceCredential(
            creds.unique_id("ACCA"), service, f"{user.name}-at-{ctx.account_id}",
            "".join(secrets.choice(_PASSWORD) for _ in range(44)), created=created,
            expires=created + timedelta(days=days) if days else None,
        )
        user.service_credentials[credential.id] = credential
        return {"ServiceSpecificCredential": self._out(user, credential, secret=True)}

    def list_service_specific_credentials(self, ctx: RequestContext) -> dict[str, Any]:
        users = (sorted(self._state(ctx).users.values(), key=lambda u: u.name.lower())
                 if ctx.params.get("AllUsers") else [self._named_or_calling_user(ctx)])
        service = ctx.params.get("ServiceName")
        found = [self._out(user, c, secret=False) for user in users for c in user.service_credentials.values()
                 if service in (None, c.service)]
        return page(found, ctx.params, "ServiceSpecificCredentials")

    def reset_service_specific_credential(self, ctx: RequestContext) -> dict[str, Any]:
        user, credential = self._service_credential(ctx)
        credential.password = "".join(secrets.choice(_PASSWORD) for _ in range(44))
        return {"ServiceSpecificCredential": self._out(user, credential, secret=True)}

    def update_service_specific_credential(self, ctx: RequestContext) -> dict[str, Any]:
        _, credential = self._service_credential(ctx)
        credential.status = ctx.params["Status"]
        return {}

    def delete_service_specific_credential(self, ctx: RequestContext) -> dict[str, Any]:
        user, credential = self._service_credential(ctx)
        del user.service_credentials[credential.id]
        return {}
