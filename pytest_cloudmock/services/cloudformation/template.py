"""Reading templates: JSON or YAML (with the short-form `!Ref` tags), from a body or our S3.

Short forms become the long form (`!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`), so
everything after this module sees one shape. YAML dates stay strings (CloudFormation's
`Version: 2012-10-17` is text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import yaml

from . import errors

if TYPE_CHECKING:
    from ...api import RequestContext

TOP_LEVEL = frozenset({"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
                       "Conditions", "Transform", "Resources", "Outputs", "Hooks"})
RESOURCE_KEYS = frozenset({"Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy",
                           "Metadata", "CreationPolicy", "UpdatePolicy", "Version"})
_FUNCTIONS = ("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
              "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString", "ForEach")
MAX_RESOURCES = 500
MAX_OUTPUTS = 200
_TEMPLATE_URL = re.compile(r"^https?://(?P<host>[^/]+)/(?P<path>.*)$")


class _Loader(yaml.SafeLoader):
    """SafeLoader with CloudFormation's tags and without YAML's implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def _node_value(loader: _Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _tag(function: str) -> Any:
    def construct(loader: _Loader, node: yaml.Node) -> Any:
        value = _node_value(loader, node)
        if function == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        if function == "Ref" or function == "Condition":
            return {function: value}
        return {f"Fn::{function}": value}

    return construct


for _name in (*_FUNCTIONS, "Ref", "Condition"):
    _Loader.add_constructor(f"!{_name}", _tag(_name))


def parse(body: str) -> dict[str, Any]:
    """A template body as a dict; "Template format error" when it is neither JSON nor YAML."""
    document = parse_fragment(body)
    if not isinstance(document, dict):
        raise errors.template_format("template must be a JSON or YAML object")  # AWS's exact text unknown
    return document


def parse_fragment(body: str) -> Any:
    """JSON or YAML text (a template, or a snippet `AWS::Include` reads) as Python values."""
    text = body.strip()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise errors.template_format(f"JSON not well-formed. (line {exc.lineno},  column {exc.colno})") from None
    else:
        try:
            document = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f" (line {mark.line + 1},  column {mark.column + 1})" if mark else ""
            raise errors.template_format(f"YAML not well-formed.{where}") from None
        except yaml.YAMLError:
            raise errors.template_format("YAML not well-formed.") from None
    return document


def check_structure(template: dict[str, Any]) -> None:
    """The checks CloudFormation makes before anything is evaluated."""
    unknown = sorted(k for k in template if k not in TOP_LEVEL)
    if unknown:
        raise errors.template_format(f"Invalid template property or properties [{', '.join(unknown)}]")
    version = template.get("AWSTemplateFormatVersion")
    if version is not None and str(version) != "2010-09-09":
        raise errors.template_format(f"Unsupported template format version {version}")  # wording unknown
    resources = template.get("Resources")
    if not isinstance(resources, dict) or not resources:
        raise errors.template_format("At least one Resources member must be defined.")
    if len(resources) > MAX_RESOURCES:
        raise errors.template_format(f"Number of resources, {len(resources)}, is greater than maximum allowed, "
                                     f"{MAX_RESOURCES}")
    for logical_id, resource in resources.items():
        if not re.fullmatch(r"[A-Za-z0-9]+", str(logical_id)):
            raise errors.template_format(f"Resource name {logical_id} is non alphanumeric.")
        if not isinstance(resource, dict) or "Type" not in resource:
            raise errors.template_format(f"[/Resources/{logical_id}] Every Resources object must contain a Type member.")
        extra = sorted(k for k in resource if k not in RESOURCE_KEYS)
        if extra:
            raise errors.template_format(
                f"Invalid template resource property '{extra[0]}'")
    for section in ("Parameters", "Mappings", "Conditions", "Outputs"):
        value = template.get(section)
        if value is not None and not isinstance(value, dict):
            raise errors.template_format(f"{section} must be an object")  # AWS's exact text unknown
    outputs = template.get("Outputs") or {}
    if len(outputs) > MAX_OUTPUTS:
        raise errors.template_format(f"Number of outputs, {len(outputs)}, is greater than maximum allowed, "
                                     f"{MAX_OUTPUTS}")
    for output in outputs.values():
        if not isinstance(output, dict) or "Value" not in output:
            raise errors.template_format("Every Outputs member must contain a Value object")
    for name, condition in (template.get("Conditions") or {}).items():
        if isinstance(condition, str):
            raise errors.template_format("Every Condition member must be an object.")  # near AWS's wording
        if not isinstance(condition, dict):
            raise errors.template_format(f"Condition {name} must be an object")


def read_body(ctx: RequestContext, params: dict[str, Any], *, required: bool = True) -> str | None:
    """The template text of a request: `TemplateBody`, or `TemplateURL` read from our S3."""
    body, url = params.get("TemplateBody"), params.get("TemplateURL")
    if body and url:
        raise errors.validation("You cannot specify both TemplateURL and TemplateBody in the same request.")
    if body:
        return str(body)
    if url:
        return fetch_url(request_caller(ctx), url)
    if required:
        raise errors.validation("Either Template URL or Template Body must be specified.")
    return None


Call = Callable[[str, str, dict[str, Any]], dict[str, Any]]


def request_caller(ctx: RequestContext) -> Call:
    """`call(service, operation, params)` in the request's account and region."""
    from ...api import AWSError

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if ctx.registry is None:  # a service made outside a gateway has no other services to read
            raise AWSError("ServiceUnavailable", f"service {service} is not registered", 503)
        return ctx.registry.call(service, operation, params, account_id=ctx.account_id, region=ctx.region,
                                 caller=ctx)

    return call


def fetch_url(call: Call, url: str) -> str:
    """Read an S3 object named by an https URL (virtual-hosted, path-style or our endpoint)."""
    from ...api import AWSError

    bucket, key = s3_location(url)
    if not _TEMPLATE_URL.match(url) or not bucket or not key:
        raise errors.validation("TemplateURL must be a supported URL.")
    try:
        result = call("s3", "GetObject", {"Bucket": bucket, "Key": key})
    except AWSError as exc:
        raise errors.validation(f"S3 error: {exc.message}") from None  # AWS adds S3's text; wording approximate
    body = result.get("Body", b"")
    data = body if isinstance(body, bytes) else b"".join(body)
    return data.decode("utf-8")


def s3_location(url: str) -> tuple[str, str]:
    """(bucket, key) of a template URL: `https://b.s3.amazonaws.com/k`, `https://s3.../b/k`, ours."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path.lstrip("/"))
    if ".s3." in host or ".s3-" in host or host.endswith(".s3.amazonaws.com"):
        return host.split(".s3", 1)[0], path
    bucket, _, key = path.partition("/")
    return bucket, key
