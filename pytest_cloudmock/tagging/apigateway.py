"""API Gateway's taggable resources for the tagging interface: REST API resources (v1) and HTTP
and WebSocket API resources (v2), which share the `apigateway` ARN namespace.

ARNs are path-style and region-scoped without an account (`arn:aws:apigateway:<region>::/restapis/<id>`);
the resources that take tags are AWS's list (API Gateway developer guide, "API Gateway
resources that can be tagged"): REST APIs and their stages, API keys, usage plans, client
certificates, domain names and VPC links (v1); APIs and their stages, domain names and VPC
links (v2). A domain name or VPC link ARN is settled by which API holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import Call, TaggedResource, every, not_taggable


def _path(arn: str) -> list[str]:
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "apigateway" or not parts[5].startswith("/"):
        return []
    return parts[5].strip("/").split("/")


@dataclass(frozen=True)
class _ApiGatewayAdapter:
    """What v1 and v2 share: tags by ARN through `TagResource`/`UntagResource`/`GetTags`."""

    service: str
    #: The collections (first path segment) this API owns alone, and those it shares.
    own: tuple[str, ...]
    shared: tuple[str, ...] = ("domainnames", "vpclinks")
    arn_service: str = "apigateway"

    @property
    def arn_services(self) -> tuple[str, ...]:
        return (self.arn_service,)

    def owns(self, arn: str) -> bool:
        path = _path(arn)
        return bool(path) and path[0] in (*self.own, *self.shared)

    def holds(self, call: Call, arn: str) -> bool:
        """Whether this API holds the resource a shared ARN form names."""
        path = _path(arn)
        return any(r.arn == arn for r in self._shared(call, path[0])) if path else False

    def _arn(self, call: Call, path: str) -> str:
        return f"arn:aws:apigateway:{call.region}::{path}"

    def _found(self, call: Call, path: str) -> TaggedResource:
        arn = self._arn(call, path)
        return TaggedResource(arn, self.tags_of(call, arn))

    def _exists(self, call: Call, arn: str) -> None:
        """API Gateway keeps tags by ARN whatever it names; a resource that is not there takes none."""
        if not any(r.arn == arn for r in self.resources(call)):
            raise not_taggable(arn)

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        raise NotImplementedError

    def _shared(self, call: Call, collection: str) -> Iterator[TaggedResource]:
        raise NotImplementedError

    def tags_of(self, call: Call, arn: str) -> dict[str, str]:
        raise NotImplementedError


class RestApis(_ApiGatewayAdapter):
    """API Gateway v1 (`apigateway`): members are camelCase, lists paged by `position`."""

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for api in every(call, "GetRestApis", {}, "items", "position"):
            yield self._found(call, f"/restapis/{api['id']}")
            for stage in call("GetStages", {"restApiId": api["id"]}).get("item") or []:
                yield self._found(call, f"/restapis/{api['id']}/stages/{stage['stageName']}")
        for operation, collection in (("GetApiKeys", "apikeys"), ("GetUsagePlans", "usageplans"),
                                      ("GetClientCertificates", "clientcertificates")):
            for item in every(call, operation, {}, "items", "position"):
                yield self._found(call, f"/{collection}/{item.get('id') or item.get('clientCertificateId')}")
        yield from self._shared(call, "domainnames")
        yield from self._shared(call, "vpclinks")

    def _shared(self, call: Call, collection: str) -> Iterator[TaggedResource]:
        operation, key = {"domainnames": ("GetDomainNames", "domainName"), "vpclinks": ("GetVpcLinks", "id")}[collection]
        for item in every(call, operation, {}, "items", "position"):
            yield self._found(call, f"/{collection}/{item[key]}")

    def tags_of(self, call: Call, arn: str) -> dict[str, str]:
        return dict(call("GetTags", {"resourceArn": arn}).get("tags") or {})

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        self._exists(call, arn)
        call("TagResource", {"resourceArn": arn, "tags": tags})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        self._exists(call, arn)
        call("UntagResource", {"resourceArn": arn, "tagKeys": keys})


class HttpApis(_ApiGatewayAdapter):
    """API Gateway v2 (`apigatewayv2`): members are PascalCase, lists paged by `NextToken`."""

    def resources(self, call: Call) -> Iterable[TaggedResource]:
        for api in every(call, "GetApis", {}, "Items"):
            yield self._found(call, f"/apis/{api['ApiId']}")
            for stage in every(call, "GetStages", {"ApiId": api["ApiId"]}, "Items"):
                yield self._found(call, f"/apis/{api['ApiId']}/stages/{stage['StageName']}")
        yield from self._shared(call, "domainnames")
        yield from self._shared(call, "vpclinks")

    def _shared(self, call: Call, collection: str) -> Iterator[TaggedResource]:
        operation, key = {"domainnames": ("GetDomainNames", "DomainName"), "vpclinks": ("GetVpcLinks", "VpcLinkId")}[collection]
        for item in every(call, operation, {}, "Items"):
            yield self._found(call, f"/{collection}/{item[key]}")

    def tags_of(self, call: Call, arn: str) -> dict[str, str]:
        return dict(call("GetTags", {"ResourceArn": arn}).get("Tags") or {})

    def tag(self, call: Call, arn: str, tags: dict[str, str]) -> None:
        self._exists(call, arn)
        call("TagResource", {"ResourceArn": arn, "Tags": tags})

    def untag(self, call: Call, arn: str, keys: list[str]) -> None:
        self._exists(call, arn)
        call("UntagResource", {"ResourceArn": arn, "TagKeys": keys})
