"""The resource types the engine serves itself: nested stacks, custom resources, wait conditions.

They need the engine (a nested stack is a stack; a custom resource waits for the answer
PUT to the gateway), so they live here rather than in providers/.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...api import AWSError
from .errors import ResourceFailure
from .providers.base import Created, ProviderContext
from .waits import seconds_of

if TYPE_CHECKING:
    from .base import CloudFormationBase


def builtin_provider(service: CloudFormationBase, type_name: str) -> Any:
    if type_name == "AWS::CloudFormation::Stack":
        return NestedStack(service)
    if type_name.startswith("Custom::") or type_name == "AWS::CloudFormation::CustomResource":
        return CustomResource(service, type_name)
    if type_name == "AWS::CloudFormation::WaitConditionHandle":
        return WaitConditionHandle(service)
    if type_name == "AWS::CloudFormation::WaitCondition":
        return WaitCondition(service)
    if type_name == "AWS::CDK::Metadata":
        return CdkMetadata()
    return None


@dataclass
class CdkMetadata:
    """`AWS::CDK::Metadata`: the CDK's analytics resource; CloudFormation records it and makes nothing."""

    type_name: str = "AWS::CDK::Metadata"
    replaces: frozenset[str] = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        return Created(f"{ctx.stack_id.rsplit('/', 1)[-1]}-{ctx.logical_id}")

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        return None


@dataclass
class NestedStack:
    """`AWS::CloudFormation::Stack`: a child stack from `TemplateURL` on our S3, run in place."""

    service: Any
    type_name: str = "AWS::CloudFormation::Stack"
    replaces: frozenset[str] = frozenset()

    def _prepare(self, ctx: ProviderContext, props: dict[str, Any], previous: dict[str, str] | None = None) -> Any:
        from .preparation import prepare
        from .template import fetch_url

        url = props.get("TemplateURL")
        if not url:
            raise ResourceFailure("Property TemplateURL cannot be empty.")  # wording approximate
        body = fetch_url(lambda s, o, p: ctx.call(s, o, p), str(url))
        given = [{"ParameterKey": k, "ParameterValue": v if isinstance(v, str) else ",".join(map(str, v))
                  if isinstance(v, list) else str(v)} for k, v in (props.get("Parameters") or {}).items()]
        assert ctx.caller is not None
        return prepare(ctx.caller, body, given, previous)

    def _parent(self, ctx: ProviderContext) -> Any:
        return self.service.store.get(ctx.account_id, ctx.region).stacks.get(ctx.stack_id)

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        from .engine import Run

        try:
            prepared = self._prepare(ctx, properties)
        except AWSError as exc:
            raise ResourceFailure(exc.message) from None
        parent = self._parent(ctx)
        name = f"{ctx.stack_name}-{ctx.logical_id}-{self.service.new_token()[:12].upper()}"
        settings = {"Tags": properties.get("Tags") or ctx.stack_tags, "Capabilities": parent.capabilities,
                    "NotificationARNs": properties.get("NotificationARNs") or [],
                    "TimeoutInMinutes": properties.get("TimeoutInMinutes")}
        assert ctx.caller is not None
        child = self.service.new_stack(ctx.caller, name, prepared, settings, parent=parent)
        Run(self.service, child, ctx.caller).create("ROLLBACK")
        if child.status != "CREATE_COMPLETE":
            raise ResourceFailure(f"Embedded stack {child.stack_id} was not successfully created: {child.reason}")
        return Created(child.stack_id, self._attributes(child))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        from .engine import Run

        child = self.service.store.get(ctx.account_id, ctx.region).stacks[physical_id]
        try:
            prepared = self._prepare(ctx, new, {k: p.value for k, p in child.parameters.items()})
        except AWSError as exc:
            raise ResourceFailure(exc.message) from None
        settings = self.service.update_settings(child, prepared, {"Tags": new.get("Tags")})
        if not self.service.unchanged(child, settings):
            Run(self.service, child, ctx.caller).update(settings, False)
            if child.status != "UPDATE_COMPLETE":
                raise ResourceFailure(f"Embedded stack {child.stack_id} was not successfully updated. "
                                      f"Currently in {child.status}.")  # wording approximate
        return Created(child.stack_id, self._attributes(child))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        from .engine import Run

        child = self.service.store.get(ctx.account_id, ctx.region).stacks.get(physical_id)
        if child is None or not child.active:
            return
        Run(self.service, child, ctx.caller).delete()
        if child.status != "DELETE_COMPLETE":
            raise ResourceFailure(f"Embedded stack {child.stack_id} was not successfully deleted: {child.reason}")

    @staticmethod
    def _attributes(child: Any) -> dict[str, Any]:
        return {f"Outputs.{o['OutputKey']}": o["OutputValue"] for o in child.outputs}


@dataclass
class CustomResource:
    """`Custom::*`: the documented request sent to a Lambda function (or SNS topic); the answer
    is PUT to the ResponseURL the gateway serves; the stack waits for it up to `ServiceTimeout`
    seconds of the gateway clock (an hour by default), without holding the dispatcher."""

    service: Any
    type_name: str
    replaces: frozenset[str] = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        answer = self._request(ctx, "Create", properties)
        return Created(str(answer.get("PhysicalResourceId") or self.service.new_token()), _data(answer))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        answer = self._request(ctx, "Update", new, physical_id, old)
        return Created(str(answer.get("PhysicalResourceId") or physical_id), _data(answer))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        self._request(ctx, "Delete", properties, physical_id)

    def _request(self, ctx: ProviderContext, kind: str, properties: dict[str, Any], physical_id: str = "",
                 old: dict[str, Any] | None = None) -> dict[str, Any]:
        token = properties.get("ServiceToken")
        if not token:
            raise ResourceFailure("Property ServiceToken cannot be empty.")  # wording approximate
        request_id = self.service.new_token()
        endpoint = ctx.caller.endpoint if ctx.caller is not None else ""
        event: dict[str, Any] = {
            "RequestType": kind, "ServiceToken": token,
            "ResponseURL": self.service.response_url(endpoint, "responses", request_id),
            "StackId": ctx.stack_id, "RequestId": request_id, "LogicalResourceId": ctx.logical_id,
            "ResourceType": self.type_name, "ResourceProperties": properties,
        }
        if physical_id:
            event["PhysicalResourceId"] = physical_id
        if old is not None:
            event["OldResourceProperties"] = old
        payload = json.dumps(event).encode()
        try:
            if ":sns:" in str(token):
                ctx.call("sns", "Publish", {"TopicArn": token, "Message": payload.decode()})
            else:
                ctx.call("lambda", "Invoke", {"FunctionName": token, "Payload": payload})
        except AWSError as exc:
            raise ResourceFailure(exc.message) from None
        answers = self.service.wait_for_answers(request_id, 1, seconds_of(properties.get("ServiceTimeout"), 3600.0))
        if not answers:
            # AWS's event text for a custom resource that never answered (wording approximate).
            raise ResourceFailure("CloudFormation did not receive a response from your Custom Resource. Please "
                                  "check your custom resource and Lambda function logs for errors.")
        answer = answers[0]
        if answer.get("Status") != "SUCCESS":
            # A failed Create that names a resource gets a Delete request on rollback, as on AWS.
            raise ResourceFailure(f"Received response status [{answer.get('Status')}] from custom resource. "
                                  f"Message returned: {answer.get('Reason', '')} (RequestId: {request_id})",
                                  str(answer.get("PhysicalResourceId") or "") if kind == "Create" else "")
        return answer


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    data = answer.get("Data") or {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


@dataclass
class WaitConditionHandle:
    """A presigned-URL-like address on the gateway that `WaitCondition` listens on."""

    service: Any
    type_name: str = "AWS::CloudFormation::WaitConditionHandle"
    replaces: frozenset[str] = frozenset({"*"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        endpoint = ctx.caller.endpoint if ctx.caller is not None else ""
        return Created(self.service.response_url(endpoint, "waitconditions", self.service.new_token()))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        return None


@dataclass
class WaitCondition:
    """Waits for `Count` signals PUT to its handle's URL, `Timeout` seconds of the gateway clock."""

    service: Any
    type_name: str = "AWS::CloudFormation::WaitCondition"
    replaces: frozenset[str] = frozenset({"Handle", "Timeout"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        physical = f"arn:aws:cloudformation:{ctx.region}:{ctx.account_id}:stack/{ctx.stack_name}/" \
                   f"{ctx.stack_id.rsplit('/', 1)[-1]}/{ctx.logical_id}"
        handle = str(properties.get("Handle") or "")
        if not handle:
            return Created(physical, {"Data": "{}"})  # a CreationPolicy wait: signals via SignalResource
        token = handle.rstrip("/").rsplit("/", 1)[-1]
        count = int(properties.get("Count") or 1)
        answers = self.service.wait_for_answers(token, count, min(seconds_of(properties.get("Timeout"), 43200.0),
                                                                  43200.0))
        failed = [a for a in answers if a.get("Status") != "SUCCESS"]
        if failed:
            raise ResourceFailure(f"WaitCondition received failed message: '{failed[0].get('Reason', '')}' for "
                                  f"uniqueId: {failed[0].get('UniqueId', '')}")
        if len(answers) < count:
            raise ResourceFailure(f"WaitCondition timed out. Received {len(answers)} conditions when expecting "
                                  f"{count}")
        data = {str(a.get("UniqueId", i)): a.get("Data", "") for i, a in enumerate(answers)}
        return Created(physical, {"Data": json.dumps(data)})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        return Created(physical_id, {"Data": "{}"})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        return None
