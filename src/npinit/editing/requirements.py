"""requirements*.txt: rewrite the numpy line to an exact pin, byte for byte elsewhere.

Each line is parsed with packaging's PEP 508 parser; ``-r``/``-c``/options, comments,
markers, extras, inline comments and the name's own spelling are kept. A requirement's
``--hash`` options (on its line or its continuation lines) belong to the old pin: they are
dropped with it, and the file then needs re-locking. ``-r``/``-c`` includes are listed so that
the caller can edit the file where the pin really is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from npinit.errors import InvalidInput

_OPTION = re.compile(r"\s--?[A-Za-z]")  # where a requirement's per-line options start
_INCLUDE = re.compile(
    r"^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(?P<path>\S+)", re.IGNORECASE
)


def comment_start(line: str) -> int | None:
    """Where a requirements line's comment starts, by pip's rule: a ``#`` at the start of the
    line or after a blank (``name#x`` holds no comment). The one place this grammar is
    written; plain string methods, linear in the line's length (a regular expression for
    this backtracked over runs of blanks)."""
    start = 0
    while (found := line.find("#", start)) >= 0:
        if found == 0 or line[found - 1].isspace():
            return found
        start = found + 1
    return None


def strip_comment(line: str) -> str:
    """The line without its comment (pip's rule, :func:`comment_start`)."""
    start = comment_start(line)
    return line if start is None else line[:start]


def _split(line: str) -> tuple[str, str] | None:
    """A line's requirement part and its tail (the comment, with the blanks before it), or
    None for a comment line and for a line with a ``#`` inside a word (not npinit's to edit)."""
    first = line.find("#")
    if first >= 0 and (first == 0 or comment_start(line) != first):
        return None
    body = line.rstrip() if first < 0 else line[:first].rstrip()
    return body, line[len(body) :]


def _requirement_text(body: str) -> str:
    """A line's requirement without its continuation backslash and per-line options."""
    text = body.rstrip().rstrip("\\").strip()
    match = _OPTION.search(" " + text) if not text.startswith("-") else None
    return text[: match.start() - 1].strip() if match and match.start() > 0 else text


def _requirement_name(body: str) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    text = _requirement_text(body)  # a bare URL or path has no name; ``name @ URL`` has
    if not text or text.startswith("-") or text.startswith((".", "/")):
        return None
    try:
        return str(canonicalize_name(Requirement(text).name))
    except InvalidRequirement:
        return None


def _logical_lines(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) physical line of each logical line (``\\`` continues a line)."""
    spans = []
    index = 0
    while index < len(lines):
        first = index
        while index < len(lines) - 1 and lines[index].rstrip("\r\n").endswith("\\"):
            index += 1
        spans.append((first, index))
        index += 1
    return spans


def numpy_lines(text: str) -> list[int]:
    """Indexes of the lines that require numpy."""
    found = []
    for index, line in enumerate(text.splitlines()):
        split = _split(line)
        if split and _requirement_name(split[0]) == "numpy":
            found.append(index)
    return found


def includes(text: str) -> list[str]:
    """The files a requirements file pulls in with ``-r``/``-c`` (as written)."""
    found = []
    for line in text.splitlines():
        match = _INCLUDE.match(strip_comment(line))
        if match:
            found.append(match["path"])
    return found


def has_hashes(text: str) -> bool:
    return "--hash" in text


def set_numpy(
    text: str, version: str, origin: str, add: bool = True, python: str | None = None
) -> str:
    """Pin numpy to ``version`` in the file's own form, or (with ``add``) add a pin after the
    last requirement when the file has none. The old pin's ``--hash`` options go with it.
    With ``python``, only the numpy lines whose markers hold for that Python change."""
    from packaging.requirements import Requirement

    from npinit.editing.requirement_pins import repin

    lines = text.splitlines(keepends=True)
    indexes = set(numpy_lines(text))
    dropped: set[int] = set()
    for first, last in _logical_lines(lines):
        if first not in indexes:
            continue
        raw = lines[first]
        ending = raw[len(raw.rstrip("\r\n")) :]
        split = _split(raw.rstrip("\r\n"))
        assert split is not None
        body, tail = split
        requirement = Requirement(_requirement_text(body))
        if python is not None and requirement.marker is not None:
            from npinit.editing.pythons import marker_holds

            if not marker_holds(str(requirement.marker), python):
                continue
        pin = repin(_requirement_text(body), version)
        options = body.rstrip().rstrip("\\").strip()[len(_requirement_text(body)) :]
        kept = " ".join(o for o in options.split() if not o.startswith("--hash"))
        # continuation lines holding only --hash options belong to the old pin
        rest = [i for i in range(first + 1, last + 1)]
        keep = [i for i in rest if not lines[i].strip().rstrip("\\").strip().startswith("--hash")]
        dropped.update(set(rest) - set(keep))
        indent = body[: len(body) - len(body.lstrip())]
        cont = " \\" if keep else ""
        lines[first] = f"{indent}{pin}{(' ' + kept) if kept else ''}{cont}{tail}{ending}"
        if keep:  # the last kept continuation line must not continue any more
            final = lines[keep[-1]]
            end = final[len(final.rstrip("\r\n")) :]
            lines[keep[-1]] = final.rstrip("\r\n").rstrip().rstrip("\\").rstrip() + end
    lines = [line for i, line in enumerate(lines) if i not in dropped]
    if not indexes and add:
        last_req = max(
            (
                i
                for i, line in enumerate(lines)
                if _requirement_name(strip_comment(line)) is not None
            ),
            default=len(lines) - 1,
        )
        newline = "\r\n" if text.endswith("\r\n") else "\n"
        if lines and not lines[-1].endswith(("\n", "\r")) and last_req == len(lines) - 1:
            lines[-1] += newline
        lines.insert(last_req + 1, f"numpy=={version}{newline}")
    return "".join(lines)


# pip's options in a requirements file: on a line of their own, and after a requirement
_FILE_OPTIONS = frozenset(
    [
        "-i",
        "--index-url",
        "--extra-index-url",
        "--no-index",
        "-c",
        "--constraint",
        "-r",
        "--requirement",
        "-e",
        "--editable",
        "-f",
        "--find-links",
        "--no-binary",
        "--only-binary",
        "--prefer-binary",
        "--require-hashes",
        "--pre",
        "--trusted-host",
        "--use-feature",
        "--config-settings",
        "--global-option",
    ]
)
_LINE_OPTIONS = frozenset({"--hash", "--config-settings", "--global-option"})
_ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar")


def check(text: str, origin: str) -> None:
    """Refuse a file pip would refuse: not text (NUL bytes), or a line that is neither an
    option pip knows nor a requirement, a URL or a path (exit 2, naming the line)."""
    if "\x00" in text:
        raise InvalidInput(f"{origin} is not a requirements file", "give a text file")
    lines = text.splitlines()
    for first, last in _logical_lines(lines):
        joined = " ".join(line.rstrip().rstrip("\\") for line in lines[first : last + 1])
        body = strip_comment(joined).strip()
        reason = _unreadable(body) if body else ""
        if reason:
            shown = body if len(body) <= 60 else body[:57] + "..."
            raise InvalidInput(
                f"{origin}, line {first + 1}: {shown!r} {reason}",
                "fix the line; pip install -r refuses the file too",
            )


def is_archive(name: str) -> bool:
    """Whether ``name`` (a path's last part, or the path) names a distribution file pip
    installs: a source archive by its suffix, or a wheel by its name (the one rule)."""
    return name.lower().endswith(_ARCHIVES) or _wheel_name(name.rsplit("/", 1)[-1])


def _wheel_name(name: str) -> bool:
    """Whether ``name`` is a wheel's file name (packaging reads it, the one rule)."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    try:
        parse_wheel_filename(name)
    except InvalidWheelFilename:
        return False
    return True


def _unreadable(body: str) -> str:
    """Why pip would refuse a line ("" when it reads it)."""
    from packaging.requirements import InvalidRequirement, Requirement

    if any(ord(c) < 32 and c != "\t" for c in body):
        return "holds control characters"
    if body.startswith("-"):
        option = body.split()[0].split("=")[0]
        return "" if option in _FILE_OPTIONS else f"is not an option pip knows ({option})"
    requirement = _requirement_text(body)
    options = body[len(requirement) :].split()
    unknown = [o.split("=")[0] for o in options if o.startswith("-")]
    unknown = [o for o in unknown if o not in _LINE_OPTIONS]
    if unknown:
        return f"has an option pip does not take after a requirement ({unknown[0]})"
    target = requirement.split(";")[0].strip()
    if "://" in target or "${" in target or "/" in target or target.startswith("."):
        return ""  # a URL, a path, an environment variable: pip reads them as they are
    if is_archive(target):
        return ""
    try:
        Requirement(requirement)
    except InvalidRequirement:
        return "is not a requirement pip reads"
    return ""


def follow_includes(
    texts: dict[Path, str],
    kinds: dict[Path, str | None],
    root: Path,
    notes: list[str],
    read: Callable[[Path], str],
) -> dict[Path, set[Path]]:
    """Read the files that requirements files include with ``-r``/``-c`` (inside the
    project only) into ``texts``; returns which files include each one."""
    included_by: dict[Path, set[Path]] = {}
    queue = [p for p in texts if kinds[p] == "requirements"]
    top = os.path.realpath(root)
    while queue:
        path = queue.pop()
        for name in includes(texts[path].lstrip("\ufeff")):
            if "://" in name:  # pip fetches it: no file of the project, nothing to lock
                notes.append(f"{path.name} includes {name}, a URL (fetched when pip runs)")
                continue
            found = path.parent / name
            if not os.path.realpath(found).startswith(top + os.sep):
                notes.append(f"{path.name} includes {name}, outside the project: not edited")
                continue
            real = os.path.realpath(found)  # not Path.resolve: a symlink loop raises RuntimeError
            known = next((p for p in texts if os.path.realpath(p) == real), None)
            if known is None:
                if not found.exists() and not found.is_symlink():  # a loop: read names it
                    notes.append(f"{path.name} includes {name}, which does not exist")
                    continue
                texts[found] = read(found)
                kinds[found] = "requirements"
                queue.append(found)
                known = found
            if known != path:
                included_by.setdefault(known, set()).add(path)
    return included_by


def lockable_includes(path: Path, root: Path, read: Callable[[Path], str]) -> dict[Path, str]:
    """The file and every file it includes (``-r``/``-c``), read; an include npinit cannot
    follow (outside the project, missing) is refused (exit 2), never dropped: the one rule
    ``npinit lock`` and ``npinit init`` both apply."""
    texts = {path: read(path)}
    notes: list[str] = []
    follow_includes(texts, {path: "requirements"}, root, notes, read)
    if notes:
        raise InvalidInput(
            f"{notes[0].removesuffix(': not edited')}: npinit cannot lock it",
            "save it in the project and include that copy"
            if "a URL (" in notes[0]
            else "keep every included file inside the project",
        )
    return texts


def closure(path: Path, included_by: dict[Path, set[Path]]) -> set[Path]:
    """The files ``path`` includes, directly or not."""
    found = {q for q, parents in included_by.items() if path in parents}
    seen: set[Path] = set()
    while found - seen:
        current = (found - seen).pop()
        seen.add(current)
        found |= {q for q, parents in included_by.items() if current in parents}
    return seen


def numpy_spans(text: str) -> list[int]:
    """The physical lines of every numpy requirement, continuation lines included."""
    lines = text.splitlines()
    starts = set(numpy_lines(text))
    spans = _logical_lines(lines)
    return [i for first, last in spans if first in starts for i in range(first, last + 1)]


_EDITABLE = re.compile(r"^\s*(?:-e|--editable)(?:\s*=\s*|\s+)(?P<path>\S+)", re.IGNORECASE)
_PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def missing_projects(path: Path, text: str) -> list[str]:
    """The lines of a requirements file that install a local folder no resolver may read
    here: a folder holding no Python project (``-e .`` where the repository's
    pyproject.toml is not), or one whose dependencies only its own build can tell (setup.py,
    a dynamic ``[project]``: resolving it would run the project's code, which npinit never
    does). The rest of the file can be resolved."""
    return [line for line, kind in local_folders(path, text) if kind != "static"]


def local_folders(path: Path, text: str) -> list[tuple[str, str]]:
    """The lines that install a local folder (``-e .``, ``./pkg``), each with what the
    folder holds: ``static`` (a pyproject.toml whose name, version and dependencies are
    written in it: uv reads them without running anything), ``code`` (a project only its
    build backend can describe) or ``none``."""
    found = []
    for line in text.splitlines():
        body = line.split(" #")[0].strip()
        match = _EDITABLE.match(body)
        target = match["path"] if match else body if body.startswith((".", "/")) else ""
        if not target or "://" in target:
            continue
        folder = path.parent / re.sub(r"\[.*\]$", "", target.removeprefix("file:"))
        if folder.is_dir():
            found.append((line.strip(), _folder_kind(folder)))
    return found


_BUILT = {"name", "version", "dependencies", "optional-dependencies"}


def _folder_kind(folder: Path) -> str:
    """``static``, ``code`` or ``none`` (see :func:`local_folders`)."""
    import tomllib

    from npinit.reading import read_regular

    if not any((folder / n).is_file() for n in _PROJECT_FILES):
        return "none"
    try:
        table = tomllib.loads(read_regular(folder / "pyproject.toml").decode("utf-8"))
    except (OSError, InvalidInput, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "code"
    project = table.get("project")
    if not isinstance(project, dict) or not {"name", "version"} <= project.keys():
        return "code"
    dynamic = project.get("dynamic", [])
    return "static" if isinstance(dynamic, list) and not _BUILT & set(dynamic) else "code"


def without_lines(path: Path, text: str, lines: list[str], target: Path) -> Path:
    """A copy of the requirements file at ``target`` with ``lines`` commented out and its
    ``-r``/``-c`` includes made absolute (they are relative to the file's own folder)."""
    kept = []
    for line in text.splitlines():
        if line.strip() in lines:
            kept.append(f"# {line}")
            continue
        match = _INCLUDE.match(line.split(" #")[0])
        if match and not os.path.isabs(match["path"]):
            line = line.replace(match["path"], str(path.parent / match["path"]), 1)
        kept.append(line)
    target.write_text("\n".join(kept) + "\n", "utf-8")
    return target
