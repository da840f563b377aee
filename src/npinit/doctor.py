"""npinit doctor: the install guide's troubleshooting applied to one environment.

Each check gives ok / warning / problem, a one-line explanation and the fix. The import test
runs in the environment's own interpreter (a subprocess), never in npinit's process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.doctor_model import Check, DoctorReport, Status
from npinit.doctor_python import gil_checks, python_checks
from npinit.spec import THREAD_VARIABLES

PARALLEL_PACKAGES = ("dask", "joblib", "scikit-learn", "distributed", "ray")


def run_script(
    python: Path, cwd: Path, env: dict[str, str] | None, timeout: float = 30
) -> dict[str, Any]:
    """Run the shared probe (npinit.record.probe) in ``python``; an interpreter that cannot
    run, or does not answer within ``timeout`` seconds, gives an error entry (the check could
    not run)."""
    import os

    from npinit.errors import Failure
    from npinit.record.probe import run_script as probe
    from npinit.runner import TimedOut

    if not python.exists():
        target = f" (it links to {os.readlink(python)})" if python.is_symlink() else ""
        return {"run_error": f"the environment's interpreter is missing: {python}{target}"}
    try:
        return probe(python, doctor=True, cwd=cwd, env=env, timeout=timeout)
    except TimedOut:
        return {
            "run_error": f"the import check could not run: {python} did not answer within "
            f"{timeout:g} s (a .pth file or sitecustomize may hang it; NPINIT_PROBE_TIMEOUT "
            "sets the limit)"
        }
    except Failure as error:
        return {"run_error": f"{python} could not run the check ({error.message})"}


def _import_checks(
    seen: dict[str, Any], snapshot: Any, expected_prefix: Path | None
) -> list[Check]:
    if "run_error" in seen:
        return [
            Check(
                "numpy-import",
                Status.PROBLEM,
                seen["run_error"],
                "give the environment's interpreter with --python",
            )
        ]
    error = seen.get("import_error")
    if not error:
        if "numpy" not in seen:
            return []
        return [
            Check(
                "numpy-import",
                Status.OK,
                f"NumPy {seen['numpy']} imports (from {seen.get('numpy_file', '?')})",
            )
        ]
    if error.startswith("ModuleNotFoundError") and not seen.get("numpy_copies"):
        return [
            Check(
                "numpy-import",
                Status.PROBLEM,
                "NumPy is not installed in this environment",
                "install it with the project's manager (see its README)",
            )
        ]
    cause, fix = _import_failure(seen, snapshot, expected_prefix)
    message = f"importing NumPy fails ({error}): {cause}"
    return [Check("numpy-import", Status.PROBLEM, message, fix)]


def _import_failure(
    seen: dict[str, Any], snapshot: Any, expected_prefix: Path | None
) -> tuple[str, str]:
    """Why NumPy does not import, and the fix: the guide's causes, most specific first."""
    copies = seen.get("numpy_copies", [])
    if seen.get("source_tree"):
        return (
            "Python is running from inside a NumPy source tree, whose numpy/ shadows the "
            "installed one",
            "cd out of the source tree and run again",
        )
    paths = tuple(p for p in (seen.get("pythonpath") or "").split(":") if p)
    if seen.get("pythonpath") and any(c.startswith(paths) for c in copies):
        return (
            f"PYTHONPATH ({seen['pythonpath']}) puts another NumPy ahead of the environment's",
            "unset PYTHONPATH",
        )
    if len(copies) > 1:
        return (
            "several NumPy copies are on sys.path: " + ", ".join(copies),
            "remove all but one (pip uninstall numpy until none is left, then reinstall "
            "with one manager)",
        )
    if snapshot is not None and _mixed(snapshot):
        return (
            "conda and pip both installed NumPy in this conda environment",
            "pip uninstall numpy, then conda install numpy --force-reinstall",
        )
    if expected_prefix is not None and Path(seen.get("prefix", "")) != expected_prefix:
        return (
            f"the interpreter {seen.get('executable')} is not the environment's",
            f"activate the environment at {expected_prefix} first",
        )
    return (
        "NumPy's C extensions are missing or broken in this installation",
        "reinstall NumPy with the environment's own manager",
    )


def _mixed(snapshot: Any) -> bool:
    sources = {p.source for p in snapshot.packages if p.name == "numpy"}
    return {"conda", "pypi"} <= sources


def _pin_checks(
    seen: dict[str, Any], snapshot: Any, pin: dict[str, Any] | None, locked: Any
) -> list[Check]:
    from npinit.knowledge.releases import all_releases

    checks: list[Check] = []
    version = seen.get("numpy") or next(
        (p.version for p in getattr(snapshot, "packages", ()) if p.name == "numpy"), None
    )
    python = seen.get("version") or getattr(snapshot, "python", "")
    if not version:
        return checks
    if pin and pin.get("numpy") and pin["numpy"] != version:
        checks.append(
            Check(
                "numpy-pin",
                Status.PROBLEM,
                f"NumPy {version} is installed; the project pins {pin['numpy']}",
                "recreate the environment from the project's file",
            )
        )
    elif pin and pin.get("numpy"):
        checks.append(Check("numpy-pin", Status.OK, f"NumPy {version} is the project's pin"))
    if locked is not None:
        in_lock = next((p.version for p in locked.packages if p.name == "numpy"), None)
        if in_lock and in_lock != version:
            checks.append(
                Check(
                    "numpy-lock",
                    Status.PROBLEM,
                    f"NumPy {version} is installed; the lock records {in_lock}",
                    "run npinit verify for the whole difference",
                )
            )
    minor = ".".join(str(python or "").split(".")[:2])
    release = next((r for r in all_releases() if r.version == version), None)
    if release is not None and minor and not release.supports(minor):
        checks.append(
            Check(
                "numpy-python",
                Status.WARNING,
                f"NumPy {version} has no wheels for Python {minor}",
                f"use a NumPy release with Python {minor} wheels (npinit versions "
                f"--python {minor})",
            )
        )
    return checks


def _blas_checks(seen: dict[str, Any], snapshot: Any) -> list[Check]:
    """Which BLAS runs, its thread pools, and what to know about it."""
    static = getattr(snapshot, "blas", None)
    pools = seen.get("pools", [])
    variant = static.variant if static is not None else "unknown"
    if variant == "unknown" and pools:
        variant = str(pools[0].get("internal_api", "unknown"))
    checks = []
    if variant != "unknown" or pools:
        detail = static.evidence if static is not None else ""
        if pools:
            p = pools[0]
            detail += (
                f"; running {p.get('internal_api')} {p.get('version')}, "
                f"{p.get('threading_layer')} threading, {p.get('num_threads')} threads"
            )
        checks.append(Check("blas", Status.OK, f"BLAS: {variant} ({detail.strip('; ')})"))
    return checks + _pool_checks(seen, pools) + _usage_checks(seen, snapshot, variant)


def _pool_checks(seen: dict[str, Any], pools: list[dict[str, Any]]) -> list[Check]:
    """The BLAS thread pools threadpoolctl saw: none seen, several libraries, too many threads."""
    checks = []
    if not pools and "numpy" in seen:
        reason = str(seen.get("threadpoolctl") or "threadpoolctl did not report")
        checks.append(
            Check(
                "blas-runtime",
                Status.INFO,
                "the BLAS runtime checks (copies loaded, threads) could not run: "
                + (reason if reason.startswith("unavailable") else "no BLAS thread pool seen"),
                "pip install threadpoolctl in the environment, then run npinit doctor again",
            )
        )
    if len(pools) > 1:
        names = ", ".join(sorted({Path(str(p.get("filepath", "?"))).name for p in pools}))
        checks.append(
            Check(
                "blas-duplicates",
                Status.WARNING,
                f"{len(pools)} BLAS libraries are loaded at once ({names}): two copies on disk and "
                "two thread pools (numpy and scipy wheels each bring OpenBLAS)",
                "fine for most work; to share one BLAS, install numpy and scipy from conda-forge",
            )
        )
    cores = seen.get("cpu_count") or 0
    threads = sum(int(p.get("num_threads") or 0) for p in pools)
    if cores and threads > cores:
        checks.append(
            Check(
                "blas-threads",
                Status.WARNING,
                f"BLAS pools run {threads} threads on {cores} cores",
                "set " + ", ".join(f"{v}=N" for v in THREAD_VARIABLES[:3]),
            )
        )
    return checks


def _usage_checks(seen: dict[str, Any], snapshot: Any, variant: str) -> list[Check]:
    """Parallel packages on top of BLAS threads, and what MKL costs."""
    checks = []
    parallel = sorted({p.name for p in getattr(snapshot, "packages", ())} & set(PARALLEL_PACKAGES))
    if parallel and not seen.get("threads"):
        checks.append(
            Check(
                "nested-parallelism",
                Status.WARNING,
                f"{', '.join(parallel)} add their own parallelism on top of BLAS threads",
                "set OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS (or use threadpoolctl)",
            )
        )
    if variant == "mkl":
        checks.append(
            Check(
                "mkl",
                Status.INFO,
                "MKL is in use: about 700 MB on disk (OpenBLAS about 30 MB), and not open source",
                "bundling MKL in an application you redistribute needs care with its licence",
            )
        )
    return checks


def _conda_checks(snapshot: Any) -> list[Check]:
    checks: list[Check] = []
    if snapshot is None or snapshot.kind != "conda":
        return checks
    if _mixed(snapshot):
        checks.append(
            Check(
                "conda-pip-numpy",
                Status.PROBLEM,
                "numpy is installed by both conda and pip in this conda environment",
                "pip uninstall numpy; keep the conda one",
            )
        )
    elif any(p.name == "numpy" and p.source == "pypi" for p in snapshot.packages):
        checks.append(
            Check(
                "conda-pip-numpy",
                Status.WARNING,
                "numpy in this conda environment came from pip",
                "conda install numpy, after pip uninstall numpy",
            )
        )
    prefix = snapshot.prefix
    if prefix is not None and ((prefix / "condabin").is_dir() or (prefix / "envs").is_dir()):
        checks.append(
            Check(
                "base-environment",
                Status.WARNING,
                f"{prefix} is conda's base environment",
                "keep base minimal: create one environment per project (npinit new)",
            )
        )
    return checks


def gpu_checks(gpus: list[str]) -> list[Check]:
    if not gpus:
        return []
    return [
        Check(
            "gpu",
            Status.INFO,
            f"NVIDIA GPU found: {gpus[0]}",
            "the guide's advice with a GPU: Miniconda and the defaults channel",
        )
    ]


def diagnose(
    python: Path | None,
    snapshot: Any,
    *,
    cwd: Path,
    env: dict[str, str] | None,
    pin: dict[str, Any] | None = None,
    locked: Any = None,
    gpus: list[str] | None = None,
    timeout: float = 30,
) -> DoctorReport:
    """Run every check on the environment behind ``python``/``snapshot``."""
    seen = run_script(python, cwd, env, timeout) if python is not None else {}
    expected = snapshot.prefix if snapshot is not None else None
    checks = [
        *(
            _import_checks(seen, snapshot, expected)
            if python is not None
            else [
                Check(
                    "numpy-import",
                    Status.INFO,
                    "no interpreter in this environment; import not tried",
                )
            ]
        ),
        *python_checks(seen, snapshot, pin, python),
        *_pin_checks(seen, snapshot, pin, locked),
        *_blas_checks(seen, snapshot),
        *gil_checks(seen),
        *_conda_checks(snapshot),
        *gpu_checks(gpus or []),
    ]
    environment = {
        "kind": getattr(snapshot, "kind", "python"),
        "python": seen.get("version") or getattr(snapshot, "python", ""),
        "platform": getattr(snapshot, "platform", ""),
        "numpy": seen.get("numpy")
        or next((p.version for p in getattr(snapshot, "packages", ()) if p.name == "numpy"), ""),
        "blas": getattr(getattr(snapshot, "blas", None), "variant", "unknown"),
    }
    return DoctorReport(environment, tuple(checks), tuple(gpus or ()))
