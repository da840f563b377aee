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
            scaffold.check_template(repo)
            files = scaffold.generate(repo, answers, target, force, trust=trust, notes=notes)
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


@dataclass(frozen=True)
class LockResult:
    """A recorded lock: where it went, its text, what it holds, what it could not hold."""

    path: Path
    format: str
    snapshot: Any
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        snap = self.snapshot
        return {
            "lock": str(self.path),
            "format": self.format,
            "environment": {
                "kind": snap.kind,
                "python": snap.python,
                "implementation": snap.implementation,
                "platform": snap.platform,
            },
            "blas": {
                "variant": snap.blas.variant,
                "evidence": snap.blas.evidence,
                "probe": snap.blas.probe,
            },
            "packages": len(snap.packages),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class VerifyResult:
    """The drift between an installed environment and its lock (``clean`` when none)."""

    lock: Path
    drift: Any

    @property
    def clean(self) -> bool:
        return bool(self.drift.clean)

    def to_json(self) -> dict[str, Any]:
        return {"lock": str(self.lock), **self.drift.to_json()}


INTERPRETERS = ("bin/python", "python.exe", "Scripts/python.exe", "bin/python3")
PROBE_TIMEOUT = 30.0  # seconds an environment's interpreter gets to answer (NPINIT_PROBE_TIMEOUT)

DEFAULT_LOCK_NAMES = {
    "npinit": "npinit.lock",
    "pylock": "pylock.toml",
    "requirements": "requirements-lock.txt",
    "conda-explicit": "conda-explicit.txt",
}


def snapshot_environment(
    prefix: Path | None,
    python: Path | None,
    *,
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
    probe_timeout: float = PROBE_TIMEOUT,
) -> Any:
    """Read an environment (a conda prefix or venv, or any interpreter) into a Snapshot."""
    from dataclasses import replace

    from npinit.record import snapshot as snap
    from npinit.record.target import read_python
    from npinit.spec import detect_platform

    here = detect_platform()
    if prefix is not None:
        result = snap.read_prefix(prefix, here)
    elif python is not None:
        result = read_python(python, here)
    else:
        raise ValueError("snapshot_environment needs a prefix or a python")
    if online:
        from npinit.record.index import DEFAULT_INDEX, add_hashes

        packages, warnings = add_hashes(result.packages, index or DEFAULT_INDEX)
        result = replace(result, packages=packages, warnings=(*result.warnings, *warnings))
    if probe:
        from npinit.record.probe import run_probe, variant_from_probe

        interpreter = python or _interpreter_of(result.prefix)
        seen = run_probe(interpreter, timeout=probe_timeout)
        variant = variant_from_probe(seen)
        blas = result.blas
        if variant != "unknown" and variant != blas.variant:
            blas = snap.BlasFingerprint(
                variant, f"run-time probe ({blas.evidence or 'no static evidence'})", seen
            )
        else:
            blas = snap.BlasFingerprint(blas.variant, blas.evidence, seen)
        result = replace(result, blas=blas)
    return result


def _interpreter_of(prefix: Path | None) -> Path:
    from npinit.errors import InvalidInput

    assert prefix is not None
    for candidate in INTERPRETERS:
        if (prefix / candidate).exists():
            return prefix / candidate
    raise InvalidInput(f"no Python interpreter in {prefix}", "the probe needs one; drop --probe")


def _dangling_interpreter(prefix: Path | None) -> Path | None:
    """The interpreter link of a venv whose target is gone (its base Python was removed)."""
    if prefix is None:
        return None
    for candidate in INTERPRETERS:
        path = prefix / candidate
        if path.is_symlink() and not path.exists():
            return path
    return None


def lock_environment(
    prefix: Path | None,
    python: Path | None,
    output: Path,
    *,
    fmt: str = "npinit",
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
    probe_timeout: float = PROBE_TIMEOUT,
) -> LockResult:
    """Snapshot an environment and write its lock (atomically) in ``fmt``."""
    from npinit.record import export, lockfile
    from npinit.tomlio import atomic_write

    snapshot = snapshot_environment(
        prefix, python, probe=probe, online=online, index=index, probe_timeout=probe_timeout
    )
    warnings = list(snapshot.warnings)
    if fmt == "npinit":
        where = f"--prefix {prefix}" if prefix else f"--python {python}"
        text = lockfile.dumps(snapshot, regenerate=f"npinit lock {_portable(where)}")
    elif fmt == "pylock":
        text, more = export.pylock(snapshot)
        warnings += more
    elif fmt == "requirements":
        text, more = export.requirements(snapshot)
        warnings += more
    elif fmt == "conda-explicit":
        text, more = export.conda_explicit(snapshot)
        warnings += more
    else:
        from npinit.errors import InvalidInput

        raise InvalidInput(
            f"unknown lock format {fmt!r}", f"use one of {', '.join(export.FORMATS)}"
        )
    try:
        atomic_write(output, text)
    except OSError as error:
        from npinit.errors import Failure

        raise Failure(f"could not write {output}: {error.strerror or error}", "") from error
    return LockResult(output, fmt, snapshot, tuple(warnings))


def _portable(where: str) -> str:
    """Keep the regenerate hint free of absolute paths (the lock must not depend on them)."""
    flag, _, path = where.partition(" ")
    return f"{flag} {Path(path).name}" if Path(path).is_absolute() else where


def verify_environment(prefix: Path | None, python: Path | None, lock: Path) -> VerifyResult:
    """Compare the environment with ``lock``; the result says what drifted."""
    from npinit.record import lockfile
    from npinit.record.verify import compare

    locked = lockfile.read(lock)
    installed = snapshot_environment(prefix, python)
    return VerifyResult(lock, compare(locked, installed))


def doctor(
    prefix: Path | None,
    python: Path | None,
    *,
    cwd: Path,
    env: dict[str, str] | None,
    gpus: list[str],
    project: Path | None = None,
    timeout: float = PROBE_TIMEOUT,
) -> Any:
    """Diagnose an environment with the install guide's knowledge (see npinit.doctor).

    The interpreter gets ``timeout`` seconds to answer; past that its check is reported as
    one that could not run."""
    from npinit.doctor import diagnose
    from npinit.errors import InvalidInput
    from npinit.record import lockfile
    from npinit.tomlio import read_answers

    snapshot = snapshot_environment(prefix, python)
    interpreter = python
    if interpreter is None:
        try:
            interpreter = _interpreter_of(prefix)
        except InvalidInput:
            # a venv always has one: a dangling link or none at all is a broken environment
            interpreter = _dangling_interpreter(prefix)
            if interpreter is None and snapshot.kind == "venv" and prefix is not None:
                interpreter = prefix / INTERPRETERS[0]
    pin = locked = None
    if project is not None:
        pin = read_answers(project)
        if (project / lockfile.FILE_NAME).is_file():
            try:
                locked = lockfile.read(project / lockfile.FILE_NAME)
            except InvalidInput:
                locked = None
    return diagnose(
        interpreter,
        snapshot,
        cwd=cwd,
        env=env,
        pin=pin,
        locked=locked,
        gpus=gpus,
        timeout=timeout,
    )


ENV_DIRS = (".venv", ".conda", ".pixi")
INCOMPLETE = ".npinit-create-incomplete"


def half_built(project: Path) -> list[str]:
    """The environment folders of ``project`` that no finished build could have left, even
    without the marker: a ``.venv`` with no ``pyvenv.cfg`` or no interpreter, a ``.conda``
    with no ``conda-meta/``."""
    found = []
    venv = project / ".venv"
    if venv.is_dir() and not venv.is_symlink():
        interpreters = ("bin/python", "bin/python3", "Scripts/python.exe")
        if not (venv / "pyvenv.cfg").is_file() or not any(
            (venv / name).exists() for name in interpreters
        ):
            found.append(".venv")
    conda = project / ".conda"
    if conda.is_dir() and not conda.is_symlink() and not (conda / "conda-meta").is_dir():
        found.append(".conda")
    return found


@dataclass(frozen=True)
class CreateResult:
    """A built, recorded and checked environment."""

    project: Path
    prefix: Path
    tool: str
    activate: str
    lock: Path
    numpy: str
    blas: str
    tests_passed: bool | None
    tests_summary: str
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "environment": str(self.prefix),
            "tool": self.tool,
            "activate": self.activate,
            "lock": str(self.lock),
            "numpy": self.numpy,
            "blas": self.blas,
            "tests": {"passed": self.tests_passed, "summary": self.tests_summary},
            "warnings": list(self.warnings),
        }


def read_project_spec(project: Path) -> ProjectSpec:
    """The spec a generated project recorded in ``.npinit.toml``."""
    from npinit.errors import InvalidInput
    from npinit.spec import build_spec, detect_platform
    from npinit.tomlio import read_answers

    answers = read_answers(project)
    origin = project / ".npinit.toml"
    for key, kind in (("platforms", list), ("with", list), ("threads", int)):
        value = answers.get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise InvalidInput(
                f"{origin}: {key} has the wrong type ({type(value).__name__})",
                "fix it, or regenerate it with npinit new --force",
            )
    return build_spec(
        name=str(answers.get("name", project.name)),
        manager=str(answers.get("manager", "")),
        python=str(answers.get("python", "")) or None,
        numpy=str(answers.get("numpy", "latest")),
        blas=str(answers.get("blas", "default")),
        channel=str(answers.get("channel", "conda-forge"))
        if answers.get("manager") in ("conda", "pixi")
        else None,
        platforms=[str(p) for p in answers.get("platforms", [])],
        with_packages=[str(p) for p in answers.get("with", [])],
        threads=answers.get("threads"),
        current_platform=detect_platform(),
    )


def create_environment(
    project: Path,
    *,
    environ: dict[str, str],
    progress: Any = None,
    run: Any = None,
    channel_alias: str | None = None,
    use_uv: bool = True,
    check: bool = True,
) -> CreateResult:
    """Build the project's environment with its manager, record its lock, run its tests
    (``check=False`` skips them: for CI loops that run them anyway).

    A failure or an interrupt while building removes the half-built environment and writes
    no lock; the project's files are never touched.
    """
    import shutil

    from npinit import managers
    from npinit.errors import InvalidInput
    from npinit.model import CreateContext
    from npinit.record import lockfile
    from npinit.runner import run as default_run
    from npinit.tomlio import atomic_write

    spec = read_project_spec(project)
    say = progress or (lambda message: None)
    marker = project / INCOMPLETE
    notes: list[str] = []
    if marker.exists():
        # a create that was killed (SIGKILL, power loss) left a half-built environment
        for name in ENV_DIRS:
            shutil.rmtree(project / name, ignore_errors=True)
        marker.unlink()
        notes.append("removed the half-built environment an interrupted npinit create left")
    for name in half_built(project):
        shutil.rmtree(project / name, ignore_errors=True)
        notes.append(f"removed {name}, a half-built environment (no interpreter or no metadata)")
    for name in ENV_DIRS:
        if (project / name).exists():
            raise InvalidInput(
                f"{project / name} already exists", "remove it to build the environment again"
            )
    ctx = CreateContext(
        project=project,
        spec=spec,
        environ=environ,
        run=run or default_run,
        progress=say,
        channel_alias=channel_alias,
        use_uv=use_uv,
    )
    lock_path = project / lockfile.FILE_NAME
    marker.write_text("npinit create is building this project's environment\n")
    try:
        created = managers.create(ctx)
        say("Recording the lock")
        snapshot, warnings = _snapshot_with_hashes(created)
        atomic_write(lock_path, lockfile.dumps(snapshot, regenerate="npinit lock"))
    except BaseException:
        for name in ENV_DIRS:
            shutil.rmtree(project / name, ignore_errors=True)
        raise
    finally:
        marker.unlink(missing_ok=True)
    warnings = notes + warnings
    if check:
        passed, summary = _run_project_tests(created, project, environ, ctx.run, say)
    else:
        passed, summary = None, "skipped (--no-check)"
    numpy = next((p.version for p in snapshot.packages if p.name == "numpy"), "")
    return CreateResult(
        project,
        created.prefix,
        created.tool,
        created.activate,
        lock_path,
        numpy,
        snapshot.blas.variant,
        passed,
        summary,
        tuple(warnings),
    )


def _snapshot_with_hashes(created: Any) -> tuple[Any, list[str]]:
    """The new environment's snapshot, with the wheel hashes its installer left behind."""
    from dataclasses import replace

    from npinit.record import hashes

    readers = {
        "pip-report": hashes.from_pip_report,
        "poetry-lock": hashes.from_poetry_lock,
        "uv-lock": hashes.from_uv_lock,
    }
    snapshot = snapshot_environment(created.prefix, None)
    warnings = list(snapshot.warnings)
    reader = readers.get(created.hash_source)
    if reader is not None and created.hash_file:
        known = reader(created.hash_file)
        snapshot = replace(snapshot, packages=hashes.apply(snapshot.packages, known))
    elif any(p.source == "pypi" for p in snapshot.packages):
        warnings.append(
            f"{created.tool} reported no wheel hashes; `npinit lock --online` adds them"
        )
    return snapshot, warnings


def _run_project_tests(
    created: Any, project: Path, environ: dict[str, str], run: Any, say: Any
) -> tuple[bool | None, str]:
    """Run the generated ``tests/test_environment.py`` inside the new environment."""
    from npinit.errors import Failure

    if created.python is None or not created.python.exists():
        return None, "the environment has no Python interpreter"
    say("Running tests/test_environment.py in the new environment")
    env = {**environ, **created.env_vars}
    env.pop("PYTHONPATH", None)
    try:
        # the test file also runs without pytest: the same checks, far less start-up
        result = run(
            [created.python, "tests/test_environment.py"],
            cwd=project,
            env=env,
            what="the environment check",
        )
    except Failure as error:
        return False, error.message
    lines = result.stdout.strip().splitlines()
    return True, lines[-1] if lines else "passed"
