"""Doctor's checks of the interpreter itself: the project's Python (version and
implementation) against the environment's, which interpreter was examined when there is no
project, and a free-threaded CPython's GIL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.doctor_model import Check, Status

FREE_THREADED = "cpython-freethreading"


def _implementation(seen: dict[str, Any], snapshot: Any) -> str:
    name = str(seen.get("implementation") or getattr(snapshot, "implementation", "") or "cpython")
    return FREE_THREADED if seen.get("free_threaded") and name == "cpython" else name


def python_checks(
    seen: dict[str, Any], snapshot: Any, pin: dict[str, Any] | None, python: Path | None
) -> list[Check]:
    """In a project: the environment's Python against the project's pin (``3.12`` is any
    3.12.x CPython with the GIL; ``3.14t`` a free-threaded one). Outside one: which
    interpreter was examined, and how to examine another."""
    version = str(seen.get("version") or getattr(snapshot, "python", "") or "")
    implementation = _implementation(seen, snapshot)
    if not pin or not pin.get("python"):
        where = str(python) if python is not None else str(getattr(snapshot, "prefix", "") or "")
        return [
            Check(
                "python",
                Status.INFO,
                f"no npinit project here: examined {where} (Python {version or 'unknown'}, "
                f"{implementation})",
                "examine another environment: npinit doctor --prefix ENV or --python PATH, "
                "or run it in the project's folder",
            )
        ]
    wanted = str(pin["python"])
    expected = FREE_THREADED if wanted.endswith("t") else "cpython"
    minor = ".".join(version.split(".")[:2])
    if minor == wanted.removesuffix("t") and implementation == expected:
        return [Check("python", Status.OK, f"Python {version} ({implementation}) is the project's")]
    return [
        Check(
            "python",
            Status.PROBLEM,
            f"Python {version or 'unknown'} ({implementation}) is this environment's; the "
            f"project pins {wanted} ({expected})",
            f"rebuild the environment with Python {wanted}: remove it, then npinit create",
        )
    ]


def gil_checks(seen: dict[str, Any]) -> list[Check]:
    """Free-threaded CPython: the GIL off, who turned it on, the thread arithmetic."""
    if not seen.get("free_threaded"):
        return []
    enablers = [str(m) for m in seen.get("gil_enabled_by") or []]
    checks = []
    if enablers or seen.get("gil_enabled"):
        said = " ".join(enablers) if enablers else "the GIL is enabled (PYTHON_GIL=1 or -X gil=1)"
        checks.append(
            Check(
                "gil",
                Status.PROBLEM,
                f"free-threaded CPython, but the GIL is on: {said}",
                "upgrade or drop the extension named, or unset PYTHON_GIL; PYTHON_GIL=0 "
                "forces it off at your own risk",
            )
        )
    else:
        checks.append(Check("gil", Status.OK, "free-threaded CPython: the GIL stays disabled"))
    cores = seen.get("cpu_count") or "the"
    return [
        *checks,
        Check(
            "gil-threads",
            Status.INFO,
            f"Python threads and BLAS threads multiply: N threads each calling the BLAS with "
            f"its own pool of M threads run N x M on {cores} cores",
            "set OMP_NUM_THREADS/OPENBLAS_NUM_THREADS (npinit new --threads) so that N x M "
            "stays within the cores, e.g. 1 when every Python thread does BLAS work",
        ),
    ]
