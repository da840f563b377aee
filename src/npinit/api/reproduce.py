"""``npinit lock`` in a project: resolve every platform of it without installing, and the
rules ``create`` installs a lock by (the lock must match the project and hold this
platform)."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from npinit.api.from_env import ProjectLockResult
from npinit.model import LOCK_FILE, Machine, Platform
from npinit.record.changes import stale_reasons
from npinit.record.lockfile import Lock
from npinit.record.snapshot import Package, Snapshot

if TYPE_CHECKING:
    from npinit.model_create import CreateContext
    from npinit.model_spec import ProjectSpec  # lock --from-env needs no spec (test_imports)
    from npinit.record.relock import Keep, PreviousLock
    from npinit.runner import Runner


class LockOptions(NamedTuple):
    """How a project is resolved, by :func:`lock_project` and its dry run alike: the
    platforms (``--platform`` values, ``all`` for every one; none: the project's), the conda
    channel alias, and what may move from the old lock (``upgrade``: every package;
    ``upgrade_packages``: these, the others keep their locked versions)."""

    platforms: tuple[str, ...] = ()
    channel_alias: str | None = None
    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()


def project_inputs(project: Path, spec: "ProjectSpec") -> dict[str, Any]:
    """What a project's lock is resolved from: the answers and the manager file's lines."""
    from npinit import managers

    return {
        "manager": spec.manager.value,
        "python": spec.python,
        "numpy": spec.numpy,
        "blas": spec.blas_request,
        "channel": spec.channel.value,
        "platforms": [p.value for p in spec.platforms],
        "requirements": managers.module_for(spec.manager).lock_inputs(project, spec),
    }


def resolve_platforms(spec: "ProjectSpec", requested: list[str] | None) -> list[Platform]:
    """The platforms to lock: ``--platform`` values (``all`` for every one), else the
    project's."""
    from npinit.errors import InvalidInput

    if not requested:
        return list(spec.platforms)
    if "all" in requested:
        return list(Platform)
    try:
        return sorted({Platform(p) for p in requested}, key=lambda p: p.value)
    except ValueError:
        names = ", ".join(p.value for p in Platform)
        raise InvalidInput(
            f"unknown platform in {', '.join(requested)}", f"use one of {names}, or all"
        ) from None


_PLAIN = LockOptions()  # a plain ``npinit lock``: the project's platforms, nothing moves


def lock_project(
    project: Path,
    *,
    machine: Machine,
    options: LockOptions = _PLAIN,
    run: "Runner | None" = None,
    progress: Callable[[str], None] | None = None,
) -> ProjectLockResult:
    """Resolve every platform of ``project`` and write npinit.lock (and the manager's own
    lock where npinit writes it, pixi.lock). Nothing is written unless every platform
    resolved; the files are replaced atomically. Every version the old lock holds that the
    project's files still allow is kept, but for what ``options`` lets move; the result says
    what changed."""
    from npinit.errors import InvalidInput
    from npinit.model_create import CreateContext
    from npinit.record import relock
    from npinit.runner import run as default_run
    from npinit.spec import read_project_spec

    spec = read_project_spec(project, machine.platform)
    chosen = resolve_platforms(spec, list(options.platforms))
    inputs = project_inputs(project, spec)
    path = project / LOCK_FILE
    reading = relock.PreviousLock(path)  # read ahead by the manager, where it overlaps its solve
    keep = relock.keep(
        reading, options.upgrade, list(options.upgrade_packages), inputs["requirements"]
    )
    if options.upgrade_packages and keep.unknown():
        raise InvalidInput(
            f"--upgrade-package {', '.join(keep.unknown())}: {path.name} has no such package",
            "name a package the lock holds, or use --upgrade for every one",
        )
    ctx = CreateContext(
        project=project,
        spec=spec,
        environ=dict(machine.environ),
        run=run or default_run,
        progress=progress or (lambda message: None),
        channel_alias=options.channel_alias,
        windows=machine.windows,
    )
    return _resolve_and_write(ctx, chosen, inputs, keep, reading)


def _resolve_and_write(
    ctx: "CreateContext",
    chosen: list[Platform],
    inputs: dict[str, Any],
    keep: "Keep",
    reading: "PreviousLock",
) -> ProjectLockResult:
    """The manager resolves the chosen platforms; npinit.lock, the manager's own lock and
    the CI files are then written at once (all or nothing), with what changed."""
    from npinit import managers
    from npinit.faults import checkpoint
    from npinit.jail import already_holds, write_files
    from npinit.record import lockfile
    from npinit.record.changes import compare_locks

    project, spec = ctx.project, ctx.spec
    path = project / LOCK_FILE
    sections, texts = managers.resolve(ctx, chosen, keep)
    checkpoint("lock-resolved")
    lock = Lock({p.value: s for p, s in sections.items()}, inputs)
    _refuse_unfaithful(spec, lock)
    texts.update(ci_outputs(project, spec, lock))
    text = lockfile.dumps_lock(lock, "npinit lock")
    before, previous = reading.result()
    changes = compare_locks(previous, lock, identical=before == text.encode("utf-8"))
    if previous is not None:
        changes = changes._replace(inputs=tuple(stale_reasons(previous.inputs, inputs)))
    writes: dict[Path, str | None] = {path: text}
    writes.update({project / name: data for name, data in texts.items()})
    for stale in project.glob("npinit-*.lock.txt"):
        if stale.name not in texts:  # a platform no longer locked
            writes[stale] = None
    if list(writes) != [path] or not already_holds(project, path, text.encode("utf-8"), before):
        write_files(project, writes)  # all or nothing, none through a link leaving
    written = tuple(project / name for name in texts)
    return ProjectLockResult(path, lock, written, changes=changes)


def _refuse_unfaithful(spec: "ProjectSpec", lock: Lock) -> None:
    """A resolution that does not hold what .npinit.toml records (no numpy on a platform, two
    numpys, another release) is not written: lock --check, create and verify would refuse it,
    so lock says why now (exit 2), before anything is written."""
    from npinit.errors import InvalidInput

    problems = answer_mismatches(spec, lock)
    if problems:
        raise InvalidInput(
            f"the resolution does not hold what .npinit.toml records: {'; '.join(problems[:3])}",
            "make the project's file and .npinit.toml agree (numpy required once on every "
            "recorded platform, not optional; npinit set changes both), then lock again",
        )


def ci_outputs(project: Path, spec: "ProjectSpec", lock: Lock) -> dict[str, str]:
    """What a project with CI keeps next to its lock: the exports its workflow installs
    from, and the workflow itself with the lock's platforms as its matrix."""
    if spec.ci == "none":
        return {}
    from npinit import ci, managers
    from npinit.record import export
    from npinit.template_ext import ci_files

    out = dict(ci_files(spec, lock.platforms()))
    for name, fmt in ci.exports(spec.manager).items():
        if fmt == "conda-lock":
            source = spec.source or managers.module_for(spec.manager).FILE
            out[name] = export.conda_lock(lock, [source])[0]
        else:
            options = export.index_options(lock.inputs, Path())  # next to requirements.txt
            for platform in lock.platforms():
                section = lock.sections[platform]
                out[name.format(platform=platform)] = export.requirements(section, options)[0]
    return out


def check_lock(project: Path, machine: Machine) -> list[str]:
    """What makes the project's lock unfit to install from, without resolving anything: a
    project changed since locking, a platform of the project it lacks, CI files out of step."""
    from npinit.record import crosscheck, lockfile
    from npinit.spec import read_project_spec

    spec = read_project_spec(project, machine.platform)
    lock = lockfile.read_lock(project / LOCK_FILE)
    problems = stale_reasons(lock.inputs, project_inputs(project, spec))
    missing = [p.value for p in spec.platforms if p.value not in lock.sections]
    if missing:
        problems.append(f"it has no section for {', '.join(missing)}")
    problems += crosscheck.check(project, spec, lock)
    problems += answer_mismatches(spec, lock)
    for name, text in ci_outputs(project, spec, lock).items():
        path = project / name
        if not path.is_file() or path.read_text("utf-8") != text:
            problems.append(f"{name} is not the one the lock gives")
    return problems


def answer_mismatches(spec: "ProjectSpec", lock: Lock) -> list[str]:
    """What the lock's sections hold that the answers .npinit.toml records do not: a section
    resolved for another Python (or implementation), another NumPy release, a BLAS the
    project does not accept there, numpy from another channel (conda, pixi)."""
    acceptable = {c.platform.value: list(c.acceptable) for c in spec.blas_choices}
    out = numpy_twice(lock)
    for name, section in sorted(lock.sections.items()):
        out += _python_mismatch(spec, name, section)
        numpys = [p for p in section.packages if p.name == "numpy"]
        if not numpys:
            out.append(f"its {name} section has no numpy, the project pins {spec.numpy}")
        elif len(numpys) == 1:  # two: numpy_twice says so
            out += _numpy_mismatch(spec, name, numpys[0])
        wanted = acceptable.get(name, [])
        variant = section.blas.variant
        if wanted and variant not in ("unknown", "") and variant not in wanted:
            out.append(f"its {name} section has BLAS {variant}, the project {' or '.join(wanted)}")
    return out


def _numpy_mismatch(spec: "ProjectSpec", name: str, numpy: Package) -> list[str]:
    """Another NumPy release than the project pins, or numpy from another conda channel."""
    if numpy.version != spec.numpy:
        return [f"its {name} section has NumPy {numpy.version}, the project pins {spec.numpy}"]
    if numpy.source == "conda":
        from npinit.record.snapshot import channel_name

        if channel_name(numpy.channel) != spec.channel.value:
            return [
                f"its {name} section's numpy is from {numpy.channel}, the project's "
                f"channel is {spec.channel.value}"
            ]
    return []


def numpy_twice(lock: Lock) -> list[str]:
    """Each section holding numpy twice (a conda numpy and a PyPI one): an environment
    imports one numpy, so such a lock is no truth about it, whoever wrote it."""
    out = []
    for name, section in sorted(lock.sections.items()):
        numpys = [p for p in section.packages if p.name == "numpy"]
        if len(numpys) > 1:
            held = ", ".join(f"{p.version} from {p.source}" for p in numpys)
            out.append(f"its {name} section holds numpy twice ({held})")
    return out


def _python_mismatch(spec: "ProjectSpec", name: str, section: Snapshot) -> list[str]:
    """A section resolved for another Python than the one .npinit.toml records."""
    from npinit.record.snapshot import FREE_THREADED

    minor = spec.python.removesuffix("t")
    implementation = FREE_THREADED if spec.python.endswith("t") else "cpython"
    python = ".".join(section.python.split(".")[:2])
    if python and python != minor:
        return [f"its {name} section has Python {section.python}, the project {minor}"]
    if section.implementation and section.implementation != implementation:
        return [f"its {name} section is {section.implementation}, not {implementation}"]
    return []


def export_lock(
    project: Path, fmt: str, output: Path | None, platform: str | None
) -> tuple[Path | None, list[str], str]:
    """Export ``fmt`` from a project's lock: ``conda-lock`` covers every platform, the other
    formats one (``platform``; needed when the lock has several). Written to ``output``;
    ``None`` writes nothing (the caller prints the text: standard output)."""
    from npinit import managers
    from npinit.errors import InvalidInput
    from npinit.record import export, lockfile
    from npinit.spec import read_project_spec
    from npinit.tomlio import atomic_write

    lock_path = project / LOCK_FILE
    lock = lockfile.read_lock(lock_path)
    if fmt == "conda-lock":
        spec = read_project_spec(project)
        source = spec.source or managers.module_for(spec.manager).FILE
        text, warnings = export.conda_lock(lock, [source])
    else:
        if platform is None and len(lock.sections) > 1:
            raise InvalidInput(
                f"{fmt} holds one platform and {lock_path.name} has {', '.join(lock.platforms())}",
                "name one with --platform",
            )
        try:
            wanted = Platform(platform) if platform else None
        except ValueError:
            raise InvalidInput(f"unknown platform {platform!r}", "use a conda subdir") from None
        section = (
            lockfile.section_for(lock, wanted, lock_path)
            if wanted
            else next(iter(lock.sections.values()))
        )
        writers = {
            "pylock": export.pylock,
            "requirements": export.requirements,
            "conda-explicit": export.conda_explicit,
        }
        text, warnings = writers[fmt](section)
        if fmt == "requirements":  # from the indexes the lock was resolved with
            beside = output is not None and output.absolute().parent == project.absolute()
            options = export.index_options(lock.inputs, Path() if beside else project.absolute())
            text, warnings = export.requirements(section, options)
    if output is None:
        return None, warnings, text
    inside = output.absolute().is_relative_to(project.absolute())
    atomic_write(output, text, root=project if inside else None)
    return output, warnings, text
