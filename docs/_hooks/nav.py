"""mkdocs hook: the nav lists pages other parts of the project add over time.

Pages named in `nav` but not written yet are left out, and the "Services"
section lists every page in `docs/services/`, so a new page needs no edit here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def on_config(config: Any) -> Any:
    docs = Path(config["docs_dir"])
    config["nav"] = _prune(config["nav"], docs)
    return config


def _prune(entries: list[Any], docs: Path) -> list[Any]:
    out: list[Any] = []
    for entry in entries:
        if isinstance(entry, str):  # a bare page
            if (docs / entry).is_file():
                out.append(entry)
            continue
        (title, target), = entry.items()
        if title == "Services":
            pages = sorted((docs / "services").glob("*.md"))
            target = [{_title(p): f"services/{p.name}"} for p in pages]
        elif isinstance(target, list):
            target = _prune(target, docs)
        elif not (docs / target).is_file():
            continue
        if target:
            out.append({title: target})
    return out


def _title(page: Path) -> str:
    for line in page.read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem
