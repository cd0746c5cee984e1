"""What every Cognito operation needs: the store, pool, client and user lookup, ids."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from collections.abc import Iterator
from functools import cached_property
from typing import Any, ClassVar

from ...api import RequestContext, ServiceProfile
from ...paging import offset_page
from ...store import Store
from ...validation import ValidationPolicy
from ..base import ModelService
from . import errors
from .state import AppClient, CognitoState, User, UserPool

_ALNUM = string.ascii_letters + string.digits
_DOMAIN_HOST = re.compile(r"^[a-z0-9-]+\.auth\.")


def random_id(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_sub() -> str:
    return str(uuid.uuid4())


class CognitoBase(ModelService):
    """Store and lookups shared by the Cognito operation groups."""

    name: ClassVar[str] = "cognito-idp"

    def __init__(self) -> None:
        self.store: Store[CognitoState] = Store(CognitoState)

    @cached_property
    def profile(self) -> ServiceProfile:
        from .public import PUBLIC_OPERATIONS, public_operation

        return ServiceProfile(
            validation=ValidationPolicy(error_code="InvalidParameterException"),
            unmodelled_operation=public_operation,
            extra_operations=PUBLIC_OPERATIONS,
        )

    # -- pools and clients ----------------------------------------------------------------
    def state(self, ctx: RequestContext) -> CognitoState:
        return self.store.for_ctx(ctx)

    def pool(self, ctx: RequestContext, pool_id: str | None = None) -> UserPool:
        pool_id = pool_id if pool_id is not None else ctx.params.get("UserPoolId", "")
        pool = self.state(ctx).pools.get(pool_id)
        if pool is None:
            raise errors.pool_not_found(pool_id)
        return pool

    def pool_state(self, pool: UserPool) -> CognitoState:
        """The partition a pool lives in (public endpoints know the pool, not the account)."""
        _arn, _partition, _service, region, account, _rest = pool.arn.split(":", 5)
        return self.store.get(account, region)

    def all_states(self) -> Iterator[CognitoState]:
        for _key, state in list(self.store.partitions()):
            yield state

    def pool_by_id(self, pool_id: str) -> UserPool | None:
        """A pool in any account (public endpoints and tokens name a pool, not an account)."""
        for state in self.all_states():
            if pool_id in state.pools:
                return state.pools[pool_id]
        return None

    def pool_by_domain(self, domain: str) -> UserPool | None:
        for state in self.all_states():
            pool_id = state.domains.get(domain)
            if pool_id and pool_id in state.pools:
                return state.pools[pool_id]
        return None

    def app_client(self, pool: UserPool, client_id: str) -> AppClient:
        client = pool.clients.get(client_id)
        if client is None:
            raise errors.client_not_found(client_id)
        return client

    def pool_of_client(self, ctx: RequestContext, client_id: str) -> tuple[UserPool, AppClient]:
        """The pool of an app client (the public, unsigned operations name only the client)."""
        for pool in list(self.state(ctx).pools.values()):
            if client_id in pool.clients:
                return pool, pool.clients[client_id]
        for state in self.all_states():
            for pool in list(state.pools.values()):
                if client_id in pool.clients:
                    return pool, pool.clients[client_id]
        raise errors.client_not_found(client_id)

    # -- users ------------------------------------------------------------------------------
    @staticmethod
    def user_key(pool: UserPool, username: str) -> str:
        sensitive = (pool.config.get("UsernameConfiguration") or {}).get("CaseSensitive", True)
        return username if sensitive else username.lower()

    def find_user(self, pool: UserPool, name: str) -> User | None:
        """The user a name signs in as: its username, or an email/phone/alias the pool accepts."""
        user = pool.users.get(self.user_key(pool, name))
        if user is not None:
            return user
        username_attrs = pool.config.get("UsernameAttributes") or []
        aliases = pool.config.get("AliasAttributes") or []
        for attr in (*username_attrs, *aliases):
            for candidate in list(pool.users.values()):
                value = candidate.attributes.get(attr)
                if value is None or value.lower() != name.lower():
                    continue
                if attr in username_attrs or attr == "preferred_username" \
                        or candidate.attributes.get(f"{attr}_verified") == "true":
                    return candidate
        for candidate in list(pool.users.values()):  # the sub is a name too
            if candidate.sub == name:
                return candidate
        return None

    def user(self, pool: UserPool, name: str) -> User:
        user = self.find_user(pool, name)
        if user is None:
            raise errors.user_not_found()
        return user

    @staticmethod
    def page(ctx: RequestContext, items: list[Any], token_key: str, limit_key: str, scope: str,
             out_token: str | None = None, default: int = 60) -> tuple[list[Any], dict[str, str]]:
        """One page of `items` and the output's next-token member (when there is more)."""
        page, token = offset_page(
            items, ctx.params.get(token_key), ctx.params.get(limit_key), default_limit=default,
            bad_token=lambda: errors.invalid_parameter("Invalid pagination token"),  # AWS's text unknown
            scope=f"cognito:{scope}:{ctx.account_id}:{ctx.region}")
        return page, ({out_token or token_key: token} if token else {})

    # -- addresses --------------------------------------------------------------------------
    @staticmethod
    def issuer(ctx: RequestContext, pool: UserPool) -> str:
        """The pool's issuer URL on the gateway: `<endpoint>/<pool-id>`."""
        endpoint = ctx.endpoint or f"https://cognito-idp.{ctx.region}.amazonaws.com"
        scheme, _, host = endpoint.partition("://")
        if _DOMAIN_HOST.match(host):  # asked on a domain's host: name the gateway itself
            host = "127.0.0.1" + (":" + host.rsplit(":", 1)[1] if ":" in host else "")
        return f"{scheme}://{host}/{pool.pool_id}"

    # -- captured messages ------------------------------------------------------------------
    def messages(self, pool_id: str | None = None, username: str | None = None) -> list[dict[str, Any]]:
        """Mail and SMS Cognito would have sent (codes, invitations), oldest first: dicts with
        `UserPoolId`, `Username`, `Destination`, `DeliveryMedium`, `Reason`, `Code`, `Subject`,
        `Message`."""
        found = []
        with self.store.lock:
            for state in self.all_states():
                found.extend(dict(m) for m in state.messages)
        found.sort(key=lambda m: m["Sequence"])
        return [m for m in found if (pool_id is None or m["UserPoolId"] == pool_id)
                and (username is None or username in (m["Username"], m["Destination"]))]

    def last_code(self, pool_id: str | None = None, username: str | None = None) -> str:
        """The code of the newest captured message (for a pool, for a user or destination)."""
        found = [m for m in self.messages(pool_id, username) if m.get("Code")]
        if not found:
            raise LookupError("no Cognito message with a code was captured")
        return found[-1]["Code"]
