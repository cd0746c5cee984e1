"""Built-in Tier 1 services: each module here with a `SERVICE` class is one service.

Discovery lists module names only (no import); a service's module is imported
the first time a request or a test asks for it. A module's name is its botocore
service name, spelled as Python allows: `_` for `-` (`cognito_idp` serves
`cognito-idp`), and a trailing underscore on a Python keyword (`lambda_` serves `lambda`).
"""

from __future__ import annotations

import importlib
import keyword
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..api import Service
from ..wire import WireRequest

_NOT_SERVICES = {"base"}

#: Wire names a built-in service answers besides its own, known before it is first made
#: (a lazy service's profile is read only then): S3 Express (directory buckets,
#: CreateSession) signs with `s3express`, S3 Object Lambda (WriteGetObjectResponse) with
#: `s3-object-lambda`.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {"s3": ("s3express", "s3-object-lambda")}


@dataclass(frozen=True)
class PublicEndpoint:
    """Plain HTTP a built-in service answers on the gateway's port, unsigned and outside its
    model: deployed APIs (`<id>.execute-api.localhost`), function URLs, a pool's JWKS.

    A request whose host (less port, lower case) matches `host`, or whose path matches
    `path`, goes to `service` as the operation its `unmodelled_operation` names, with
    the raw request on `ctx.wire`; signature checks do not apply (as on AWS, where these
    endpoints do their own authorization).
    """

    service: str
    host: re.Pattern[str] | None = None
    path: re.Pattern[str] | None = None

    def matches(self, request: WireRequest) -> bool:
        if self.path is not None and self.path.match(request.path):
            return True
        if self.host is None:
            return False
        return bool(self.host.match(request.host.split(":")[0].lower()))


#: Every built-in service's public endpoints, known before the service is first made.
PUBLIC_ENDPOINTS: tuple[PublicEndpoint, ...] = (
    # function URLs: `<endpoint>/_aws/lambda-url/<url-id>/...` or `<url-id>.lambda-url.<region>.<host>`
    PublicEndpoint("lambda", host=re.compile(r"^[a-z0-9]{32}\.lambda-url\."),
                   path=re.compile(r"^/_aws/lambda-url/[a-z0-9]{32}(/|$)")),
    # user pools: `<endpoint>/<pool-id>/.well-known/...`; a domain's OAuth 2.0 endpoints at
    # `<domain>.auth.<region>.<host>/oauth2/...` or `<endpoint>/_aws/cognito-idp/<domain>/oauth2/...`
    PublicEndpoint("cognito-idp", host=re.compile(r"^[a-z0-9-]+\.auth\.[a-z0-9-]+\."), path=re.compile(
        r"^/(?:[a-z]{2}(?:-[a-z]+)+-\d_[0-9A-Za-z]+/\.well-known/|_aws/cognito-idp/)")),
    # deployed APIs (v1 and v2): `<api-id>.execute-api.<host>/<stage>/...` or `<endpoint>/_aws/execute-api/<api-id>/...`
    PublicEndpoint("apigateway", host=re.compile(r"^[a-z0-9]+\.execute-api\."), path=re.compile(r"^/_aws/execute-api/")),
    # custom resource response URLs and wait condition handles: `<endpoint>/_aws/cloudformation/...`
    PublicEndpoint("cloudformation", path=re.compile(r"^/_aws/cloudformation/(?:responses|waitconditions)/")),
)


def service_name(module: str) -> str:
    """The service a module serves: its name, less the `_` a Python keyword needs (`lambda_`),
    with `-` for `_` (botocore's names have hyphens, never underscores)."""
    bare = module.removesuffix("_")
    if bare != module and keyword.iskeyword(bare):
        return bare
    return module.replace("_", "-")


@lru_cache(maxsize=1)
def _modules() -> dict[str, str]:
    """Service name -> module name, for every built-in service module."""
    return {
        service_name(m.name): m.name for m in pkgutil.iter_modules(__path__)
        if not m.name.startswith("_") and m.name not in _NOT_SERVICES
    }


def builtin_names() -> tuple[str, ...]:
    """Names of the built-in services (botocore service names)."""
    return tuple(sorted(_modules()))


def builtin_factory(name: str) -> Callable[[], Service]:
    """A factory that imports the service's module on first call and makes the service."""

    def make() -> Service:
        module = importlib.import_module(f"{__name__}.{_modules().get(name, name)}")
        return module.SERVICE()

    return make
