"""A plain requirement line (``name``, ``name==1.2.3``) is found met without packaging's
grammar only where packaging's reading of it finds it met too."""

from __future__ import annotations

import pytest

from npinit.model import EnvKind, Source
from npinit.record import crosscheck
from npinit.record.lockfile import Lock
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot

LINES = [
    "numpy==2.4.6",
    "numpy==2.4",
    "numpy==2.4.6.0",
    "NumPy==2.4.6",
    "numpy",
    "Py_Test",
    "py.test",
    "threadpoolctl==3.6.0",
    "missing",
    "missing==1.0",
    "numpy>=2",
    "numpy==2.4.*",
    "numpy; sys_platform == 'win32'",
    "numpy==2.4.6rc1",
]
SECTIONS = [
    (("numpy", "2.4.6"), ("py-test", "8.0"), ("threadpoolctl", "3.6.0")),
    (("numpy", "2.4.6.0"),),
    (("numpy", ""), ("threadpoolctl", "3.5.0")),
    (),
]


def _lock(platforms: dict[str, tuple[tuple[str, str], ...]]) -> Lock:
    def section(name: str, rows: tuple[tuple[str, str], ...]) -> Snapshot:
        packages = tuple(Package(n, v, Source.PYPI) for n, v in rows)
        return Snapshot(EnvKind.VENV, "3.12", "cpython", name, packages, BlasFingerprint())

    return Lock({name: section(name, rows) for name, rows in platforms.items()})


@pytest.mark.parametrize("rows", SECTIONS, ids=str)
@pytest.mark.parametrize("line", LINES)
def test_met_without_packaging_only_where_packaging_finds_it_met(
    line: str, rows: tuple[tuple[str, str], ...]
) -> None:
    lock = _lock({"linux-64": SECTIONS[0], "win-64": rows, "unknown": ()})
    included, requirement = crosscheck._requirement(line)
    assert requirement is not None
    unmet = [
        problem
        for platform, section in lock.sections.items()
        for problem in crosscheck._unmet(requirement, included, platform, section, "3.12")
    ]
    if crosscheck.plainly_met(line, lock):
        assert unmet == []
    taken = ("numpy==2.4.6", "NumPy==2.4.6", "numpy", "Py_Test", "py.test", "threadpoolctl==3.6.0")
    expected = line in taken  # and packaging reads the rest: a range, a marker, 2.4 == 2.4.0
    assert crosscheck.plainly_met(line, _lock({"linux-64": SECTIONS[0]})) is expected


@pytest.mark.timeout(60)
def test_an_option_line_is_passed_over_without_loading_packaging() -> None:
    """``--index-url``, ``-r`` and ``-c`` lines are not requirements: reading them past does
    not load packaging (whose grammar, and the dataclasses it imports, cost more than a
    ``create --no-check`` spends elsewhere)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom npinit.record import crosscheck\n"
        "lines = ['--index-url https://example.org/simple', '-r more.txt', 'a.txt: -c c.txt']\n"
        "print([crosscheck._requirement(l) for l in lines], 'packaging' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[(False, None), (False, None), (True, None)] False"
