"""MWAA operations on an existing environment: CLI and web login tokens, and the Airflow REST
API (answered 200 with an empty body: no Airflow runs behind the stub)."""

from __future__ import annotations

import secrets
from typing import Any

from ...api import AWSError
from ..records import Record, find


def _environment(service: Any, ctx: Any) -> Record:
    name = ctx.params["Name"]
    record = find(service.store.for_ctx(ctx).table("Environment"), name)
    if record is None:  # AWS's exact wording is not documented
        raise AWSError("ResourceNotFoundException", f"Environment {name} not found", 404)
    return record


def create_cli_token(service: Any, ctx: Any) -> dict[str, Any]:
    env = _environment(service, ctx)
    return {"CliToken": secrets.token_urlsafe(32), "WebServerHostname": env.fields["WebserverUrl"]}


def create_web_login_token(service: Any, ctx: Any) -> dict[str, Any]:
    env = _environment(service, ctx)
    identity = ctx.identity.arn if ctx.identity is not None else f"arn:{ctx.partition}:iam::{ctx.account_id}:root"
    # the Airflow user name AWS derives from the caller: its exact form is not documented
    return {"WebToken": secrets.token_urlsafe(32), "WebServerHostname": env.fields["WebserverUrl"],
            "IamIdentity": identity, "AirflowIdentity": identity.rsplit(":", 1)[-1]}


def invoke_rest_api(service: Any, ctx: Any) -> dict[str, Any]:
    _environment(service, ctx)
    return {"RestApiStatusCode": 200, "RestApiResponse": {}}
