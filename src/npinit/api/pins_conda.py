"""Pins chosen by solving, for conda and pixi files: py-rattler solves the file's conda
specs on every recorded platform with ``python X.*`` (see :mod:`npinit.api.pins`). A pixi
manifest is solved environment by environment: the default one (whose numpy init pins) for
each Python tried, every other one once, as written."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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


def _read(question: PinQuestion) -> tuple[list[str], Specs, dict[str, Specs], set[str]]:
    """The channels, the specs init pins (per platform), the other pixi environments' and
    the names of those with the default feature (init's numpy pin)."""
    platforms = [p.value for p in question.platforms]
    if question.fit.manager is not Manager.PIXI:
        from npinit.managers.conda import read_specs

        channels, specs = read_specs(question.fit.path, question.fit.manager)
        return channels, {p: specs for p in platforms}, {}, set()
    import tomllib

    from npinit.editing.adopt_pixi import environments
    from npinit.editing.adopt_read import pixi_manifest

    channels, found = environments(pixi_manifest(tomllib.loads(question.says.text)))
    by_platform = [
        {p: e.for_platform(p) for p in platforms if e.platforms is None or p in e.platforms}
        for e in found
    ]
    return (
        channels,
        by_platform[0],
        {
            e.name: {p: [_PIP_EXTRAS.sub("", x) for x in v] for p, v in s.items()}
            for e, s in zip(found[1:], by_platform[1:], strict=True)
            if s  # its features' platforms are none of the recorded ones
        },
        {e.name for e in found[1:] if any(f is found[0].features[-1] for f in e.features)},
    )


def _with_python(specs: list[str], python: str, numpy_open: bool, pip: bool) -> list[str]:
    """The specs solved for ``python``; numpy added unless it comes from pip: (``pip``)."""
    specs = [_PIP_EXTRAS.sub("", s) for s in specs if not _PYTHON_SPEC.match(s)]
    if not pip and (numpy_open or not any(NUMPY_SPEC.match(s) for s in specs)):
        specs = [s for s in specs if not NUMPY_SPEC.match(s)] + ["numpy"]
    return [*specs, f"python {python}.*"]


def conda_attempt(
    question: PinQuestion, environ: Mapping[str, str], alias: str | None, work: Path
) -> Callable[[str], str]:
    """``attempt(python)``: the NumPy the file's specs resolve with for Python ``python`` on
    every platform (the oldest across platforms), else the solver's InvalidInput."""
    from npinit.knowledge.releases import version_key
    from npinit.managers.conda_engine import channel_urls
    from npinit.record.resolve_conda import solve

    channels, pinned, others, sharing = _read(question)
    urls = channel_urls(channels, alias)
    home = Path(environ.get("HOME", "~"))
    cache = Path(environ.get("XDG_CACHE_HOME") or home / ".cache") / "npinit"

    def solved(specs: dict[str, list[str]]) -> Any:
        from npinit.model import Platform

        try:
            return solve(
                {Platform(p): s for p, s in specs.items()},
                urls,
                cache=cache,
                environ=environ,
                alias=alias,  # a conda-forge:: prefix is read through it too
            )
        except Failure as error:
            raise Failure(error.message, f"{error.hint}; {OFFLINE_HINT}") from None

    _solve_others(question, others, solved)

    pip = question.says.numpy_from == "pip"
    from_pip = _pip_section(question, environ, work) if pip else None
    both = not pip and any(e.where for e in question.says.numpy)  # and the pip: section's

    def attempt(python: str) -> str:
        numpy_open = not question.numpy_ranges.get(python)
        wanted = {p: _with_python(s, python, numpy_open, pip) for p, s in pinned.items()}
        if both and not numpy_open:  # the pip: section's numpy range holds the conda one
            wanted = {p: [*s, f"numpy {question.numpy_ranges[python]}"] for p, s in wanted.items()}
        versions = {numpy_of(section.packages) for section, _ in solved(wanted).values()}
        # the conda part resolves for it; a pip: numpy is pip's
        numpy = from_pip(python) if from_pip is not None else min(versions, key=version_key)
        _with_numpy({n: s for n, s in others.items() if n in sharing}, solved, numpy)
        return numpy

    return attempt


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


def _with_numpy(others: dict[str, Specs], solved: Callable[[Specs], Any], numpy: str) -> None:
    """Every other pixi environment resolves with the NumPy chosen (the pin init writes in
    the default feature, which they have), else InvalidInput naming the one that holds
    that Python back."""
    for name, specs in others.items():
        try:
            solved({p: [*v, f"numpy =={numpy}"] for p, v in specs.items()})
        except InvalidInput as error:
            raise InvalidInput(
                f"Because pixi environment {name!r} does not resolve with numpy {numpy}, we "
                f"can conclude that this Python is held back ({error.message})",
                "",
            ) from None


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
                f"{question.fit.path.name}: pixi environment {name!r} does not resolve: "
                f"{error.message}",
                f"change its requirements; {OFFLINE_HINT}",
            ) from None
