"""Pins chosen by solving, for conda and pixi files: py-rattler solves the file's conda
specs on every recorded platform with ``python X.*`` (see :mod:`npinit.api.pins`). A pixi
manifest is solved as ``npinit lock`` solves it: solve-group by solve-group (pixi solves the
members of a ``solve-group`` together), the one holding the default environment (whose numpy
init pins) for each Python tried, every other one once as written and, where it has the
default feature, with the NumPy chosen. For each Python the NumPy steps down, newest first,
until every one of them resolves with it on every platform."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.editing.adopt_pins import (
    OFFLINE_HINT,
    PinQuestion,
    Unsolvable,
    numpy_of,
    releases_for,
)
from npinit.errors import Failure, InvalidInput
from npinit.model import Manager

_PIP_EXTRAS = re.compile(r"(?<=[\w.-])\[[\w,\s-]*\]")  # nbconvert[execute]: conda has none
NUMPY_SPEC = re.compile(r"^(?:[\w./-]+::)?numpy(?:[\s=<>!~\[]|$)")
_PYTHON_SPEC = re.compile(r"^(?:[\w./-]+::)?python(?:[\s=<>!~\[]|$)")

Specs = dict[str, list[str]]  # per platform


@dataclass(frozen=True)
class _Read:
    """What is solved: the channels, the specs init pins (per platform), the specs the other
    members of the default environment's solve-group add to them, the other solve-groups'
    (by name) and the names of those with the default feature (init's numpy pin)."""

    channels: list[str]
    pinned: Specs
    group: Specs = field(default_factory=dict)
    others: dict[str, Specs] = field(default_factory=dict)
    sharing: frozenset[str] = frozenset()
    pypi: dict[str, list[Any]] = field(default_factory=dict)  # the default's PyPI entries


def _read(question: PinQuestion) -> _Read:
    platforms = [p.value for p in question.platforms]
    if question.fit.manager is not Manager.PIXI:
        from npinit.managers.conda import read_specs

        channels, specs = read_specs(question.fit.path, question.fit.manager)
        return _Read(channels, {p: specs for p in platforms})
    import tomllib

    from npinit.editing.adopt_pixi import environments, solve_groups
    from npinit.editing.adopt_pixi_pypi import canonical
    from npinit.editing.adopt_read import pixi_manifest

    channels, found = environments(pixi_manifest(tomllib.loads(question.says.text)))
    default, pinning = found[0], found[0].features[-1]
    pinned = {p: default.for_platform(p) for p in default.on(platforms)}
    group: Specs = {}
    others: dict[str, Specs] = {}
    sharing: set[str] = set()
    for members in solve_groups(found):
        mates = [e for e in members if e is not default]
        together = {p: _group_specs(mates, p) for p in platforms if any(e.on([p]) for e in mates)}
        if default in members:
            group = together
            continue
        if not together:  # its features' platforms are none of the recorded ones
            continue
        others[_group_name(members)] = together
        if any(f is pinning for e in members for f in e.features):
            sharing.add(_group_name(members))
    entries = {p: default.pypi_entries(p, question.fit.path.name) for p in pinned}
    pypi = {p: e for p, e in entries.items() if e}
    if any(canonical(e.name) == "numpy" for e in (x for es in pypi.values() for x in es)):
        pypi = {}  # numpy from PyPI (F13): lock has no conda numpy to fix; left to lock
    return _Read(channels, pinned, group, others, frozenset(sharing), pypi)


def _group_specs(members: list[Any], platform: str) -> list[str]:
    """The specs of the ``members`` on ``platform`` (those that have it), each once."""
    specs = [s for e in members if e.on([platform]) for s in e.for_platform(platform)]
    return list(dict.fromkeys(_PIP_EXTRAS.sub("", s) for s in specs))


def _group_name(members: list[Any]) -> str:
    """``'py312'``, or ``solve-group 'main' ('test', 'old')``: as npinit lock names it."""
    which = ", ".join(repr(e.name) for e in members)
    return f"solve-group {members[0].solve_group!r} ({which})" if len(members) > 1 else which


def _with_python(specs: list[str], python: str, numpy_open: bool, pip: bool) -> list[str]:
    """The specs solved for ``python``; numpy added unless it comes from pip: (``pip``)."""
    specs = [_PIP_EXTRAS.sub("", s) for s in specs if not _PYTHON_SPEC.match(s)]
    if not pip and (numpy_open or not any(NUMPY_SPEC.match(s) for s in specs)):
        specs = [s for s in specs if not NUMPY_SPEC.match(s)] + ["numpy"]
    return [*specs, f"python {python}.*"]


STEPS = 12  # NumPy releases tried below the newest for one Python before it is held back


class CondaAttempt:
    """``attempt(python)``: the newest NumPy for which the file's specs resolve with Python
    ``python`` on every platform (in a pixi manifest, every solve-group with the default
    feature too), else the solver's InvalidInput for the newest. ``held[python]`` says what
    held that NumPy below the newest the default environment resolves with."""

    def __init__(
        self, question: PinQuestion, environ: Mapping[str, str], alias: str | None, work: Path
    ) -> None:
        from npinit.managers.conda_engine import channel_urls

        self.question, self.environ, self.alias, self.work = question, environ, alias, work
        self.read = _read(question)
        self.urls = channel_urls(self.read.channels, alias)
        home = Path(environ.get("HOME", "~"))
        self.cache = Path(environ.get("XDG_CACHE_HOME") or home / ".cache") / "npinit"
        self.held: dict[str, str] = {}
        self.blas: dict[str, dict[str, str]] = {}  # per Python: each platform's, as solved
        _solve_others(question, self.read.others, self.solved)
        self.pip = question.says.numpy_from == "pip"
        self.from_pip = _pip_section(question, environ, work) if self.pip else None
        self.both = not self.pip and any(e.where for e in question.says.numpy)  # and pip:'s

    def solved(self, specs: Specs) -> Any:
        from npinit.model import Platform
        from npinit.record.resolve_conda import solve

        try:
            return solve(
                {Platform(p): s for p, s in specs.items()},
                self.urls,
                cache=self.cache,
                environ=self.environ,
                alias=self.alias,  # a conda-forge:: prefix is read through it too
            )
        except Failure as error:
            raise Failure(error.message, f"{error.hint}; {OFFLINE_HINT}") from None

    def __call__(self, python: str) -> str:
        ranges = self.question.numpy_ranges
        numpy_open = not ranges.get(python)
        wanted = {
            p: [*_with_python(s, python, numpy_open, self.pip), *self.read.group.get(p, [])]
            for p, s in self.read.pinned.items()
        }
        if self.both and not numpy_open:  # the pip: section's numpy range holds the conda one
            wanted = {p: [*s, f"numpy {ranges[python]}"] for p, s in wanted.items()}
        if self.from_pip is not None:
            self.solved(wanted)  # the conda part resolves for it; a pip: numpy is pip's
            return self.from_pip(python)
        return self._stepping_down(python, wanted)

    def _stepping_down(self, python: str, wanted: Specs) -> str:
        """The newest NumPy every solve holds, stepping down from the newest the default
        environment resolves with; the first refusal when none of ``STEPS`` does."""
        from npinit.knowledge.releases import version_key

        below: list[str] = []
        first: tuple[str, InvalidInput] | None = None
        for _ in range(STEPS):
            try:
                found = self.solved({p: [*s, *below] for p, s in wanted.items()})
            except InvalidInput:
                if first is None:
                    raise
                break
            versions = {numpy_of(section.packages) for section, _ in found.values()}
            numpy = min(versions, key=version_key)
            try:
                exact = self._holds(wanted, numpy, len(versions) > 1)
                self._pypi_holds({p: rs for p, (_, rs) in (exact or found).items()}, numpy)
            except InvalidInput as error:
                first = first or (numpy, error)
                below = [f"numpy <{numpy}"]
                continue
            self.blas[python] = {p.value: s.blas.variant for p, (s, _) in found.items()}
            if first is not None:
                self.held[python] = f"NumPy {numpy}: the newest every solve holds ({first[1].hint})"
            return numpy
        assert first is not None
        raise InvalidInput(first[1].message, "") from None

    def _holds(self, wanted: Specs, numpy: str, differ: bool) -> Any:
        """InvalidInput unless every platform (when their newest NumPy ``differ``) and every
        solve-group with the default feature resolve with ``numpy``; its hint is the short
        reason. The solve with ``numpy`` on every platform, when they ``differ``."""
        exact, found = f"numpy =={numpy}", None
        if differ:
            try:
                found = self.solved({p: [*s, exact] for p, s in wanted.items()})
            except InvalidInput as error:
                said = f"numpy {numpy} does not resolve on every platform ({error.message})"
                raise InvalidInput(
                    f"Because {said}, we can conclude that this Python is held back", said
                ) from None
        for name in sorted(self.read.sharing):
            try:
                self.solved({p: [*v, exact] for p, v in self.read.others[name].items()})
            except InvalidInput as error:
                said = f"pixi environment {name} does not resolve with numpy {numpy}"
                raise InvalidInput(
                    f"Because {said}, we can conclude that this Python is held back "
                    f"({error.message})",
                    said,
                ) from None
        return found

    def _pypi_holds(self, records: dict[Any, list[Any]], numpy: str) -> None:
        """The default environment's PyPI dependencies resolve on every platform with the
        conda packages of this solve fixed, by the function ``npinit lock`` resolves them
        with (its refusal as it words it). One a PyPI package's numpy requirement refuses is
        said with the short reason as its hint: NumPy steps down; any other, Python does."""
        from npinit.api.pins_pypi import uv_for_solving
        from npinit.record.resolve_pixi_pypi import resolve
        from npinit.runner import run

        path = self.question.fit.path
        folder = path.parent if path.parent.name != "blas-edited" else self.question.root
        for platform, platform_records in sorted(records.items(), key=lambda r: r[0].value):
            entries = self.read.pypi.get(platform.value)
            if not entries:
                continue
            try:
                resolve(
                    entries,
                    platform_records,
                    platform,
                    folder=folder or path.parent,
                    uv=uv_for_solving(self.environ),
                    environ=self.environ,
                    workdir=self.work / "pixi-pypi" / platform.value,
                    run=run,
                )
            except InvalidInput as error:
                found = _DEPENDS.search(error.message)
                if found is None:
                    raise
                why = f"{found['who']} needs {found['what']}, not NumPy {numpy}"
                raise InvalidInput(error.message, why) from None


def conda_attempt(
    question: PinQuestion, environ: Mapping[str, str], alias: str | None, work: Path
) -> CondaAttempt:
    """``attempt(python)`` for a conda or pixi file: see :class:`CondaAttempt`."""
    return CondaAttempt(question, environ, alias, work)


def _pip_section(
    question: PinQuestion, environ: Mapping[str, str], work: Path, pin: str = ""
) -> Callable[[str], str]:
    """``attempt(python)`` of the ``pip:`` section (with the files it includes, copied as
    lock copies them: :func:`npinit.managers.conda.pip_file`), resolved by uv as the PyPI
    path resolves a requirements file: the NumPy the section resolves with."""
    from dataclasses import replace

    from npinit.api.pins_pypi import pypi_attempt
    from npinit.editing.adopt_find import Fit
    from npinit.managers.conda import pip_file, pip_lines

    path = question.fit.path
    copy = pip_file(question.root or path.parent, path, pip_lines(path), work)
    section = replace(question, fit=Fit(Manager.PIP, copy), origin=f"{question.name}'s pip:")
    return pypi_attempt(section, environ, work, pin)


_DEPENDS = re.compile(r"Because (?P<who>\S+) depends on (?P<what>numpy\S*?)[,.]?(?:\s|$)")


def pip_held_back(
    question: PinQuestion, environ: Mapping[str, str], work: Path, python: str, numpy: str
) -> str:
    """The line naming what held the ``pip:`` section's NumPy below the newest release its
    range allows for ``python`` (uv's reason that release does not resolve); "" if none."""
    newest = releases_for(python, question.numpy_ranges.get(python, ""))
    if question.says.numpy_from != "pip" or not newest or newest[-1].version == numpy:
        return ""
    try:
        _pip_section(question, environ, work, newest[-1].version)(python)
    except InvalidInput as error:
        found = _DEPENDS.search(error.message)
        said = " ".join(error.message.split())
        why = f"{found['who']} needs {found['what']}" if found else said[:200].rsplit(" ", 1)[0]
        return f"NumPy {numpy}: {why} (NumPy {newest[-1].version} does not resolve)"
    return ""


def _solve_others(
    question: PinQuestion, others: dict[str, Specs], solved: Callable[[Specs], Any]
) -> None:
    """Every other pixi environment resolves as written, or exit 2 naming it."""
    from npinit.errors import InvalidInput

    for name, specs in others.items():
        try:
            solved(specs)
        except InvalidInput as error:
            raise Unsolvable(
                f"{question.fit.path.name}: pixi environment {name} does not resolve: "
                f"{error.message}",
                f"change its requirements; {OFFLINE_HINT}",
            ) from None
