"""Tags (stream-named and ARN-named operations) and resource policies of streams and consumers."""

from __future__ import annotations

import json
from typing import Any

from ...api import RequestContext
from ...paging import tag_key_page
from . import errors
from .base import KinesisBase
from .state import Stream

MAX_TAGS = 50


class TagOperations(KinesisBase):
    def _resource(self, ctx: RequestContext, arn: str) -> tuple[Stream, dict[str, str]]:
        """The stream an ARN names, and the tag map of it (or of the consumer it names)."""
        stream_arn, _, consumer = arn.partition("/consumer/")
        stream = self.stream(ctx, {"StreamARN": stream_arn})
        if not consumer:
            return stream, stream.tags
        found = next((c for c in stream.consumers.values() if c.arn == arn), None)
        if found is None:
            raise errors.not_found(f"Consumer {arn} under account {stream.account_id} not found.")
        return stream, self.store.get(stream.account_id, stream.region).consumer_tags.setdefault(arn, {})

    @staticmethod
    def _add(stream: Stream, tags: dict[str, str], new: dict[str, str]) -> None:
        if len({**tags, **new}) > MAX_TAGS:
            raise errors.invalid(f"Failed to add tags to stream {stream.name} under account {stream.account_id} "
                                 f"because a given stream cannot have more than {MAX_TAGS} tags.")
        tags.update(new)

    def add_tags_to_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            self._add(stream, stream.tags, ctx.params["Tags"])
        return {}

    def remove_tags_from_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            for key in ctx.params["TagKeys"]:
                stream.tags.pop(key, None)
        return {}

    def list_tags_for_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = dict(self.stream(ctx).tags)
        return tag_key_page(tags, ctx.params)

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream, tags = self._resource(ctx, ctx.params["ResourceARN"])
            self._add(stream, tags, ctx.params["Tags"])
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            _stream, tags = self._resource(ctx, ctx.params["ResourceARN"])
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            _stream, tags = self._resource(ctx, ctx.params["ResourceARN"])
            return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}

    # -- resource policies ----------------------------------------------------------------
    def put_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        arn, policy = ctx.params["ResourceARN"], ctx.params["Policy"]
        try:
            document = json.loads(policy)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise errors.invalid("Policy is not a valid JSON document.")  # AWS's text unknown; ours
        with self.store.lock:
            stream, _tags = self._resource(ctx, arn)
            self.store.get(stream.account_id, stream.region).policies[arn] = policy
        return {}

    def get_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["ResourceARN"]
        with self.store.lock:
            stream, _tags = self._resource(ctx, arn)
            # A resource without a policy answers an empty document (AWS's behaviour as we understand it).
            return {"Policy": self.store.get(stream.account_id, stream.region).policies.get(arn, "{}")}

    def delete_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["ResourceARN"]
        with self.store.lock:
            stream, _tags = self._resource(ctx, arn)
            policies = self.store.get(stream.account_id, stream.region).policies
            if arn not in policies:
                raise errors.not_found(f"No resource policy found for resource ARN {arn}.")  # ours
            del policies[arn]
        return {}
