"""The project's own files, as a bundle carries them in ``project/``: what git would track
(no environments, caches, build output, version control, npinit's own markers, nor the
bundle itself when it is made inside the project), credentials removed from every text, and
no secrets file (``.env``, ``.netrc``, ``.pypirc``) at all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from npinit.model import ENV_DIRS
from npinit.record.bundle import redact
from npinit.record.download import PART

# never copied, at any depth (a generated .gitignore leaves them out too)
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        *ENV_DIRS,
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        "build",
        "dist",
        "node_modules",
    }
)
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info", PART)
# files that hold secrets as a whole (not a URL's credentials, which redact removes)
SECRET_FILES = frozenset({".env", ".netrc", "_netrc", ".pypirc", ".git-credentials"})


def secret(name: str) -> bool:
    """A file never carried: a secrets file by name (``.env``, ``.env.local``, ``.netrc``)."""
    return name in SECRET_FILES or name.startswith(".env.")


def project_files(project: Path, leave_out: Path | None) -> list[str]:
    """The project's files to carry, relative and ``/``-separated, sorted: regular files
    (a link is followed only when it stays inside the project), none below ``leave_out``."""
    real_root = os.path.realpath(project)
    found: list[str] = []
    for folder, dirs, names in os.walk(project):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not d.endswith(SKIPPED_SUFFIXES)
            and not (here / d).is_symlink()
            and (leave_out is None or not _same(here / d, leave_out))
        )
        for name in names:
            path = here / name
            if name.startswith(".npinit-") or name.endswith(SKIPPED_SUFFIXES) or secret(name):
                continue
            if leave_out is not None and _same(path, leave_out):
                continue
            real = os.path.realpath(path)
            if not real.startswith(real_root + os.sep) or not os.path.isfile(real):
                continue
            found.append(path.relative_to(project).as_posix())
    return sorted(found)


def _same(path: Path, other: Path) -> bool:
    return os.path.abspath(path) == os.path.abspath(other)


def copy_project(project: Path, target: Path, files: list[str]) -> list[str]:
    """Copy ``files`` of ``project`` into the new folder ``target``, each text with its
    credentials removed; the files whose text changed so."""
    changed = []
    for relative in files:
        source, dest = project / relative, target / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            shutil.copyfile(source, dest)
            continue
        clean = redact(text)
        if clean != text:
            changed.append(relative)
        dest.write_bytes(clean.encode("utf-8"))
        shutil.copymode(source, dest)
    return changed


def replace_folder(staged: Path, final: Path) -> None:
    """Put the complete ``staged`` folder at ``final``, replacing an older one."""
    old = final.with_name(f".{final.name}.old{PART}")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(staged, final)
    if old.exists():
        shutil.rmtree(old)
