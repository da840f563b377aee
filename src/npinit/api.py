"""npinit's Python API: what the CLI, an IDE or a test calls. Returns results, never prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.model import ProjectSpec


@dataclass(frozen=True)
class NewResult:
    """A generated project: where it is, what was written, and what it pins."""

    project: Path
    files: tuple[str, ...]
    spec: ProjectSpec
    plan: dict[str, Any] = field(compare=False)

    @property
    def warnings(self) -> list[str]:
        return list(self.plan["notes"])

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
        "blas": spec.blas.value,
        "channel": spec.channel.value if spec.manager.value == "conda" else "conda-forge",
        "platforms": ",".join(p.value for p in spec.platforms),
        "with_packages": ",".join(spec.with_packages),
        "threads": str(spec.threads or ""),
        "description": spec.description,
        "author": spec.author,
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
) -> ProjectSpec:
    """Validate answers into a spec (raises InvalidInput, exit 2, on anything wrong)."""
    from npinit.spec import build_spec, detect_platform

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
        current_platform=detect_platform(),
    )


def new_project(spec: ProjectSpec, output_dir: Path, *, force: bool = False) -> NewResult:
    """Write the project for ``spec`` into ``output_dir/spec.name``, atomically."""
    from npinit import scaffold
    from npinit.template_ext import plan_for

    target = output_dir / spec.name
    files = scaffold.generate(scaffold.template_dir(), answers_for(spec), target, force)
    return NewResult(project=target.resolve(), files=tuple(files), spec=spec, plan=plan_for(spec))
