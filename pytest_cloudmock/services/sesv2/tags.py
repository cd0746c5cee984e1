"""`TagResource`, `UntagResource`, `ListTagsForResource` for every taggable SES v2 resource.

Identities and configuration sets carry their tags in the shared core; every other
resource's tags are kept here by ARN.
"""

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
    def _tags_of(self, ctx: RequestContext) -> dict[str, str]:
        """The live tag dict of the resource `ResourceArn` names (call with both locks held)."""
        arn = ctx.params["ResourceArn"]
        kind = resource_type(arn)
        if kind not in TAGGABLE:
            raise bad_request(f"Invalid resource ARN: {arn}")  # wording ours
        if not self.resource_exists(ctx, arn):
            raise not_found(f"Resource {arn} does not exist.")  # wording ours
        name = arn.rsplit("/", 1)[-1]
        core = self.shared_state(ctx)
        if kind == "identity":
            identity = self.ses(ctx).find_identity(core, name)
            assert identity is not None  # resource_exists said so
            return identity.tags
        if kind == "configuration-set":
            return core.configuration_sets[name].tags
        return self.state(ctx).tags.setdefault(arn, {})

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            tags = self._tags_of(ctx)
            merged = {**tags, **{t["Key"]: t["Value"] for t in ctx.params["Tags"]}}
            if len(merged) > MAX_TAGS:
                raise bad_request(f"A resource can have at most {MAX_TAGS} tags.")  # wording ours
            tags.update(merged)
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            tags = self._tags_of(ctx)
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            return {"Tags": [{"Key": k, "Value": v} for k, v in self._tags_of(ctx).items()]}
