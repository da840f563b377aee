"""Pins chosen by solving, for the PyPI managers: uv resolves the file (a requirements
file, a pyproject.toml, or a Poetry file's dependencies converted) for one Python, every
platform at once, as ``npinit lock`` does (see :mod:`npinit.api.pins`), steered by the
versions of an earlier resolution (:mod:`npinit.api.pins_steer`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from npinit.api.pins_steer import Preferred, Steering, as_pylock, key_of, steered
from npinit.editing.adopt_pins import (
    OFFLINE_HINT,
    FromSource,
    PinQuestion,
    Unsolvable,
    numpy_of,
    pin_marker,
    pinned_entries,
    releases_for,
)
from npinit.editing.requirement_pins import meets
from npinit.errors import Failure, InvalidInput
from npinit.record.relock import Keep


def uv_for_solving(environ: Mapping[str, str]) -> str:
    import shutil

    from npinit.managers.common import locate_uv
    from npinit.runner import run

    def which(name: str) -> str | None:
        return shutil.which(name, path=environ.get("PATH"))

    def version(uv: str) -> str:
        return run([uv, "--version"], env=environ, what="uv", check=False).stdout

    # windows=True: uv.find_uv_bin()'s own lookup, right on every OS (the bin/uv shortcut
    # is for create's start; a solve takes seconds, and the API reads nothing of the machine)
    uv = locate_uv(environ, True, which, version)
    if uv is None:
        from npinit.errors import ToolMissing

        raise ToolMissing("choosing pins by solving needs uv", f"pip install uv; {OFFLINE_HINT}")
    return uv


def _pinned(
    environ: Mapping[str, str], work: Path, pin: str, question: PinQuestion
) -> Mapping[str, str]:
    """uv's constraints: every numpy entry of the file (an extra's or a group's too: uv lock
    resolves them with the rest, and init keeps their ranges) and ``pin`` for the Pythons
    tried, where the entries it is written to apply (a numpy split by Python keeps its other
    entries' ranges); the entries the pin replaces are left out (those it is written to,
    and those whose range it does not meet: init's editors pin them too)."""
    python = question.pythons[0] if question.pythons else ""
    replaced = pinned_entries(question.says, python) if pin and python else []
    lines = [
        f"numpy{e.spec}" + (f" ; {e.marker}" if e.marker else "")
        for e in question.says.numpy
        if e.spec and not e.url and e not in replaced and (not pin or meets(e.spec, pin))
    ]
    if pin:
        marker = pin_marker(question.says, python) if python else ""
        lines.append(f"numpy=={pin}" + (f" ; {marker}" if marker else ""))
    if not lines:
        return environ
    constraint = work / "numpy-pin.txt"
    constraint.write_text("\n".join(lines) + "\n", "utf-8")
    already = environ.get("UV_CONSTRAINT", "")
    return {**environ, "UV_CONSTRAINT": f"{already} {constraint}".strip()}


def _for_python(
    environ: Mapping[str, str], question: PinQuestion, python: str, work: Path
) -> Mapping[str, str]:
    """The constraints for Python ``python``: of a requirements file's numpy lines, those
    whose markers hold on none of the platforms for it are left out, as the resolution
    leaves them out of the file (:mod:`npinit.record.platform_lines`, for ``npinit lock``
    too). Kept, ``numpy>=2.1; python_version >= "3.12"`` bound uv's universal resolution
    for 3.11 (every Python from 3.11 on) where the file's copy had no such line: one scipy
    for numpy<2 and numpy>=2.1, 0.17.0, without wheels."""
    from npinit.knowledge.platforms import marker_environment
    from npinit.record.platform_lines import elsewhere_only

    pinned = work / "numpy-pin.txt"
    if question.every_platform or question.fit.path.suffix == ".toml" or not pinned.is_file():
        return environ
    text = pinned.read_text("utf-8")
    environments = [marker_environment(p, python) for p in question.platforms]
    dropped = set(elsewhere_only(text, environments))
    if not dropped:
        return environ
    own = work / f"numpy-pin-{python}.txt"
    kept = [line for i, line in enumerate(text.splitlines()) if i not in dropped]
    own.write_text("".join(f"{line}\n" for line in kept), "utf-8")
    constraints = environ.get("UV_CONSTRAINT", "").replace(str(pinned), str(own))
    return {**environ, "UV_CONSTRAINT": constraints}


def pypi_attempt(
    question: PinQuestion,
    environ: Mapping[str, str],
    work: Path,
    pin: str = "",
    steering: Steering | None = None,
) -> Callable[[str], str]:
    """``attempt(python)``: the NumPy the whole file resolves with for Python ``python``
    (uv's universal resolution, in the file's own folder, steered), else InvalidInput with
    uv's words; a numpy without wheels for that Python does not count, and packages built
    from their sdists are :class:`FromSource`."""
    uv, environ = uv_for_solving(environ), _pinned(environ, work, pin, question)
    steering = steering or Steering(environ)
    resolved = _resolver(question, uv, environ, work, steering)

    def attempt(python: str) -> str:
        key = key_of(question.fit.path, python, pin, not question.says.numpy)
        prefer = steering.preferred(key)
        return steered(question, python, prefer, partial(resolved, key=key), steering)

    return attempt


def _resolver(
    question: PinQuestion, uv: str, environ: Mapping[str, str], work: Path, steering: Steering
) -> Callable[..., str]:
    """``resolved(python, prefer, key=...)``: one uv resolution, its versions remembered
    under ``key``."""
    from npinit.record.resolve_pypi import resolve
    from npinit.runner import run

    said: list[str] = []

    def capture(cmd: Any, **kwargs: Any) -> Any:
        result = run(cmd, **kwargs)
        said.append(result.stderr or result.stdout or "")
        return result

    def resolved(python: str, prefer: Preferred, key: str) -> str:
        said.clear()
        try:
            for source in _sources(question, work):  # numpy added only when nothing needs it
                sections = resolve(
                    source,
                    python,
                    list(question.platforms),
                    uv=uv,
                    environ=_for_python(environ, question, python, work),
                    workdir=work,
                    run=capture,
                    keep=Keep(preferences=as_pylock(prefer)),
                    every_platform=question.every_platform,
                )
                if numpy_of(next(iter(sections.values())).packages):
                    break
        except InvalidInput as error:
            text = (said[-1] if said else "").strip() or error.message  # uv may say nothing
            raise InvalidInput(" ".join(text.split()), "") from None
        except Failure as error:
            _missing_part(question, error)
            raise Failure(error.message, f"{error.hint}; {OFFLINE_HINT}") from None
        steering.remember(key, sections, fresh=not prefer)
        _one_numpy(question, {p.value: numpy_of(s.packages) for p, s in sections.items()})
        solved = [s.packages for s in sections.values()]
        versions = dict(steering.last)
        holder = partial(numpy_holder, question, steering.environ, work, python, versions)
        return _numpy_with_wheels(
            question, python, solved, partial(_wheeled, question, environ=environ), holder
        )

    return resolved


_DEPENDS = re.compile(
    r"(?P<who>[A-Za-z0-9][\w.\-]*(?:\[[^\]]*\])?==[^\s,]+) depends on "
    r"(?P<what>numpy(?:[<>=!~]+[^\s,]+)?(?:,[<>=!~]+[^\s,]+)*)"
)


def numpy_holder(
    question: PinQuestion,
    environ: Mapping[str, str],
    work: Path,
    python: str,
    versions: Mapping[str, str],
    wanted: str,
) -> str:
    """The package that keeps NumPy out of ``wanted`` (a PEP 440 range) for ``python``:
    ``numba==0.60.0 needs numpy>=1.22,<2.1``, uv's words when the file is resolved with
    numpy held to ``wanted`` and every other package at the version it resolved to
    (``versions``: else uv backtracks the holder to a release that allows it); "" if none."""
    from npinit.record.resolve_pypi import resolve

    held = work / "npinit-numpy-held.txt"
    lines = [f"numpy{wanted}", *(f"{n}=={v}" for n, v in sorted(versions.items()))]
    held.write_text("\n".join(lines) + "\n", "utf-8")
    env = {**environ, "UV_CONSTRAINT": f"{environ.get('UV_CONSTRAINT', '')} {held}".strip()}
    try:
        resolve(
            question.fit.path,
            python,
            list(question.platforms),
            uv=uv_for_solving(environ),
            environ=env,
            workdir=work,
            every_platform=question.every_platform,
        )
    except (InvalidInput, Failure) as error:
        found = _DEPENDS.search(error.message)
        return f"{found['who']} needs {found['what']}" if found else ""
    return ""


def pypi_held_back(
    question: PinQuestion, environ: Mapping[str, str], work: Path, pins: Any, versions: Any
) -> str:
    """The line naming what held NumPy below the newest release of the file's range with
    wheels for the Python chosen ("" when it is the newest, or uv names nothing)."""
    newest = releases_for(pins.python, question.numpy_ranges.get(pins.python, ""))
    if not newest or newest[-1].version == pins.numpy or not versions:
        return ""
    top = newest[-1].version
    holder = numpy_holder(question, environ, work, pins.python, versions, f"=={top}")
    return f"NumPy {pins.numpy}: {holder} (NumPy {top} does not resolve)" if holder else ""


def _one_numpy(question: PinQuestion, numpys: Mapping[str, str]) -> None:
    """npinit records one NumPy for every platform: a file whose numpy lines differ by
    platform (``numpy==1.26.4; sys_platform == "win32"``) for the platforms recorded is
    refused, exit 2, naming what each gets."""
    if len(set(numpys.values())) > 1:
        each = ", ".join(f"{v or 'no numpy'} on {p}" for p, v in numpys.items())
        raise Unsolvable(
            f"{question.name}: its numpy differs by platform ({each}); npinit records one "
            "NumPy for every platform",
            "record the platforms one NumPy serves (--platform), or make the numpy lines agree",
        )


def _sources(question: PinQuestion, work: Path) -> list[Path]:
    """What is resolved: the file; when it has no numpy entry (init adds one) and nothing in
    it needs numpy, then the file with numpy. A numpy line added before the resolution would
    change it: uv, given numpy as a direct requirement, takes the newest and backtracks the
    packages that cap it (tensorflow>=2.14,<2.15 became 2.14.0, which allows NumPy 2, instead
    of 2.14.1, which needs numpy<2)."""
    if question.says.numpy:
        return [question.fit.path]
    source = work / "npinit-with-numpy.txt"
    source.write_text(f"-r {question.fit.path}\nnumpy\n", "utf-8")
    return [question.fit.path, source]


def _numpy_with_wheels(
    question: PinQuestion,
    python: str,
    solved: list[Any],
    wheeled: Callable[..., set[str]],
    holder: Callable[[str], str],
) -> str:
    """The NumPy resolved, when it has wheels for ``python`` (else the package that held it
    to releases without them is named) and nothing is built from source."""
    numpy = numpy_of(solved[0])
    if not numpy:
        _no_numpy(question)
    wheels = releases_for(python, "")
    if numpy not in {r.version for r in wheels}:
        allowed = question.numpy_ranges[python] or "any"
        who = holder(f">={wheels[0].version}") if wheels else ""
        raise InvalidInput(
            f"Because {who}, and no NumPy it allows has wheels for Python {python}"
            if who
            else f"Because numpy {numpy} (the newest the file's numpy {allowed} resolves to) "
            f"has no wheels with a matching Python version tag",
            "",
        )
    built = frozenset(
        f"{p.name}=={p.version}"
        for packages in solved
        for p in packages
        if p.url and not p.url.endswith(".whl")
    )  # as record.source_builds.built_from_source counts them
    if built:
        raise FromSource(numpy, built, frozenset(wheeled(built)))
    return numpy


def _wheeled(question: PinQuestion, built: frozenset[str], environ: Mapping[str, str]) -> set[str]:
    """Which of the releases built from source have wheels for one of the platforms, for
    some Python: built for this one, such a release has no wheels for it, as ``npinit
    lock``'s section has none (:mod:`npinit.record.source_builds`, the one rule)."""
    from npinit.record.source_builds import wheeled_elsewhere

    return wheeled_elsewhere(built, question.platforms, environ)


def _no_numpy(question: PinQuestion) -> None:
    """The file resolves without numpy on the recorded platforms: its numpy lines' markers
    hold elsewhere only (``numpy>=1.26; sys_platform == "win32"`` for linux-64); exit 2, said
    so (npinit records a NumPy every platform has)."""
    lines = "; ".join(e.spelled.strip() for e in question.says.numpy) or "none"
    platforms = ", ".join(p.value for p in question.platforms)
    raise Unsolvable(
        f"{question.name} installs no numpy on {platforms}: its numpy lines ({lines}) hold "
        "on none of them",
        "record the platform they are for (--platform), or add a numpy line for these",
    )


_MISSING = ("does not appear to be a Python project", "failed to read from file")


def _missing_part(question: PinQuestion, error: Failure) -> None:
    """The file refers to a part of the project that is not there (a ``-e`` of a missing
    folder): exit 2, named, rather than a failed lock."""
    if any(words in error.message for words in _MISSING):
        reason = error.message.removeprefix("locking failed: ")
        raise Unsolvable(
            f"{question.name} refers to what the project does not have: {reason}",
            "add it, or decide from the release table alone with --no-solve",
        ) from None
