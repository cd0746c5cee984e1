"""The SES v2 service base: its store, ARNs, paging and tags shared by the operation modules."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from ...api import AWSError, RequestContext
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from .errors import bad_request, bad_token
from .state import SesV2State

T = TypeVar("T")


def new_id() -> str:
    return str(uuid.uuid4())


def checked_address(address: str) -> str:
    """An email address SES accepts (`local@domain`), else BadRequestException."""
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        raise bad_request(f"Invalid email address {address}.")  # wording ours
    return address


class SesV2Base(ModelService):
    name: ClassVar[str] = "sesv2"

    def __init__(self) -> None:
        self.store: Store[SesV2State] = Store(SesV2State)

    def state(self, ctx: RequestContext) -> SesV2State:
        return self.store.for_ctx(ctx)

    @staticmethod
    def arn(ctx: RequestContext, resource: str) -> str:
        return f"arn:{ctx.partition}:ses:{ctx.region}:{ctx.account_id}:{resource}"

    @staticmethod
    def page(ctx: RequestContext, items: Sequence[T], scope: str, *, size_param: str = "PageSize",
             default: int = 100, bad: Callable[[], AWSError] = bad_token) -> tuple[list[T], dict[str, Any]]:
        """One page of `items` and the `NextToken` member (empty at the end)."""
        page, token = offset_page(items, ctx.params.get("NextToken"), ctx.params.get(size_param),
                                  bad_token=bad, default_limit=default, scope=scope)
        return page, ({"NextToken": token} if token else {})

    # -- tags, kept by ARN for every taggable v2 resource ------------------------------------------
    def set_tags(self, ctx: RequestContext, arn: str, tags: list[dict[str, str]] | None) -> None:
        state = self.state(ctx)
        if tags:
            state.tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in tags})

    def drop_tags(self, ctx: RequestContext, arn: str) -> None:
        self.state(ctx).tags.pop(arn, None)

    def tag_list(self, ctx: RequestContext, arn: str) -> list[dict[str, str]]:
        return [{"Key": k, "Value": v} for k, v in self.state(ctx).tags.get(arn, {}).items()]
