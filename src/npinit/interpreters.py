"""Finding a Python interpreter of a given ``3.X`` version: the ``py`` launcher, ``python3.X``
on PATH, then pyenv. The caller passes PATH, the pyenv root and the OS (no hidden environment
reads); interpreters are asked through the runner, which a test can replace."""

from __future__ import annotations

from pathlib import Path

from npinit.errors import Failure, ToolMissing
from npinit.runner import Runner
from npinit.runner import run as default_run


def _ask(run: Runner, cmd: list[str | Path]) -> str:
    try:
        return run(cmd, timeout=30, what=str(cmd[0])).stdout.strip()
    except Failure:
        return ""


def find_python(
    version: str,
    *,
    path: str | None,
    pyenv_root: Path | None,
    windows: bool = False,
    run: Runner = default_run,
) -> Path:
    """An interpreter for ``version``: the ``py`` launcher (Windows), pyenv's versions, then
    ``python3.X`` on PATH; ToolMissing (exit 3) saying how to get one. ``3.14t`` asks for
    a free-threaded build (pyenv's ``3.14.Nt``, ``python3.14t``), and only that."""
    free = version.endswith("t")
    minor = version.removesuffix("t")
    if windows:
        import shutil

        launcher = shutil.which("py", path=path)
        if launcher:
            said = _ask(run, [launcher, f"-{version}", "-c", "import sys; print(sys.executable)"])
            if said:
                return Path(said)
    if pyenv_root is not None:  # pyenv's own interpreters: no subprocess, no slow shim

        def key(p: Path) -> tuple[int, ...]:
            return tuple(int(x) for x in p.name.split(".") if x.isdigit())

        found = [
            p
            for p in (pyenv_root / "versions").glob(f"{minor}.*")
            if p.name.removesuffix("t").replace(".", "").isdigit()
            and p.name.endswith("t") == free
            and (p / "bin" / "python3").exists()
        ]
        if found:
            return max(found, key=key) / "bin" / "python3"
    import shutil  # to search PATH only: pyenv's interpreters are found without it

    names = (f"python{version}",) if free else (f"python{version}", "python3", "python")
    for name in names:
        exe = shutil.which(name, path=path)
        asked = "import sys; print('%d.%d' % sys.version_info[:2] + ('t' if 't' in "
        asked += "getattr(sys, 'abiflags', '') else ''))"
        if exe and _ask(run, [exe, "-c", asked]) == version:
            return Path(exe)
    raise ToolMissing(
        f"Python {version} is not installed (looked for py -{version}, python{version}, pyenv)",
        f"install it (pyenv install {version}, or from python.org), or choose another --python",
    )
