"""`lambda_zip`: a deployment package from source strings or a folder, for tests."""

from __future__ import annotations

import io
import os
import textwrap
import zipfile
from pathlib import Path


def lambda_zip(source: str | dict[str, str | bytes] | os.PathLike[str] | None = None, *,
               filename: str = "lambda_function.py", executable: tuple[str, ...] = ("bootstrap",),
               **files: str | bytes) -> bytes:
    """The bytes of a zip for `Code={"ZipFile": ...}` or `PublishLayerVersion`.

    `source` is the handler's source (dedented, stored as `filename`), a mapping of
    archive paths to contents, or a folder to pack whole. Keyword arguments add
    files (`lambda_zip(handler_src, **{"helpers.py": "..."})`). Files named in
    `executable` (and any folder file with an executable bit) keep mode 0755.
    """
    entries: dict[str, str | bytes] = {}
    modes: dict[str, int] = {}
    if isinstance(source, (str, bytes)) and not (isinstance(source, str) and _is_folder(source)):
        entries[filename] = textwrap.dedent(source) if isinstance(source, str) else source
    elif isinstance(source, dict):
        entries.update(source)
    elif source is not None:
        root = Path(source)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                name = path.relative_to(root).as_posix()
                entries[name] = path.read_bytes()
                modes[name] = path.stat().st_mode & 0o777
    entries.update(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = modes.get(name, 0o755 if Path(name).name in executable else 0o644)
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _is_folder(value: str) -> bool:
    return "\n" not in value and len(value) < 4096 and Path(value).is_dir()
