"""The project itself as an editable install, written as Poetry's own installer writes it for
a project's root package (poetry's ``EditableBuilder``): a ``.pth`` file naming the project's
source folders, and a ``.dist-info`` whose ``direct_url.json`` says editable. No build
backend runs, so none has to be in an offline bundle (the lock does not hold one)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from npinit.errors import Failure
from npinit.record.snapshot import Package


def source_folders(project: Path) -> list[Path]:
    """Where the project's packages are: Poetry's ``packages`` ``from`` folders, else
    ``src`` when there is one, else the project's folder."""
    import tomllib

    from npinit.jail import project_path
    from npinit.reading import parse_bounded, read_text

    path = project / "pyproject.toml"
    try:
        doc = parse_bounded(tomllib.loads, read_text(path, path.name), str(path))
    except tomllib.TOMLDecodeError:
        doc = {}
    entries = doc.get("tool", {}).get("poetry", {}).get("packages") or []
    folders: list[Path] = []
    for entry in entries if isinstance(entries, list) else []:
        where = entry.get("from") if isinstance(entry, dict) else None
        folder = project_path(project, where, str(path), "from") if where else project
        if folder not in folders:
            folders.append(folder)
    if not folders:
        folders.append(project / "src" if (project / "src").is_dir() else project)
    return folders


def install_editable(project: Path, venv: Path, package: Package) -> None:
    """Install ``package`` (the project itself, of the lock) editable into ``venv``."""
    from npinit.record.distinfo import site_packages_dirs

    sites = site_packages_dirs(venv)
    if not sites or not package.version:
        raise Failure(
            f"the project itself ({package.name}) cannot be installed editable here "
            + ("(the venv has no site-packages)" if not sites else "(its version is dynamic)"),
            "install it from its folder: python -m pip install -e . (needs its build backend)",
        )
    site = sites[0]
    stem = re.sub(r"[-_.]+", "_", package.name)
    dist = site / f"{stem}-{package.version}.dist-info"
    dist.mkdir(exist_ok=True)
    files = {
        dist / "METADATA": (
            f"Metadata-Version: 2.1\nName: {package.name}\nVersion: {package.version}\n"
        ),
        dist / "INSTALLER": "npinit\n",
        dist / "direct_url.json": json.dumps(
            {"url": project.as_uri(), "dir_info": {"editable": True}}
        ),
        site / f"{stem}.pth": "".join(f"{folder}\n" for folder in source_folders(project)),
    }
    for path, text in files.items():
        path.write_text(text, "utf-8")
    record = [f"{p.relative_to(site).as_posix()},," for p in files]
    record.append(f"{(dist / 'RECORD').relative_to(site).as_posix()},,")
    (dist / "RECORD").write_text("\n".join(record) + "\n", "utf-8")
