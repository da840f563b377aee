"""The value classes are NamedTuples (issue 30: no dataclass on the hot paths) that keep what
the dataclasses said: the fields a dataclass left out of ``==`` are still left out of it, and
of ``!=`` and the hash, and no default is a shared mutable value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npinit.model import EnvKind, Manager, Platform
from npinit.model_create import CreatedEnvironment
from npinit.model_spec import Blas, BlasChoice, Channel, ProjectSpec
from npinit.record.snapshot import BlasFingerprint, Snapshot


def _snapshot(prefix: Path | None, blas: BlasFingerprint) -> Snapshot:
    return Snapshot(EnvKind.VENV, "3.12.1", "cpython", "linux-64", (), blas, prefix=prefix)


def _same_but_for(a: object, b: object) -> None:
    assert a == b and (a != b) is False and hash(a) == hash(b)


def _different(a: object, b: object) -> None:
    assert a != b and (a == b) is False


def test_a_blas_fingerprint_compares_without_its_probe() -> None:
    probed = BlasFingerprint("openblas", "libopenblas", {"threads": 4})
    _same_but_for(probed, BlasFingerprint("openblas", "libopenblas"))
    _different(probed, BlasFingerprint("mkl", "libopenblas", {"threads": 4}))
    _different(probed, BlasFingerprint("openblas", "probe", {"threads": 4}))


def test_a_snapshot_compares_without_its_prefix() -> None:
    blas = BlasFingerprint("openblas", "libopenblas")
    _same_but_for(_snapshot(Path("/a"), blas), _snapshot(None, blas))
    _same_but_for(_snapshot(None, blas), _snapshot(None, blas._replace(probe={"x": 1})))
    _different(_snapshot(None, blas), _snapshot(None, blas._replace(variant="mkl")))
    _different(_snapshot(None, blas), _snapshot(None, blas)._replace(python="3.12.2"))


def test_no_default_is_a_shared_mutable_value() -> None:
    with pytest.raises(TypeError):
        BlasFingerprint().probe["threads"] = 4  # type: ignore[index]
    assert BlasFingerprint().probe == {} and dict(BlasFingerprint().probe) == {}


def test_a_project_spec_compares_without_its_blas_choices() -> None:
    spec = ProjectSpec("p", "p", Manager.PIP, "3.12", "2.4.6", Blas.DEFAULT, Channel.PYPI, ())
    chosen = spec._replace(blas_choices=(BlasChoice(Platform.LINUX_64, Blas.DEFAULT, "openblas"),))
    _same_but_for(spec, chosen)
    _different(spec, chosen._replace(numpy_from="pip"))  # the fields after it count
    _different(spec, chosen._replace(author="a"))  # and those before it


def test_a_created_environment_shares_no_mutable_default() -> None:
    created = CreatedEnvironment(Path("/p"), None, "uv", "source .venv/bin/activate")
    with pytest.raises(TypeError):
        created.env_vars["X"] = "1"  # type: ignore[index]
    assert dict(created.env_vars) == {}


def test_an_unprobed_blas_is_an_empty_probe_in_json() -> None:
    """lock --prefix --json hands the fingerprint's probe on as data: {} when none ran (its
    read-only default is no JSON object)."""
    from npinit.api.lock import LockResult

    snapshot = _snapshot(None, BlasFingerprint("openblas", "libopenblas"))
    data = LockResult(Path("npinit.lock"), "npinit", snapshot, ()).to_json()
    assert json.loads(json.dumps(data))["blas"]["probe"] == {}
