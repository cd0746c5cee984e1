"""The operations of the Resource Groups Tagging API."""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token, offset_page
from ...tagging import TaggedResource, TagScope
from ..base import ModelService
from .filters import matches_tags, matches_type

_DEFAULT_RESOURCES_PER_PAGE = 100  # AWS documents the maximum (100), not the default: we use it
_PAGE_SCOPE = "rgta-resources"
_PAGING_MEMBERS = ("ResourcesPerPage", "TagsPerPage", "PaginationToken")


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message, 400)


def _bad_token() -> AWSError:
    # AWS's exact text for a malformed token is not documented.
    return invalid("The specified pagination token is not valid.")


def _compliant() -> dict[str, Any]:
    """Compliance details of a resource when no tag policy applies: nothing is noncompliant."""
    return {"NoncompliantKeys": [], "KeysWithNoncompliantValues": [], "ComplianceStatus": True}


def _no_policy() -> AWSError:
    # Tag policies live in AWS Organizations; the gateway has none, so the compliance
    # reports fail with the documented constraint error (AWS's exact message is unknown).
    return AWSError("ConstraintViolationException",
                    "The request failed because no tag policy is in effect for this account.", 400)


class TaggingApiService(ModelService):
    """The `resourcegroupstaggingapi` service over the registry's tagging adapters."""

    name = "resourcegroupstaggingapi"

    @staticmethod
    def _scope(ctx: RequestContext) -> TagScope:
        assert ctx.registry is not None
        return TagScope(ctx.registry, ctx.account_id, ctx.region, ctx)

    def _tagged(self, ctx: RequestContext) -> list[TaggedResource]:
        """The resources that carry tags, by ARN (the API lists tagged resources only)."""
        found = {r.arn: r for r in self._scope(ctx).resources() if r.tags}
        return [found[arn] for arn in sorted(found)]

    # -- reading ---------------------------------------------------------------------------
    def get_resources(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        arns = p.get("ResourceARNList")
        if arns is not None:
            if p.get("TagFilters") or p.get("ResourceTypeFilters"):
                raise invalid("You can't specify ResourceARNList together with TagFilters or ResourceTypeFilters.")
            if any(p.get(k) is not None for k in _PAGING_MEMBERS):
                raise invalid("You can't specify ResourceARNList together with pagination parameters.")
        if p.get("ExcludeCompliantResources") and not p.get("IncludeComplianceDetails"):
            raise invalid("ExcludeCompliantResources can be used only if IncludeComplianceDetails is true.")
        per_page, tags_per_page = p.get("ResourcesPerPage"), p.get("TagsPerPage")
        if per_page is not None and not 1 <= per_page <= 100:
            raise invalid("ResourcesPerPage must be between 1 and 100.")
        if tags_per_page is not None and not 100 <= tags_per_page <= 500:
            raise invalid("TagsPerPage must be between 100 and 500.")
        for type_filter in p.get("ResourceTypeFilters") or []:
            if not type_filter or type_filter.count(":") > 1:
                raise invalid(f"Unsupported resource type filter: {type_filter}")
        resources = self._tagged(ctx)
        if arns is not None:
            wanted = set(arns)
            resources = [r for r in resources if r.arn in wanted]
        resources = [r for r in resources if matches_tags(r, p.get("TagFilters") or [])
                     and matches_type(r, p.get("ResourceTypeFilters") or [])]
        if p.get("ExcludeCompliantResources"):
            resources = []  # with no tag policy every resource is compliant
        page, token = self._page(resources, p.get("PaginationToken"), per_page, tags_per_page)
        mappings = []
        for resource in page:
            mapping: dict[str, Any] = {"ResourceARN": resource.arn,
                                       "Tags": [{"Key": k, "Value": v} for k, v in sorted(resource.tags.items())]}
            if p.get("IncludeComplianceDetails"):
                mapping["ComplianceDetails"] = _compliant()
            mappings.append(mapping)
        return {"ResourceTagMappingList": mappings, "PaginationToken": token or ""}

    @staticmethod
    def _page(resources: list[TaggedResource], token: str | None, per_page: int | None,
              tags_per_page: int | None) -> tuple[list[TaggedResource], str | None]:
        """A page after the ARN in `token`: at most `per_page` resources and `tags_per_page` tags
        (a resource without tags counts as one); a resource is never split across pages."""
        start = 0
        if token:
            after = decode_token(token, _bad_token, _PAGE_SCOPE)
            if not isinstance(after, str):
                raise _bad_token()
            start = next((i for i, r in enumerate(resources) if r.arn > after), len(resources))
        limit = per_page or _DEFAULT_RESOURCES_PER_PAGE
        page: list[TaggedResource] = []
        tag_count = 0
        for resource in resources[start:]:
            weight = max(len(resource.tags), 1)
            if len(page) == limit or (tags_per_page and page and tag_count + weight > tags_per_page):
                break
            page.append(resource)
            tag_count += weight
        more = start + len(page) < len(resources)
        return page, (encode_token(page[-1].arn, _PAGE_SCOPE) if more and page else None)

    def get_tag_keys(self, ctx: RequestContext) -> dict[str, Any]:
        keys = sorted({k for r in self._tagged(ctx) for k in r.tags})
        page, token = offset_page(keys, ctx.params.get("PaginationToken") or None, None,
                                  bad_token=_bad_token, scope="rgta-keys")
        return {"TagKeys": page, "PaginationToken": token or ""}

    def get_tag_values(self, ctx: RequestContext) -> dict[str, Any]:
        key = ctx.params["Key"]
        values = sorted({r.tags[key] for r in self._tagged(ctx) if key in r.tags})
        page, token = offset_page(values, ctx.params.get("PaginationToken") or None, None,
                                  bad_token=_bad_token, scope=f"rgta-values:{key}")
        return {"TagValues": page, "PaginationToken": token or ""}

    # -- writing ---------------------------------------------------------------------------
    def tag_resources(self, ctx: RequestContext) -> dict[str, Any]:
        tags = ctx.params["Tags"]
        reserved = [k for k in tags if k.lower().startswith("aws:")]
        if reserved:
            raise invalid(f"Tag keys starting with 'aws:' are reserved for AWS use: {reserved[0]}")
        scope = self._scope(ctx)
        return self._each(ctx.params["ResourceARNList"], lambda arn: scope.tag(arn, tags))

    def untag_resources(self, ctx: RequestContext) -> dict[str, Any]:
        keys = ctx.params["TagKeys"]
        scope = self._scope(ctx)
        return self._each(ctx.params["ResourceARNList"], lambda arn: scope.untag(arn, keys))

    @staticmethod
    def _each(arns: list[str], change: Any) -> dict[str, Any]:
        """Apply `change` to each ARN; each failure goes in `FailedResourcesMap` as AWS reports it."""
        failed: dict[str, Any] = {}
        for arn in arns:
            try:
                change(arn)
            except AWSError as error:
                server = error.status >= 500
                failed[arn] = {"StatusCode": error.status,
                               "ErrorCode": "InternalServiceException" if server else "InvalidParameterException",
                               "ErrorMessage": error.message}
        return {"FailedResourcesMap": failed}

    # -- compliance (tag policies) ---------------------------------------------------------------
    def get_compliance_summary(self, ctx: RequestContext) -> dict[str, Any]:
        raise _no_policy()

    def start_report_creation(self, ctx: RequestContext) -> dict[str, Any]:
        raise _no_policy()

    def describe_report_creation(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Status": "NO REPORT"}

    def list_required_tags(self, ctx: RequestContext) -> dict[str, Any]:
        offset_page([], ctx.params.get("NextToken") or None, None, bad_token=_bad_token, scope="rgta-required")
        return {"RequiredTags": []}
