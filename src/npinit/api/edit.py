"""``npinit set``: change NumPy, the BLAS or Python in an existing project's files."""

from __future__ import annotations

from pathlib import Path

from npinit.editing.project import SetResult
from npinit.model import Platform
from npinit.model_spec import ProjectSpec


def plan_set(
    target: Path,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas: str | None = None,
    channel: str | None = None,
    current_platform: Platform | None = None,
) -> SetResult:
    """Every edit ``npinit set`` would make, computed in memory: InvalidInput (exit 2) and
    nothing changed when a request does not fit or a file does not parse. In a project, the
    files npinit generated from ``.npinit.toml`` (the environment check, the README, the CI
    workflow, header comments) change with it."""
    from npinit.editing import project

    result = project.plan_set(
        target,
        numpy=numpy,
        python=python,
        blas=blas,
        channel=channel,
        current_platform=current_platform,
    )
    if not target.is_dir():
        return result
    return _generated_in_step(result, channel, current_platform)


def _generated_in_step(
    result: SetResult, channel: str | None, current_platform: Platform | None
) -> SetResult:
    """``result`` with the generated files carried from the old answers to the new ones; a
    ``channel`` the project's manager takes none of is refused as ``npinit new`` refuses it."""
    from dataclasses import replace

    from npinit.editing import generated
    from npinit.errors import InvalidInput
    from npinit.spec import spec_of_answers
    from npinit.tomlio import load_answers

    answers = next((e for e in result.edits if e.kind == "answers"), None)
    if answers is None:
        return result
    origin = str(answers.path)
    new = spec_of_answers(
        load_answers(answers.after, origin), result.root, current_platform, channel
    )
    try:
        old = spec_of_answers(load_answers(answers.before, origin), result.root, current_platform)
    except InvalidInput as error:
        note = f"the files generated from .npinit.toml were left as they are: {error.message}"
        return replace(result, warnings=(*result.warnings, note))
    if old == new:
        return result
    edits, notes = generated.in_step(result, render(old), render(new))
    return replace(result, edits=tuple(edits), warnings=(*result.warnings, *notes))


def render(spec: ProjectSpec) -> dict[str, str]:
    """The files npinit's template writes for ``spec``: relative name -> text."""
    import tempfile

    from npinit import scaffold
    from npinit.api.new import answers_for

    with tempfile.TemporaryDirectory(prefix="npinit-set-") as work:
        project, _ = scaffold.render(scaffold.template_dir(), answers_for(spec), Path(work))
        return {
            path.relative_to(project).as_posix(): path.read_text("utf-8")
            for path in sorted(project.rglob("*"))
            if path.is_file()
        }


def apply_set(result: SetResult) -> list[Path]:
    """Write every changed file of a plan atomically; returns the paths written."""
    from npinit.editing import project

    return project.apply(result)
