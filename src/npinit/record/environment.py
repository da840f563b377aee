"""An installed environment read into a :class:`~npinit.record.snapshot.Snapshot` (its files;
with ``--online`` the index's hashes, with ``--probe`` what its interpreter says): what
``lock``, ``verify``, ``create``'s check and ``doctor`` read an environment by, without the
API's result types (``lock --from-env`` and ``create`` load only this)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from npinit.model import find_interpreter

if TYPE_CHECKING:
    from npinit.model import Platform
    from npinit.record.snapshot import Snapshot

PROBE_TIMEOUT = 30.0  # seconds an environment's interpreter gets to answer (NPINIT_PROBE_TIMEOUT)


def snapshot_environment(
    prefix: Path | None,
    python: Path | None,
    *,
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
    probe_timeout: float = PROBE_TIMEOUT,
    current_platform: Platform | None = None,
) -> Snapshot:
    """Read an environment (a conda prefix or venv, or any interpreter) into a Snapshot.

    ``current_platform`` names the platform of a venv (whose files do not say it)."""
    from npinit.record import snapshot as snap

    here = current_platform
    if prefix is not None:
        result = snap.read_prefix(prefix, here)
    elif python is not None:
        from npinit.record.target import read_python

        result = read_python(python, here)
    else:
        raise ValueError("snapshot_environment needs a prefix or a python")
    if online:
        from npinit.record.index import DEFAULT_INDEX, add_hashes

        packages, warnings = add_hashes(result.packages, index or DEFAULT_INDEX)
        result = result._replace(packages=packages, warnings=(*result.warnings, *warnings))
    if probe:
        from npinit.record.probe import run_probe, variant_from_probe

        interpreter = python or interpreter_of(result.prefix)
        seen = run_probe(interpreter, timeout=probe_timeout)
        variant = variant_from_probe(seen)
        blas = result.blas
        if variant != "unknown" and variant != blas.variant:
            blas = snap.BlasFingerprint(
                variant, f"run-time probe ({blas.evidence or 'no static evidence'})", seen
            )
        else:
            blas = snap.BlasFingerprint(blas.variant, blas.evidence, seen)
        result = result._replace(blas=blas)
    return result


def interpreter_of(prefix: Path | None) -> Path:
    """The interpreter of an environment (InvalidInput, exit 2, when it has none)."""
    from npinit.errors import InvalidInput

    assert prefix is not None
    found = find_interpreter(prefix)
    if found is not None:
        return found
    raise InvalidInput(f"no Python interpreter in {prefix}", "the probe needs one; drop --probe")
