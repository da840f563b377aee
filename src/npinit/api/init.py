"""``npinit init``: bring an existing project under npinit (see :mod:`npinit.editing.adopt`)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from npinit.editing.adopt import InitPlan
from npinit.model import Manager, Platform


def init_candidates(root: Path) -> dict[Manager, Path]:
    """The managers the files of ``root`` fit, each with its file (for a question)."""
    from npinit.editing.adopt import candidates

    return candidates(root)


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
) -> InitPlan:
    """Everything ``npinit init`` would write, computed in memory: the edits of the numpy
    (and asked-for BLAS) lines, ``.npinit.toml``, the environment check, and with ``ci`` the
    CI workflow."""
    import tempfile

    from npinit.api.new import new_project
    from npinit.editing.adopt import decide
    from npinit.errors import InvalidInput
    from npinit.spec import build_spec

    plan = decide(
        root,
        manager=manager,
        python=python,
        numpy=numpy,
        blas=blas,
        platforms=platforms,
        current_platform=current_platform,
    )
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
    source = plan.source.relative_to(root).as_posix()
    extra = [f'file = "{source}"']
    if plan.python_range:
        extra.append(f"requires-python = {_toml(plan.python_range)}")
    rest = answers.partition("\n")[2]
    answers = (
        f"# Written by npinit init: what it decided for this existing project"
        f" ({plan.source.relative_to(root).as_posix()}).\n{rest}"
    )
    answers = re.sub(
        r"(?m)^(with = .*)$", lambda m: "\n".join([m.group(1), *extra]), answers, count=1
    )
    check_name = "tests/test_environment.py"
    if (root / check_name).exists():
        check_name = "tests/test_npinit_environment.py"
        if (root / check_name).exists():
            raise InvalidInput(
                f"{root} has both {check_name} and tests/test_environment.py",
                "rename one; npinit init never overwrites a file",
            )
    for name in workflows:
        if (root / name).exists():
            raise InvalidInput(f"{root / name} exists", "npinit init never overwrites a file")
    return replace(plan, new_files={".npinit.toml": answers, check_name: check, **workflows})


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
    """Write the plan: the new files first, created exclusively (never over an existing
    file), then the edits, each atomically. A failure removes the files it created."""
    from npinit.editing.project import SetResult, apply

    created: list[Path] = []
    try:
        for relative, text in sorted(plan.new_files.items()):
            path = plan.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                stream = path.open("x", encoding="utf-8", newline="")
            except FileExistsError:
                from npinit.errors import InvalidInput

                raise InvalidInput(
                    f"{path} appeared after npinit init looked", "run npinit init again"
                ) from None
            with stream:
                created.append(path)
                stream.write(text)
        written = apply(SetResult(plan.root, plan.edits, plan.numpy, plan.python, plan.blas))
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return created + written
