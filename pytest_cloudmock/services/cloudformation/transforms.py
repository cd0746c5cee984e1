"""Template transforms: `AWS::Serverless-2016-10-31` (SAM) and `AWS::LanguageExtensions`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from ...api import RequestContext

SAM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


def transforms_of(document: dict[str, Any]) -> list[str]:
    names = document.get("Transform") or []
    return [names] if isinstance(names, str) else [n for n in names if isinstance(n, str)]


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
