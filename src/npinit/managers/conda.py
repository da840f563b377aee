"""conda: environment.yml with channels, exact pins, the BLAS lines and thread variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.managers.common import DEV_PACKAGES, package_cache, python_matchspec, source_of
from npinit.model import Manager, Platform, interpreter_in
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.model_spec import Channel, ProjectSpec
from npinit.record.relock import FRESH, Keep
from npinit.record.snapshot import Snapshot
from npinit.spec import THREAD_VARIABLES

FILE = "environment.yml"
ENV_DIR = Manager.CONDA.env_dir


def channels(spec: ProjectSpec) -> list[str]:
    """conda-forge alone (``nodefaults`` keeps defaults out), or Anaconda's defaults."""
    if spec.channel is Channel.CONDA_FORGE:
        return ["conda-forge", "nodefaults"]
    return ["defaults"]


def blas_lines(spec: ProjectSpec) -> list[str]:
    """The BLAS spec lines; environment.yml cannot vary per platform, and the spec was
    checked valid on every platform, so they are the same for all of them."""
    lines: list[str] = []
    for choice in spec.blas_choices:
        lines.extend(line for line in choice.spec_lines if line not in lines)
    return lines


def dependencies(spec: ProjectSpec) -> list[str]:
    return [
        # conda-forge's free-threaded CPython: python-freethreading pulls the cp314t python
        # and python_abi builds (solved with py-rattler against the conda-forge slice)
        f"python-freethreading={spec.python[:-1]}"
        if spec.python.endswith("t")
        else f"python={spec.python}",
        f"numpy={spec.numpy}",
        *blas_lines(spec),
        *DEV_PACKAGES,
        *spec.with_packages,
    ]


def variables_of(spec: ProjectSpec) -> dict[str, str]:
    """conda sets these on activation (environment.yml ``variables:``)."""
    if spec.threads is None:
        return {}
    return {name: str(spec.threads) for name in THREAD_VARIABLES}


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    deps = dependencies(spec)
    return {
        "file": FILE,
        "channels": channels(spec),
        "dependencies": deps,
        "variables": variables_of(spec),
        "spec_lines": deps,
    }


# preferred order when several are on PATH: the fast solvers first
TOOLS = ("mamba", "micromamba", "conda")


def activate(windows: bool) -> str:
    """conda activates a prefix by its path, on every OS."""
    return "conda activate ./.conda"


def _read(path: Path) -> tuple[list[str], list[str], list[str]]:
    """An environment file's channels, conda specs and pip requirements."""
    from npinit.managers.conda_engine import read_environment

    return _entries(path, read_environment(path))


def _entries(path: Path, data: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The channels, conda specs and pip requirements of ``path``'s ``data``."""
    from npinit.errors import InvalidInput

    conda, pip = [], []
    for entry in data["dependencies"]:
        if isinstance(entry, dict) and list(entry) == ["pip"] and isinstance(entry["pip"], list):
            pip += [str(line) for line in entry["pip"]]
        elif isinstance(entry, str | int | float) and not isinstance(entry, bool):
            conda.append(str(entry))
        else:
            raise InvalidInput(
                f"{path}: a dependency is neither a spec nor a pip: list ({entry!r})",
                "fix the file",
            )
    channels = [str(c) for c in data.get("channels") or ["conda-forge"]]
    for text in (*channels, *conda):  # a lock records each as one line (lock and init alike)
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise InvalidInput(
                f"{path.name}: {text!r} holds control characters", "remove them from the file"
            )
    return channels, conda, pip


def _one_blas(path: Path, conda: list[str]) -> None:
    """conda installs one BLAS: selectors of two families contradict each other on every
    platform, since every line applies on each (a selector comment such as ``# [win]`` is a
    comment, as to ``conda env create``); refused in one line naming both, init and lock."""
    from npinit.editing.selectors import BLAS_SELECTORS
    from npinit.errors import InvalidInput
    from npinit.knowledge.blas import family_of
    from npinit.matchspec import parse

    found: dict[str, str] = {}
    for spec in conda:
        parsed = parse(spec)
        family = family_of(parsed.build or "") if parsed and parsed.name in BLAS_SELECTORS else ""
        if family not in ("", "unknown"):
            found.setdefault(family, spec)
    if len(found) > 1:
        named = " and ".join(repr(spec) for spec in found.values())
        raise InvalidInput(
            f"{path.name} selects two BLAS, {named}: conda installs one, and every line "
            "applies on every platform (a '# [win]' selector comment is a comment to npinit, "
            "as to conda env create)",
            "keep one BLAS selector (init --blas replaces them), or keep one file per "
            "platform, or use a pixi manifest's [target.<platform>.dependencies]",
        )


def pip_lines(path: Path) -> list[str]:
    """An environment file's ``pip:`` lines."""
    return _read(path)[2]


def read_specs(path: Path, manager: Any) -> tuple[list[str], list[str]]:
    """A conda environment file's (or a pixi manifest's) channels and conda specs (the
    file's BLAS selectors of one family: :func:`_one_blas`)."""
    if manager is Manager.PIXI:
        from npinit.managers.pixi import read_specs as pixi_specs

        return pixi_specs(path)
    channels, conda, _ = _read(path)
    _one_blas(path, conda)
    return channels, conda


def pip_texts(path: Path, project: Path, pip: list[str]) -> tuple[Path, dict[Path, str]]:
    """The ``pip:`` section as a requirements file beside the environment file (where conda
    runs pip, so its ``-r``/``-c`` are read from there), and the files it includes, read by
    lock's one rule (:func:`npinit.editing.requirements.lockable_includes`): inside the
    project, never through a link out, present; else exit 2 naming the include."""
    from npinit.editing.requirements import lockable_includes
    from npinit.tomlio import read_regular

    section = path.with_name(f"{path.name}'s pip: section")
    text = "\n".join(pip) + "\n"

    def read(file: Path) -> str:
        if file == section:
            return text
        return read_regular(file, file.name).decode("utf-8", "replace")

    return section, lockable_includes(section, project, read)


def check_pip_section(path: Path, project: Path) -> dict[str, str]:
    """What lock refuses of a ``pip:`` section (:func:`pip_texts`), and a line pip refuses
    in a file it includes (named with its line): for ``npinit init``. Returns the files it
    includes, by their names in the project."""
    import os

    from npinit.editing.requirements import check

    section, texts = pip_texts(path, project, _read(path)[2])
    named = {
        Path(os.path.relpath(f, project)).as_posix(): t for f, t in texts.items() if f != section
    }
    for name, text in named.items():
        check(text.removeprefix("\ufeff"), name)
    return named


def lock_inputs(project: Path, spec: ProjectSpec) -> list[str]:
    """The channels, the specs, the pip lines (and those of the files they include) and the
    file's own ``platforms:`` key (what conda-lock reads; init records the platforms from
    it): each one an input."""
    from npinit.managers.conda_engine import read_environment

    path = source_of(project, spec, FILE)
    data = read_environment(path)  # read once: its entries and its platforms
    channels, conda, pip = _entries(path, data)
    lines = [f"channel {c}" for c in channels] + conda + [f"pip: {line}" for line in pip]
    if pip:  # an empty one includes nothing
        lines += _included_lines(path, project, pip)
    listed = data.get("platforms")
    if isinstance(listed, list):
        lines.append("platforms: " + ", ".join(str(p) for p in listed))
    return lines


def _included_lines(path: Path, project: Path, pip: list[str]) -> list[str]:
    """The lines of the files a ``pip:`` section includes, each named by its file."""
    import os

    from npinit.managers.pip import requirement_lines

    section, texts = pip_texts(path, project, pip)
    lines = []
    for other in sorted(p for p in texts if p != section):
        name = Path(os.path.relpath(os.path.normpath(other), os.path.normpath(project)))
        lines += [f"{name.as_posix()}: {line}" for line in requirement_lines(texts[other])]
    return lines


def pip_file(project: Path, path: Path, pip: list[str], workdir: Path) -> Path:
    """The pip: section and the files it includes, copied into ``workdir`` at their places
    in the project: uv reads those copies and the local wheels and projects they install
    (``./dist/x.whl``, ``-e .``), named by their paths in the project (:func:`local_paths`)."""
    import os

    from npinit.editing.local_installs import local_paths, origin

    section, texts = pip_texts(path, project, pip)
    copies = workdir / "project"
    for file, text in texts.items():
        text = local_paths(text, file, project, origin(path, file, project))
        relative = os.path.relpath(os.path.normpath(file), os.path.normpath(project))
        if relative.startswith(".."):  # inside through a link: where it really is
            relative = os.path.relpath(os.path.realpath(file), os.path.realpath(project))
        target = copies / relative
        if file == section:  # a name every file system takes
            target = section_copy = target.with_name("npinit-pip-section.txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return section_copy


def lock(
    ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep = FRESH
) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
    """py-rattler solves the conda specs for every platform; a ``pip:`` section is resolved
    by uv for the Python each platform's solution has."""
    path = source_of(ctx.project, ctx.spec, FILE)
    channels, conda, pip = _read(path)
    _one_blas(path, conda)  # before a solve whose tree would say it less plainly
    # the pip: section's includes first: one lock cannot follow is refused before a solve
    requirements = pip_file(ctx.project, path, pip, workdir) if pip else None
    sections = _solved(ctx, channels, conda, platforms, keep)
    if requirements is not None:
        sections = {
            p: _with_pip(ctx, section, requirements, workdir, keep)
            for p, section in sections.items()
        }
    return sections, {}


def lock_in_memory(
    ctx: CreateContext, platforms: list[Platform], keep: Keep = FRESH
) -> dict[Platform, Snapshot] | None:
    """:func:`lock` of a file without a ``pip:`` section: py-rattler solves it in memory, so
    no work directory is made (nor tempfile and shutil loaded); None for a file with one."""
    path = source_of(ctx.project, ctx.spec, FILE)
    channels, conda, pip = _read(path)
    if pip:
        return None
    _one_blas(path, conda)
    return _solved(ctx, channels, conda, platforms, keep)


def _solved(
    ctx: CreateContext, channels: list[str], conda: list[str], platforms: list[Platform], keep: Keep
) -> dict[Platform, Snapshot]:
    """Each platform's conda solution, by py-rattler."""
    from npinit.managers.conda_engine import channel_urls
    from npinit.record.resolve_conda import solve

    urls = channel_urls(channels, ctx.channel_alias)
    names = ", ".join(p.value for p in platforms)
    ctx.progress(f"Solving {ctx.spec.source or FILE} for {names} with py-rattler")
    wanted = [*conda, python_matchspec(ctx.spec)]  # the Python .npinit.toml records
    solved = solve(
        {p: wanted for p in platforms},
        urls,
        cache=package_cache(ctx.environ),
        environ=ctx.environ,
        keep=keep,
        alias=ctx.channel_alias,
    )
    return {p: solved[p][0] for p in platforms}


def _with_pip(
    ctx: CreateContext, section: Snapshot, requirements: Path, workdir: Path, keep: Keep
) -> Snapshot:
    """One platform's conda solution with its pip: section, resolved by uv for its Python.
    A conda numpy is installed when pip runs and satisfies what the section needs: uv
    resolves with it as a constraint, and the lock holds that one numpy, not a PyPI one."""
    from npinit.managers.common import find_uv_or_fail
    from npinit.record.source_builds import resolve_with_wheels

    platform = Platform(section.platform)
    numpy = next((p.version for p in section.packages if p.name == "numpy"), None)
    if numpy is not None:
        (requirements.parent / "npinit-conda-numpy.txt").write_text(f"numpy=={numpy}\n", "utf-8")
        wanted = requirements.with_name("npinit-pip-with-conda.txt")
        wanted.write_text(f"-r {requirements.name}\n-c npinit-conda-numpy.txt\n", "utf-8")
        requirements = wanted
    minor = ".".join(section.python.split(".")[:2])
    ctx.progress(f"Resolving the pip: section for {platform.value} with uv")
    pypi = resolve_with_wheels(
        requirements,
        minor,
        [platform],
        uv=find_uv_or_fail(ctx),
        environ=ctx.environ,
        workdir=workdir,
        run=ctx.run,
        keep=keep,
    )[platform]
    from_pip = [p for p in pypi.packages if numpy is None or p.name != "numpy"]
    # numpy's BLAS: the conda numpy's, else (numpy from pip:) what its wheel carries
    blas = section.blas if numpy is not None else pypi.blas
    return section.with_packages((*section.packages, *from_pip))._replace(blas=blas)


def explicit_command(exe: str, prefix: Path, explicit: Path) -> list[str]:
    """The exact command each conda front-end takes to install an ``@EXPLICIT`` file."""
    return [exe, "create", "--yes", "--prefix", str(prefix), "--file", str(explicit)]


def install(ctx: CreateContext, section: Snapshot, workdir: Path) -> CreatedEnvironment:
    """Install exactly the locked records into ``./.conda``: conda, mamba or micromamba get an
    ``@EXPLICIT`` file with hash fragments; else the embedded engine installs the records and
    checks every hash. Locked PyPI packages follow with ``--require-hashes``."""
    from npinit.managers.common import find_uv, install_hashed
    from npinit.record import export

    prefix = ctx.project / ENV_DIR
    python = interpreter_in(prefix, ctx.windows, "conda")
    variables = variables_of(ctx.spec)
    conda = section.with_packages(tuple(p for p in section.packages if p.source == "conda"))
    tool = next((t for t in TOOLS if ctx.which(t)), None)
    if tool is not None:
        exe = ctx.which(tool)
        assert exe is not None
        explicit = workdir / f"conda-{section.platform}.txt"
        text, _ = export.conda_explicit(conda, ctx.channel_alias)  # fetched through the alias
        explicit.write_text(text, "utf-8")
        ctx.progress(f"Installing {len(conda.packages)} locked packages with {tool}")
        ctx.run(
            explicit_command(exe, prefix, explicit),
            cwd=ctx.project,
            env=ctx.environ,
            what=f"{tool} create",
        )
    else:
        from npinit.managers.conda_engine import channel_urls
        from npinit.record.resolve_conda import fetch_verified, locked_records
        from npinit.record.resolve_conda import install as rattler_install

        tool = "py-rattler"

        channels, _, _ = _read(source_of(ctx.project, ctx.spec, FILE))
        urls = channel_urls(channels, ctx.channel_alias)
        ctx.progress(f"Installing {len(conda.packages)} locked packages (py-rattler)")
        records = locked_records(
            list(conda.packages),
            urls,
            Platform(section.platform),
            cache=package_cache(ctx.environ),
        )
        fetch_verified(records, list(conda.packages), workdir / "pkgs", ctx.channel_alias)
        rattler_install(records, prefix, cache=package_cache(ctx.environ))
    if (prefix / "conda-meta").is_dir():
        from npinit.managers.conda_engine import write_variables

        write_variables(prefix, variables)
    if any(p.source == "pypi" for p in section.packages):
        install_hashed(ctx, python, section, workdir, find_uv(ctx))
    how = activate(ctx.windows)
    if tool == "py-rattler":  # no conda here: conda activate would fail
        how = (
            f"{python.relative_to(ctx.project)} runs it directly (no conda here to activate "
            "it; with Miniforge installed: conda activate ./.conda)"
        )
    return CreatedEnvironment(prefix, python, tool, how, env_vars=variables)


def native_lock(
    project: Path, python: str, platforms: list[Platform]
) -> tuple[str, dict[Platform, Snapshot]] | None:
    """None: create installs npinit.lock itself, every file checked against its hash."""
    return None
