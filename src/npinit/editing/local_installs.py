"""Local things a requirements file or a conda file's ``pip:`` section installs (a wheel by
its path, ``-e ..``), and what init says of them. pip reads their paths from the file's
folder (the environment file's for its ``pip:`` section); lock resolves a ``pip:`` section
from copies in a scratch folder, so each path is made absolute there, and one that is
missing or outside the project is named, never dropped."""

from __future__ import annotations

import re
from pathlib import Path

from npinit.editing.requirements import is_archive

_LOCAL = re.compile(
    r"^(?P<lead>\s*(?:(?:-e|--editable)(?:\s*=\s*|\s+))?)(?P<path>[^\s\[;]+)(?P<rest>.*)$",
    re.IGNORECASE,
)


def local_paths(text: str, file: Path, project: Path, origin: str) -> str:
    """``text`` (a pip: section, or a file it includes) with each local path it installs (a
    wheel, an sdist, a folder, editable or not) made absolute, as pip reads it from the
    file's folder (``file``'s): a copy resolves it as the project does. One that is not
    there, or not inside the project, is InvalidInput naming it (never dropped)."""
    import os

    from npinit.errors import InvalidInput
    from npinit.jail import check_inside

    lines = []
    for line in text.splitlines():
        match = _LOCAL.match(line.split(" #")[0])
        if match is None or not _is_local(match["lead"], match["path"]):
            lines.append(line)
            continue
        target = match["path"].removeprefix("file:")
        where = Path(os.path.normpath(file.parent / target))
        try:
            check_inside(project, where)
        except InvalidInput:
            hint = "keep what the pip: section installs inside the project, or take it out"
            raise InvalidInput(f"{origin} installs {target}, outside the project", hint) from None
        if not where.exists():
            hint = f"put it there (relative to {file.parent.name or 'its folder'}/), or take it out"
            raise InvalidInput(f"{origin} installs {target}, which does not exist", hint)
        lines.append(f"{match['lead']}{where}{match['rest']}")
    return "\n".join(lines) + "\n"


def _is_local(lead: str, path: str) -> bool:
    """An editable's path, or a path to a folder or an archive (not a URL, not an option)."""
    target = path.removeprefix("file:")
    if "://" in target or target.startswith("-"):
        return False
    return bool(lead) or target.startswith((".", "/")) or is_archive(target)


def origin(path: Path, file: Path, project: Path) -> str:
    """How a refusal names the file a local path is in (``path``: the environment file)."""
    import os

    if file.parent == path.parent and file.name.startswith(f"{path.name}'s"):
        return f"{path.name}'s pip: section"
    return Path(os.path.relpath(file, project)).as_posix()


_SAID = {
    "static": "its dependencies are solved and locked, the folder itself is not (no index "
    "has it; install it into the environment with pip install -e)",
    "code": "left out of the solve and the lock (only its build, which runs the "
    "project's code, can tell its dependencies; npinit runs no project code: install it "
    "with pip install -e after npinit create)",
    "none": "left out of the solve and the lock (its folder has no pyproject.toml, "
    "setup.py or setup.cfg)",
}


def local_folder_notes(path: Path, text: str) -> list[str]:
    """init's line for each local folder ``text`` installs (read from ``path``'s folder): a
    project whose pyproject.toml writes its dependencies is solved with them (the lock
    holds them, not the folder); any other is left out of the solve and the lock."""
    from npinit.editing.requirements import local_folders

    return [f"{line}: {_SAID[kind]}" for line, kind in local_folders(path, text)]


def local_notes(path: Path, project: Path, pip: list[str], texts: dict[Path, str]) -> list[str]:
    """init's lines for what a ``pip:`` section (``pip``, with the files it includes:
    ``texts``) installs from the project: a folder as a requirements file's are said
    (``-e ..``), and a path that is not there yet, which lock refuses until it is."""
    import os

    from npinit.errors import InvalidInput

    notes = local_folder_notes(path, "\n".join(pip))
    for file, text in texts.items():
        for line in text.splitlines():
            try:
                local_paths(line, file, project, origin(path, file, project))
            except InvalidInput as error:
                if "does not exist" not in error.message:
                    raise
                where = Path(os.path.relpath(file.parent, project)).as_posix()
                notes.append(
                    f"{line.strip()}: not there (pip reads it from {where}/); npinit lock "
                    "refuses the file until it is"
                )
    return notes
