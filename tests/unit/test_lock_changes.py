"""The lock comparison every summary comes from (npinit lock, create --update, npinit diff):
the BLAS on its own line, a build-only move, platforms added and removed, and Markdown cells
that text from a lock cannot break."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit.errors import InvalidInput
from npinit.model import ChangeKind, EnvKind, Source
from npinit.record.changes import compare_locks, compare_sections
from npinit.record.lockfile import Lock
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot
from tests.helpers import markdown_table


def _section(blas: str, *packages: tuple[str, str, str]) -> Snapshot:
    return Snapshot(
        kind=EnvKind.CONDA,
        python="3.12.9",
        implementation="cpython",
        platform="linux-64",
        packages=tuple(Package(n, v, Source.CONDA, build=b) for n, v, b in packages),
        blas=BlasFingerprint(blas),
    )


OLD = _section("openblas", ("libblas", "3.11.0", "8_openblas"), ("numpy", "2.4.6", "py312_0"))
NEW = _section("mkl", ("libblas", "3.11.0", "5_mkl"), ("numpy", "2.4.6", "py312_0"))


def test_a_blas_switch_is_its_own_line_and_a_build_move_names_the_builds() -> None:
    changes = compare_locks(Lock({"linux-64": OLD}), Lock({"linux-64": NEW, "win-64": NEW}))
    assert changes.lines() == [
        "Changes in npinit.lock:",
        "  linux-64:",
        "    BLAS changed: openblas -> mkl (numerical results can differ)",
        "    changed  libblas 3.11.0 (8_openblas) -> 3.11.0 (5_mkl)",
        "  win-64: new platform (2 packages)",
    ]
    data = changes.to_json()["platforms"]
    assert data["linux-64"]["blas"] == {"kind": "blas", "name": "blas", "before": "openblas",
                                        "after": "mkl"}  # fmt: skip
    assert [c["name"] for c in data["win-64"]["added"]] == ["libblas", "numpy"]
    back = compare_locks(Lock({"linux-64": NEW, "win-64": NEW}), Lock({"linux-64": NEW}))
    assert back.lines() == ["Changes in npinit.lock:", "  linux-64: no change", "  win-64: removed"]


def test_nothing_moved() -> None:
    same = compare_locks(Lock({"linux-64": OLD}), Lock({"linux-64": OLD}), identical=True)
    assert same.lines() == ["npinit.lock: no change"] and not same.changed
    inputs = compare_locks(Lock({"linux-64": OLD}, {"a": 1}), Lock({"linux-64": OLD}, {"a": 2}))
    assert inputs.lines()[0].startswith("npinit.lock: no package changed")


@pytest.mark.parametrize("section", [OLD, NEW])
def test_equal_sections_are_the_same_as_the_package_by_package_comparison_says(
    section: Snapshot,
) -> None:
    """An equal section (its prefix and its BLAS probe are not compared) is told "same" at
    once; the same section with its packages in another order (not equal: the comparison
    goes package by package) is too, and so is the section itself."""
    equal = section._replace(
        prefix=Path("/elsewhere"),
        blas=BlasFingerprint(section.blas.variant, section.blas.evidence, {"threads": 4}),
    )
    reordered = section._replace(packages=section.packages[::-1])
    assert equal == section and reordered != section
    for new in (section, equal, reordered):
        assert compare_sections(section, new) == ()
    moved = section._replace(python="3.13.1")  # equal but for one field: not the same
    assert [c.kind for c in compare_sections(section, moved)] == [ChangeKind.INTERPRETER]


def test_markdown_cells_hold_whatever_a_lock_says() -> None:
    odd = _section("openblas", ("a|b", "1 | 2", "x\ny"), ("numpy", "2.4.6", "py312_0"))
    text = compare_locks(Lock({"linux-64": OLD}), Lock({"linux-64": odd})).markdown("a | b")
    rows = markdown_table(text)
    assert all(len(row) == 5 for row in rows) and len(rows) == 3
    assert ["linux-64", "added", "a|b", "", "1 | 2"] in rows


def test_the_fast_reader_reads_what_the_validating_one_reads_or_nothing() -> None:
    """A re-lock reads the old lock without tomllib when it is exactly npinit's own output;
    anything else goes to the validating reader (fast_loads gives None)."""
    from npinit.record.lockfile import dumps_lock, fast_loads, loads_lock, loads_validated

    ab, cd = "ab" * 32, "cd" * 32  # a sha256 is 64 hex characters (the reader checks)
    pypi = Package("pytest", "8.3.3", Source.PYPI, url="https://x/p.whl", sha256=ab,
                   tags=("py3-none-any",), hashes=(f"sha256:{ab}", f"sha256:{cd}"))  # fmt: skip
    lock = Lock({"linux-64": NEW.with_packages((*NEW.packages, pypi)), "win-64": OLD},
                {"manager": "conda", "requirements": ["numpy=2.4.6", "pytest"]})  # fmt: skip
    text = dumps_lock(lock)
    assert fast_loads(text) == loads_validated(text, "x") == loads_lock(text, "x") == lock
    escaped = text.replace('name = "pytest"', 'name = "\\u0070ytest"', 1)  # TOML reads pytest
    assert fast_loads(escaped) is None and loads_lock(escaped, "x") == lock
    twice = text.replace('version = "8.3.3"', 'version = "8.3.3"\nversion = "9"', 1)
    assert fast_loads(twice) is None  # TOML refuses a key given twice
    assert fast_loads(text.replace("platforms.win-64", 'platforms."a.b"', 1)) is None
    assert fast_loads(text.replace('version = "8.3.3"', "version = 8", 1)) is None


def test_the_fast_reader_reads_a_lock_of_several_platforms(tmp_path: Path) -> None:
    """A project's lock records its platforms (a list in [inputs], like every input file's
    lines): the fast reader reads it as the validating one does; a number where the schema
    wants text is still no lock to keep."""
    from npinit.record.lockfile import dumps_lock, fast_loads, loads_lock, loads_validated
    from npinit.record.previous import read_previous

    inputs = {"manager": "conda", "platforms": ["linux-64", "win-64"], "python": "3.12",
              "requirements": ["numpy=2.4.6"], "with": ["scipy"]}  # fmt: skip
    lock = Lock({"linux-64": NEW, "win-64": OLD}, inputs)
    text = dumps_lock(lock)
    assert fast_loads(text) == loads_validated(text, "x") == loads_lock(text, "x") == lock
    bad = tmp_path / "npinit.lock"
    bad.write_text(text.replace('python = "3.12"', "python = 3", 1), "utf-8")
    assert read_previous(bad) == (None, None)
    with pytest.raises(InvalidInput):
        loads_lock(bad.read_text("utf-8"), "x")


def test_the_fast_reader_reads_a_pip_lock_with_its_files() -> None:
    """A pip lock lists each package's files (one table a line, numpy's with their BLAS):
    ``create`` and a re-lock read it without tomllib, as the validating reader does."""
    from npinit.record.lockfile import dumps_lock, fast_loads, loads_validated
    from npinit.record.package import PackageFile

    ab, cd = "ab" * 32, "cd" * 32
    files = (
        PackageFile("https://x/numpy-2.4.6-cp312-cp312-macosx_14_0_arm64.whl", ab, "accelerate"),
        PackageFile("https://x/numpy-2.4.6-cp312-cp312-macosx_11_0_arm64.whl", cd),
    )
    numpy = Package("numpy", "2.4.6", Source.PYPI, url=files[0].url, sha256=ab,
                    hashes=(f"sha256:{ab}", f"sha256:{cd}"), files=files)  # fmt: skip
    section = Snapshot(EnvKind.VENV, "3.12.1", "cpython", "osx-arm64", (numpy,),
                       BlasFingerprint("accelerate", "the wheel"))  # fmt: skip
    text = dumps_lock(Lock({"osx-arm64": section}, {"manager": "pip"}))
    assert "files = [\n    { url = " in text
    assert fast_loads(text) == loads_validated(text, "x") == Lock({"osx-arm64": section},
                                                                  {"manager": "pip"})  # fmt: skip
    assert fast_loads(text.replace(', blas = "accelerate" },', ", blas = 1 },", 1)) is None


def test_a_lock_the_fast_reader_reads_but_the_checks_refuse_is_named_as_read() -> None:
    """A hand-edited version that is no PEP 440 version passes the line reader; the error is
    the validating reader's, naming the lock and the field (not the writer's)."""
    from npinit.record.lockfile import dumps_lock, fast_loads, loads_lock

    pypi = Package("pytest", "8.3.3", Source.PYPI, tags=("py3-none-any",))
    text = dumps_lock(Lock({"linux-64": NEW.with_packages((*NEW.packages, pypi))}))
    edited = text.replace('version = "8.3.3"', 'version = "8.3.3-x-y"', 1)
    assert fast_loads(edited) is None
    with pytest.raises(InvalidInput) as raised:
        loads_lock(edited, "the lock here")
    assert raised.value.message.startswith("the lock here: platforms.linux-64.packages[")
    assert "is not a PEP 440 version" in raised.value.message
