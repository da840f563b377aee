"""Helpers shared by the tests."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from npinit.cli import main


def invoke(
    args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    """Run the real CLI entry point in-process: (exit code, stdout, stderr). A prompt reads
    ``stdin``, then sees the end of input, as with ``< /dev/null``."""
    import io

    old, old_stdin = Path.cwd(), sys.stdin
    os.chdir(cwd)
    sys.stdin = io.StringIO(stdin)
    try:
        main(args)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    finally:
        os.chdir(old)
        sys.stdin = old_stdin
    out, err = capsys.readouterr()
    return code, out, err


def npinit_environ(environ: dict[str, str]) -> dict[str, str]:
    """``environ`` for a child ``python -m npinit`` that runs the npinit these tests import: a
    git worktree's ``src`` (the shared venv's editable install points at another checkout);
    in CI the same code the install points at. tests/conftest.py sets the same PYTHONPATH for
    every test; this is for an ``environ`` built from elsewhere."""
    from tests.conftest import checkout_src

    return {**environ, "PYTHONPATH": str(checkout_src())}


def docstring_ids(tree: ast.Module) -> set[int]:
    """The ``id`` of every docstring node in ``tree`` (module, class and function ones): the
    static tests read a module's code strings without its prose."""
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, by relative POSIX path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def load_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text("utf-8"))


def python_in(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def pypi_venv(venv: Path, python: Path, *requirements: str) -> Path:
    """A venv of ``python`` with pip and ``requirements`` from the package index, installed by
    uv: what pip installs there, in a tenth of the time (``python -m venv`` with ensurepip and
    pip's bytecode compiling cost about 14 s for numpy and scipy). Files are copied, never
    linked to uv's shared cache, since tests change them."""
    from uv import find_uv_bin

    from tests.conftest import run

    uv = find_uv_bin()
    run([uv, "venv", "-q", "--seed", "--python", python, venv])
    if requirements:
        install = [uv, "pip", "install", "-q", "--link-mode", "copy"]
        run([*install, "--python", python_in(venv), *requirements])
    return venv


def lock_section(text_or_path: str | Path, platform: str | None = None) -> dict[str, Any]:
    """One platform's section of an npinit.lock (version 2) as plain TOML data: its
    ``environment``, ``blas`` and ``packages``; the only one when ``platform`` is None."""
    import tomllib

    text = text_or_path.read_text() if isinstance(text_or_path, Path) else text_or_path
    data = tomllib.loads(text)
    assert data["lock-version"] == 2
    sections = data["platforms"]
    if platform is None:
        assert len(sections) == 1, sorted(sections)
        return dict(next(iter(sections.values())))
    return dict(sections[platform])


# A stand-in for conda, mamba and micromamba: `create --yes --prefix P --file EXPLICIT` writes
# one conda-meta record per URL of the @EXPLICIT file, as conda does for the packages it
# links; it logs its argv and the file it was given to $NPINIT_TEST_LOG. With
# $NPINIT_TEST_STARTED it touches that file, with $NPINIT_TEST_WAIT_FOR it waits for that
# one first (the test controls when the "install" ends, no timing involved); with
# $NPINIT_TEST_LEAVE_OUT it links every package but the one of that name (an installer that
# did not install the lock exactly).
FAKE_CONDA = """#!{python}
import json, os, pathlib, sys, time
args = sys.argv[1:]
prefix = pathlib.Path(args[args.index("--prefix") + 1])
explicit = pathlib.Path(args[args.index("--file") + 1]).read_text()
if os.environ.get("NPINIT_TEST_LOG"):
    with open(os.environ["NPINIT_TEST_LOG"], "a") as log:
        log.write(json.dumps([os.path.basename(sys.argv[0]), *args, explicit]) + "\\n")
(prefix / "conda-meta").mkdir(parents=True, exist_ok=True)
if os.environ.get("NPINIT_TEST_STARTED"):
    pathlib.Path(os.environ["NPINIT_TEST_STARTED"]).touch()
while os.environ.get("NPINIT_TEST_WAIT_FOR") and not os.path.exists(
    os.environ["NPINIT_TEST_WAIT_FOR"]
):
    time.sleep(0.05)
for line in explicit.splitlines():
    if not line or line.startswith(("#", "@")):
        continue
    url, _, md5 = line.partition("#")
    base, subdir, file_name = url.rsplit("/", 2)
    stem = file_name.removesuffix(".conda").removesuffix(".tar.bz2")
    name, version, build = stem.rsplit("-", 2)
    if name == os.environ.get("NPINIT_TEST_LEAVE_OUT"):
        continue
    record = {{"name": name, "version": version, "build": build, "channel": base,
              "subdir": subdir, "url": url, "md5": md5, "files": []}}
    (prefix / "conda-meta" / (stem + ".json")).write_text(json.dumps(record))
"""


def fake_conda(folder: Path, names: list[str]) -> None:
    """Put stand-ins named ``names`` (conda, mamba, micromamba) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        exe = folder / name
        exe.write_text(FAKE_CONDA.format(python=sys.executable))
        exe.chmod(0o755)


def no_conda_path() -> str:
    """PATH without any conda front-end, so the embedded engine is used."""
    return os.pathsep.join(
        p
        for p in os.environ["PATH"].split(os.pathsep)
        if not any((Path(p) / t).exists() for t in ("conda", "mamba", "micromamba"))
    )


def markdown_table(markdown: str) -> list[list[str]]:
    """The rows of the one table a Markdown text renders to (markdown-it-py, GitHub's table
    extension), each as its cells' texts."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert [t.type for t in tokens].count("table_open") == 1, markdown
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append("")
        elif token.type == "inline" and rows and token.level > 2:
            rows[-1][-1] = "".join(c.content for c in token.children or [])
    return rows


def add_distributions(site: Path, distributions: list[tuple[str, str]]) -> None:
    """One ``.dist-info`` in ``site`` for each (name, version), installed by uv."""
    for name, version in distributions:
        dist = site / f"{name}-{version}.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nA description.\n"
        )
        (dist / "WHEEL").write_text("Wheel-Version: 1.0\nTag: py3-none-any\n")
        (dist / "INSTALLER").write_text("uv\n")
