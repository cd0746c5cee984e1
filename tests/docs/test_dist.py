"""`python -m build` makes a wheel and an sdist that install in a fresh venv and pass the
example suite (issue 13, item 6). Slow: 30-40 s here (build 8 s, a venv with the wheel and
its dependencies 15-20 s from pip's cache, the examples 5 s); CI runs it. By hand: `python -m pytest -m slow tests/docs/test_dist.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def run(*args: str | Path, cwd: Path | None = None, timeout: float = 600) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VIRTUAL_ENV", "PYTHON"))}
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


@pytest.mark.slow
def test_wheel_and_sdist_build_and_the_wheel_passes_the_examples_in_a_fresh_venv(tmp_path: Path) -> None:
    """`python -m build` builds the wheel *from the sdist*: a file missing from the sdist
    is missing from the wheel, so installing the wheel proves both (installing the sdist
    too would only build the same wheel again, for 30-50 s more)."""
    dist = tmp_path / "dist"
    out = run(sys.executable, "-m", "build", "--outdir", dist, ROOT)
    assert "Building wheel from sdist" in out, out[-2000:]
    assert len(list(dist.glob("pytest_cloudmock-*.tar.gz"))) == 1
    (wheel,) = dist.glob("pytest_cloudmock-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:  # data files the code reads at run time
        names = set(archive.namelist())
    for data in ("services/lambda_/runtime/node_runtime.js", "services/lambda_/runtime/CloudmockJavaRuntime.java",
                 "stubs/entries/ecr.yaml"):
        assert f"pytest_cloudmock/{data}" in names, data
    check_install(wheel, tmp_path)


def check_install(package: Path, where: Path) -> None:
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", package)
    examples = shutil.copytree(EXAMPLES, where / "examples")  # away from the source tree
    out = run(python, "-m", "pytest", "-p", "no:cacheprovider", "-q", cwd=examples)
    assert " passed" in out and "failed" not in out, out
    installed = run(python, "-c", "import pytest_cloudmock; print(pytest_cloudmock.__file__)", cwd=examples)
    assert str(where / "venv") in installed, installed  # the installed package, not the clone
