"""The run-time probe (``--probe``): a small script run by the target interpreter, never
imported into npinit's own process."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.errors import Failure
from npinit.spec import THREAD_VARIABLES

if TYPE_CHECKING:
    from npinit.runner import Runner

SCRIPT = r"""
import json, os, sys
doctor = "doctor" in sys.argv[1:]
helper = next((a[len("--helper="):] for a in sys.argv[1:] if a.startswith("--helper=")), "")
out = {"executable": sys.executable, "prefix": sys.prefix,
       "implementation": sys.implementation.name,
       "version": "%d.%d.%d" % sys.version_info[:3], "cpu_count": os.cpu_count(),
       "pythonpath": os.environ.get("PYTHONPATH", ""),
       "threads": {k: os.environ[k] for k in %(vars)r if k in os.environ}}
here = os.getcwd()
def inside(*parts):
    return os.path.exists(os.path.join(here, *parts))
out["source_tree"] = inside("numpy", "__init__.py") and (inside("pyproject.toml") or inside(".git"))
copies = []
for entry in sys.path:
    folder = os.path.abspath(entry or here)
    if os.path.isfile(os.path.join(folder, "numpy", "__init__.py")) and folder not in copies:
        copies.append(folder)
out["numpy_copies"] = copies
import sysconfig, warnings
out["free_threaded"] = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
_watch = warnings.catch_warnings(record=True)  # a free-threaded CPython warns when an
_seen = _watch.__enter__()                     # extension turns the GIL back on
warnings.simplefilter("always")
try:
    import numpy
    out["numpy"] = numpy.__version__
    out["numpy_file"] = os.path.dirname(numpy.__file__)
    try:
        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        out["numpy_blas"] = str(blas.get("name", ""))
        out["numpy_blas_version"] = str(blas.get("version", ""))
    except Exception:
        out["numpy_blas"] = ""
    if doctor:
        try:
            import scipy.linalg  # loads scipy's own BLAS, if scipy is there
        except Exception:
            pass
except BaseException as error:
    lines = str(error).strip().splitlines()
    out["import_error"] = type(error).__name__ + ": " + (lines[0] if lines else "")
    out["import_detail"] = " ".join(lines)[:2000]
_watch.__exit__(None, None, None)
out["gil_enabled_by"] = [str(w.message)[:300] for w in _seen
                         if "global interpreter lock" in str(w.message).lower()]
out["gil_enabled"] = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None
try:
    try:
        from threadpoolctl import threadpool_info
        out["threadpoolctl"] = "the environment's"
    except ImportError:
        if not helper:
            raise
        sys.path.append(helper)  # npinit's copy: one pure-Python module, alone in its folder
        from threadpoolctl import threadpool_info
        out["threadpoolctl"] = "npinit's copy"
    KEEP = ("internal_api", "version", "num_threads", "threading_layer", "architecture",
            "filepath")
    out["pools"] = [
        {k: (str(v) if not isinstance(v, int) else v) for k, v in p.items() if k in KEEP}
        for p in threadpool_info() if p.get("user_api") == "blas"]
except Exception as error:
    out["threadpoolctl"] = "unavailable: " + type(error).__name__ + ": " + str(error)[:200]
try:
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            base = os.path.basename(path).lower()
            if any(k in base for k in ("blas", "mkl", "lapack", "blis", "accelerate", "veclib")):
                names.add(os.path.basename(path))
    out["mapped"] = sorted(names)
except OSError:
    pass
print(json.dumps(out))
""".replace("%(vars)r", repr(THREAD_VARIABLES))
"""The one in-environment probe, shared by ``doctor`` (argument ``doctor``: it also loads
scipy's BLAS) and ``lock --probe``: it imports NumPy in the environment's own interpreter and
prints what it saw as one JSON line."""


def run_script(
    python: Path,
    *,
    doctor: bool,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 30,
    run: Runner | None = None,
) -> dict[str, Any]:
    """Run :data:`SCRIPT` in ``python``. Raises TimedOut when the interpreter does not answer
    within ``timeout`` seconds (it is stopped) and Failure when it cannot run or answer."""
    import contextlib
    import importlib.util
    import shutil
    import tempfile

    from npinit.runner import run as default_run

    isolated = [] if doctor else ["-I"]
    with tempfile.TemporaryDirectory(prefix="npinit-probe-") as helper:
        # most environments lack threadpoolctl: offer npinit's, alone in a folder of its own
        # (never npinit's site-packages, whose numpy or scipy would shadow the environment's)
        found = importlib.util.find_spec("threadpoolctl")
        if found is not None and found.origin:
            with contextlib.suppress(OSError):
                shutil.copy(found.origin, Path(helper) / "threadpoolctl.py")
        result = (run or default_run)(
            [
                python,
                *isolated,
                "-c",
                SCRIPT,
                *(["doctor"] if doctor else []),
                f"--helper={helper}",
            ],
            cwd=cwd,
            env=env,
            timeout=timeout,
            check=False,
            what=str(python),
        )
    from npinit.errors import InvalidInput
    from npinit.reading import parse_bounded

    try:
        data = parse_bounded(json.loads, result.stdout.strip().splitlines()[-1], str(python))
    except (ValueError, IndexError, InvalidInput):
        data = None
    if not isinstance(data, dict):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise Failure(f"{python} printed no answer ({last[:200]})", "")
    return data


def run_probe(python: Path, timeout: float = 30) -> dict[str, Any]:
    """What ``lock --probe`` records of the BLAS at run time (JSON-able, no absolute paths)."""
    from npinit.runner import TimedOut

    try:
        seen = run_script(python, doctor=False, timeout=timeout)
    except TimedOut:
        raise Failure(
            f"the BLAS probe could not run: {python} did not answer within {timeout:g} s",
            "drop --probe, or raise NPINIT_PROBE_TIMEOUT",
        ) from None
    except Failure as error:
        raise Failure(f"the BLAS probe could not run in {python} ({error.message})", "") from None
    found: dict[str, Any] = {}
    if "numpy" in seen:
        found["numpy"] = seen["numpy"]
        found["numpy_blas"] = seen.get("numpy_blas", "")
        if "numpy_blas_version" in seen:
            found["numpy_blas_version"] = seen["numpy_blas_version"]
    if "import_error" in seen:
        found["numpy_error"] = seen["import_error"]
    pools = seen.get("pools") or []
    if pools:
        first = pools[0]
        found["internal_api"] = str(first.get("internal_api", ""))
        found["version"] = str(first.get("version") or "")
        found["threading_layer"] = str(first.get("threading_layer") or "")
        found["architecture"] = str(first.get("architecture") or "")
        found["num_threads"] = int(first.get("num_threads") or 0)
        found["blas_libraries"] = len(pools)
    if "mapped" in seen:
        found["mapped"] = seen["mapped"]
    return found


def variant_from_probe(probe: dict[str, Any]) -> str:
    """The BLAS family the probe saw, or ``unknown``."""
    from npinit.knowledge.blas import family_of

    for text in (
        probe.get("internal_api", ""),
        probe.get("numpy_blas", ""),
        *probe.get("mapped", []),
    ):
        family = family_of(str(text))
        if family != "unknown":
            return family
    return "unknown"
