"""The bundle's ``README.md``: what is in it, and the offline steps for each platform and
OS, with npinit (``npinit create --bundle``) and with the managers' own tools only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from npinit.record.lockfile import Lock

OS_OF = {
    "linux-64": "Linux (x86-64)",
    "linux-aarch64": "Linux (ARM64)",
    "osx-64": "macOS (Intel)",
    "osx-arm64": "macOS (Apple silicon)",
    "win-64": "Windows (x86-64)",
}


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def readme_of(project: Path, lock: Lock, platforms: Mapping[str, Any]) -> str:
    """The README of a bundle of ``project``'s ``lock``; ``platforms``: bundle.json's entries."""
    manager = str((lock.inputs or {}).get("manager", ""))
    python = str((lock.inputs or {}).get("python", ""))
    return readme(project.name, manager, python, platforms, editable_root(lock, project))


def editable_root(lock: Lock, project: Path) -> tuple[str, str] | None:
    """The project itself when the lock installs it editable (a uv or Poetry package): its
    name and its source folder relative to the project (``src``, ``.``: the folder
    ``create --bundle``'s editable install names, :func:`managers.editable.source_folders`)."""
    from npinit.managers.editable import source_folders

    for section in lock.sections.values():
        for package in section.packages:
            if package.origin == "editable":
                folder = source_folders(project)[0].relative_to(project).as_posix()
                return package.name, folder
    return None


def readme(
    project: str,
    manager: str,
    python: str,
    platforms: Mapping[str, Any],
    root: tuple[str, str] | None = None,
) -> str:
    """The README of a bundle of ``project``; ``platforms``: bundle.json's entries; ``root``:
    the project itself when it is a package the lock installs editable (name, folder)."""
    lines = [
        f"# Offline bundle of {project}",
        "",
        "Made by `npinit bundle` from the project's `npinit.lock`: every file of every platform",
        "below, each checked against the lock's hash as it arrived. Nothing here needs a network.",
        "",
        "| platform | files | size | BLAS | BLAS size |",
        "|---|---|---|---|---|",
    ]
    for name, entry in sorted(platforms.items()):
        blas = entry["blas"]
        lines.append(
            f"| {name} ({OS_OF.get(name, name)}) | {len(entry['files'])} | "
            f"{_mb(entry['size'])} | {blas['name']} | {_mb(blas['size'])} |"
        )
    lines += [
        "",
        "Check the copy you were given first (a stick passed around can be damaged):",
        "`npinit bundle --check .` here re-hashes every file; exit 1 names each missing or",
        "damaged one.",
        "",
        "## With npinit",
        "",
        "npinit must be installed already (`pipx install npinit` or `uv tool install npinit`).",
        "Copy `project/` to where you will work (your own folder, not the stick), then, with",
        "BUNDLE the path of this folder:",
        "",
        "```",
        "cd project",
        "npinit create --bundle BUNDLE",
        "npinit verify",
        "```",
        "",
        "(Run in the bundle's own `project/`, that is `npinit create --bundle ..`; a later",
        "`npinit bundle` into this folder then refuses to replace `project/` until what you",
        "added there is moved out.)",
        "",
        "`create --bundle` uses no index, no channel and no network: it installs this machine's",
        "section of `npinit.lock` from the bundle, every file re-hashed against the lock.",
        "",
        "## Without npinit",
        "",
    ]
    for name, entry in sorted(platforms.items()):
        lines += _steps(name, entry, manager, python, root)
    return "\n".join(lines).rstrip("\n") + "\n"


def _steps(
    platform: str,
    entry: Mapping[str, Any],
    manager: str,
    python: str,
    root: tuple[str, str] | None,
) -> list[str]:
    windows = platform.startswith("win")
    out = [f"### {OS_OF.get(platform, platform)}: `{platform}`", ""]
    shell = "PowerShell" if windows else "a terminal"
    has_pypi = any("/pypi/" in f["path"] for f in entry["files"])
    has_conda = any("/channel/" in f["path"] for f in entry["files"])
    if has_conda:
        out += _conda_steps(platform, windows, shell)
    if has_pypi:
        out += _pip_steps(platform, windows, shell, python, after_conda=has_conda)
    if root is not None and not has_conda:
        out += _root_steps(windows, *root)
    if manager in ("poetry", "pixi"):
        out += [
            f"({manager} cannot install from local files without a network: the commands",
            "above install the same locked packages.)",
            "",
        ]
    return out


def _pip_steps(
    platform: str, windows: bool, shell: str, python: str, *, after_conda: bool
) -> list[str]:
    sep = "\\" if windows else "/"
    up = f"..{sep}{platform}{sep}"
    if after_conda:
        exe = ".conda\\python.exe" if windows else ".conda/bin/python"
        head = [f"Then the PyPI packages, into the same environment ({shell}):", "", "```"]
    else:
        exe = ".venv\\Scripts\\python.exe" if windows else ".venv/bin/python"
        make = f"py -{python} -m venv .venv" if windows else f"python{python} -m venv .venv"
        head = [f"With pip, in {shell}, from `project/`:", "", "```", make]
    return [
        *head,
        f"{exe} -m pip install --no-index --find-links {up}pypi --require-hashes "
        f"-r {up}requirements.txt",
        "```",
        "",
        *(
            []
            if after_conda
            else [
                "Or with uv:",
                "",
                "```",
                f"uv venv --python {python} .venv",
                f"uv pip sync --offline --no-index --find-links {up}pypi --require-hashes "
                f"--python {exe} {up}requirements.txt",
                "```",
                "",
            ]
        ),
    ]


def _conda_steps(platform: str, windows: bool, shell: str) -> list[str]:
    if windows:
        absolute = [
            f"$b = (Resolve-Path ..\\{platform}).Path -replace '\\\\', '/'",
            f"(Get-Content ..\\{platform}\\explicit.txt) -replace '^file:', \"file:///$b/\" "
            "| Set-Content explicit-local.txt",
        ]
    else:
        absolute = [
            f'b="$(cd ../{platform} && pwd)"',
            f'sed "s|^file:|file://$b/|" ../{platform}/explicit.txt > explicit-local.txt',
        ]
    return [
        f"With conda, mamba or micromamba, in {shell}, from `project/` (the explicit file's",
        "entries are relative to it: the first two lines make them absolute):",
        "",
        "```",
        *absolute,
        "conda create --offline --yes --prefix ./.conda --file explicit-local.txt",
        "```",
        "",
        f"`{platform}/channel/` is also a local conda channel (`repodata.json` in each subdir):",
        f"`-c file://<bundle>/{platform}/channel --override-channels --offline`.",
        "",
    ]


def _root_steps(windows: bool, name: str, folder: str) -> list[str]:
    """The project itself, a package the lock installs editable: its source folder made
    importable by a ``.pth`` file, as ``create --bundle`` does (no build backend is in the
    bundle, so ``pip install -e .`` would need the network)."""
    exe = ".venv\\Scripts\\python.exe" if windows else ".venv/bin/python"
    stem = name.replace("-", "_").replace(".", "_")
    code = (
        "import pathlib, sysconfig; "
        f"pathlib.Path(sysconfig.get_paths()['purelib'], '{stem}.pth')"
        f".write_text(str(pathlib.Path('{folder}').resolve()) + '\\n')"
    )
    return [
        f"Then, either way, the project itself ({name}, a package the lock installs",
        "editable): its source folder made importable, as `npinit create --bundle` does",
        "(the bundle has no build backend, so `pip install -e .` would need a network):",
        "",
        "```",
        f'{exe} -c "{code}"',
        "```",
        "",
    ]
