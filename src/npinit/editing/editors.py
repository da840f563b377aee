"""``npinit set``'s editors, one per kind of file behind a table: each takes the file's text
and the plan (what is asked, what the files say) and returns the text after the change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npinit.editing.context import Context
from npinit.errors import InvalidInput
from npinit.knowledge import blas as blas_facts
from npinit.model import Platform
from npinit.model_spec import Blas, BlasChoice, Channel


@dataclass
class SetPlan:
    """What one ``set`` asks for and what the files say: every editor reads it, and the BLAS
    editors leave the choice they made for ``.npinit.toml`` in ``choices``."""

    root: Path
    texts: dict[Path, str]
    kinds: dict[Path, str | None]
    boms: frozenset[Path]
    included_by: dict[Path, set[Path]]
    ctx: Context
    notes: list[str]
    python: str | None = None
    version: str | None = None
    blas: str | None = None
    blas_request: tuple[Blas, dict[Platform, Blas]] | None = None
    reference: Any = None
    channel: str | None = None
    choices: tuple[BlasChoice, ...] | None = None
    marked_for: str | None = None  # numpy entries with Python markers: those for this Python


def _edit_conda(path: Path, text: str, plan: SetPlan) -> str:
    from npinit.editing import conda_env

    origin = str(path)
    data, _ = conda_env.parse(text, origin)
    recorded = conda_env.channel_of(data)
    blas_lines, drop_nomkl, drop_mkl = None, False, False
    if plan.blas_request is not None:
        wanted = plan.channel or recorded
        channel = Channel(wanted) if wanted in ("conda-forge", "defaults") else Channel.CONDA_FORGE
        common, overrides = plan.blas_request
        choices = blas_facts.choose_for_platforms(
            channel, plan.ctx.platforms, common, plan.reference, overrides
        )
        if len({c.spec_lines for c in choices}) > 1:
            raise InvalidInput(
                f"{path.name} cannot select a different BLAS per platform",
                "use pixi, or one BLAS for every platform",
            )
        blas_lines = list(choices[0].spec_lines)
        drop_nomkl = choices[0].variant != "openblas"
        drop_mkl = choices[0].variant != "mkl"
        plan.choices = choices
    after = conda_env.edit(
        text,
        origin,
        numpy=None if _numpy_included(path, text, plan) else plan.version,
        python=plan.python,
        blas_lines=blas_lines,
        drop_nomkl=drop_nomkl,
        drop_mkl=drop_mkl,
    )
    if plan.channel is not None and recorded != plan.channel:
        after = conda_env.set_channel(after, origin, plan.channel)
    return after


def _edit_requirements(path: Path, text: str, plan: SetPlan) -> str:
    from npinit.editing import requirements

    origin = str(path)
    requirements.check(text, origin)
    after = text
    if plan.version is not None:
        # the pin goes where it is: this file, or one it includes; a file included by
        # another gets no new pin (the one including it does)
        add = path not in plan.included_by and not any(
            _has_numpy(q, plan) for q in requirements.closure(path, plan.included_by)
        )
        after = requirements.set_numpy(text, plan.version, origin, add, plan.marked_for)
        if requirements.numpy_lines(text) and requirements.has_hashes(
            "\n".join(text.splitlines()[i] for i in requirements.numpy_spans(text))
        ):
            plan.notes.append(
                f"{path.name} had --hash lines for the old numpy pin: they were dropped "
                "(they no longer match; the other lines keep theirs, and pip --require-hashes "
                "refuses the file until it is compiled again); lock the file again "
                "(uv pip compile --generate-hashes)"
            )
    plan.choices = pypi_choices(plan.blas_request, plan.ctx, plan.reference) or plan.choices
    return after


def _numpy_included(path: Path, text: str, plan: SetPlan) -> bool:
    """A conda file with no numpy of its own (nor in its ``pip:`` section) whose section
    includes one: that numpy is pinned in the file it is in, none is added here."""
    from npinit.editing import conda_env, requirements

    _, entries = conda_env.parse(text, str(path))
    if any(e.name == "numpy" for e in entries) or conda_env.pip_numpy(text, str(path)):
        return False
    return any(_has_numpy(q, plan) for q in requirements.closure(path, plan.included_by))


def _has_numpy(path: Path, plan: SetPlan) -> bool:
    from npinit.editing import requirements

    return plan.kinds.get(path) == "requirements" and bool(
        requirements.numpy_lines(plan.texts[path])
    )


def _edit_pyproject(path: Path, text: str, plan: SetPlan) -> str:
    from npinit.editing import toml_files

    if toml_files.table_at(toml_files.parse(text, str(path)), ("tool", "pixi"), str(path)):
        return _edit_pixi(path, text, plan)  # pixi reads its numpy from [tool.pixi]
    after = text
    if plan.version is not None or plan.python is not None:
        after = toml_files.edit_pyproject(
            text, str(path), numpy=plan.version, python=plan.python, marked_for=plan.marked_for
        )
    plan.choices = pypi_choices(plan.blas_request, plan.ctx, plan.reference) or plan.choices
    return after


def _edit_pixi(path: Path, text: str, plan: SetPlan) -> str:
    from npinit.editing import toml_files

    origin = str(path)
    tables = None
    if plan.blas_request is not None:
        doc = toml_files.pixi_body(toml_files.parse(text, origin), origin)
        table = toml_files.workspace_table(doc, origin)
        listed = (table or {}).get("platforms", [p.value for p in plan.ctx.platforms])
        platforms = (
            tuple(
                Platform(p)
                for p in (listed if isinstance(listed, list) else [])
                if p in {x.value for x in Platform}
            )
            or plan.ctx.platforms
        )
        common, overrides = plan.blas_request
        choices = blas_facts.choose_for_platforms(
            Channel.CONDA_FORGE, platforms, common, plan.reference, overrides, per_platform=True
        )
        tables = blas_facts.pixi_tables(choices)
        plan.choices = choices
    return toml_files.edit_pixi(text, origin, numpy=plan.version, python=plan.python, blas=tables)


def _edit_python_version(path: Path, text: str, plan: SetPlan) -> str:
    if plan.python is None:
        return text
    return plan.python + ("\n" if text.endswith("\n") or not text else "")


# one editor per kind of file (``.npinit.toml`` last, from what the others chose)
EDITORS: dict[str, Callable[[Path, str, SetPlan], str]] = {
    "conda": _edit_conda,
    "requirements": _edit_requirements,
    "pyproject": _edit_pyproject,
    "pixi": _edit_pixi,
    "python-version": _edit_python_version,
}


def pypi_choices(
    request: tuple[Blas, dict[Platform, Blas]] | None, ctx: Context, release: Any
) -> tuple[BlasChoice, ...] | None:
    """Validate a BLAS request for a PyPI file (refuses MKL etc. as npinit new does)."""
    if request is None:
        return None
    common, overrides = request
    return blas_facts.choose_for_platforms(Channel.PYPI, ctx.platforms, common, release, overrides)
