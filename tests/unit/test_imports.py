"""Every module imports on its own, and the CLI's start-up stays light."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import npinit
from tests.helpers import add_distributions

# the npinit under test (a worktree's too), in the interpreters these tests start
ENV = {**os.environ, "PYTHONPATH": str(Path(npinit.__file__).resolve().parents[1])}
MODULES = sorted(m.name for m in pkgutil.walk_packages(npinit.__path__, "npinit."))


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module: str) -> None:
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=ENV)


# what start-up (``import npinit.cli``, ``npinit --help``) must not load: each command's
# module, the API, the release table, and the libraries only some commands use
HEAVY = [
    "cookiecutter",
    "rattler",
    "tomlkit",
    "ruamel",
    "jinja2",
    "rich",
    "packaging",
    "json",
    "npinit.api",
    "npinit.model",
    "npinit.knowledge",
    "npinit.knowledge.releases",
    "npinit.scaffold",
    "npinit.record",
    "npinit.doctor",
    "npinit.cli.common",
    "npinit.cli.new",
    "npinit.cli.edit",
    "npinit.cli.record",
    "npinit.cli.guide",
    "npinit.cli.workshop",
]


def _loaded_after(code: str) -> list[str]:
    """The heavy modules loaded once ``code`` ran in a fresh interpreter."""
    probe = (
        f"{code}\nimport sys\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=ENV
    )
    return eval(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_cli_start_up_does_not_import_heavy_modules() -> None:
    assert _loaded_after("import npinit.cli") == []


def test_the_model_makes_only_the_enums_commands_share() -> None:
    """Every command loads npinit.model, and each enum costs about 0.7M instructions to make:
    one only some commands read lives beside what they read (doctor's Status: doctor_model;
    a spec's Blas and Channel: model_spec, which lock --from-env does not load)."""
    import enum

    from npinit import model

    classes = [(name, v) for name, v in vars(model).items() if isinstance(v, type)]
    made = {n for n, v in classes if issubclass(v, enum.Enum) and v.__module__ == model.__name__}
    assert made == {"Manager", "Platform", "EnvKind", "Source", "ChangeKind"}


def test_a_command_finds_its_api_names_without_listing_them_all() -> None:
    """``npinit.api`` finds a name where it is asked for (the CLI asks one or two a command):
    the list of them all (``__all__``) is made only when asked for too."""
    code = "import npinit.api as api\napi.this_machine\nprint('__all__' in vars(api))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert done.stdout == "False\n", done.stderr


def test_help_loads_no_command_nor_the_release_table() -> None:
    code = (
        "from npinit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as stop:\n    assert stop.code == 0\n"
    )
    assert _loaded_after(code) == []


def test_a_command_loads_its_own_module_only() -> None:
    """``npinit versions`` loads the release table (it shows it) but not another command's
    module, nor rich: the lazy table really is lazy per command."""
    code = (
        "from npinit.cli import main\n"
        "try:\n    main(['versions', '--python', '3.12'])\n"
        "except SystemExit as stop:\n    assert stop.code == 0\n"
    )
    loaded = _loaded_after(code)
    assert "npinit.cli.edit" in loaded and "npinit.knowledge.releases" in loaded
    assert not {"npinit.cli.new", "npinit.cli.record", "rich", "npinit.doctor"} & set(loaded)


# ``npinit --help``/``-h``/``--version`` print click's own text rendered ahead of time
# (npinit.fast_help, by tools/update_fast_help.py) without loading click
FAST = ("--help", "-h", "--version")


def _run(code: str, columns: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in ENV.items() if k != "COLUMNS"}
    env.update({"COLUMNS": columns} if columns is not None else {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("columns", ["80", "200", "60", "0", "wide", None])
@pytest.mark.parametrize("option", FAST)
def test_help_and_version_are_byte_for_byte_clicks(option: str, columns: str | None) -> None:
    """What ``npinit OPTION`` prints (the fast path where it applies) is what click prints,
    at every width (a pipe: COLUMNS, else 80), with the same exit code."""
    entry = f"import sys\nsys.argv = ['npinit', {option!r}]\nfrom npinit.__main__ import run\nrun()"
    clicks = f"from npinit.cli import main\nmain([{option!r}])"
    fast, slow = _run(entry, columns), _run(clicks, columns)
    assert (fast.returncode, fast.stdout, fast.stderr) == (0, slow.stdout, "")
    assert slow.returncode == 0 and slow.stdout.startswith(("Usage: npinit ", "npinit, version"))


@pytest.mark.parametrize("option", FAST)
def test_help_and_version_load_no_click(option: str) -> None:
    """The fast path is taken (80 columns: click's widest help): nothing of click, nor of the
    CLI, is imported. Fails when the rendered texts are stale: run
    python tools/update_fast_help.py."""
    from importlib.metadata import version

    from npinit import fast_help

    if version("click") != fast_help.CLICK_VERSION:  # CI's lowest-versions job: click prints
        pytest.skip(f"rendered with click {fast_help.CLICK_VERSION}, {version('click')} here")
    code = (
        f"import sys\nsys.argv = ['npinit', {option!r}]\nfrom npinit.__main__ import run\nrun()\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith(('click', "
        "'npinit.cli')))))"
    )
    done = _run(code, "80")
    assert done.returncode == 0 and done.stderr == "[]", "run python tools/update_fast_help.py"


# what no command below loads: the libraries of other commands (templates, YAML and TOML
# editing, conda solving, terminal tables), the validator compiler (the validators are
# compiled ahead of time), and stdlib modules only some steps need
NEVER = [
    "cookiecutter",
    "jinja2",
    "rattler",
    "tomlkit",
    "ruamel",
    "rich",
    "fastjsonschema",
    "asyncio",
    "concurrent",
    "logging",
    "tempfile",
    "secrets",
    "importlib.resources",
]
# and per command, what it does not need either (lock --from-env reads npinit's own lock
# without a TOML parser and runs nothing; its usual forms run without click, npinit.cli.fast)
WITHOUT_CLICK = ["click", "npinit.cli.group", "npinit.cli.common", "npinit.cli.record"]
ALSO_NOT = {
    "lock --from-env": [
        "tomllib",
        "subprocess",
        "packaging",  # its versions are plain: lockfile.PLAIN_VERSION
        "npinit.knowledge.blas",  # the matrix: reading a BLAS needs only blas_families
        "npinit.managers",
        "npinit.knowledge.releases",
        "npinit.record.target",  # the project's environment: record.environment
        "npinit.record.relock",  # what a resolver keeps: the old lock is record.previous's
        "npinit.record.lockscan",  # an unchanged lock is the text of the lock to write: unparsed
        "signal",  # its IntEnums: the stop handlers are set by _signal (npinit.cli)
        "npinit.model_spec",  # a project's spec (api.reproduce names it for type checkers)
        "npinit.api.reproduce",  # resolving a project: lock --from-env is api.from_env's
        "npinit.model_create",  # what building an environment takes and gives
        *WITHOUT_CLICK,
    ],
    "lock --check": ["subprocess", *WITHOUT_CLICK],
    "lock --from-env --json": WITHOUT_CLICK,
    "create --no-check --json": [*WITHOUT_CLICK, "npinit.cli.new"],
    "verify": ["subprocess", "npinit.managers"],
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A pip project (no resolver) with a venv of its own and a lock recorded from it."""
    root = tmp_path_factory.mktemp("imports")
    args = ["new", "p", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6"]
    args += ["--platform", "linux-64", "--ci", "none", "--no-input", "--no-solve"]
    args += ["--output-dir", str(root)]
    subprocess.run(
        [sys.executable, "-m", "npinit", *args], check=True, capture_output=True, env=ENV
    )
    venv = [sys.executable, "-m", "venv", "--without-pip", str(root / "p" / ".venv")]
    subprocess.run(venv, check=True)
    site = next((root / "p" / ".venv").glob("lib/python3*/site-packages"))
    add_distributions(site, [("tiny", "1.0"), ("odd_name", "2026.10.19.post1")])
    lock = [sys.executable, "-m", "npinit", "lock", "--from-env"]
    subprocess.run(lock, check=True, capture_output=True, cwd=root / "p", env=ENV)
    return str(root / "p")


@pytest.mark.parametrize("command", sorted(ALSO_NOT))
def test_a_command_loads_only_what_it_uses(command: str, project: str) -> None:
    """Run in the project as ``npinit COMMAND`` runs (whatever its verdict): none of
    :data:`NEVER` nor the command's own list is loaded."""
    unwanted = NEVER + ALSO_NOT[command]
    code = (
        f"import sys\nsys.argv = ['npinit', *{command.split()!r}]\n"
        "from npinit.__main__ import run\ntry:\n    run()\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write('\\nLOADED ' + repr(sorted(m for m in sys.modules "
        f"if any(m == u or m.startswith(u + '.') for u in {unwanted!r}))))"
    )
    where = project if command.startswith("lock") else str(Path(project).parent)  # no project
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=where, env=ENV
    )
    loaded = done.stderr.rsplit("\nLOADED ", 1)[-1]
    assert loaded == "[]", done.stderr


def test_a_command_runs_no_garbage_collection_over_what_it_loaded(project: str) -> None:
    """npinit.__main__ raises the cyclic collector's threshold for the command (GC_THRESHOLD):
    lock --from-env, its imports included, runs no collection (Python's default of 700 new
    objects made it walk everything loaded so far a dozen times and more)."""
    code = (
        "import gc, sys\nfrom npinit.__main__ import run\nruns = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(phase))\n"
        "sys.argv = ['npinit', 'lock', '--from-env']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(f'\\nCOLLECTIONS {runs.count(\"start\")}')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=project, env=ENV
    )
    assert done.stderr.rsplit("\nCOLLECTIONS ", 1)[-1] == "0", done.stderr


# typing.NamedTuple makes a ForwardRef of each field's annotation when it is a string (in a
# module of ``from __future__ import annotations``), and a ForwardRef compiles it: the first
# compile builds every AST type (11M instructions), each field costs more (lock --from-env's
# 118 fields: 22M of its 288M). The value classes on its path are made from real annotations.
COMPILES = """
import builtins, sys
compiled = []
real = builtins.compile
def compile(source, *args, **kwargs):
    if isinstance(source, str):  # not a module's bytes, compiled by the import system
        compiled.append(source)
    return real(source, *args, **kwargs)
builtins.compile = compile
sys.argv = ["npinit", *{args!r}]
from npinit.__main__ import run
try:
    run()
except SystemExit as stop:
    assert not stop.code, stop.code
sys.stderr.write("\\nCOMPILED " + repr(compiled))
"""


def _compiles_nothing(args: list[str], cwd: str | Path, **environ: str) -> None:
    """``npinit ARGS`` run in ``cwd``: exit 0, and no source text compiled."""
    done = subprocess.run(
        [sys.executable, "-c", COMPILES.format(args=args)],
        capture_output=True, text=True, cwd=cwd, env={**ENV, **environ}, timeout=240,
    )  # fmt: skip
    assert "\nCOMPILED " in done.stderr, done.stderr
    assert done.stderr.rsplit("\nCOMPILED ", 1)[-1] == "[]", done.stderr


def test_lock_from_env_compiles_nothing(project: str) -> None:
    _compiles_nothing(["lock", "--from-env"], project)


# the patterns lock --from-env compiles (through re's Python parser and compiler): urllib's
# (pathlib imports it) and the three that read numpy's __config__.py (record.snapshot); the
# schema's, PLAIN_VERSION, the name rule's and the free-threaded site's take plain values first
COMPILED_BY_LOCK_FROM_ENV = {
    "([\x00-\x7f]+)",
    '"blas":\\s*\\{',
    "^[^\\S\\n]*\\}",
    '"(?P<key>name|version)":\\s*r?"(?P<value>[^"]*)"',
}
PATTERNS = """
import sys, re._compiler as c
seen = []
real = c.compile
c.compile = lambda p, flags=0: seen.append(p) or real(p, flags)
sys.argv = ["npinit", "lock", "--from-env"]
from npinit.__main__ import run
try:
    run()
except SystemExit as stop:
    assert not stop.code, stop.code
sys.stderr.write("\\nPATTERNS " + repr(seen))
"""


def test_lock_from_env_compiles_only_the_patterns_it_needs(project: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PATTERNS], capture_output=True, text=True, cwd=project, env=ENV,
        timeout=240,
    )  # fmt: skip
    assert "\nPATTERNS " in done.stderr, done.stderr
    compiled = eval(done.stderr.rsplit("\nPATTERNS ", 1)[-1])
    assert set(compiled) - COMPILED_BY_LOCK_FROM_ENV == set()


# ``npinit lock`` of a 3-platform conda project (the benchmark's: Python 3.14, NumPy 2.4.6,
# OpenBLAS), solved by py-rattler against the shared conda-forge slice, first and again (a
# re-lock that changes nothing): what it does not load besides py-rattler and asyncio
CONDA_LOCK_NOT = [
    "tempfile",  # no work directory: py-rattler solves a file without pip: in memory
    "shutil",
    "random",
    "npinit.editing.conda_env",  # environment.yml is read by the line scanner alone
    "rattler.exceptions",  # loaded when a solve fails, to tell which failure it is
    "packaging",  # a conda lock has no PyPI version to check
    "tomllib",  # the old lock is read by npinit's own scanner
    "json",  # only create writes conda's activation variables (conda_engine.write_variables)
    "npinit.ci",  # a project without CI (its answer is checked against model.CI_SYSTEMS)
    *(u for u in NEVER if u not in ("rattler", "asyncio", "concurrent", "logging")),
    *WITHOUT_CLICK,
]


@pytest.fixture(scope="module")
def conda_project(tmp_path_factory: pytest.TempPathFactory, forge_alias: str) -> Path:
    """The benchmark's conda project, made without solving (locked by the test)."""
    root = tmp_path_factory.mktemp("conda-imports")
    args = ["new", "cp", "--manager", "conda", "--python", "3.14", "--numpy", "2.4.6"]
    args += ["--blas", "openblas", "--ci", "none", "--no-input", "--no-solve"]
    for platform in ("linux-64", "osx-arm64", "win-64"):
        args += ["--platform", platform]
    subprocess.run(
        [sys.executable, "-m", "npinit", *args, "--output-dir", str(root)],
        check=True,
        capture_output=True,
        env=ENV,
    )
    return root / "cp"


def test_a_conda_lock_loads_only_what_it_uses(conda_project: Path, forge_alias: str) -> None:
    """``npinit lock --channel-alias`` as the CLI runs it (its first lock, then a re-lock that
    changes nothing): none of :data:`CONDA_LOCK_NOT` is loaded."""
    pytest.importorskip("rattler")
    code = (
        "import os, sys\n"
        f"sys.argv = ['npinit', 'lock', '--channel-alias', {forge_alias!r}]\n"
        "from npinit.cli import main\ntry:\n    main()\nexcept SystemExit as stop:\n"
        "    status = stop.code\n"
        f"loaded = sorted(m for m in sys.modules if any(m == u or m.startswith(u + '.') "
        f"for u in {CONDA_LOCK_NOT!r}))\n"
        "sys.stderr.write(f'\\nSTATUS {status} LOADED {loaded!r}')\nsys.stderr.flush()\n"
        "os._exit(0)  # py-rattler's teardown (npinit.__main__ leaves the same way)\n"
    )
    for run in ("first", "again"):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=conda_project, env=ENV
        )
        verdict = done.stderr.rsplit("\nSTATUS ", 1)[-1]
        assert verdict == "0 LOADED []", f"{run}: {done.stderr}"
    assert done.stdout.splitlines()[-1] == "npinit.lock: no change"


# what a conda lock compiles of npinit's (ForwardRefs of a NamedTuple's string annotations,
# the frame below typing's that asked): py-rattler compiles some of its own (its import pays
# the first compile's AST types; the peer too), npinit's value classes have real annotations
COMPILES_OF_NPINIT = """
import builtins, os, sys
compiled = []
real = builtins.compile
def compile(source, *args, **kwargs):
    if isinstance(source, str):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.endswith("typing.py"):
            frame = frame.f_back
        where = frame.f_code.co_filename if frame is not None else "?"
        if os.sep + "npinit" + os.sep in where:
            compiled.append((source, os.path.basename(where)))
    return real(source, *args, **kwargs)
builtins.compile = compile
sys.argv = ["npinit", "lock", "--channel-alias", {alias!r}]
from npinit.cli import main
try:
    main()
except SystemExit as stop:
    status = stop.code
sys.stderr.write(f"\\nSTATUS {{status}} COMPILED {{compiled!r}}")
sys.stderr.flush()
os._exit(0)  # py-rattler's teardown (npinit.__main__ leaves the same way)
"""


def test_a_conda_lock_compiles_nothing_of_npinit(conda_project: Path, forge_alias: str) -> None:
    """``npinit lock`` of the conda project (a re-lock, after the first): no annotation string
    of npinit's is compiled (yaml_lines.Item and matchspec.MatchSpec are made from real
    annotations: no ``from __future__ import annotations`` in their modules)."""
    pytest.importorskip("rattler")
    code = COMPILES_OF_NPINIT.format(alias=forge_alias)
    for run in ("first", "again"):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=conda_project, env=ENV
        )
        assert done.stderr.rsplit("\nSTATUS ", 1)[-1] == "0 COMPILED []", f"{run}: {done.stderr}"


# The three commands issue 30 times (lock --from-env, create --no-check from a lock, lock of
# a conda project), run for real: none creates a dataclass (their value classes are
# NamedTuples). lock --from-env and create do not even import dataclasses, nor inspect, which
# it imports (about 20 ms, and 0.5 to 0.8 ms a class); py-rattler, which the conda lock
# solves with, imports both for its own classes, so there npinit's are counted as they are
# made. Whether each run succeeded is checked too: a refusal proves nothing.
HOT = """
import sys
spy = {spy}
made = []
if spy:
    import dataclasses

    real = dataclasses.dataclass

    def counted(cls=None, /, **options):
        def make(c):
            made.append(c.__module__ + "." + c.__qualname__)
            return real(**options)(c)
        return make if cls is None else make(cls)

    dataclasses.dataclass = counted
sys.argv = ["npinit", *{args!r}]
from npinit.cli import main
try:
    main()
    code = 0
except SystemExit as stop:
    code = stop.code
loaded = [m for m in ("dataclasses", "inspect") if m in sys.modules and not spy]
sys.stderr.write("\\nHOT " + repr((code, loaded, [m for m in made if m.startswith("npinit")])))
sys.stderr.flush()
import os
os._exit(0)  # py-rattler's threads may crash the teardown (npinit.__main__ says why)
"""


def _hot(args: list[str], cwd: Path, spy: bool = False, **environ: str) -> None:
    """``npinit ARGS`` run in ``cwd``: exit 0, no dataclass made, none imported (``spy``: the
    classes npinit makes are counted instead)."""
    done = subprocess.run(
        [sys.executable, "-c", HOT.format(spy=spy, args=args)],
        capture_output=True, text=True, cwd=cwd, env={**ENV, **environ}, timeout=240,
    )  # fmt: skip
    assert "\nHOT " in done.stderr, done.stderr
    assert eval(done.stderr.rsplit("\nHOT ", 1)[-1]) == (0, [], []), done.stderr


def test_lock_from_env_makes_no_dataclass(project: str) -> None:
    _hot(["lock", "--from-env"], Path(project))


@pytest.fixture(scope="module")
def served_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A pip project locked against a local index, uv's (tests.local_index: a stand-in wheel of
    the NumPy it records, carrying OpenBLAS, and tinypkg needing it), served while the
    module's tests run; and the index."""
    from tests.conftest import need_python
    from tests.local_index import pip_project_and_wheels, serve

    need_python("3.12")
    root = tmp_path_factory.mktemp("served")
    project, wheels = pip_project_and_wheels(root, ENV, "none", "tinypkg")
    npinit = [sys.executable, "-m", "npinit"]
    (project / "requirements.txt").write_text("tinypkg==1.0\n")
    with serve(wheels, "u", "pw") as server:
        index = server.url.replace("http://", "http://u:pw@") + "/simple/"
        env = {**ENV, "UV_INDEX_URL": index}
        subprocess.run([*npinit, "lock"], check=True, capture_output=True, cwd=project, env=env)
        yield project, index


def test_create_no_check_makes_no_dataclass(served_project: tuple[Path, str]) -> None:
    project, index = served_project
    _hot(["create", "--no-check"], project, UV_INDEX_URL=index)
    assert (project / ".venv/lib/python3.12/site-packages/tinypkg").is_dir()


def test_create_no_check_compiles_nothing(served_project: tuple[Path, str]) -> None:
    """A new .venv (api/create's CreateResult and _Locked, record/verify's classes and the
    release table's, on create's path, are made from real annotations)."""
    project, index = served_project
    shutil.rmtree(project / ".venv", ignore_errors=True)
    _compiles_nothing(["create", "--no-check"], project, UV_INDEX_URL=index)
    assert (project / ".venv/lib/python3.12/site-packages/tinypkg").is_dir()


# what create loads only once ``uv venv`` runs in the background (api/create._head_start):
# the lock's reading and checks, the export's temporary folder, the comparison with the lock;
# nothing of npinit.record at all (the lock's file name is model.LOCK_FILE; the managers name
# the lock's classes for their annotations only), nor the result's classes
AFTER_UV_VENV = [
    "shutil",
    "tempfile",
    "npinit.api.reproduce",
    "npinit.api.create_result",
    "npinit.record",
    "npinit.record.lockscan",
    "npinit.record.lockfile",
    "npinit.record.snapshot",
    "npinit.record.changes",
    "npinit.record.relock",
    "npinit.record.environment",
    "npinit.record.verify",
    "npinit.record.export",
]
STARTED = """
import sys
from npinit import runner
real, loaded = runner.start, []
def start(cmd, **kwargs):
    loaded.append(sorted(m for m in {unwanted!r} if m in sys.modules))
    return real(cmd, **kwargs)
runner.start = start
sys.argv = ["npinit", "create", "--no-check"]
from npinit.__main__ import run
try:
    run()
except SystemExit as stop:
    assert not stop.code, stop.code
sys.stderr.write("\\nAT THE START " + repr(loaded))
sys.stderr.write("\\nAT THE END " + repr(sorted(m for m in {never!r} if m in sys.modules)))
"""
# what create --no-check does not load at all: the uv package and sysconfig (npinit's venv
# holds the package: its bin/uv is taken as uv.find_uv_bin would find it), json (the release
# table that checks .npinit.toml's answers is knowledge/release_table.py, not its JSON file),
# knowledge.platforms (the table reads wheel names only when npinit versions --online asks PyPI),
# npinit.ci (a project without CI: the spec checks its answer against model.CI_SYSTEMS);
# tempfile and shutil (uv pip sync reads the hashed export on its stdin: no work folder)
CREATE_NEVER = [
    "uv",
    "sysconfig",
    "json",
    "npinit.knowledge.platforms",
    "npinit.ci",
    "tempfile",
    "shutil",
]


def test_create_begins_uv_venv_before_it_loads_the_rest(
    served_project: tuple[Path, str],
) -> None:
    """``uv venv`` starts (once) before create loads :data:`AFTER_UV_VENV`: their imports run
    while uv makes the venv; :data:`CREATE_NEVER` is not loaded at all."""
    project, index = served_project
    shutil.rmtree(project / ".venv", ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", STARTED.format(unwanted=AFTER_UV_VENV, never=CREATE_NEVER)],
        capture_output=True, text=True, cwd=project, env={**ENV, "UV_INDEX_URL": index},
        timeout=240,
    )  # fmt: skip
    assert "\nAT THE END " in done.stderr, done.stderr
    at_start, at_end = done.stderr.rsplit("\nAT THE START ", 1)[-1].split("\nAT THE END ")
    assert (at_start, at_end) == ("[[]]", "[]"), done.stderr


def test_a_conda_lock_makes_no_dataclass_of_npinit(tmp_path: Path, forge_alias: str) -> None:
    pytest.importorskip("rattler")
    args = ["new", "cp", "--manager", "conda", "--python", "3.14", "--numpy", "2.4.6"]
    args += ["--blas", "openblas", "--platform", "linux-64", "--ci", "none", "--no-input"]
    npinit = [sys.executable, "-m", "npinit"]
    subprocess.run([*npinit, *args, "--output-dir", str(tmp_path)], check=True, env=ENV)
    project = tmp_path / "cp"
    _hot(["lock", "--channel-alias", forge_alias], project, spy=True)
    assert "numpy" in (project / "npinit.lock").read_text()
