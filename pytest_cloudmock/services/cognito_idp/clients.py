"""App clients (secrets, auth flows, token validity, attributes, OAuth settings) and
resource servers with their custom scopes."""

from __future__ import annotations

import copy
import string
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CognitoBase, random_id
from .state import AppClient, UserPool

#: UserPoolClientType members kept as given.
CLIENT_SETTINGS = (
    "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits", "ReadAttributes",
    "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs",
    "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration", "PreventUserExistenceErrors", "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData", "AuthSessionValidity", "RefreshTokenRotation",
)
STANDARD_SCOPES = frozenset({"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"})
_SECRET_ALPHABET = string.ascii_lowercase + string.digits


def new_secret() -> str:
    return random_id(51, _SECRET_ALPHABET)


class ClientOps(CognitoBase):
    """App client and resource server operations."""

    def _client_settings(self, pool: UserPool, p: dict[str, Any]) -> dict[str, Any]:
        config = {k: copy.deepcopy(p[k]) for k in CLIENT_SETTINGS if k in p}
        flows = config.get("AllowedOAuthFlows") or []
        if "client_credentials" in flows and ({"code", "implicit"} & set(flows)):
            raise AWSError("InvalidOAuthFlowException",
                           "client_credentials flow can not be selected if authorization code or implicit flow is selected.")
        custom = {f"{server['Identifier']}/{s['ScopeName']}" for server in pool.resource_servers.values()
                  for s in server.get("Scopes") or []}
        for scope in config.get("AllowedOAuthScopes") or []:
            if scope not in STANDARD_SCOPES and scope not in custom:
                raise AWSError("ScopeDoesNotExistException", f"Invalid scope requested: {scope}")
        if config.get("AllowedOAuthFlowsUserPoolClient") and ({"code", "implicit"} & set(flows)) \
                and not config.get("CallbackURLs"):
            raise errors.invalid_parameter("CallbackURLs can not be empty when authorization code or implicit flow is selected.")
        for flow in config.get("ExplicitAuthFlows") or []:
            legacy = {"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}
            if flow in legacy and any(f.startswith("ALLOW_") for f in config["ExplicitAuthFlows"]):
                raise errors.invalid_parameter("The ExplicitAuthFlows values ALLOW_* and the legacy values can not be mixed.")
        return config

    def create_user_pool_client(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        config = self._client_settings(pool, p)
        now = ctx.clock.now()
        secret = p.get("ClientSecret") or (new_secret() if p.get("GenerateSecret") else "")
        client = AppClient(random_id(26, _SECRET_ALPHABET), p["ClientName"], now, now, secret, config)
        if secret:
            client.secrets.append({"ClientSecretId": f"{client.client_id}--{random_id(8)}", "ClientSecretValue": secret,
                                   "ClientSecretCreateDate": now})
        with self.store.lock:
            pool.clients[client.client_id] = client
        return {"UserPoolClient": self.describe_client(pool, client)}

    @staticmethod
    def describe_client(pool: UserPool, client: AppClient) -> dict[str, Any]:
        out: dict[str, Any] = {
            "UserPoolId": pool.pool_id, "ClientName": client.name, "ClientId": client.client_id,
            "LastModifiedDate": client.modified, "CreationDate": client.created,
            "RefreshTokenValidity": 30, "AllowedOAuthFlowsUserPoolClient": False,
            "EnableTokenRevocation": True, "EnablePropagateAdditionalUserContextData": False,
            "AuthSessionValidity": 3, **copy.deepcopy(client.config),
        }
        if client.secret:
            out["ClientSecret"] = client.secret
        return out

    def describe_user_pool_client(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return {"UserPoolClient": self.describe_client(pool, self.app_client(pool, ctx.params["ClientId"]))}

    def update_user_pool_client(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        config = self._client_settings(pool, ctx.params)
        with self.store.lock:  # AWS resets what an update leaves out to its default
            client.config = config
            if ctx.params.get("ClientName"):
                client.name = ctx.params["ClientName"]
            client.modified = ctx.clock.now()
        return {"UserPoolClient": self.describe_client(pool, client)}

    def delete_user_pool_client(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self.app_client(pool, ctx.params["ClientId"])
        with self.store.lock:
            pool.clients.pop(ctx.params["ClientId"], None)
        return {}

    def list_user_pool_clients(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        clients = sorted(pool.clients.values(), key=lambda c: c.created)
        page, more = self.page(ctx, clients, "NextToken", "MaxResults", f"clients:{pool.pool_id}")
        return {"UserPoolClients": [{"ClientId": c.client_id, "UserPoolId": pool.pool_id, "ClientName": c.name}
                                    for c in page], **more}

    # -- client secrets (several per client) ----------------------------------------------------
    def add_user_pool_client_secret(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        if len(client.secrets) >= 2:
            raise AWSError("LimitExceededException", "A client can have at most 2 client secrets.")
        value = ctx.params.get("ClientSecret") or new_secret()
        entry = {"ClientSecretId": f"{client.client_id}--{random_id(8)}", "ClientSecretValue": value,
                 "ClientSecretCreateDate": ctx.clock.now()}
        with self.store.lock:
            client.secrets.append(entry)
            client.secret = client.secret or value
        return {"ClientSecretDescriptor": dict(entry)}

    def delete_user_pool_client_secret(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        found = [s for s in client.secrets if s["ClientSecretId"] == ctx.params["ClientSecretId"]]
        if not found:
            raise errors.not_found(f"Client secret {ctx.params['ClientSecretId']} does not exist.")
        with self.store.lock:
            client.secrets.remove(found[0])
            if client.secret == found[0]["ClientSecretValue"]:
                client.secret = client.secrets[0]["ClientSecretValue"] if client.secrets else ""
        return {}

    def list_user_pool_client_secrets(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        return {"ClientSecrets": [{k: v for k, v in s.items() if k != "ClientSecretValue"} for s in client.secrets]}

    # -- resource servers -----------------------------------------------------------------------
    def _server(self, pool: UserPool, identifier: str) -> dict[str, Any]:
        server = pool.resource_servers.get(identifier)
        if server is None:
            raise errors.not_found(f"Resource server {identifier} does not exist.")  # AWS's text not documented
        return server

    def create_resource_server(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        if p["Identifier"] in pool.resource_servers:
            raise errors.invalid_parameter(f"{p['Identifier']} already exists in user pool {pool.pool_id}.")
        server = {"UserPoolId": pool.pool_id, "Identifier": p["Identifier"], "Name": p["Name"],
                  "Scopes": copy.deepcopy(p.get("Scopes") or [])}
        with self.store.lock:
            pool.resource_servers[p["Identifier"]] = server
        return {"ResourceServer": copy.deepcopy(server)}

    def describe_resource_server(self, ctx: RequestContext) -> dict[str, Any]:
        return {"ResourceServer": copy.deepcopy(self._server(self.pool(ctx), ctx.params["Identifier"]))}

    def update_resource_server(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        server = self._server(pool, ctx.params["Identifier"])
        with self.store.lock:
            server["Name"] = ctx.params["Name"]
            server["Scopes"] = copy.deepcopy(ctx.params.get("Scopes") or [])
        return {"ResourceServer": copy.deepcopy(server)}

    def delete_resource_server(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._server(pool, ctx.params["Identifier"])
        with self.store.lock:
            pool.resource_servers.pop(ctx.params["Identifier"], None)
        return {}

    def list_resource_servers(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(pool.resource_servers.values()), "NextToken", "MaxResults",
                               f"servers:{pool.pool_id}")
        return {"ResourceServers": copy.deepcopy(page), **more}
