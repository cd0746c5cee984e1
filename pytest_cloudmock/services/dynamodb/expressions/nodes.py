"""The syntax tree of parsed expressions (names and values already resolved)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PathElement = str | int


@dataclass(frozen=True)
class Path:
    elements: tuple[PathElement, ...]

    @property
    def top(self) -> str:
        return str(self.elements[0])

    def shown(self) -> str:
        """The path as AWS prints it in overlap messages: `[a, b, [0]]`."""
        return "[" + ", ".join(f"[{e}]" if isinstance(e, int) else e for e in self.elements) + "]"


@dataclass(frozen=True)
class Value:
    value: dict[str, Any]
    name: str


@dataclass(frozen=True)
class Func:
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Arith:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Compare:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Between:
    operand: Any
    low: Any
    high: Any


@dataclass(frozen=True)
class In:
    operand: Any
    options: tuple[Any, ...]


@dataclass(frozen=True)
class And:
    left: Any
    right: Any


@dataclass(frozen=True)
class Or:
    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class Paren:
    """A parenthesised condition (kept only to refuse redundant parentheses)."""

    operand: Any


@dataclass(frozen=True)
class UpdateAction:
    """One action of an update: `SET` (value: an operand tree), `REMOVE`, `ADD`, `DELETE`."""

    action: str
    path: Path
    value: Any = None


@dataclass
class Update:
    actions: list[UpdateAction]

    @property
    def paths(self) -> list[Path]:
        return [a.path for a in self.actions]
