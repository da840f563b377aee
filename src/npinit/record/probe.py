"""The run-time probe (``--probe``): a small script run by the target interpreter, never
imported into npinit's own process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from npinit.errors import Failure

SCRIPT = r"""
import json, sys
out = {}
try:
    import numpy
    out["numpy"] = numpy.__version__
    try:
        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        out["numpy_blas"] = str(blas.get("name", ""))
        out["numpy_blas_version"] = str(blas.get("version", ""))
    except Exception as error:
        out["numpy_blas"] = ""
except Exception as error:
    out["numpy_error"] = f"{type(error).__name__}: {error}"
try:
    from threadpoolctl import threadpool_info
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    if pools:
        p = pools[0]
        out["internal_api"] = p.get("internal_api", "")
        out["version"] = str(p.get("version") or "")
        out["threading_layer"] = str(p.get("threading_layer") or "")
        out["architecture"] = str(p.get("architecture") or "")
        out["num_threads"] = int(p.get("num_threads") or 0)
        out["blas_libraries"] = len(pools)
except ImportError:
    pass
try:
    import os
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
"""

_FAMILIES = ("openblas", "mkl", "blis", "accelerate", "netlib", "flexiblas")


def run_probe(python: Path, timeout: float = 30) -> dict[str, Any]:
    """Run the probe in ``python``; returns what it saw (JSON-able, no absolute paths)."""
    from npinit.runner import TimedOut, run

    try:
        result = run([python, "-I", "-c", SCRIPT], timeout=timeout, check=False)
    except TimedOut:
        raise Failure(
            f"the BLAS probe could not run: {python} did not answer within {timeout:g} s",
            "drop --probe, or raise NPINIT_PROBE_TIMEOUT",
        ) from None
    except Failure as error:
        raise Failure(f"the BLAS probe could not run in {python} ({error.message})", "") from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise Failure(f"the BLAS probe failed in {python}: {last}", "")
    try:
        data = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        data = None
    if not isinstance(data, dict):
        raise Failure(f"the BLAS probe in {python} printed no answer", "drop --probe")
    return data


def variant_from_probe(probe: dict[str, Any]) -> str:
    """The BLAS family the probe saw, or ``unknown``."""
    for text in (
        probe.get("internal_api", ""),
        probe.get("numpy_blas", ""),
        *probe.get("mapped", []),
    ):
        lowered = str(text).lower()
        for family in _FAMILIES:
            if family in lowered:
                return family
    return "unknown"
