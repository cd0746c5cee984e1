"""Interceptors named by `module:attr` paths in the loading tests (config and entry points)."""

from __future__ import annotations

from typing import Any

from pytest_cloudmock.api import AWSError, RequestContext, Response
from pytest_cloudmock.interception import Interceptor


def _rename_user(ctx: RequestContext, outcome: Any) -> Any:
    if isinstance(outcome, Response):
        return {**outcome.body, "UserId": "FROM-CONFIG"}
    return None


def _refuse(ctx: RequestContext) -> None:
    raise AWSError("AccessDenied", f"refused by an entry-point interceptor: {ctx.params['Name']}", 403)


rename_user = Interceptor("sts", "GetCallerIdentity", after=_rename_user, name="rename-user")
pair = [Interceptor("sns", "CreateTopic", before=_refuse), Interceptor("sns", "ListTopics")]


def factory() -> list[Interceptor]:
    return [Interceptor("sns", "CreateTopic", before=_refuse, name="from-factory")]


not_an_interceptor = {"service": "s3"}
