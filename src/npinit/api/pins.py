"""Pins chosen by solving (``npinit init``, ``new --with``, ``set``): the newest Python, and
for it the newest NumPy, for which the whole file resolves on every recorded platform, with
the resolvers ``npinit lock`` uses (uv for the PyPI managers, py-rattler against the
channels for conda and pixi). One line says which package held a choice back."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from npinit.api.pins_conda import CondaAttempt, conda_attempt, pip_held_back
from npinit.api.pins_pypi import pypi_attempt, pypi_held_back
from npinit.api.pins_steer import Steering
from npinit.editing.adopt_find import Fit
from npinit.editing.adopt_pins import (
    OFFLINE_HINT,
    FromSource,
    PinQuestion,
    Pins,
    Solver,
    Unsolvable,
    exact_release,
    releases_for,
)
from npinit.errors import InvalidInput
from npinit.model import Manager


def solver_for(environ: Mapping[str, str], channel_alias: str | None) -> Solver:
    """A solver for :func:`npinit.editing.adopt.decide`."""

    def solve(question: PinQuestion) -> Pins:
        # a file whose Python and NumPy are both fixed is still solved: the whole file must
        # resolve (with wheels) for them, as npinit lock will resolve it
        with tempfile.TemporaryDirectory(prefix="npinit-solve-") as work:
            edited = _blas_edited(question, Path(work))
            return _solve_in(edited, environ, channel_alias, Path(work))

    return solve


def _blas_edited(question: PinQuestion, work: Path) -> PinQuestion:
    """A conda or pixi file with ``--blas``: the file as init's BLAS edit leaves it (nomkl
    replaced by MKL's selector), which ``npinit lock`` will read, in ``work`` (includes are
    still read from the project); the pins of the unedited file were for another file."""
    from dataclasses import replace

    from npinit.editing.project import plan_set

    if not question.blas_asked or question.fit.manager not in (Manager.CONDA, Manager.PIXI):
        return question
    path = question.fit.path
    result = plan_set(path, blas=question.blas_asked, root=question.root)
    after = next((e.after for e in result.edits if e.path == path and e.changed), None)
    if after is None:
        return question
    copy = work / "blas-edited" / path.name
    copy.parent.mkdir()
    copy.write_text(after, "utf-8")
    return replace(
        question,
        fit=Fit(question.fit.manager, copy),
        says=replace(question.says, text=after),
        origin=question.name,
        root=question.root or path.parent,
    )


def _solve_in(
    question: PinQuestion, environ: Mapping[str, str], alias: str | None, work: Path
) -> Pins:
    """uv for the PyPI managers (a Poetry file converted to requirements), py-rattler for
    conda and pixi; uv and Poetry lock a whole Python range at once: its oldest Python
    decides NumPy, then the recorded Python is solved with that NumPy pinned."""
    from dataclasses import replace

    asked = question
    notes: tuple[str, ...] = ()
    if question.fit.manager is Manager.POETRY:
        converted, notes = _poetry_file(question, work)
        asked = replace(
            question, fit=Fit(Manager.PIP, converted), origin=question.name, every_platform=True
        )
    whole_range = question.fit.manager in (Manager.UV, Manager.POETRY) and bool(
        question.says.pythons
    )
    if question.fit.manager is Manager.UV:  # uv lock locks every platform
        asked = replace(asked, every_platform=True)
    if whole_range:
        asked = _floor(asked)
    steering = Steering(environ)
    attempt = (
        conda_attempt(asked, environ, alias, work)
        if asked.fit.manager in (Manager.CONDA, Manager.PIXI)
        else pypi_attempt(asked, environ, work, _exact(question), steering=steering)
    )
    pins = newest_that_resolves(asked, attempt)
    held = ""
    if isinstance(attempt, CondaAttempt):
        held = attempt.held.get(pins.python, "")
        pins = replace(pins, blas=tuple(attempt.blas.get(pins.python, {}).items()))
    held = held or pip_held_back(asked, environ, work, pins.python, pins.numpy)  # a pip: numpy
    if asked.fit.manager not in (Manager.CONDA, Manager.PIXI):
        held = pypi_held_back(asked, environ, work, pins, steering.last)
    if whole_range:  # the line naming what held NumPy back is the range's oldest Python's
        pins = _recorded_python(question, asked, pins, steering, work)
    return replace(pins, notes=(*pins.notes, *((held,) if held else ()), *notes))


def _exact(question: PinQuestion) -> str:
    """The one NumPy release every Python is held to (``--numpy``, or the file's ``==``
    pin): uv resolves with it as a constraint, so the file's own range cannot replace it."""
    ranges = set(question.numpy_ranges.values())
    return exact_release(ranges.pop()) if len(ranges) == 1 else ""


def _poetry_file(question: PinQuestion, work: Path) -> tuple[Path, tuple[str, ...]]:
    """Poetry's dependencies as a requirements file uv resolves (see adopt_poetry), and a
    note naming those that do not come from the index (left out of the solve)."""
    import tomllib

    from npinit.editing.adopt_poetry import poetry_requirements

    lines, skipped = poetry_requirements(tomllib.loads(question.says.text))
    target = work / "poetry-requirements.txt"
    target.write_text("\n".join(lines) + "\n", "utf-8")
    left_out = ", ".join(skipped)
    return target, ((f"{left_out}: not from the index, left out of the solve",) if skipped else ())


def _recorded_python(
    question: PinQuestion, asked: PinQuestion, pins: Pins, steering: Steering, work: Path
) -> Pins:
    """The newest Python of the range with wheels of the NumPy the range's oldest Python
    resolved with, for which the whole file resolves with that NumPy pinned: the one
    environments are made with."""
    from dataclasses import replace

    from npinit.editing.adopt_pins import range_floor

    newer = tuple(
        p
        for p in question.pythons
        if any(r.version == pins.numpy for r in releases_for(p, ""))
        and range_floor(question.says, p) == asked.pythons[0]
    )
    pinned = replace(asked, pythons=newer, numpy_ranges={p: f"=={pins.numpy}" for p in newer})
    attempt = pypi_attempt(pinned, steering.environ, work, pins.numpy, steering)
    chosen = newest_that_resolves(pinned, attempt)
    note = (
        f"{question.fit.manager.value} locks every Python of {question.says.python_spelled!r} "
        f"at once: NumPy {pins.numpy} is what the whole file resolves with for Python "
        f"{asked.pythons[0]}"
    )
    return replace(chosen, notes=(*chosen.notes, note), numpy_for=asked.pythons[0])


def _floor(question: PinQuestion) -> PinQuestion:
    """uv locks a project's whole Python range at once: the resolution that counts is the
    one for the range's oldest Python (the newest Python with wheels of the NumPy it gives
    is recorded)."""
    from dataclasses import replace

    from npinit.editing.adopt_pins import numpy_for, range_floor

    floor = range_floor(question.says, question.pythons[0])  # the newest Python's part
    ranges = {**question.numpy_ranges, floor: numpy_for(question.says, floor)[0]}
    return replace(question, pythons=(floor,), numpy_ranges=ranges)


def newest_that_resolves(question: PinQuestion, attempt: Any) -> Pins:
    """Try the Pythons newest first; ``attempt(python)`` is the NumPy the whole file resolves
    with, or raises InvalidInput with the resolver's reason (one line). A resolution that
    builds packages from source counts only when those packages are built from source for
    every Python tried (they have no wheels at all)."""
    failed: dict[str, str] = {}
    resolved: list[tuple[str, str, frozenset[str]]] = []
    for python in question.pythons:
        try:
            resolved.append((python, attempt(python), frozenset()))
            break
        except Unsolvable:
            raise
        except FromSource as built:
            failed[python] = built.message
            if not built.wheeled:  # built for every Python, maybe: it never has wheels
                resolved.append((python, built.numpy, built.names))
        except InvalidInput as error:
            if error.message.startswith("a conda spec is invalid"):
                raise Unsolvable(f"{question.name}: {error.message}", error.hint) from None
            failed[python] = error.message
    if not resolved:
        _nothing_resolves(question, list(failed.items()))
    always = frozenset.intersection(*(names for _, _, names in resolved))
    python, numpy, _ = next((r for r in resolved if r[2] <= always), resolved[-1])
    newer = (
        question.pythons[question.pythons.index(python) - 1]
        if python != question.pythons[0]
        else ""
    )
    culprits = {p: names - always for p, _, names in resolved if names - always}
    if newer in culprits:  # the package held back: one built there, not everywhere
        failed[newer] = f"Because {sorted(culprits[newer])[0]} has no wheels for that Python"
    notes = (f"Python {python}: {held_back(failed[newer], newer)}",) if newer else ()
    return Pins(python, numpy, notes)


def _nothing_resolves(question: PinQuestion, failed: list[tuple[str, str]]) -> None:
    tried = ", ".join(p for p, _ in failed)
    what = (
        f"does not resolve with Python {tried}"
        if len(failed) == 1
        else f"resolves for no Python it allows ({tried})"
    )
    # one reason for every Python (scipy<1.0: no wheels for any of them) is said once
    every = len(failed) > 1 and all(reason == failed[0][1] for _, reason in failed)
    python = f"{failed[-1][0]} to {failed[0][0]}" if every else failed[0][0]
    raise InvalidInput(
        f"{question.name} {what}: {held_back(failed[0][1], python, False)}",
        f"change the conflicting requirements; {OFFLINE_HINT}",
    )


_NO_WHEELS = re.compile(
    r"Because (?:only )?(?P<what>[A-Za-z0-9][\w.\-\[\],]*(?:[<>=!~][^ ]*)?) has no "
    r"(?:wheels with a matching Python|compatible wheels|wheels)"
)


def held_back(reason: str, python: str, said: bool = True) -> str:
    """The resolver's reason as the line that names the package: ``tensorflow>=2.14.0,
    <=2.14.1 has no wheels for Python 3.12`` (else its own words, ``said`` with the Python
    it was for)."""
    match = _NO_WHEELS.search(reason)
    if match:
        return f"{match['what']} has no wheels for Python {python}"
    if re.match(r"Because \S+ needs numpy\S*, and no NumPy", reason):  # pins_pypi's words
        return reason.removeprefix("Because ")
    because = re.search(r"Because (.{0,200}?)(?:,? we can conclude|$)", reason)
    text = (because.group(1) if because else reason).strip()
    if len(text) > 300:  # cut between words, said to be cut
        text = text[:300].rsplit(" ", 1)[0] + " ..."
    return f"Python {python} does not resolve: {text}" if said else text


def solve_for_project(
    manifest: Path,
    manager: Manager,
    *,
    pythons: list[str],
    numpy: str,
    platforms: list[Any],
    with_packages: list[str],
    environ: Mapping[str, str],
    channel_alias: str | None,
) -> Pins:
    """The pins ``new --with`` and ``set --python`` choose: among ``pythons`` (newest first),
    the newest for which the project's file resolves with NumPy open (``numpy``: latest, a
    line X.Y or a release X.Y.Z), and the newest NumPy for it. A PyPI project is resolved as
    its requirements: the pip file, else the ``with`` packages, with numpy left to them
    (see :func:`_open_requirements`)."""
    from dataclasses import replace

    from npinit.editing.adopt_pins import PinQuestion
    from npinit.editing.adopt_read import read_file

    spec = "" if numpy == "latest" else f"=={numpy}.*" if numpy.count(".") == 1 else f"=={numpy}"
    with tempfile.TemporaryDirectory(prefix="npinit-pins-") as work:
        fit = Fit(manager, manifest)
        if manager not in (Manager.CONDA, Manager.PIXI):
            opened = _open_requirements(manifest, manager, with_packages, Path(work), spec)
            fit = Fit(Manager.PIP, opened)
        says = read_file(fit, None)
        fitting = [p for p in pythons if releases_for(p, spec)]
        if not fitting:
            raise InvalidInput(f"no NumPy release {numpy} has wheels for Python {pythons[0]}", "")
        question = PinQuestion(
            fit, says, tuple(fitting), {p: spec for p in fitting}, tuple(platforms), "", True
        )
        every = manager in (Manager.UV, Manager.POETRY)  # their lockers lock every platform
        question = replace(question, every_platform=every)
        with tempfile.TemporaryDirectory(prefix="npinit-solve-") as solving:
            if manager in (Manager.CONDA, Manager.PIXI):
                attempt = conda_attempt(question, environ, channel_alias, Path(solving))
                return newest_that_resolves(question, attempt)
            steering = Steering(environ)
            pins = newest_that_resolves(
                question, pypi_attempt(question, environ, Path(solving), steering=steering)
            )
            held = pypi_held_back(question, environ, Path(solving), pins, steering.last)
            return replace(pins, notes=(*pins.notes, held)) if held else pins


def _open_requirements(
    manifest: Path, manager: Manager, with_packages: list[str], work: Path, spec: str = ""
) -> Path:
    """What is resolved: the pip file, else the ``with`` packages, with numpy left to them
    (``spec``: the NumPy asked for; none: numpy is added only when nothing needs it, as init
    resolves a file: a numpy line makes uv take the newest NumPy and backtrack the packages
    that cap it, tensorflow 2.14.1 to 2.14.0)."""
    from npinit.editing.requirements import numpy_lines
    from npinit.reading import read_regular

    target = work / "requirements.txt"
    asked = [f"numpy{spec}"] if spec else []
    if manager is Manager.PIP and manifest.is_file():
        text = read_regular(manifest, manifest.name).decode("utf-8")
        lines = text.splitlines()
        for index in numpy_lines(text):
            lines[index] = ""
        target.write_text("\n".join([*asked, *lines]) + "\n", "utf-8")
    else:
        target.write_text("\n".join([*asked, *with_packages]) + "\n", "utf-8")
    return target


def pythons_to_try() -> list[str]:
    """Every Python some NumPy release has wheels for, newest first (what ``new --with``
    tries; those the asked NumPy has no wheels for are left out when solving)."""
    from npinit.knowledge.releases import known_pythons, version_key

    return sorted(known_pythons(), key=version_key, reverse=True)


def solve_set_python(
    project: Path,
    python: str,
    *,
    environ: Mapping[str, str],
    channel_alias: str | None,
    current_platform: Any,
) -> Pins | None:
    """``npinit set --python X`` in a project: the newest NumPy for which the project's
    file resolves with Python X on every platform of the project; InvalidInput naming what
    holds X back. None when ``project`` is not an npinit project (a lone file: no solving)."""
    from npinit.knowledge.releases import check_python
    from npinit.managers import source_file
    from npinit.spec import read_project_spec

    if not (project / ".npinit.toml").is_file():
        return None
    spec = read_project_spec(project, current_platform)
    return solve_for_project(
        source_file(project, spec),
        spec.manager,
        pythons=[check_python(python.strip())],
        numpy="latest",
        platforms=list(spec.platforms),
        with_packages=list(spec.with_packages),
        environ=environ,
        channel_alias=channel_alias,
    )
