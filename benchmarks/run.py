"""Time npinit against the peer tools, as whole processes, in one run.

    python benchmarks/run.py [--runs 7] [--only new,lock,create,set,reproduce,relock,bundle,init]
                             [--output ...]

Builds its fixtures first (in a work directory, cached between runs): a venv for npinit, one
per peer tool (cookiecutter, poetry, pip's own venvs), uv from PyPI, and a "big" venv of about
200 distributions. Each pair runs A and B alternately after a warm-up, so machine drift
cancels in the paired ratio; it prints medians and ratios and writes a Markdown table.
Not part of the test suite: no timing assertion belongs in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "numpy-project"
BIG = [
    "jupyterlab",
    "pandas",
    "scipy",
    "matplotlib",
    "scikit-learn",
    "dask[complete]",
    "sympy",
    "numpy==2.4.6",
    "seaborn",
    "statsmodels",
    "xarray",
    "bokeh",
    "numba",
    "sphinx",
    "flask",
    "fastapi",
    "uvicorn",
    "sqlalchemy",
    "boto3",
    "polars",
    "pyarrow",
    "networkx",
    "h5py",
    "plotly",
    "black",
    "mypy",
    "hypothesis",
    "nltk",
    "pillow",
]
PINS = ["numpy==2.4.6", "pytest", "threadpoolctl"]
# the interpreter with the standard modules every npinit command loads (npinit.cli's own
# imports: pathlib and typing, with re, enum, collections and urllib.parse under them; the hot
# commands load no click): the floor under an npinit command's start-up, beside the peers
FLOOR = "import pathlib, typing"


def sh(cmd: list[str | Path], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, **kw)  # type: ignore[call-overload]


def bin_of(venv: Path, name: str) -> Path:
    return venv / "bin" / name


class Fixtures:
    """Venvs for npinit and each peer, built once and reused."""

    def __init__(self, work: Path, python: Path) -> None:
        self.work, self.python = work, python
        work.mkdir(parents=True, exist_ok=True)
        self.uv = Path(shutil.which("uv") or self._uv_from_pypi())

    def _uv_from_pypi(self) -> Path:
        venv = self.venv("uv", ["uv"])
        return bin_of(venv, "uv")

    def venv(self, name: str, packages: list[str], editable: Path | None = None) -> Path:
        path = self.work / name
        if not (path / ".done").exists():
            shutil.rmtree(path, ignore_errors=True)
            sh([self.python, "-m", "venv", path])
            args = [bin_of(path, "python"), "-m", "pip", "install", "-q", *packages]
            if editable is not None:
                args += ["-e", editable]
            sh(args)
            (path / ".done").touch()
        return path

    def big(self) -> Path:
        path = self.work / "big"
        if not (path / ".done").exists():
            shutil.rmtree(path, ignore_errors=True)
            sh([self.python, "-m", "venv", path])
            sh([self.uv, "pip", "install", "-q", "--python", bin_of(path, "python"), *BIG])
            (path / ".done").touch()
        return path


def timed(cmd: Callable[[], None]) -> float:
    start = time.perf_counter()
    cmd()
    return time.perf_counter() - start


def pair(
    name_a: str, a: Callable[[], None], name_b: str, b: Callable[[], None], runs: int
) -> dict[str, object]:
    """Alternate A and B after one warm-up each; medians and the median paired ratio. The
    disk's pending writes (the fixtures just built, the last pair's venvs) are flushed first,
    so that neither side pays for writing back what the other or a fixture left."""
    os.sync()
    a(), b()
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    return {
        "a": name_a,
        "b": name_b,
        "ma": statistics.median(ta),
        "mb": statistics.median(tb),
        "ratio": statistics.median(ratios),
    }


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="npinit-bench-"))


def bench_new(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    cookie = fx.venv("cookiecutter", ["cookiecutter"], editable=ROOT)  # the template needs npinit
    poetry = fx.venv("poetry", ["poetry"])
    answers = ["manager=pip", "python_version=3.12", "numpy_version=2.4.6", "platforms=linux-64"]
    npinit_args = [
        "--manager",
        "pip",
        "--python",
        "3.12",
        "--numpy",
        "2.4.6",
        "--platform",
        "linux-64",
        "--no-input",
    ]

    def npinit_new() -> None:
        out = scratch()
        sh([bin_of(npinit, "npinit"), "new", "p", *npinit_args, "--output-dir", out])
        shutil.rmtree(out)

    def cookiecutter() -> None:
        out = scratch()
        sh(
            [
                bin_of(cookie, "cookiecutter"),
                "--no-input",
                TEMPLATE,
                "-o",
                out,
                "project_name=p",
                *answers,
            ]
        )
        shutil.rmtree(out)

    def poetry_new() -> None:
        out = scratch()
        sh([bin_of(poetry, "poetry"), "new", "p"], cwd=out)
        shutil.rmtree(out)

    def uv_init() -> None:
        out = scratch()
        sh([fx.uv, "init", "--quiet", "--no-workspace", "p"], cwd=out)
        shutil.rmtree(out)

    def help_() -> None:
        sh([bin_of(npinit, "npinit"), "--help"])

    def python_pass() -> None:
        sh([bin_of(npinit, "python"), "-c", "pass"])

    return [
        pair(
            "npinit new --no-input",
            npinit_new,
            "cookiecutter --no-input (same template)",
            cookiecutter,
            runs,
        ),
        pair("npinit new --no-input", npinit_new, "poetry new", poetry_new, runs),
        pair("npinit new --no-input", npinit_new, "uv init", uv_init, runs),
        pair("npinit --help", help_, "python -c pass", python_pass, runs),
    ]


def bench_lock(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    big = fx.big()
    count = len(list(next((big / "lib").glob("python3*/site-packages")).glob("*.dist-info")))
    out = scratch()
    lock = out / "npinit.lock"
    sh([bin_of(npinit, "npinit"), "lock", "--prefix", big, "--output", lock])

    def npinit_lock() -> None:
        sh([bin_of(npinit, "npinit"), "lock", "--prefix", big, "--output", lock])

    def npinit_verify() -> None:
        sh([bin_of(npinit, "npinit"), "verify", "--prefix", big, "--lock", lock])

    def pip_freeze() -> None:
        sh([bin_of(big, "python"), "-m", "pip", "freeze"])

    def pip_inspect() -> None:
        sh([bin_of(big, "python"), "-m", "pip", "inspect"])

    def uv_freeze() -> None:
        sh([fx.uv, "pip", "freeze", "--python", bin_of(big, "python")])

    label = f"({count} distributions)"
    from_env = _from_env_project(npinit, big)

    def floor() -> None:  # what every npinit command imports before it does anything
        sh([bin_of(npinit, "python"), "-c", FLOOR])

    def npinit_from_env() -> None:
        sh([bin_of(npinit, "npinit"), "lock", "--from-env"], cwd=from_env)

    return [
        pair(f"npinit lock {label}", npinit_lock, "pip freeze", pip_freeze, runs),
        pair(f"npinit verify {label}", npinit_verify, "pip freeze", pip_freeze, runs),
        pair(f"npinit lock {label}", npinit_lock, "uv pip freeze", uv_freeze, runs),
        pair(f"npinit lock --from-env {label}", npinit_from_env, "uv pip freeze", uv_freeze, runs),
        pair(f"npinit lock {label}", npinit_lock, "pip inspect", pip_inspect, runs),
        pair(f"python -c '{FLOOR}' (no npinit)", floor, "uv pip freeze", uv_freeze, runs),
    ]


def _from_env_project(npinit: Path, big: Path) -> Path:
    """A pip project whose environment (``.venv``, a link) is the big venv, locked once from
    it: ``npinit lock --from-env`` then re-records it as a project's lock is re-recorded."""
    work = scratch()
    args = ["--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64"]
    args += ["--ci", "none", "--no-input", "--no-solve", "--output-dir", str(work)]
    sh([bin_of(npinit, "npinit"), "new", "fe", *args])
    project = work / "fe"
    (project / ".venv").symlink_to(big, target_is_directory=True)
    sh([bin_of(npinit, "npinit"), "lock", "--from-env"], cwd=project)
    return project


def bench_create(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    env = {**os.environ, "PATH": f"{npinit / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    args = [
        "--manager",
        "pip",
        "--python",
        "3.12",
        "--numpy",
        "2.4.6",
        "--platform",
        "linux-64",
        "--no-input",
        "--create",
    ]

    def npinit_create() -> None:
        out = scratch()
        sh([bin_of(npinit, "npinit"), "new", "p", *args, "--output-dir", out], env=env)
        shutil.rmtree(out)

    def npinit_create_no_check() -> None:
        out = scratch()
        sh(
            [bin_of(npinit, "npinit"), "new", "p", *args, "--no-check", "--output-dir", out],
            env=env,
        )
        shutil.rmtree(out)

    def uv_plain() -> None:
        out = scratch()
        sh([fx.uv, "venv", "--quiet", "--python", fx.python, out / ".venv"])
        sh([fx.uv, "pip", "install", "--quiet", "--python", out / ".venv/bin/python", *PINS])
        shutil.rmtree(out)

    def venv_pip() -> None:
        out = scratch()
        sh([fx.python, "-m", "venv", out / ".venv"])
        sh([out / ".venv/bin/python", "-m", "pip", "install", "-q", *PINS])
        shutil.rmtree(out)

    return [
        pair(
            "npinit new --create --manager pip",
            npinit_create,
            "uv venv + uv pip install (same pins)",
            uv_plain,
            runs,
        ),
        pair(
            "npinit new --create --no-check --manager pip",
            npinit_create_no_check,
            "uv venv + uv pip install (same pins)",
            uv_plain,
            runs,
        ),
        pair(
            "npinit new --create --manager pip",
            npinit_create,
            "python -m venv + pip install",
            venv_pip,
            max(3, runs // 2),
        ),
    ]


# the shared data beside the checkout; a git worktree elsewhere names it with NPINIT_SHARED
SHARED = Path(os.environ.get("NPINIT_SHARED") or ROOT.parent / "shared")
SLICE = SHARED / "fixtures" / "channels" / "conda-forge-blas-slice"
TRIPLES = ("x86_64-manylinux_2_28", "aarch64-apple-darwin", "x86_64-pc-windows-msvc")
RATTLER_SOLVE = """
import asyncio, sys, rattler
specs = ["python=3.14", "numpy=2.4.6", "libblas=*=*openblas", "pytest", "threadpoolctl"]
virtual = {
    "linux-64": [("__unix", "0"), ("__linux", "5.10"), ("__glibc", "2.28")],
    "osx-arm64": [("__unix", "0"), ("__osx", "11.0")],
    "win-64": [("__win", "0")],
}
async def one(platform, gateway):
    return await rattler.solve(
        sources=[rattler.Channel(sys.argv[1])],
        specs=[rattler.MatchSpec(s) for s in specs],
        gateway=gateway,
        platforms=[platform, "noarch"],
        virtual_packages=[rattler.GenericVirtualPackage(rattler.PackageName(n),
            rattler.Version(v), rattler.BuildString("0")) for n, v in virtual[platform]],
    )
async def every():
    # a local gateway: a module-level one is torn down after rattler's runtime at exit,
    # which crashes the interpreter now and then (npinit keeps it local too)
    gateway = rattler.Gateway(cache_dir=sys.argv[2])
    return await asyncio.gather(*(one(p, gateway) for p in virtual))
asyncio.run(every())
import os; os._exit(0)  # npinit leaves this way after a solve too (py-rattler's teardown)
"""


def bench_reproduce(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    """Locking for three platforms without installing, and installing exactly a lock."""
    exe = bin_of(npinit, "npinit")
    env = {**os.environ, "PATH": f"{npinit / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    work = scratch()
    plat = ["--platform", "linux-64", "--platform", "osx-arm64", "--platform", "win-64"]
    sh([exe, "new", "pp", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", *plat,
        "--ci", "none", "--no-input", "--output-dir", work], env=env)  # fmt: skip
    pip_project = work / "pp"
    alias = work / "alias"
    alias.mkdir()
    (alias / "conda-forge").symlink_to(SLICE)
    sh([exe, "new", "cp", "--manager", "conda", "--python", "3.14", "--numpy", "2.4.6",
        "--blas", "openblas", *plat, "--ci", "none", "--no-input", "--output-dir", work],
       env=env)  # fmt: skip
    conda_project = work / "cp"
    requirements = pip_project / "requirements.txt"
    uv = bin_of(npinit, "uv")  # the uv npinit runs, with the same cache: the same resolutions

    def npinit_lock_pip() -> None:
        sh([exe, "lock"], cwd=pip_project, env=env)

    def uv_by_hand() -> None:
        for triple in TRIPLES:
            out = work / "pylock.h.toml"
            sh([uv, "pip", "compile", "-q", requirements, "--python-platform", triple,
                "--python-version", "3.12", "--generate-hashes", "-o", out],
               cwd=pip_project)  # fmt: skip

    def uv_universal() -> None:
        sh(
            [
                uv,
                "pip",
                "compile",
                "-q",
                requirements,
                "--universal",
                "--python-version",
                "3.12",
                "--generate-hashes",
                "-o",
                work / "pylock.u.toml",
            ],
            cwd=pip_project,
        )  # fmt: skip (where npinit runs it: uv reads the folder's config)

    def npinit_lock_conda() -> None:
        sh([exe, "lock", "--channel-alias", alias.as_uri()], cwd=conda_project, env=env)

    def rattler_direct() -> None:
        sh([bin_of(npinit, "python"), "-c", RATTLER_SOLVE, (alias / "conda-forge").as_uri(),
            work / "gateway"])  # fmt: skip

    npinit_lock_pip()
    hashed = work / "hashed.txt"
    section = __import__("tomllib").loads((pip_project / "npinit.lock").read_text())
    hashed.write_text(
        "".join(
            f"{p['name']}=={p['version']} " + " ".join(f"--hash={h}" for h in p["hashes"]) + "\n"
            for p in section["platforms"]["linux-64"]["packages"]
        )
    )

    def npinit_create(*extra: str) -> Callable[[], None]:
        def go() -> None:
            shutil.rmtree(pip_project / ".venv", ignore_errors=True)
            sh([exe, "create", *extra], cwd=pip_project, env=env)

        return go

    def uv_sync() -> None:
        venv = work / "by-hand"
        shutil.rmtree(venv, ignore_errors=True)
        sh([uv, "venv", "-q", "--python", fx.python, venv])
        sh([uv, "pip", "sync", "-q", "--require-hashes", "--python",
            bin_of(venv, "python"), hashed])  # fmt: skip

    return [
        pair("npinit lock (pip, 3 platforms)", npinit_lock_pip,
             "uv pip compile --python-platform, 3 by hand", uv_by_hand, runs),
        pair("npinit lock (pip, 3 platforms)", npinit_lock_pip,
             "uv pip compile --universal by hand", uv_universal, runs),
        pair("npinit lock (conda, 3 platforms)", npinit_lock_conda,
             "py-rattler solving the same specs directly", rattler_direct, runs),
        pair("npinit create (from the lock)", npinit_create(),
             "uv venv + uv pip sync --require-hashes", uv_sync, runs),
        pair("npinit create --no-check (from the lock)", npinit_create("--no-check"),
             "uv venv + uv pip sync --require-hashes", uv_sync, runs),
    ]  # fmt: skip


def bench_relock(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    """A re-lock with no input changed (the old lock's versions fed to the resolver as
    preferences) against the first lock of the same project (no npinit.lock): pip for three
    platforms (uv, same cache), conda for three platforms (py-rattler, the shared slice)."""
    exe = bin_of(npinit, "npinit")
    env = {**os.environ, "PATH": f"{npinit / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    work = scratch()
    plat = ["--platform", "linux-64", "--platform", "osx-arm64", "--platform", "win-64"]
    alias = work / "alias"
    alias.mkdir()
    (alias / "conda-forge").symlink_to(SLICE)
    pip_project, conda_project = work / "rp", work / "rc"
    sh([exe, "new", "rp", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", *plat,
        "--ci", "none", "--no-input", "--output-dir", work], env=env)  # fmt: skip
    sh([exe, "new", "rc", "--manager", "conda", "--python", "3.14", "--numpy", "2.4.6",
        "--blas", "openblas", *plat, "--ci", "none", "--no-input", "--output-dir", work],
       env=env)  # fmt: skip
    conda_args = ["--channel-alias", alias.as_uri()]

    def lock(project: Path, first: bool, *extra: str) -> Callable[[], None]:
        def go() -> None:
            if first:
                (project / "npinit.lock").unlink(missing_ok=True)
            sh([exe, "lock", *extra], cwd=project, env=env)

        return go

    return [
        pair("npinit lock again, nothing changed (pip, 3 platforms)", lock(pip_project, False),
             "npinit lock, first (pip, 3 platforms)", lock(pip_project, True), runs),
        pair("npinit lock again, nothing changed (conda, 3 platforms)",
             lock(conda_project, False, *conda_args),
             "npinit lock, first (conda, 3 platforms)", lock(conda_project, True, *conda_args),
             runs),
    ]  # fmt: skip


def bench_set(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    """``npinit set`` on a 300,000-entry environment.yml (the hardening issue's 5 MB file),
    against a ruamel.yaml round trip of the same file (how a YAML-library editor changes one
    value) and against sed changing the one line (the floor for any edit)."""
    work = scratch()
    lines = ["name: big", "channels:", "  - conda-forge", "dependencies:", "  - python=3.12"]
    lines += [f"  - pkg{i}=1.{i}" for i in range(150_000)] + ["  - numpy=1.26"]
    lines += [f"  - other{i}>=2" for i in range(150_000)]
    original = "\n".join(lines) + "\n"
    env = work / "environment.yml"
    ruamel = work / "ruamel_edit.py"
    ruamel.write_text(
        "import sys\nfrom ruamel.yaml import YAML\n"
        "y = YAML(typ='rt'); p = sys.argv[1]\n"
        "d = y.load(open(p)); deps = d['dependencies']\n"
        "deps[deps.index('numpy=1.26')] = 'numpy=2.3.5'\n"
        "y.dump(d, open(p, 'w'))\n"
    )
    python = bin_of(npinit, "python")

    def fresh() -> None:
        env.write_text(original)

    def npinit_set() -> None:
        fresh()
        sh([bin_of(npinit, "npinit"), "set", env, "--numpy", "2.3"])

    def ruamel_round_trip() -> None:
        fresh()
        sh([python, ruamel, env])

    def sed() -> None:
        fresh()
        sh(["sed", "-i", "s/^  - numpy=1.26$/  - numpy=2.3.5/", env])

    return [
        pair(
            "npinit set --numpy (environment.yml, 300k entries)",
            npinit_set,
            "ruamel.yaml round trip of one value",
            ruamel_round_trip,
            max(1, runs // 3),
        ),
        pair(
            "npinit set --numpy (environment.yml, 300k entries)",
            npinit_set,
            "sed -i on the one line",
            sed,
            runs,
        ),
    ]


# pip download's platform tags for each platform of the lock: macOS takes two runs (the
# macOS 11 and 14 numpy wheels are both locked, pip picks one wheel per run)
PIP_PLATFORMS = {
    "linux-64": ["manylinux_2_28_x86_64"],
    "osx-arm64": ["macosx_11_0_arm64", "macosx_14_0_arm64"],
    "win-64": ["win_amd64"],
}


def bench_bundle(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    """``npinit bundle`` of a three-platform pip lock into a new folder, against downloading
    the same files by hand with ``pip download`` per platform (the exported hashed
    requirements, binary only, no dependencies resolved, no cache, no configuration). Both
    fetch every file from the index each run; at most 3 runs (each moves about 60 MB)."""
    exe = bin_of(npinit, "npinit")
    env = {**os.environ, "PATH": f"{npinit / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "PIP_CONFIG_FILE": os.devnull}  # fmt: skip
    work = scratch()
    plat = [f for p in PIP_PLATFORMS for f in ("--platform", p)]
    sh([exe, "new", "bp", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", *plat,
        "--ci", "none", "--no-input", "--output-dir", work], env=env)  # fmt: skip
    project = work / "bp"
    sh([exe, "lock"], cwd=project, env=env)
    for name in PIP_PLATFORMS:
        sh([exe, "lock", "--format", "requirements", "--platform", name, "--output",
            work / f"{name}.txt"], cwd=project, env=env)  # fmt: skip

    def npinit_bundle() -> None:
        shutil.rmtree(work / "kit", ignore_errors=True)
        sh([exe, "bundle", work / "kit"], cwd=project, env=env)

    def pip_download() -> None:
        shutil.rmtree(work / "by-hand", ignore_errors=True)
        for name, tags in PIP_PLATFORMS.items():
            for tag in tags:
                sh([bin_of(npinit, "python"), "-m", "pip", "download", "-q", "--no-cache-dir",
                    "--only-binary=:all:", "--platform", tag, "--python-version", "3.12",
                    "--no-deps", "-d", work / "by-hand" / name, "-r", work / f"{name}.txt"],
                   env=env)  # fmt: skip

    return [
        pair("npinit bundle (pip, 3 platforms)", npinit_bundle,
             "pip download per platform by hand (same files)", pip_download, min(runs, 3)),
    ]  # fmt: skip


PANDAS_DEV = SHARED / "fixtures" / "realworld" / "pandas__requirements-dev.txt"


def bench_init(fx: Fixtures, npinit: Path, runs: int) -> list[dict[str, object]]:
    """``npinit init`` choosing the pins by solving pandas' requirements-dev.txt (44 lines,
    about 200 packages; Python 3.15 is held back by blosc, so two Pythons are solved),
    against one plain ``uv pip compile --universal`` of the same file. Both share uv's cache;
    "nothing remembered" gives npinit a cache folder of its own each run (uv's stays shared),
    "remembered" keeps npinit's resolutions of the earlier runs. At most 2 runs (a plain
    compile backtracks through about 20 sdists the index has no metadata for)."""
    exe = bin_of(npinit, "npinit")
    uv_cache = scratch() / "uv"
    env = {**os.environ, "UV_CACHE_DIR": str(uv_cache), "XDG_CACHE_HOME": str(scratch())}

    def copy() -> Path:
        folder = scratch()
        shutil.copyfile(PANDAS_DEV, folder / "requirements-dev.txt")
        return folder

    def init(fresh: bool) -> Callable[[], None]:
        def run() -> None:
            own = {"XDG_CACHE_HOME": str(scratch())} if fresh else {}
            sh([exe, "init", "requirements-dev.txt", "--no-input"], cwd=copy(),
               env={**env, **own})  # fmt: skip

        return run

    def uv_compile() -> None:
        folder = copy()
        sh([fx.uv, "pip", "compile", "requirements-dev.txt", "--universal", "--quiet",
            "--python-version", "3.14", "-o", folder / "out.txt"], cwd=folder, env=env)  # fmt: skip

    label = "(pandas requirements-dev.txt, with solving"
    return [
        pair(f"npinit init {label}, nothing remembered)", init(True),
             "uv pip compile --universal (same file)", uv_compile, min(runs, 2)),
        pair(f"npinit init {label}, remembered)", init(False),
             "uv pip compile --universal (same file)", uv_compile, min(runs, 2)),
    ]  # fmt: skip


def table(rows: list[dict[str, object]]) -> str:
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    lines = [
        f"Machine: {machine}; {time.strftime('%Y-%m-%d')}",
        "",
        "| A | B | median A (s) | median B (s) | paired ratio A/B |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['a']} | {r['b']} | {r['ma']:.3f} | {r['mb']:.3f} | {r['ratio']:.2f}x |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="new,lock,create,set,reproduce,relock,bundle")  # +init
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "npinit-bench")
    parser.add_argument(
        "--python",
        type=Path,
        default=None,
        help="interpreter for the venvs (default: a Python 3.12, else this one)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    python = args.python or Path(_pyenv("3.12") or sys.executable)
    fx = Fixtures(args.work, python)
    npinit = fx.venv("npinit", [f"{ROOT}[conda]"])
    # a regular (not editable) install of the current tree, as users get it
    sh(
        [
            bin_of(npinit, "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--force-reinstall",
            ROOT,
        ]
    )
    rows: list[dict[str, object]] = []
    for part in args.only.split(","):
        print(f"== {part}", flush=True)
        found = {
            "new": bench_new,
            "lock": bench_lock,
            "create": bench_create,
            "set": bench_set,
            "reproduce": bench_reproduce,
            "relock": bench_relock,
            "bundle": bench_bundle,
            "init": bench_init,
        }[part](fx, npinit, args.runs)
        for r in found:
            print(
                f"{r['a']:<45} {r['ma']:.3f}s   {r['b']:<40} {r['mb']:.3f}s   {r['ratio']:.2f}x",
                flush=True,
            )
        rows += found
        # each group is kept as soon as it is measured
        args.output.write_text(table(_merge(args.output, rows)), encoding="utf-8")
    print(f"wrote {args.output}")


def _merge(path: Path, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows of an earlier results table, with the pairs measured now replaced (a run
    with --only keeps what it did not measure)."""
    fresh = {(r["a"], r["b"]): r for r in rows}
    merged: list[dict[str, object]] = []
    try:
        old_lines = path.read_text("utf-8").splitlines()
    except OSError:
        old_lines = []
    for line in old_lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[4].endswith("x") or cells[0] == "A":
            continue
        key = (cells[0], cells[1])
        if key in fresh:
            merged.append(fresh.pop(key))
        else:
            merged.append(
                {
                    "a": cells[0],
                    "b": cells[1],
                    "ma": float(cells[2]),
                    "mb": float(cells[3]),
                    "ratio": float(cells[4].rstrip("x")),
                }
            )
    return merged + list(fresh.values())


def _pyenv(version: str) -> str | None:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = sorted((root / "versions").glob(f"{version}.*"))
    return str(found[-1] / "bin" / "python3") if found else None


if __name__ == "__main__":
    main()
