"""Template transforms: `AWS::Serverless-2016-10-31` (SAM) and `AWS::LanguageExtensions`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from ...api import RequestContext

SAM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


INCLUDE = "AWS::Include"


def transforms_of(document: dict[str, Any]) -> list[str]:
    """The named transforms a template declares (an `AWS::Include` entry is expanded on its own)."""
    names = document.get("Transform") or []
    return [names] if isinstance(names, str) else [n for n in names if isinstance(n, str)] \
        if isinstance(names, list) else []


def expand_includes(ctx: RequestContext, document: dict[str, Any]) -> dict[str, Any]:
    """`AWS::Include`: snippets read from our S3, at the top level (`Transform: {Name: AWS::Include,
    ...}`) and wherever `Fn::Transform` names it; other macros are not known to cloudmock."""
    declared = document.get("Transform")
    entries = declared if isinstance(declared, list) else [declared] if declared else []
    top = [e for e in entries if isinstance(e, dict)]
    out = _expand_includes(ctx, {k: v for k, v in document.items() if k != "Transform"})
    for entry in top:
        out = {**out, **_include(ctx, entry)}
    names = [e for e in entries if isinstance(e, str)]
    if names:
        out["Transform"] = names
    return out


def _expand_includes(ctx: RequestContext, value: Any) -> Any:
    if isinstance(value, list):
        return [_expand_includes(ctx, v) for v in value]
    if not isinstance(value, dict):
        return value
    if "Fn::Transform" in value:
        snippet = _include(ctx, value["Fn::Transform"])
        rest = {k: v for k, v in value.items() if k != "Fn::Transform"}
        if not rest:
            return _expand_includes(ctx, snippet)
        value = {**rest, **snippet} if isinstance(snippet, dict) else rest
    return {k: _expand_includes(ctx, v) for k, v in value.items()}


def _include(ctx: RequestContext, spec: Any) -> Any:
    from .template import fetch_url, parse_fragment, request_caller

    if not isinstance(spec, dict) or spec.get("Name") != INCLUDE:
        name = spec.get("Name") if isinstance(spec, dict) else spec
        raise errors.validation(f"Transform {ctx.account_id}::{name} failed with: Transform does not exist")
    location = str((spec.get("Parameters") or {}).get("Location") or "")
    if location.startswith("s3://"):
        bucket, _, key = location[5:].partition("/")
        location = f"https://{bucket}.s3.amazonaws.com/{key}"
    return parse_fragment(fetch_url(request_caller(ctx), location))


def apply_transforms(ctx: RequestContext, document: dict[str, Any], names: list[str],
                     parameters: dict[str, Any]) -> dict[str, Any]:
    """The processed template (what `GetTemplate(TemplateStage=Processed)` gives)."""
    from .language_extensions import expand_language_extensions
    from .sam import expand_sam

    processed = {k: v for k, v in document.items() if k != "Transform"}
    for name in names:
        if name == LANGUAGE_EXTENSIONS:
            processed = expand_language_extensions(processed, parameters)
        elif name == SAM:
            processed = expand_sam(ctx, processed)
        else:
            raise errors.validation(f"Transform {ctx.account_id}::{name} failed with: Transform does not exist")
    return processed
