"""``npinit set``: change NumPy, the BLAS or Python in the files of an existing project (or
one file), keeping every other byte. Every file is edited in memory and re-parsed first;
only when all of them succeed are they written, each atomically."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.editing.context import kind_of, kind_of_file
from npinit.editing.editors import EDITORS, SetPlan
from npinit.errors import InvalidInput
from npinit.knowledge import blas as blas_facts
from npinit.knowledge import releases
from npinit.model import ENV_DIRS, LOCK_FILE, Platform
from npinit.reading import read_editable


@dataclass(frozen=True)
class FileEdit:
    path: Path
    kind: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, root: Path) -> str:
        path = self.path
        if path.is_symlink():  # the diff names the file really written, not the link
            import os

            path, root = Path(os.path.realpath(path)), Path(os.path.realpath(root))
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            f"a/{name}",
            f"b/{name}",
        )  # a last line without its newline is marked as diff and git mark it
        return "".join(
            line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"
            for line in lines
        )


@dataclass(frozen=True)
class SetResult:
    root: Path
    edits: tuple[FileEdit, ...]
    numpy: str | None
    python: str | None
    blas: str | None
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [
                {"path": str(e.path), "kind": e.kind, "changed": e.changed} for e in self.edits
            ],
            "numpy": self.numpy,
            "python": self.python,
            "blas": self.blas,
            "warnings": list(self.warnings),
        }


def _files(target: Path) -> list[Path]:
    from npinit.tomlio import check_regular

    if not target.exists():
        if target.is_symlink():
            check_regular(target)  # says what is wrong with the link: a loop, a dangling target
        raise InvalidInput(f"{target} does not exist", "give a project directory or a file")
    if not target.is_dir():
        check_regular(target)  # a FIFO or a device is refused before anything opens it
        if kind_of_file(target) is None:
            raise InvalidInput(
                f"npinit does not know how to edit {target.name}",
                "it edits conda environment files (a YAML mapping with a dependencies list), "
                "requirements files, pyproject.toml and pixi.toml",
            )
        return [target]
    # not only regular files: a FIFO named requirements.txt is refused by name, not skipped
    candidates = [p for p in target.iterdir() if not p.is_dir()]
    if (target / "requirements").is_dir():
        candidates += [p for p in (target / "requirements").iterdir() if not p.is_dir()]
    found = sorted(p for p in candidates if kind_of(p) is not None)
    recorded = _recorded_file(target)
    if recorded is not None and recorded not in found:
        found.append(recorded)  # npinit init's file, wherever it lives (binder/...)
    if not any(kind_of(p) not in ("answers", "python-version") for p in found):
        raise InvalidInput(
            f"{target} has no environment file npinit can edit",
            "give a project with environment.yml, requirements*.txt, pyproject.toml or pixi.toml",
        )
    return found


def _recorded_file(root: Path) -> Path | None:
    """The environment file ``.npinit.toml`` names (``file``, written by npinit init):
    relative, inside the project, never through a link leaving it (else exit 2)."""
    if not (root / ".npinit.toml").is_file():
        return None
    from npinit.jail import project_path
    from npinit.tomlio import read_answers

    name = read_answers(root).get("file")
    if name is None:
        return None
    path = project_path(root, name, str(root / ".npinit.toml"))
    return path if path.is_file() else None


def plan_set(
    target: Path,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas: str | None = None,
    channel: str | None = None,
    current_platform: Platform | None = None,
    marked_for: str | None = None,
    root: Path | None = None,
) -> SetResult:
    """Every edit ``npinit set`` would make; raises InvalidInput and changes nothing when any
    request is invalid for the project or any file cannot be parsed. ``marked_for``: of
    numpy entries with Python markers, only those that hold for this Python change; ``root``:
    the project a file ``target`` is in (where its includes may be)."""
    from npinit.editing.context import resolve_numpy

    if numpy is None and python is None and blas is None and channel is None:
        raise InvalidInput("nothing to change", "give --numpy, --blas, --python or --channel")
    plan = _read_plan(target, current_platform, root)
    plan.python = _checked_python(python, plan)
    release = _release(numpy, plan)
    plan.version = release.version if release else None
    # numpy entries split by Python: the one the new or the recorded Python selects
    recorded = str(plan.ctx.answers.get("python") or "") or None
    plan.blas, plan.marked_for = blas, marked_for or plan.python or recorded
    plan.blas_request = blas_facts.parse_request(blas) if blas is not None else None
    plan.reference = release or resolve_numpy("latest", None)  # only the BLAS rules need it
    if channel is not None and channel not in ("conda-forge", "defaults"):
        raise InvalidInput(f"unknown channel '{channel}'", "choose conda-forge or defaults")
    plan.channel = channel
    edits: list[FileEdit] = []
    for path, text in plan.texts.items():
        kind = plan.kinds[path] or ""
        after = EDITORS[kind](path, text, plan) if kind in EDITORS else text
        if path in plan.boms:
            text, after = "\ufeff" + text, "\ufeff" + after
        edits.append(FileEdit(path, kind, text, after))
    final = tuple(_with_answers(e, plan) if e.kind == "answers" else e for e in edits)
    return SetResult(plan.root, final, plan.version, plan.python, blas, _warnings(final, plan))


def _read_plan(target: Path, current_platform: Platform | None, top: Path | None) -> SetPlan:
    """The files of ``target`` read and checked inside it (or inside ``top``, the project a
    file is in), their kinds, includes, context."""
    from npinit.editing import requirements
    from npinit.editing.context import read_context
    from npinit.jail import check_inside

    paths = _files(target)
    root = top or (target if target.is_dir() else target.parent)
    raw_texts = {p: read_editable(p) for p in paths}  # a FIFO or a device is named as such first
    for path in paths:  # before any diff is shown: no file edited through a link out
        check_inside(root, path, "the project" if target.is_dir() else str(root))
    kinds: dict[Path, str | None] = {p: kind_of_file(p, raw_texts[p]) for p in paths}
    notes: list[str] = []
    included_by = requirements.follow_includes(raw_texts, kinds, root, notes, read_editable)
    for path in [p for p in paths if kinds[p] == "conda"]:
        _pip_includes(path, (raw_texts, kinds, included_by), root, notes)
    # a UTF-8 byte order mark is kept, but kept out of the parsers' way
    boms = frozenset(p for p, t in raw_texts.items() if t.startswith("\ufeff"))
    texts = {p: t[1:] if p in boms else t for p, t in raw_texts.items()}
    ctx = read_context(texts, current_platform, kinds)
    return SetPlan(root, texts, kinds, boms, included_by, ctx, notes)


def _pip_includes(
    path: Path,
    read: tuple[dict[Path, str], dict[Path, str | None], dict[Path, set[Path]]],
    root: Path,
    notes: list[str],
) -> None:
    """The files a conda file's ``pip:`` section includes (read from its folder, where pip
    runs), read as requirements files included by it: numpy is pinned where it is."""
    from npinit.editing import conda_env, requirements

    texts, kinds, included_by = read
    data, _ = conda_env.parse(texts[path].removeprefix("\ufeff"), str(path))
    pip = [
        str(line)
        for entry in data.get("dependencies") or []
        if isinstance(entry, dict) and isinstance(entry.get("pip"), list)
        for line in entry["pip"]
    ]
    section = path.with_name(f"{path.name}'s pip: section")
    found: dict[Path, str] = {section: "\n".join(pip) + "\n"}
    parents = requirements.follow_includes(
        found, {section: "requirements"}, root, notes, read_editable
    )
    for file, text in found.items():
        known = next((p for p in texts if p.resolve() == file.resolve()), None)
        if file == section or (known is None and not file.exists()):
            continue
        if known is None:  # ../reqs.txt named as the project has it
            known = Path(os.path.normpath(file))
            texts[known], kinds[known] = text, "requirements"
        for parent in parents.get(file, set()):
            included_by.setdefault(known, set()).add(path if parent == section else parent)


def _checked_python(python: str | None, plan: SetPlan) -> str | None:
    if python is None:
        return None
    python = releases.check_python(python.strip())
    if releases.free_threaded(python) and any(
        "[tool.poetry" in text
        for path, text in plan.texts.items()
        if plan.kinds[path] == "pyproject"
    ):
        raise InvalidInput(
            f"Poetry cannot be made to select a free-threaded Python {python}",
            "move the project to uv, pip, conda or pixi first",
        )
    return python


def _release(numpy: str | None, plan: SetPlan) -> Any:
    """The NumPy release asked for, for the new Python or else the files' own."""
    from npinit.editing.context import resolve_in

    if numpy is None:
        return None
    if plan.python is not None:  # the files' Python is being replaced
        return releases.resolve_numpy(numpy.strip(), plan.python)
    return resolve_in(numpy.strip(), plan.ctx, plan.notes)


def _with_answers(edit: FileEdit, plan: SetPlan) -> FileEdit:
    """``.npinit.toml``'s edit, with the BLAS choice the files' editors made."""
    from npinit.editing import toml_files

    by_platform = (
        {c.platform.value: (c.variant, list(c.acceptable)) for c in plan.choices}
        if plan.choices is not None
        else None
    )
    after = toml_files.edit_answers(
        edit.before,
        str(edit.path),
        numpy=plan.version,
        python=plan.python,
        blas=plan.blas,
        blas_by_platform=by_platform,
        channel=plan.channel if plan.ctx.answers.get("manager") == "conda" else None,
    )
    return FileEdit(edit.path, edit.kind, edit.before, after)


def _warnings(edits: tuple[FileEdit, ...], plan: SetPlan) -> tuple[str, ...]:
    warnings = list(plan.notes)
    built = any(os.path.lexists(plan.root / n) for n in (LOCK_FILE, *ENV_DIRS))
    if built and any(e.changed for e in edits):  # nothing to fall out of step with otherwise
        warnings.append(
            "the environment no longer matches these files or its lock: rebuild it, then run "
            "npinit lock (or npinit verify to see the difference)"
        )
    if plan.blas_request is not None and any(
        e.kind in ("requirements", "pyproject") for e in edits
    ):
        warnings.append("PyPI's numpy wheels choose their own BLAS; no file line selects it")
    return tuple(warnings)


def apply(result: SetResult, new: dict[Path, str] | None = None) -> list[Path]:
    """Write every changed file, and the ``new`` files (which must not exist), as one
    transaction (:func:`npinit.jail.write_files`); returns the paths written."""
    from npinit.jail import write_files

    files: dict[Path, str | None] = dict(new or {})
    files.update({e.path: e.after for e in result.edits if e.changed})
    return write_files(result.root, files, new=frozenset(new or ()))
