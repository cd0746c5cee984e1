"""Tags on AWS Config's own resources, and stored queries."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from . import errors
from .base import ConfigBase
from .state import ConfigState


def known_arns(state: ConfigState) -> set[str]:
    """The ARNs of the resources that take tags (lock held)."""
    return ({r["ConfigRuleArn"] for r in state.rules.values()}
            | {a["ConfigurationAggregatorArn"] for a in state.aggregators.values()}
            | {a["AggregationAuthorizationArn"] for a in state.authorizations.values()}
            | {q["QueryArn"] for q in state.stored_queries.values()}
            | {p["ConformancePackArn"] for p in state.packs.values()}
            | {r.arn for r in state.recorders.values()})


class TaggingOperations(ConfigBase):
    """TagResource, UntagResource, ListTagsForResource and stored queries."""

    def _tagged(self, ctx: RequestContext) -> tuple[ConfigState, str]:
        arn = ctx.params["ResourceArn"]
        state = self.state(ctx)
        if arn not in known_arns(state):
            raise errors.not_found(f"ResourceArn '{arn}' does not exist")  # wording ours
        return state, arn

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state, arn = self._tagged(ctx)
            before = dict(state.tags.get(arn, {}))
            try:
                self.put_tags(state, arn, ctx.params["Tags"])
            except errors.AWSError:
                state.tags[arn] = before
                raise
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state, arn = self._tagged(ctx)
            tags = state.tags.get(arn, {})
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state, arn = self._tagged(ctx)
            tags = sorted(state.tags.get(arn, {}).items())
        page, token = self.page(ctx, tags, default=50)
        out: dict[str, Any] = {"Tags": [{"Key": k, "Value": v} for k, v in page]}
        if token:
            out["NextToken"] = token
        return out

    # -- stored queries -------------------------------------------------------------------
    def put_stored_query(self, ctx: RequestContext) -> dict[str, Any]:
        given = ctx.params["StoredQuery"]
        name = given["QueryName"]
        state = self.state(ctx)
        with self.store.lock:
            existing = state.stored_queries.get(name)
            query_id = existing["QueryId"] if existing else f"query-{uuid.uuid4().hex[:16]}"
            arn = existing["QueryArn"] if existing else self.arn(ctx, f"stored-query/{name}/{query_id}")
            state.stored_queries[name] = {"QueryId": query_id, "QueryArn": arn, "QueryName": name,
                                          **{k: given[k] for k in ("Description", "Expression") if k in given}}
            self.put_tags(state, arn, ctx.params.get("Tags"))
        return {"QueryArn": arn}

    def _query(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["QueryName"]
        with self.store.lock:
            found = self.state(ctx).stored_queries.get(name)
        if found is None:
            raise errors.not_found(f"The query {name} does not exist.")  # wording ours
        return found

    def get_stored_query(self, ctx: RequestContext) -> dict[str, Any]:
        return {"StoredQuery": self._query(ctx)}

    def delete_stored_query(self, ctx: RequestContext) -> dict[str, Any]:
        found = self._query(ctx)
        with self.store.lock:
            state = self.state(ctx)
            state.stored_queries.pop(found["QueryName"], None)
            state.tags.pop(found["QueryArn"], None)
        return {}

    def list_stored_queries(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rows = [q for _, q in sorted(self.state(ctx).stored_queries.items())]
        page, token = self.page(ctx, rows, limit="MaxResults", default=100)
        out: dict[str, Any] = {"StoredQueryMetadata": [
            {k: q[k] for k in ("QueryId", "QueryArn", "QueryName", "Description") if k in q} for q in page]}
        if token:
            out["NextToken"] = token
        return out
