"""`TagResource`, `UntagResource`, `ListTagsForResource` for every taggable SES v2 resource."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from .errors import bad_request, not_found
from .tenants import TenantOperations, resource_type

#: The resource types of SES v2 ARNs that carry tags.
TAGGABLE = frozenset({"identity", "configuration-set", "contact-list", "dedicated-ip-pool", "template",
                      "custom-verification-email-template", "deliverability-test-report",
                      "multi-region-endpoint", "tenant"})
MAX_TAGS = 50  # AWS's per-resource tag limit


class TagOperations(TenantOperations):
    def _tagged(self, ctx: RequestContext) -> str:
        arn = ctx.params["ResourceArn"]
        if resource_type(arn) not in TAGGABLE:
            raise bad_request(f"Invalid resource ARN: {arn}")  # wording ours
        if not self.resource_exists(ctx, arn):
            raise not_found(f"Resource {arn} does not exist.")  # wording ours
        return arn

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            arn = self._tagged(ctx)
            current = self.state(ctx).tags.get(arn, {})
            merged = {**current, **{t["Key"]: t["Value"] for t in ctx.params["Tags"]}}
            if len(merged) > MAX_TAGS:
                raise bad_request(f"A resource can have at most {MAX_TAGS} tags.")  # wording ours
            self.state(ctx).tags[arn] = merged
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            arn = self._tagged(ctx)
            tags = self.state(ctx).tags.get(arn, {})
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Tags": self.tag_list(ctx, self._tagged(ctx))}
