"""A lock read back exactly as npinit writes it has passed every check writing makes: writing
the same text again (a re-lock that changes nothing) checks nothing twice, and any other text
is checked in full."""

from __future__ import annotations

import pytest

from npinit import schemas
from npinit.errors import InvalidInput
from npinit.model import EnvKind, Source
from npinit.record import lockfile
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot


def _lock() -> lockfile.Lock:
    packages = (
        Package("numpy", "2.4.6", Source.PYPI, installer="pip"),
        Package("pytest", "9.0.1", Source.PYPI, installer="pip"),
    )
    section = Snapshot(
        EnvKind.VENV, "3.12.1", "cpython", "linux-64", packages, BlasFingerprint("openblas", "x")
    )
    return lockfile.Lock({"linux-64": section})


def _refuse_any_check(*args: object) -> None:
    raise AssertionError("checked again")


def test_the_text_read_back_is_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = lockfile.dumps_lock(_lock())
    read = lockfile.fast_loads(text)
    assert read is not None
    monkeypatch.setattr(schemas, "validate", _refuse_any_check)
    assert lockfile.dumps_lock(read) == text == lockfile.dumps_lock(_lock())


def test_any_other_text_is_checked_in_full() -> None:
    assert lockfile.fast_loads(lockfile.dumps_lock(_lock())) is not None
    section = _lock().sections["linux-64"]
    bad = section._replace(packages=(Package("numpy", "two", Source.PYPI),))
    with pytest.raises(InvalidInput, match="not a PEP 440 version"):
        lockfile.dumps_lock(lockfile.Lock({"linux-64": bad}))
    with pytest.raises(InvalidInput, match="not a PEP 440 version"):  # read, then written
        lockfile.dumps_lock(lockfile.Lock({"linux-64": bad}))


def _written_again(*args: object) -> None:
    raise AssertionError("written again")


def test_an_equal_lock_is_the_text_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-lock that changes nothing: the lock the solver gives, equal to the one read back
    (built anew, not the same object), is the text read, not written again."""
    text = lockfile.dumps_lock(_lock())
    assert lockfile.fast_loads(text) is not None
    with monkeypatch.context() as patch:
        patch.setattr(lockfile, "_section", _written_again)
        assert lockfile.dumps_lock(_lock()) == text
    other = lockfile.dumps_lock(_lock(), "npinit lock --platform linux-64")  # another line
    assert other == text.replace("with: npinit lock\n", "with: npinit lock --platform linux-64\n")


def test_an_equal_lock_with_a_probe_is_written_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Equal probe values may be written otherwise (1 == True, written 1 and true): a lock
    with a probe is always written, even equal to the last one read."""

    def probed(value: object) -> lockfile.Lock:
        section = _lock().sections["linux-64"]
        blas = BlasFingerprint("openblas", "x", {"threads": value})
        return lockfile.Lock({"linux-64": section._replace(blas=blas)})

    one = lockfile.dumps_lock(probed(1))
    monkeypatch.setattr(lockfile, "_checked", [(one, probed(1), "npinit lock")])
    assert probed(True) == probed(1)
    assert "threads = true\n" in lockfile.dumps_lock(probed(True))
