"""Event source mappings (filled in below)."""

from __future__ import annotations

from .base import LambdaBase


class MappingOps(LambdaBase):
    def reset_mappings(self) -> None:
        pass
