"""``lock --from-env`` asks for the old lock with the lock it would write over a lock of its
section alone: an old text that is exactly that lock's text is that lock (not parsed, checked
once: by writing it); any other old lock is read as before, and read alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit import schemas
from npinit.model import EnvKind, Source
from npinit.record import lockfile, lockscan
from npinit.record.previous import read_previous
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot


def _section(platform: str = "linux-64", numpy: str = "2.4.6") -> Snapshot:
    packages = (
        Package("numpy", numpy, Source.PYPI, installer="pip", tags=("cp312-cp312-linux_x86_64",)),
        Package("pytest", "9.0.1", Source.PYPI, installer="pip"),
    )
    blas = BlasFingerprint("openblas", "numpy.libs")
    return Snapshot(EnvKind.VENV, "3.12.1", "cpython", platform, packages, blas)


def _alone(numpy: str = "2.4.6") -> lockfile.Lock:
    return lockfile.Lock({"linux-64": _section(numpy=numpy)})


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every schema check from now on, counted (and still made)."""
    seen: list[object] = []
    real = schemas.validate

    def validate(*args: object) -> None:
        seen.append(args)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(schemas, "validate", validate)
    monkeypatch.setattr(lockfile, "_checked", [])
    return seen


def test_the_text_of_the_lock_alone_is_that_lock_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "npinit.lock"
    path.write_text(lockfile.dumps_lock(_alone()))
    checks = _counting(monkeypatch)
    monkeypatch.setattr(lockscan, "scan", lambda text: pytest.fail("parsed"))
    alone = _alone()
    raw, previous = read_previous(path, alone)
    assert previous is alone and raw == path.read_bytes()
    assert lockfile.dumps_lock(_alone()) == path.read_text()  # the lock to write: no new text
    assert len(checks) == 1  # once, by writing it


@pytest.mark.parametrize(
    "old",
    [
        lockfile.Lock({"linux-64": _section(numpy="2.4.5")}),  # another version
        lockfile.Lock({"linux-64": _section(), "osx-arm64": _section("osx-arm64")}),
        lockfile.Lock({"linux-64": _section()}, {"manager": "pip", "requirements": ["x"]}),
        lockfile.Lock({"osx-arm64": _section("osx-arm64")}),  # another platform alone
    ],
    ids=["changed", "two-platforms", "inputs", "other-platform"],
)
def test_any_other_old_lock_is_read_as_before(tmp_path: Path, old: lockfile.Lock) -> None:
    path = tmp_path / "npinit.lock"
    path.write_text(lockfile.dumps_lock(old))
    alone = _alone()
    raw, previous = read_previous(path, alone)
    assert previous is not alone and previous == old == read_previous(path)[1]
    assert raw == path.read_bytes()


def test_an_old_lock_of_other_platforms_builds_no_text_in_vain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its text cannot be the lock alone's (two platforms, or inputs): it is parsed (and
    checked) at once, the lock alone is neither written nor checked."""
    path = tmp_path / "npinit.lock"
    two = lockfile.Lock({"linux-64": _section(), "osx-arm64": _section("osx-arm64")})
    path.write_text(lockfile.dumps_lock(two))
    checks = _counting(monkeypatch)
    assert read_previous(path, _alone())[1] == two
    assert len(checks) == 1  # the old lock's, on reading


def test_a_changed_lock_alone_is_checked_once_and_written_from_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment changed: the lock alone is checked (its text built), the old lock is
    read and checked; the lock to write, equal to the lock alone, is that text."""
    path = tmp_path / "npinit.lock"
    path.write_text(lockfile.dumps_lock(_alone("2.4.5")))
    checks = _counting(monkeypatch)
    previous = read_previous(path, _alone())[1]
    assert previous == _alone("2.4.5") and len(checks) == 2
    monkeypatch.setattr(lockfile, "_section", lambda *a: pytest.fail("built again"))
    assert lockfile.dumps_lock(_alone()).count('version = "2.4.6"') == 1
    assert len(checks) == 2


def test_a_lock_alone_that_cannot_be_written_leaves_the_old_one_read(tmp_path: Path) -> None:
    """A version no PEP 440 reader takes cannot be written: the old lock is read as before
    (writing the new one then says why)."""
    path = tmp_path / "npinit.lock"
    path.write_text(lockfile.dumps_lock(_alone()))
    assert read_previous(path, _alone("two"))[1] == _alone()
    path.write_text("lock-version = 2\n[platforms")  # broken: replaced, as before
    assert read_previous(path, _alone()) == (None, None)
