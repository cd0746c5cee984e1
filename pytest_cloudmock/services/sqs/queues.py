"""Queue operations: create, get URL, list, delete, attributes, tags, purge, permissions."""

from __future__ import annotations

import json
import re
from typing import Any

from sortedcontainers import SortedDict

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token, keyset_page
from . import attributes, errors
from .base import SqsBase
from .state import Queue

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_FIFO_NAME = re.compile(r"^[A-Za-z0-9_-]{1,75}\.fifo$")
_LABEL = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
MAX_TAGS = 50
PURGE_INTERVAL = 60.0
RECREATE_INTERVAL = 60.0  # a deleted queue's name is taken for this long
# Actions AddPermission may grant (AWS: any action but the owner-only ones, or `*`).
SHARED_ACTIONS = {
    "*", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "DeleteMessage", "DeleteMessageBatch",
    "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "ListQueueTags", "PurgeQueue",
    "ReceiveMessage", "SendMessage", "SendMessageBatch", "CancelMessageMoveTask", "ListMessageMoveTasks",
    "StartMessageMoveTask",
}
OWNER_ONLY_ACTIONS = {"AddPermission", "CreateQueue", "DeleteQueue", "RemovePermission", "SetQueueAttributes",
                      "TagQueue", "UntagQueue", "ListQueues"}
MAX_PERMISSION_ACTIONS = 7  # AddPermission's limit (the model's OverLimit error)


class QueueOperations(SqsBase):
    """The queue-level half of SQS."""

    def create_queue(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        name = params["QueueName"]
        requested = dict(params.get("Attributes") or {})
        fifo_flag = requested.get("FifoQueue", "false")
        if fifo_flag.lower() not in ("true", "false"):
            raise errors.invalid_attribute_value("FifoQueue")
        fifo = fifo_flag.lower() == "true"
        if fifo and not _FIFO_NAME.match(name):
            raise errors.invalid_parameter(
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                "underscores, must end with .fifo suffix and be 1 to 80 in length."
            )
        if not fifo and not _NAME.match(name):
            raise errors.invalid_parameter(
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
            )
        arn = self.queue_arn(ctx, ctx.account_id, name)
        normalized = attributes.validate(requested, fifo, self.queue_by_arn, arn, creating=True)
        tags = _check_tags(params.get("tags") or {})
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            now = ctx.clock.now()
            deleted = state.deleted.get(name)
            if deleted is not None and now - deleted < RECREATE_INTERVAL:
                raise AWSError(
                    "QueueDeletedRecently",
                    "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
                )
            state.deleted.pop(name, None)
            existing = state.queues.get(name)
            if existing is not None:
                different = attributes.differing(existing, normalized)
                if different:
                    raise AWSError(
                        "QueueNameExists",
                        f"A queue already exists with the same name and a different value for attribute {different}",
                    )
                return {"QueueUrl": self.queue_url(ctx, existing)}
            queue = Queue(
                name=name,
                account_id=ctx.account_id,
                region=ctx.region,
                arn=arn,
                attributes=attributes.initial(normalized, fifo),
                created=now,
                modified=now,
                tags=tags,
            )
            state.queues[name] = queue
        return {"QueueUrl": self.queue_url(ctx, queue)}

    def get_queue_url(self, ctx: RequestContext) -> dict[str, Any]:
        owner = ctx.params.get("QueueOwnerAWSAccountId") or ctx.account_id
        state = self.store.find(owner, ctx.region)
        queue = state.queues.get(ctx.params["QueueName"]) if state is not None else None
        if queue is None:
            raise errors.queue_does_not_exist()
        return {"QueueUrl": self.queue_url(ctx, queue)}

    def list_queues(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        prefix = params.get("QueueNamePrefix") or ""
        state = self.store.find(ctx.account_id, ctx.region)
        with self.store.lock:  # other requests create and delete queues meanwhile
            queues, token = prefix_page(state.queues if state is not None else SortedDict(), prefix, params,
                                        f"ListQueues:{ctx.account_id}:{ctx.region}:{prefix}")
        out: dict[str, Any] = {}
        if queues:
            out["QueueUrls"] = [self.queue_url(ctx, q) for q in queues]
        if token:
            out["NextToken"] = token
        return out

    def delete_queue(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        with self.store.lock:
            state = self.store.find(queue.account_id, queue.region)
            if state is not None and state.queues.get(queue.name) is queue:
                del state.queues[queue.name]
                state.deleted[queue.name] = ctx.clock.now()
        cond = self.condition(queue)
        with cond:
            queue.purge()
            cond.notify_all()
        return {}

    def get_queue_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        with self.condition(queue):
            values = attributes.read(queue, ctx.params.get("AttributeNames") or [], ctx.clock.now())
        return {"Attributes": values} if values else {}

    def set_queue_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        changes = attributes.validate(
            ctx.params.get("Attributes") or {}, queue.fifo, self.queue_by_arn, queue.arn, creating=False
        )
        cond = self.condition(queue)
        with cond:
            changes.update(attributes.encryption_changes(queue.attributes, changes))
            for name, value in changes.items():
                if value == "" and name in ("Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"):
                    queue.attributes.pop(name, None)
                else:
                    queue.attributes[name] = value
            queue.modified = ctx.clock.now()
            cond.notify_all()
        return {}

    # -- tags ---------------------------------------------------------------------------
    def tag_queue(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        with self.store.lock:
            merged = {**queue.tags, **_check_tags(ctx.params.get("Tags") or {})}
            if len(merged) > MAX_TAGS:
                raise errors.invalid_parameter(f"Too many tags added for queue {queue.name}.")
            queue.tags = merged
        return {}

    def untag_queue(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        removed = set(ctx.params.get("TagKeys") or [])
        with self.store.lock:
            queue.tags = {k: v for k, v in queue.tags.items() if k not in removed}
        return {}

    def list_queue_tags(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        return {"Tags": dict(queue.tags)} if queue.tags else {}

    # -- purge and permissions -------------------------------------------------------------
    def purge_queue(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        now = ctx.clock.now()
        with self.condition(queue):
            if now - queue.purged_at < PURGE_INTERVAL:
                raise AWSError(
                    "PurgeQueueInProgress",
                    f"Only one PurgeQueue operation on {queue.name} is allowed every 60 seconds.",
                    403,
                )
            queue.purged_at = now
            queue.purge()
        return {}

    def add_permission(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self._add_permission(ctx, self.queue(ctx))

    def _add_permission(self, ctx: RequestContext, queue: Queue) -> dict[str, Any]:
        params = ctx.params
        label = params["Label"]
        if not _LABEL.match(label):
            raise errors.invalid_value("Label", label, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        accounts, actions = params.get("AWSAccountIds") or [], params.get("Actions") or []
        if not accounts:
            raise errors.missing_parameter("AWSAccountIds")
        if not actions:
            raise errors.missing_parameter("Actions")
        if len(actions) > MAX_PERMISSION_ACTIONS:
            # AWS's exact wording is not documented.
            raise AWSError("OverLimit", f"{len(actions)} Actions were found, maximum allowed is {MAX_PERMISSION_ACTIONS}.", 403)
        for action in actions:
            # AWS's wording for these two cases is not documented (the code is).
            if action in OWNER_ONLY_ACTIONS:
                raise errors.invalid_value("ActionName", f"SQS:{action}", "Only the queue owner is allowed to invoke this action.")
            if action not in SHARED_ACTIONS:
                raise errors.invalid_value("ActionName", f"SQS:{action}", "Please refer to the appropriate WSDL for a list of valid actions.")
        for account in accounts:
            if not re.fullmatch(r"\d{12}", account):
                raise errors.invalid_value("PrincipalId", account, "Unable to verify.")  # wording not documented
        policy = _policy_doc(queue)
        if any(s.get("Sid") == label for s in policy["Statement"]):
            raise errors.invalid_value("Label", label, "Already exists.")
        principals = [f"arn:{ctx.partition}:iam::{a}:root" for a in accounts]
        policy["Statement"].append({
            "Sid": label,
            "Effect": "Allow",
            "Principal": {"AWS": principals[0] if len(principals) == 1 else principals},
            "Action": [f"SQS:{a}" for a in actions] if len(actions) > 1 else f"SQS:{actions[0]}",
            "Resource": queue.arn,
        })
        queue.attributes["Policy"] = json.dumps(policy, separators=(",", ":"))
        return {}

    def remove_permission(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self._remove_permission(ctx, self.queue(ctx))

    def _remove_permission(self, ctx: RequestContext, queue: Queue) -> dict[str, Any]:
        label = ctx.params["Label"]
        policy = _policy_doc(queue)
        kept = [s for s in policy["Statement"] if s.get("Sid") != label]
        if len(kept) == len(policy["Statement"]):
            raise errors.invalid_value("Label", label, "can't find label on existing policy.")
        if kept:
            queue.attributes["Policy"] = json.dumps({**policy, "Statement": kept}, separators=(",", ":"))
        else:
            queue.attributes.pop("Policy", None)
        return {}


def _policy_doc(queue: Queue) -> dict[str, Any]:
    current = queue.attributes.get("Policy")
    if current:
        doc = json.loads(current)
        if isinstance(doc.get("Statement"), dict):
            doc["Statement"] = [doc["Statement"]]
        return doc
    return {"Version": "2012-10-17", "Id": f"{queue.arn}/SQSDefaultPolicy", "Statement": []}


def _check_tags(tags: dict[str, str]) -> dict[str, str]:
    if len(tags) > MAX_TAGS:
        raise errors.invalid_parameter(f"Too many tags: {len(tags)}, the maximum is {MAX_TAGS}.")
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or len(value) > 256:
            raise errors.invalid_parameter(f"Tag {key!r} is invalid: keys are 1 to 128 characters, values up to 256.")
    return dict(tags)


def names_page(
    names: list[str], params: dict[str, Any], listing: str, limit: int = 1000
) -> tuple[list[str], str | None]:
    """A page of sorted queue names after `NextToken`; the next token only with `MaxResults`.

    Keyset pages (stable while queues come and go), tokens scoped to `listing`.
    """
    max_results = _max_results(params, limit)
    page, token = keyset_page(names, lambda name: name, params.get("NextToken"), max_results or limit,
                              bad_token=_bad_token, scope=listing)
    return page, token if max_results is not None else None


def prefix_page(
    queues: SortedDict, prefix: str, params: dict[str, Any], listing: str, limit: int = 1000
) -> tuple[list[Queue], str | None]:
    """`names_page` over the queues (by name) whose names start with `prefix`, seeking to the
    page's first name instead of sorting every name: a page costs its own size, not the region's."""
    max_results = _max_results(params, limit)
    size = max_results or limit
    token = params.get("NextToken")
    names = queues.irange(prefix)
    if token:
        after = decode_token(token, _bad_token, listing)
        if not isinstance(after, str):  # keyset_page's comparison fails when there is a name to compare with
            if next((n for n in names if n.startswith(prefix)), None) is not None:
                raise _bad_token()
            return [], None
        if after >= prefix:
            names = queues.irange(after, inclusive=(False, True))
    taken: list[str] = []
    for name in names:
        if not name.startswith(prefix) or len(taken) > size:
            break
        taken.append(name)
    page = taken[:size]
    more = len(taken) > size
    next_token = encode_token(page[-1], listing) if more and page and max_results is not None else None
    return [queues[n] for n in page], next_token


def _max_results(params: dict[str, Any], limit: int) -> int | None:
    max_results = params.get("MaxResults")
    if max_results is not None and not 1 <= max_results <= limit:
        raise errors.invalid_value("MaxResults", max_results, f"MaxResults must be an integer between 1 and {limit}.")
    return max_results


def _bad_token() -> AWSError:
    return errors.invalid_parameter("Invalid NextToken value.")
