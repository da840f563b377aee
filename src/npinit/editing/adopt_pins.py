"""How ``npinit init`` chooses its pins: the Pythons a file admits, the numpy range that
holds for each, and the table-only decision (``--no-solve``); a solver (see
:mod:`npinit.api.pins`) resolves the whole file instead."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npinit.editing.adopt_find import Fit
from npinit.editing.adopt_read import FileSays
from npinit.errors import InvalidInput
from npinit.model import Manager, Platform


def numpy_for(says: FileSays, python: str | None) -> tuple[str, str]:
    """The numpy range that holds for ``python`` (the file's entries whose markers hold),
    and how the file spells it."""
    entries = [e for e in says.numpy if python is None or e.holds_for(python)]
    if not entries:
        return "", ""
    specs = [e.spec for e in entries if e.spec]
    return ",".join(specs), "; ".join(_spelled(e) for e in entries)


def pinned_entries(says: FileSays, python: str) -> list[Any]:
    """The numpy entries a pin chosen for ``python`` is written to: of those that hold for
    it, the main dependencies', else an extra's, else a group's (the pin's place; the
    others' ranges are constraints the pin meets, kept as the file has them). The editors
    follow the same order (:func:`npinit.editing.toml_files.edit_pyproject`)."""
    holding = [e for e in says.numpy if e.holds_for(python)]
    first = min((e.place for e in holding), default=0)
    return [e for e in holding if e.place == first]


def pin_marker(says: FileSays, python: str) -> str:
    """Where a pin chosen for ``python`` applies: where one of the entries it is written to
    applies ("" for everywhere). The file's other entries (a numpy split by Python) keep
    their own ranges, so a pin held to every Python would contradict them."""
    marked = [e.marker for e in pinned_entries(says, python)]
    return "" if not marked or not all(marked) else " or ".join(f"({m})" for m in marked)


def binds(says: FileSays, python: str, other: str) -> bool:
    """Whether a pin chosen for ``python`` holds for Python ``other`` too (an entry it is
    written to applies there: uv and Poetry lock that Python with the same pin)."""
    entries = pinned_entries(says, python)
    return not entries or any(e.holds_for(other) for e in entries)


def _spelled(entry: Any) -> str:
    return f"{entry.spelled} in {entry.where}" if entry.where else entry.spelled


@dataclass(frozen=True)
class PinQuestion:
    """What the pins are chosen among: the file, the Pythons it admits (newest first, each
    with the numpy range that holds for it and the releases with wheels for it)."""

    fit: Fit
    says: FileSays
    pythons: tuple[str, ...]
    numpy_ranges: dict[str, str]
    platforms: tuple[Platform, ...]
    blas: str
    open_python: bool  # the file leaves Python open (no entry, or a range)
    origin: str = ""  # the file's name as the lines say it ("": fit's; a converted Poetry file)
    notes: tuple[str, ...] = ()  # what the choice among the Pythons already says
    every_platform: bool = False  # its locker locks every platform (Poetry's, converted)
    root: Path | None = None  # the project (None: the file's folder), where includes resolve
    blas_asked: str = ""  # --blas: the file is solved as its BLAS edit leaves it

    @property
    def name(self) -> str:
        return self.origin or self.fit.path.name


@dataclass(frozen=True)
class Pins:
    python: str
    numpy: str
    notes: tuple[str, ...] = ()
    numpy_for: str = ""  # the Python NumPy was chosen for, when not this one (a range's oldest)
    blas: tuple[tuple[str, str], ...] = ()  # conda, pixi: each platform's BLAS, as solved


def exact_release(spec: str) -> str:
    """The release an exact pin names (``==1.26.4``, ``===1.26.4``), else "". PEP 440 pads
    ``==`` with zeros: ``==1.24`` is the release 1.24.0 (``===`` compares strings, as
    written)."""
    found = re.fullmatch(r"(===?)\s*(\d+(?:\.\d+)*)", spec.strip())
    if not found:
        return ""
    if found.group(1) == "===":
        return found.group(2)
    parts = [str(int(p)) for p in found.group(2).split(".")]
    while len(parts) > 3 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts + ["0"] * (3 - len(parts)))


Solver = Callable[[PinQuestion], Pins]
OFFLINE_HINT = "--no-solve decides from the release table alone (offline)"


class Unsolvable(InvalidInput):
    """The file cannot be resolved for any Python (not a Python's fault): exit 2 at once."""


class FromSource(InvalidInput):
    """The file resolves for a Python, but with packages built from their sdists there
    (``names``): a Python newer than their wheels, unless they never have wheels."""

    def __init__(self, numpy: str, names: frozenset[str], wheeled: frozenset[str]) -> None:
        super().__init__(f"Because {sorted(wheeled or names)[0]} has no wheels for that Python", "")
        self.numpy, self.names = numpy, names
        self.wheeled = wheeled  # those with wheels for other Pythons: this one fails


def numpy_of(packages: Any) -> str:
    """The numpy version among a solution's packages ("" when it has none)."""
    return next((p.version for p in packages if p.name == "numpy"), "")


def releases_for(python: str, numpy_range: str) -> list[Any]:
    """The releases in ``numpy_range`` with wheels for ``python``, oldest first."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from npinit.knowledge import releases

    try:
        spec = SpecifierSet(numpy_range)
    except InvalidSpecifier:
        raise InvalidInput(
            f"numpy {numpy_range!r} is not a version range", "fix the file"
        ) from None
    return [
        r
        for r in releases.releases_for_python(python)
        if spec.contains(r.version, prereleases=True)
    ]


def table_pins(question: PinQuestion) -> Pins:
    """The table-only decision: the newest release the file's ranges admit, then the newest
    of the file's Pythons it has wheels for (no Python in the file: the one npinit new
    would choose for it). PyPI lockers that resolve a whole Python range at once (uv,
    Poetry) need a release with wheels for the range's oldest Python."""
    from npinit.knowledge import releases

    pythons = question.pythons
    fitting = [(p, r) for p in pythons for r in releases_for(p, question.numpy_ranges[p])]
    whole = question.fit.manager in (Manager.UV, Manager.POETRY) and bool(question.says.pythons)
    if whole:
        fitting = [(p, r) for p, r in fitting if r.version in _floor_versions(question.says, p)]
    best = max((r for _, r in fitting), key=lambda r: r.key, default=None)
    if best is None:
        raise InvalidInput("no NumPy release fits", "")
    usable = [p for p, r in fitting if r.version == best.version]
    if question.says.pythons is None and len(pythons) > 1:
        # no Python in the file: the one npinit new would choose, and the newest release
        # of the numpy range for it
        python = releases.default_python(best)
        for_it = releases_for(python, question.numpy_ranges.get(python, ""))
        if python in pythons and for_it:
            return Pins(python, for_it[-1].version)
    floor = range_floor(question.says, usable[0]) if whole else ""
    return Pins(usable[0], best.version, numpy_for=floor)


def _floor_versions(says: FileSays, python: str) -> set[str]:
    """The releases with wheels for the oldest Python of ``python``'s part of the range."""
    floor = range_floor(says, python)
    return {r.version for r in releases_for(floor, numpy_for(says, floor)[0])}


def candidate_pythons(says: FileSays, python: str | None, source: str) -> list[str]:
    """The Pythons to choose among, newest first: ``--python``, else the file's, else every
    Python npinit supports; only those some release of the numpy range has wheels for."""
    from npinit.editing.pythons import describe as minors
    from npinit.knowledge import releases

    allowed = says.pythons
    if python is None and says.python_file:  # uv sync builds it: the file's Python
        if allowed is not None and releases.minor(says.python_file) not in allowed:
            raise InvalidInput(
                f".python-version says {says.python_file}, outside {source}'s range "
                f"{says.python_spelled!r} (uv sync would refuse it)",
                f"make the two agree: choose one of {minors(allowed)}",
            )
        python = says.python_file
    if python is not None:
        python = releases.check_python(python.strip())
        if allowed is not None and releases.minor(python) not in allowed:
            raise InvalidInput(
                f"Python {python} is outside the file's range {says.python_spelled!r}",
                f"choose one of {minors(allowed)}",
            )
        pool = [python]
    else:
        pool = [p for p in releases.known_pythons() if allowed is None or p in allowed]
    fitting = [p for p in pool if releases_for(p, numpy_for(says, p)[0])]
    if not fitting:
        spelled = "; ".join(_spelled(e) for e in says.numpy) or "numpy (any)"
        raise InvalidInput(
            f"no NumPy release npinit knows fits both Python "
            f"{says.python_spelled or python or 'any'} and {spelled} ({source})",
            "widen one of the two ranges, or give --python or --numpy",
        )
    return sorted(fitting, key=releases.version_key, reverse=True)


def range_floor(says: FileSays, python: str | None = None) -> str:
    """The oldest Python of the file's range that some release of its numpy range has wheels
    for: uv and Poetry lock the whole range, so the pin must have wheels for it. With
    ``python``: of the part of the range a pin chosen for it binds (the lockers resolve
    each part of a split numpy on its own)."""
    from npinit.knowledge import releases

    admitted = [
        p
        for p in releases.known_pythons()
        if (says.pythons is None or p in says.pythons)
        and (python is None or binds(says, python, p))
    ]
    fitting = [p for p in admitted if releases_for(p, numpy_for(says, p)[0])]
    return (fitting or admitted)[0]


def wheel_pythons(
    says: FileSays, pythons: list[str], platforms: list[str], source: str
) -> tuple[list[str], str]:
    """The Pythons a ``numpy @ URL`` wheel installs on for every recorded platform (a wheel
    is one Python's and one platform's file), and a line saying so when the file's range
    allows more (the Python the wheel allows is the one recorded); none: exit 2, saying
    where it installs."""
    from packaging.utils import parse_wheel_filename

    from npinit.knowledge import releases
    from npinit.knowledge.platforms import tag_installs

    urls = [e.url for e in says.numpy if e.url.split("#")[0].endswith(".whl")]
    if not urls:
        return pythons, ""
    tags = [parse_wheel_filename(u.split("#")[0].rsplit("/", 1)[-1])[3] for u in urls]

    def installs(python: str, platform: Platform) -> bool:
        return all(any(tag_installs(t, platform, python) for t in each) for each in tags)

    fitting = [p for p in pythons if all(installs(p, Platform(n)) for n in platforms)]
    where = [
        f"Python {p} on {n.value}"
        for p in releases.known_pythons()
        for n in Platform
        if installs(p, n)
    ]
    name = repr(urls[0].split("#")[0].rsplit("/", 1)[-1])
    if fitting:
        allowed = (
            f"the file's {says.python_spelled!r} allows more"
            if says.python_spelled
            else "the file names no Python"
        )
        narrowed = (
            f"Python {', '.join(fitting)}: numpy @ .../{name} installs only on "
            f"{', '.join(where)} ({allowed}; the wheel's Python is recorded)"
        )
        return fitting, narrowed if len(fitting) < len(pythons) else ""
    raise InvalidInput(
        f"{source}: numpy @ .../{name} installs only on {', '.join(where) or 'no platform'}: "
        f"it cannot be locked for Python {', '.join(pythons)} on {', '.join(platforms)}",
        "record the platform it installs on (--platform), or pin the release from the index "
        "(numpy==X.Y.Z), whose wheels cover every platform",
    )


def url_refusal(says: FileSays, wanted: str, source: str) -> None:
    """``--numpy`` of another release than a ``numpy @ URL`` line's: the URL names one file,
    which no pin can change (exit 2, the URL named, escaped)."""
    for entry in says.numpy:
        release = exact_release(entry.spec)
        if entry.url and release != wanted:
            raise InvalidInput(
                f"{source} pins NumPy by URL (numpy @ {entry.url.strip()[:300]!r}, NumPy "
                f"{release}): --numpy {wanted} cannot change that file",
                f"replace that line with numpy=={wanted} (or a URL of a NumPy {wanted} "
                f"file), then run npinit init again; or leave out --numpy to keep {release}",
            )


def pin_kept(says: FileSays, pins: Pins) -> bool:
    """Whether the file's own exact pin is the release chosen."""
    return exact_release(numpy_for(says, pins.python)[0]) == pins.numpy


def numpy_decision(says: FileSays, pins: Pins, asked: bool, solved: bool) -> list[str]:
    """NumPy's line: how the release was chosen (``asked``: --numpy; for the oldest Python of
    a range a locker locks at once), and what the file had; "newest" only when it is."""
    if pin_kept(says, pins):
        return [f"NumPy {pins.numpy}: the file's pin, kept (it fits Python {pins.python})"]
    spec, spelled = numpy_for(says, pins.python)
    if spec:
        had = f"the file has {spelled}"
    elif spelled:
        where = sorted({e.where for e in says.numpy if e.where and e.holds_for(pins.python)})
        had = "the file has numpy (unpinned)" + (f" in {', '.join(where)}" if where else "")
    elif says.numpy:  # lines whose markers hold elsewhere (sys_platform == "win32")
        lines = "; ".join(e.spelled.strip() for e in says.numpy)
        had = f"the file's numpy lines apply elsewhere only ({lines}): kept, none added"
    else:
        had = "the file has no numpy entry: one is added"
    if asked:
        return [f"NumPy {pins.numpy}: asked for (--numpy), for Python {pins.python} ({had})"]
    python = pins.numpy_for or pins.python
    newest = releases_for(python, numpy_for(says, python)[0])
    if newest and newest[-1].version == pins.numpy:
        how = "the newest release"
    elif solved:
        how = (
            "the release the whole file resolves to"
            if not spelled
            else ("the newest release the whole file resolves with")
        )
    else:
        how = "the newest release the file's whole Python range allows"
    if python != pins.python:  # the oldest of the part of the range the pin applies to
        marked = [e.marker for e in pinned_entries(says, pins.python) if e.marker]
        part = f" where {' or '.join(marked)}" if marked and python != range_floor(says) else ""
        how += f" for Python {python}, the oldest of {says.python_spelled!r}{part} (locked at once)"
        return [f"NumPy {pins.numpy}: {how} ({had})"]
    return [f"NumPy {pins.numpy}: {how} for Python {pins.python} ({had})"]


def python_decision(
    says: FileSays, pins: Pins, python: str | None, solved: bool, newest: str
) -> list[str]:
    """Python's line (``python``: --python; ``newest``: the newest Python of the choice)."""
    if python is not None:
        return [f"Python {pins.python}: asked for (--python)"]
    if says.python_file == pins.python:
        return [f"Python {pins.python}: .python-version's pin (what uv sync builds)"]
    held = [n for n in pins.notes if n.startswith(f"Python {pins.python}:")]
    if held:
        return held  # which package held the choice back
    by_numpy = numpy_holds(says, pins.python) if pins.python == newest and solved else ""
    if says.pythons is None:
        how = "the newest the whole file resolves with" if solved else "npinit's default"
        return [f"Python {pins.python}: {how} (the file has no Python entry{by_numpy})"]
    if len(says.pythons) > 1:
        how = "the newest the whole file resolves with" if solved else "the newest"
        if pins.numpy_for and pins.python != newest:  # not the newest: NumPy's newest
            how = f"the newest with wheels of NumPy {pins.numpy}"
        return [
            f"Python {pins.python}: {how} within the file's {says.python_spelled!r} (the "
            f"range is recorded too{by_numpy})"
        ]
    return [f"Python {pins.python}: the file's pin"]


def numpy_holds(says: FileSays, python: str) -> str:
    """``; numpy<2 has no wheels for Python 3.13`` when the file's own numpy range is what
    keeps the next newer Python the file allows out of the choice (it is never tried), else
    ""."""
    from npinit.knowledge import releases

    newer = [
        p
        for p in releases.known_pythons()
        if releases.version_key(p) > releases.version_key(python.removesuffix("t"))
        and (says.pythons is None or p in says.pythons)
    ]
    if not newer or releases_for(newer[0], numpy_for(says, newer[0])[0]):
        return ""
    spec, spelled = numpy_for(says, newer[0])
    return f"; {spelled or 'numpy ' + spec} has no wheels for Python {newer[0]}" if spec else ""
