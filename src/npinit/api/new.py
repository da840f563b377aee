"""``npinit new``: validate answers into a spec, write the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.model import Manager, Platform
from npinit.model_spec import ProjectSpec


@dataclass(frozen=True)
class NewResult:
    """A generated project: where it is, what was written, and what it pins."""

    project: Path
    files: tuple[str, ...]
    spec: ProjectSpec
    plan: dict[str, Any] = field(compare=False)
    notes: tuple[str, ...] = ()

    @property
    def warnings(self) -> list[str]:
        return [*self.plan["notes"], *self.notes]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object IDEs read (schema pinned by a test)."""
        plan = self.plan
        return {
            "project": str(self.project),
            "files": list(self.files),
            "manager": plan["manager"],
            "python": plan["python"],
            "numpy": plan["numpy"],
            "blas": plan["blas"],
            "channel": plan["channel"],
            "platforms": plan["platforms"],
            "blas_by_platform": {
                platform: choice["variant"] for platform, choice in plan["blas_by_platform"].items()
            },
            "spec_file": plan["manifest"]["file"],
            "spec_lines": plan["manifest"]["spec_lines"],
            "warnings": self.warnings,
        }


def answers_for(spec: ProjectSpec) -> dict[str, str]:
    """The cookiecutter answers that render ``spec`` (every value explicit)."""
    return {
        "project_name": spec.name,
        "manager": spec.manager.value,
        "python_version": spec.python,
        "numpy_version": spec.numpy,
        "blas": spec.blas_request,
        "channel": "conda-forge" if spec.manager.uses_pypi else spec.channel.value,
        "platforms": ",".join(p.value for p in spec.platforms),
        "with_packages": "\n".join(spec.with_packages),  # one per line: a spec may hold commas
        "threads": str(spec.threads or ""),
        "description": spec.description,
        "author": spec.author,
        "ci": spec.ci,
        **({"_numpy_from": spec.numpy_from} if spec.numpy_from else {}),
    }


def resolve_project(
    name: str,
    *,
    manager: str = "conda",
    python: str | None = None,
    numpy: str = "latest",
    blas: str = "default",
    channel: str | None = None,
    platforms: Sequence[str] = (),
    with_packages: Sequence[str] = (),
    threads: int | None = None,
    description: str = "A NumPy project",
    author: str = "",
    current_platform: Platform | None = None,
    ci: str = "none",
) -> ProjectSpec:
    """Validate answers into a spec (raises InvalidInput, exit 2, on anything wrong).

    ``current_platform`` is the platform "this machine" means when ``platforms`` is empty
    (the CLI passes :func:`npinit.api.this_machine`'s)."""
    from npinit.spec import build_spec

    return build_spec(
        name=name,
        manager=manager,
        python=python,
        numpy=numpy,
        blas=blas,
        channel=channel,
        platforms=platforms,
        with_packages=with_packages,
        threads=threads,
        description=description,
        author=author,
        current_platform=current_platform,
        ci=ci,
    )


def check_template_create(template: str | None, trust: bool, create: bool) -> None:
    """``new --template X --create`` runs code the template wrote: refused unless ``trust``."""
    from npinit.errors import InvalidInput

    if create and template is not None and not trust:
        raise InvalidInput(
            "--create would run the untrusted template's code: its "
            "tests/test_environment.py check, its conftest.py files and its build backend "
            "(and the manager its .npinit.toml names)",
            "read the project first: run `npinit new` without --create, then `npinit create` in "
            "it; or add --trust if you trust the template's author",
        )


def new_project(
    spec: ProjectSpec,
    output_dir: Path,
    *,
    force: bool = False,
    cache_dir: Path | None = None,
    template: str | None = None,
    trust: bool = False,
) -> NewResult:
    """Write the project for ``spec`` into ``output_dir/spec.name``, atomically.

    ``cache_dir`` keeps the template's compiled form between runs (faster start).
    ``template`` is another cookiecutter template (path, .zip or URL): it is checked first
    (nothing may land outside the project) and its hooks run only with ``trust``.
    """
    import shutil
    import tempfile

    from npinit import scaffold
    from npinit.template_ext import plan_for

    target = output_dir / spec.name
    answers = answers_for(spec)
    notes: list[str] = []
    if template is None:
        files = scaffold.generate(
            scaffold.template_dir(), answers, target, force, cache_dir=cache_dir
        )
    else:
        workdir = Path(tempfile.mkdtemp(prefix="npinit-template-"))
        try:
            repo = scaffold.fetch_template(template, workdir)
            files = scaffold.generate(repo, answers, target, force, trust=trust, notes=notes)
            if not trust:
                notes.append(
                    "npinit create runs code this template wrote (its tests, conftest.py files "
                    "and build backend): read them first"
                )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    plan = plan_for(spec)
    if plan["manifest"]["file"] not in files:  # another template may not write it
        plan = {**plan, "manifest": {"file": None, "spec_lines": []}}
    return NewResult(
        project=target.resolve(),
        files=tuple(files),
        spec=spec,
        plan=plan,
        notes=tuple(notes),
    )


def describe(spec: ProjectSpec) -> dict[str, Any]:
    """What ``new`` would write for ``spec``, without writing it: the manifest file and its
    exact lines, the BLAS per platform, the notes (the summary before the confirmation)."""
    from npinit.template_ext import plan_for

    return plan_for(spec)


def activation(manager: Manager, windows: bool) -> tuple[str, str]:
    """Where a project's environment lives, and the command that activates it."""
    from npinit.managers import module_for

    implementation = module_for(manager)
    return implementation.ENV_DIR, implementation.activate(windows)
