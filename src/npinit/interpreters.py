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
    """An interpreter for ``version``; ToolMissing (exit 3) saying how to get one."""
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
    for name in (f"python{version}", "python3", "python"):
        found = shutil.which(name, path=path)
        if found and _version_of(Path(found)) == version:
            return Path(found)
    if pyenv_root is not None:

        def key(p: Path) -> tuple[int, ...]:
            return tuple(int(x) for x in p.name.split(".") if x.isdigit())

        for prefix in sorted((pyenv_root / "versions").glob(f"{version}.*"), key=key, reverse=True):
            exe = prefix / "bin" / "python3"
            if exe.exists() and prefix.name.replace(".", "").isdigit():
                return exe
    raise ToolMissing(
        f"Python {version} is not installed (looked for py -{version}, python{version}, pyenv)",
        f"install it (pyenv install {version}, or from python.org), or choose another --python",
    )
