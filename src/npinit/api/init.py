"""``npinit init``: bring an existing project under npinit (see :mod:`npinit.editing.adopt`)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from npinit.editing.adopt import InitPlan
from npinit.editing.adopt_find import Fit
from npinit.errors import InvalidInput
from npinit.model import Platform


def init_candidates(root: Path, file: Path | None = None) -> list[Fit]:
    """Every way to adopt ``root`` (a manager and its file), for a question: the usual
    places searched, or the managers ``file`` fits."""
    from npinit.editing.adopt_find import managers_of, search

    if file is not None:
        return [Fit(m, file) for m in managers_of(file)]
    return search(root) if root.is_dir() else []


_PROJECT_MARKS: tuple[str, ...] = (".git", ".hg", ".npinit.toml", "pyproject.toml")
_PROJECT_MARKS += ("setup.py", "setup.cfg", "pixi.toml")


def init_root(path: Path, cwd: Path) -> tuple[Path, Path | None]:
    """The project folder and the file for ``npinit init PATH``: a folder is the project; a
    file's project is the current folder when the file is inside it, else the nearest
    folder above the file that holds a project mark (.git, .npinit.toml, pyproject.toml,
    ...; the file itself is none), else the file's own folder. ``/`` and the home folder
    are a project only when named (the search stops below them)."""
    if path.is_dir():
        return path, None
    unnamed = (Path(cwd.anchor), Path.home())
    if path.is_relative_to(cwd) and path != cwd and cwd not in unnamed:
        return cwd, path
    for folder in path.parents:
        if folder in unnamed:
            break
        marks = (folder / mark for mark in _PROJECT_MARKS)
        if any(os.path.lexists(m) and m != path for m in marks):
            return folder, path
    return path.parent, path


def plan_init(
    root: Path,
    *,
    manager: str | None = None,
    python: str | None = None,
    numpy: str | None = None,
    blas: str | None = None,
    platforms: list[str] | None = None,
    current_platform: Platform | None = None,
    ci: str = "none",
    file: Path | None = None,
    solve: bool = False,
    environ: Mapping[str, str] | None = None,
    channel_alias: str | None = None,
) -> InitPlan:
    """Everything ``npinit init`` would write, computed in memory: the edits of the numpy
    (and asked-for BLAS) lines, ``.npinit.toml``, the environment check, and with ``ci`` the
    CI workflow. ``file``: the environment file (else the usual places are searched).
    ``solve``: choose the pins by resolving the whole file (uv, py-rattler; ``environ`` is
    the machine's environment they run in), else from the release table alone."""
    from npinit.api.pins import solver_for
    from npinit.editing.adopt import decide
    from npinit.jail import check_inside

    plan = decide(
        root,
        file=file,
        solver=solver_for(environ or {}, channel_alias) if solve else None,
        manager=manager,
        python=python,
        numpy=numpy,
        blas=blas,
        platforms=platforms,
        current_platform=current_platform,
    )
    for edit in plan.edits:  # before the diff is shown: no file edited through a link out
        check_inside(root, edit.path)
    answers, check, workflows = _generated(root, plan, current_platform, ci)
    check_name = _check_name(root)
    new_files = {".npinit.toml": _answers(root, plan, answers), check_name: check, **workflows}
    for name in new_files:
        if name != check_name and _taken(root, name):
            raise InvalidInput(f"{root / name} exists", "npinit init never overwrites a file")
    return replace(plan, new_files=new_files)


def _generated(
    root: Path, plan: InitPlan, current_platform: Platform | None, ci: str
) -> tuple[str, str, dict[str, str]]:
    """What npinit new writes for these pins: .npinit.toml, the environment check and the
    CI workflows."""
    import tempfile

    from npinit.api.new import new_project
    from npinit.spec import build_spec

    try:
        spec = build_spec(
            name=_name(root.name),
            manager=plan.manager.value,
            python=plan.python,
            numpy=plan.numpy,
            blas=plan.blas,
            channel=plan.channel,
            platforms=[p.value for p in plan.platforms],
            current_platform=current_platform,
            ci=ci,
            numpy_from=plan.numpy_from,
        )
    except InvalidInput as error:
        raise InvalidInput(f"{root.name}: {error.message}", error.hint) from None
    with tempfile.TemporaryDirectory(prefix="npinit-init-") as work:
        made = new_project(spec, Path(work)).project
        answers = (made / ".npinit.toml").read_text("utf-8")
        check = (made / "tests" / "test_environment.py").read_text("utf-8")
        workflows = {
            name: (made / name).read_text("utf-8")
            for name in (".github/workflows/environment.yml", ".gitlab-ci.yml")
            if (made / name).is_file()
        }
    return answers, check, workflows


def _answers(root: Path, plan: InitPlan, answers: str) -> str:
    """.npinit.toml with init's header, the file (relative, inside the project) and the
    file's Python range."""
    from npinit.jail import project_path

    source = plan.source.relative_to(root).as_posix()
    project_path(root, source, ".npinit.toml")  # the one rule: relative, inside, no link out
    extra = [f"file = {_toml(source)}"]
    if plan.numpy_from:  # the BLAS is then what PyPI's wheels carry
        extra.append(f"numpy-from = {_toml(plan.numpy_from)}")
    if plan.python_range:
        extra.append(f"requires-python = {_toml(plan.python_range)}")
    rest = answers.partition("\n")[2]
    answers = (
        f"# Written by npinit init: what it decided for this existing project ({source}).\n{rest}"
    )
    return re.sub(r"(?m)^(with = .*)$", lambda m: "\n".join([m.group(1), *extra]), answers, count=1)


def _check_name(root: Path) -> str:
    """Where the environment check goes: tests/test_environment.py, else beside it."""
    for name in ("tests/test_environment.py", "tests/test_npinit_environment.py"):
        if not _taken(root, name):
            return name
    raise InvalidInput(
        f"{root} has both tests/test_npinit_environment.py and tests/test_environment.py",
        "rename one; npinit init never overwrites a file",
    )


def _taken(root: Path, name: str) -> bool:
    """Whether ``name`` exists (a dangling link too: writing there would follow it); a
    path through a link leaving the project, or a file where a folder goes, is refused
    (exit 2, naming it)."""
    from npinit.jail import check_inside

    path = root / name
    if os.path.lexists(path) and path.is_symlink() and not path.exists():
        target = os.readlink(path)
        raise InvalidInput(
            f"{path} is a dangling symlink (to {target})",
            "remove it; npinit init never writes through a link",
        )
    check_inside(root, path)
    for parent in reversed(Path(name).parents[:-1]):  # tests/, .github/workflows/
        if os.path.lexists(root / parent) and not (root / parent).is_dir():
            raise InvalidInput(
                f"{root / parent} is a file where npinit init puts {name}",
                "rename or move it; npinit init never overwrites a file",
            )
    return os.path.lexists(path)


def _name(folder: str) -> str:
    from npinit.errors import InvalidInput
    from npinit.spec import check_name

    for candidate in (folder, re.sub(r"[^A-Za-z0-9_-]+", "-", folder).strip("-_"), "project"):
        try:
            check_name(candidate)
            return candidate
        except InvalidInput:
            continue
    return "project"


def _toml(value: str) -> str:
    from npinit.tomlio import toml_value

    return toml_value(value)


def apply_init(plan: InitPlan) -> list[Path]:
    """Write the plan as one transaction: the new files (never over an existing file) and
    the edits; a failure or an interrupt puts every file back and removes the new files and
    the folders made for them (tests/, .github/workflows/)."""
    from npinit.editing.project import SetResult, apply

    new = {plan.root / relative: text for relative, text in sorted(plan.new_files.items())}
    result = SetResult(plan.root, plan.edits, plan.numpy, plan.python, plan.blas)
    return apply(result, new)
