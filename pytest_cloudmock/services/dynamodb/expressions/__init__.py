"""DynamoDB's expression language: tokenizer, parser, evaluation and updates."""

from __future__ import annotations

from .evaluate import matches, project, resolve
from .nodes import Path, Update
from .parser import Expressions, check_overlaps
from .update import apply_update

__all__ = ["Expressions", "Path", "Update", "apply_update", "check_overlaps", "matches", "project", "resolve"]
