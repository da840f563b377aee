"""Finding a Python interpreter of a given ``3.X`` version: the ``py`` launcher, ``python3.X``
on PATH, then pyenv. The caller passes PATH and the pyenv root (no hidden environment reads)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from npinit.errors import ToolMissing


def _version_of(exe: Path) -> str:
    try:
        out = subprocess.run(
            [str(exe), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip()


def find_python(version: str, *, path: str | None, pyenv_root: Path | None) -> Path:
    """An interpreter for ``version``: the ``py`` launcher (Windows), pyenv's versions, then
    ``python3.X`` on PATH; ToolMissing (exit 3) saying how to get one."""
    import os

    if os.name == "nt":
        launcher = shutil.which("py", path=path)
        if launcher:
            try:
                out = subprocess.run(
                    [launcher, f"-{version}", "-c", "import sys; print(sys.executable)"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                if out.returncode == 0 and out.stdout.strip():
                    return Path(out.stdout.strip())
            except (OSError, subprocess.TimeoutExpired):
                pass
    if pyenv_root is not None:  # pyenv's own interpreters: no subprocess, no slow shim

        def key(p: Path) -> tuple[int, ...]:
            return tuple(int(x) for x in p.name.split(".") if x.isdigit())

        found = [
            p
            for p in (pyenv_root / "versions").glob(f"{version}.*")
            if p.name.replace(".", "").isdigit() and (p / "bin" / "python3").exists()
        ]
        if found:
            return max(found, key=key) / "bin" / "python3"
    for name in (f"python{version}", "python3", "python"):
        exe = shutil.which(name, path=path)
        if exe and _version_of(Path(exe)) == version:
            return Path(exe)
    raise ToolMissing(
        f"Python {version} is not installed (looked for py -{version}, python{version}, pyenv)",
        f"install it (pyenv install {version}, or from python.org), or choose another --python",
    )
