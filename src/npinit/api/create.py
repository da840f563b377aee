"""``npinit create``: install exactly this machine's section of the project's lock with its
manager, check it against the lock, run the project's own check in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from npinit.api.create_undo import CreateUndo, clear_half_built
from npinit.api.create_undo import half_built as half_built  # the API names it here
from npinit.model import ENV_DIRS as ENV_DIRS  # the API names it
from npinit.model import LOCK_FILE, Machine, Manager, Platform
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.model_spec import ProjectSpec

if TYPE_CHECKING:
    from npinit.api.create_result import CreateResult, LockedSection
    from npinit.jail import BuildLock
    from npinit.record.bundle_files import BundledFile
    from npinit.record.snapshot import Snapshot
    from npinit.runner import Runner, Started

INCOMPLETE = ".npinit-create-incomplete"


def create_environment(
    project: Path,
    *,
    machine: Machine,
    progress: Callable[[str], None] | None = None,
    run: Runner | None = None,
    channel_alias: str | None = None,
    use_uv: bool = True,
    check: bool = True,
    update: bool = False,
    bundle: Path | None = None,
) -> CreateResult:
    """Install exactly this machine's section of the project's lock, check it with
    ``verify``, run the project's tests (``check=False`` skips them). No lock: lock first;
    ``update``: lock again first. The lock is never rewritten otherwise: a lock that no
    longer matches the project, or lacks this platform, is refused (InvalidInput).
    ``bundle``: install from that offline bundle only (made from this very lock; every file
    checked against the lock before anything is installed), with no index and no channel.

    A failure or an interrupt while building or checking removes the new environment; the
    project's files are never touched, and with ``update`` every file locking wrote is put
    back as it was (:class:`npinit.api.create_undo.CreateUndo`).
    """
    from npinit.jail import BuildLock
    from npinit.runner import run as default_run
    from npinit.spec import read_project_spec

    ctx = CreateContext(
        project=project,
        spec=read_project_spec(project, machine.platform),
        environ=dict(machine.environ),
        run=run or default_run,
        progress=progress or (lambda message: None),
        channel_alias=channel_alias,
        use_uv=use_uv,
        windows=machine.windows,
    )
    with BuildLock(project, INCOMPLETE) as marker, CreateUndo(project, update) as undo:
        notes = clear_half_built(project, marker.stale)
        ctx = ctx._replace(existing=_environment_folder(project, ctx.spec))
        early, venv = _head_start(ctx, undo, marker, update=update, bundle=bundle)
        try:
            if venv is not None:
                venv.watch()  # first in the try: a stop as uv started stops uv
            locked = _locked_section(ctx, machine, update=update, bundle=bundle)
            if not ctx.existing and not early:  # one made by hand is never removed
                undo.building(project / ctx.spec.manager.env_dir)
                marker.building()
            created, told = _install_exactly(ctx, locked, machine.platform, venv)
        except BaseException:
            if venv is not None:  # before CreateUndo removes the folder uv writes into
                venv.stop()
            raise
        # the project's check too: an interrupt there leaves no environment (CreateUndo)
        result = _result(ctx, locked, created, [*notes, *told], check=check, update=update)
        marker.done()
    return result


def _head_start(
    ctx: CreateContext, undo: CreateUndo, marker: BuildLock, *, update: bool, bundle: Path | None
) -> tuple[bool, Started | None]:
    """Whether the environment is begun before the lock is read (a new ``.venv`` of a pip
    project, a lock there to install as it is: nothing to lock first, no bundle): then the
    undo and the marker say it builds, and ``uv venv`` runs in the background while the lock
    is read and its export written (:func:`npinit.managers.pip.start_venv`; None: the venv
    is made in its turn). Nothing of the lock is loaded before uv starts (test_imports)."""
    if ctx.existing or update or bundle is not None or ctx.spec.manager is not Manager.PIP:
        return False, None
    if not (ctx.project / LOCK_FILE).is_file():
        return False, None
    from npinit.managers import pip

    undo.building(ctx.project / ctx.spec.manager.env_dir)
    marker.building()
    return True, pip.start_venv(ctx)


def _environment_folder(project: Path, spec: ProjectSpec) -> bool:
    """Whether the manager's environment folder is there to install into again
    (:func:`reusable_environment`). A folder that is a link, or another manager's folder, is
    refused (InvalidInput): create builds only its own, and never through a link."""
    import os

    from npinit.errors import InvalidInput
    from npinit.jail import check_inside

    env_dir = spec.manager.env_dir
    for name in ENV_DIRS:
        check_inside(project, project / name)  # a link, even dangling, is never built through
    existing = reusable_environment(project / env_dir, spec)
    for name in ENV_DIRS:
        if name != env_dir and os.path.lexists(project / name):
            raise InvalidInput(
                f"{project / name} already exists and a {spec.manager.value} project does "
                "not use it",
                f"remove it; npinit create builds {env_dir}",
            )
    return existing


def _install_exactly(
    ctx: CreateContext, locked: LockedSection, platform: Platform | None, venv: Started | None
) -> tuple[CreatedEnvironment, list[str]]:
    """The environment installed and compared with the lock's section (a difference is a
    Failure; the folder this create began is then removed by CreateUndo, as on any failure
    or interrupt). ``venv``: the uv making it in the background (:func:`_head_start`).
    Returns it, and what the install and the comparison had to say."""
    from npinit.errors import Failure
    from npinit.record.environment import snapshot_environment
    from npinit.record.verify import compare

    told: list[str] = []
    if venv is not None:  # into the venv uv makes; it reads the export on its stdin
        from npinit.managers import pip

        created = pip.install(ctx, locked.section, None, venv)
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="npinit-create-") as work:
            created, told = _install(ctx, locked.section, Path(work), locked.files)
    ctx.progress("Checking the environment against the lock")
    installed = snapshot_environment(created.prefix, None, current_platform=platform)
    drift = compare(locked.section, installed)
    if not drift.clean:
        raise Failure(
            f"the new environment differs from {locked.path.name}: "
            + "; ".join(c.describe().strip() for c in drift.changes[:3]),
            "the installer did not install the lock exactly; report this",
        )
    return created, told + list(installed.warnings)


def _result(
    ctx: CreateContext,
    locked: LockedSection,
    created: CreatedEnvironment,
    notes: list[str],
    *,
    check: bool,
    update: bool,
) -> CreateResult:
    """The environment built and verified: the project's check run in it (``check``), and
    what to tell, first what was written or reused."""
    from npinit.api.create_result import CreateResult

    first = []
    if locked.changes is not None:
        first.append(f"wrote {locked.path.name} first (it is the source of truth from now)")
    if ctx.existing:
        env_dir = ctx.spec.manager.env_dir
        first.append(f"installed the lock into the existing {env_dir} (extras removed)")
    if check:
        passed, summary = _run_project_tests(created, ctx)
    else:
        passed, summary = None, "skipped (--no-check)"
    section = locked.section
    numpy = next((p.version for p in section.packages if p.name == "numpy"), "")
    return CreateResult(
        ctx.project,
        created.prefix,
        created.tool,
        created.activate,
        locked.path,
        numpy,
        section.blas.variant,
        passed,
        summary,
        tuple(first + notes),
        section.platform,
        locked.changes if update else None,
        verified=True,  # compared with the lock above: a difference was a Failure
    )


def _locked_section(
    ctx: CreateContext, machine: Machine, *, update: bool, bundle: Path | None
) -> LockedSection:
    """The lock to install (:class:`~npinit.api.create_result.LockedSection`); from a
    bundle, its files of the section, each checked against the lock. A lock that does not
    match the project, a bundle made from another lock (InvalidInput), or a bundle file that
    is missing or damaged (Failure) stops here, before anything is installed."""
    from npinit.api.create_result import LockedSection
    from npinit.api.reproduce import (
        LockOptions,
        answer_mismatches,
        lock_project,
        project_inputs,
    )
    from npinit.errors import InvalidInput
    from npinit.record import crosscheck, lockfile
    from npinit.record.changes import stale_reasons

    lock_path = ctx.project / LOCK_FILE
    changes = None
    if bundle is not None:
        from npinit.record.bundle_files import check_made_from

        if update:
            raise InvalidInput("--bundle installs the lock as it is", "drop --update")
        check_made_from(bundle, lock_path)
    elif update or not lock_path.exists():  # minimal: what the lock holds and the files allow stays
        ctx.progress("Locking every platform of the project" if not update else "Locking again")
        options = LockOptions(channel_alias=ctx.channel_alias)
        changes = lock_project(
            ctx.project, machine=machine, options=options, run=ctx.run, progress=ctx.progress
        ).changes
    lock = lockfile.read_lock(lock_path)
    reasons = stale_reasons(lock.inputs, project_inputs(ctx.project, ctx.spec))
    reasons += answer_mismatches(ctx.spec, lock)
    if reasons:
        raise InvalidInput(
            f"{lock_path.name} does not match the project: {'; '.join(reasons)}",
            "lock again with npinit lock, or npinit create --update",
        )
    crosscheck.refuse(ctx.project, ctx.spec, lock)  # uv, Poetry, pixi: their lock is what installs
    section = lockfile.section_for(lock, machine.platform, lock_path)
    if bundle is None:
        return LockedSection(lock_path, section, changes, None)
    from npinit.record.bundle_files import checked_files

    ctx.progress(f"Checking every file of the bundle against the lock ({section.platform})")
    return LockedSection(lock_path, section, changes, checked_files(bundle, section))


def _install(
    ctx: CreateContext,
    section: Snapshot,
    workdir: Path,
    files: list[BundledFile] | None,
) -> tuple[CreatedEnvironment, list[str]]:
    """The manager installs the section, its files in ``workdir``; from a bundle, offline
    from its checked files."""
    from npinit import managers

    if files is None:
        return managers.module_for(ctx.spec.manager).install(ctx, section, workdir), []
    from npinit.managers import offline

    ctx.progress("Installing from the bundle only (no index, no channel)")
    return offline.install(ctx, section, workdir, files)


def reusable_environment(prefix: Path, spec: ProjectSpec) -> bool:
    """Whether ``prefix`` (the manager's environment folder) exists and can take the lock: a
    venv (or, for conda, a conda prefix) of the project's Python. Another Python, or a folder
    that is no such environment, is refused (InvalidInput) with the difference named."""
    if not prefix.exists() and not prefix.is_symlink():
        return False  # (nothing of the lock loaded: a new environment starts sooner)
    from npinit.errors import InvalidInput
    from npinit.record.snapshot import FREE_THREADED, read_prefix

    conda = spec.manager.value in ("conda", "pixi")
    wanted = "a conda prefix" if conda else "a virtual environment"
    fix = f"remove it (npinit create then builds it), or make it {wanted} of Python {spec.python}"
    if prefix.is_symlink() or not prefix.is_dir():
        raise InvalidInput(f"{prefix} is not {wanted} (not a folder)", fix)
    if spec.manager.value == "pixi":
        return True  # pixi owns .pixi and installs into it again (pixi install --frozen)
    try:
        found = read_prefix(prefix, None)
    except InvalidInput:
        raise InvalidInput(f"{prefix} is not {wanted}", fix) from None
    if (found.kind == "conda") != conda:
        raise InvalidInput(f"{prefix} is {'a conda prefix' if not conda else 'a venv'}", fix)
    version = ".".join(found.python.split(".")[:2]) or "unknown"
    implementation = FREE_THREADED if spec.python.endswith("t") else "cpython"
    if version != spec.python.removesuffix("t") or found.implementation != implementation:
        raise InvalidInput(
            f"{prefix} is Python {found.python or 'unknown'} ({found.implementation}); the "
            f"project asks for {spec.python} ({implementation})",
            fix,
        )
    return True


def _run_project_tests(created: CreatedEnvironment, ctx: CreateContext) -> tuple[bool | None, str]:
    """Run the generated ``tests/test_environment.py`` inside the new environment."""
    from npinit.errors import Failure
    from npinit.faults import checkpoint

    checkpoint("create-checking")
    if created.python is None or not created.python.exists():
        return None, "the environment has no Python interpreter"
    ctx.progress("Running tests/test_environment.py in the new environment")
    env = {**ctx.environ, **created.env_vars}
    env.pop("PYTHONPATH", None)
    try:
        # the test file also runs without pytest: the same checks, far less start-up
        check = "tests/test_npinit_environment.py"  # what npinit init names it beside another
        check = check if (ctx.project / check).is_file() else "tests/test_environment.py"
        result = ctx.run(
            [created.python, check],
            cwd=ctx.project,
            env=env,
            what="the environment check",
        )
    except Failure as error:
        return False, error.message
    lines = result.stdout.strip().splitlines()
    return True, lines[-1] if lines else "passed"
