"""One module per manager, each a :class:`PackageManager`: what goes into its native file,
where its environment lives and how it is activated, how it installs, and where the lock's
hashes come from.

:data:`REGISTRY` names the module of each, and :func:`module_for` loads the one a spec names
(only when used). What the managers share is in :mod:`npinit.managers.common`, which imports
no manager and not this registry, so no import cycle runs through here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from npinit.model import Manager, Platform
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.model_spec import ProjectSpec

if TYPE_CHECKING:  # create starts uv venv (managers.pip) before the lock's modules load
    from npinit.record.relock import Keep
    from npinit.record.snapshot import Snapshot


class PackageManager(Protocol):
    """What npinit needs of a manager. Module-level names implement it. A manager that can
    resolve some projects without files of its own may also define ``lock_in_memory(ctx,
    platforms, keep)``, its sections or None (:func:`resolve` asks it before :meth:`lock`)."""

    FILE: str  # the manager's own file: environment.yml, requirements.txt, pyproject.toml...
    ENV_DIR: str  # where the project's environment lives, relative to the project

    def manifest(self, spec: ProjectSpec) -> dict[str, Any]:
        """What goes into the file, including ``spec_lines``: the exact dependency lines."""
        ...

    def lock_inputs(self, project: Path, spec: ProjectSpec) -> list[str]:
        """The dependency lines of the manager's file that a lock is resolved from."""
        ...

    def lock(
        self, ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep
    ) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
        """Resolve every platform without installing: a lock section each, and the files of
        the manager's own lock written into ``workdir`` (project file name -> path). The
        versions ``keep`` holds are preferred (a re-lock changes only what must change)."""
        ...

    def install(self, ctx: CreateContext, section: Snapshot, workdir: Path) -> CreatedEnvironment:
        """Install exactly ``section`` (this machine's platform of the lock); never resolve."""
        ...

    def activate(self, windows: bool) -> str:
        """The command that activates the environment in a shell."""
        ...

    def native_lock(
        self, project: Path, python: str, platforms: list[Platform]
    ) -> tuple[str, dict[Platform, Snapshot]] | None:
        """The manager's own lock (its file name) read as lock sections, for a manager that
        installs from it (uv, Poetry, pixi); None where create installs npinit.lock."""
        ...


def _conda() -> PackageManager:
    from npinit.managers import conda

    return conda


def _pip() -> PackageManager:
    from npinit.managers import pip

    return pip


def _poetry() -> PackageManager:
    from npinit.managers import poetry

    return poetry


def _uv() -> PackageManager:
    from npinit.managers import uv

    return uv


def _pixi() -> PackageManager:
    from npinit.managers import pixi

    return pixi


REGISTRY: dict[Manager, Callable[[], PackageManager]] = {
    Manager.CONDA: _conda,
    Manager.PIP: _pip,
    Manager.POETRY: _poetry,
    Manager.UV: _uv,
    Manager.PIXI: _pixi,
}


def module_for(manager: Manager) -> PackageManager:
    """The implementation of ``manager`` (imported only when used)."""
    return REGISTRY[manager]()


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    """The data the template writes into the manager's file, including ``spec_lines``:
    the exact dependency lines written, in file order."""
    return module_for(spec.manager).manifest(spec)


def source_file(project: Path, spec: ProjectSpec) -> Path:
    """The manager's file: the one ``npinit init`` recorded, else its usual name."""
    from npinit.managers.common import source_of

    return source_of(project, spec, module_for(spec.manager).FILE)


def resolve(
    ctx: CreateContext, platforms: list[Platform], keep: Keep
) -> tuple[dict[Platform, Snapshot], dict[str, str]]:
    """The project's manager resolves ``platforms`` (:meth:`PackageManager.lock`): the
    sections, and the texts of its own lock files by their names in the project, from a work
    directory removed after. A manager that can resolve in memory (``lock_in_memory``: conda
    without a pip: section) is asked that first, and no work directory is made."""
    module = module_for(ctx.spec.manager)
    in_memory = getattr(module, "lock_in_memory", None)
    sections = in_memory(ctx, platforms, keep) if in_memory is not None else None
    if sections is not None:
        return sections, {}
    import tempfile

    with tempfile.TemporaryDirectory(prefix="npinit-lock-") as work:
        sections, files = module.lock(ctx, platforms, Path(work), keep)
        return sections, {name: source.read_text("utf-8") for name, source in files.items()}
