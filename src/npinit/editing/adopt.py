"""``npinit init``: bring an existing project under npinit. Find its environment file and
manager, read what the file says (Python, the numpy entry, BLAS selectors, channels,
platforms), decide NumPy, Python and the BLAS, and plan the few writes: the numpy (and,
when asked, BLAS) lines through ``npinit set``'s byte-preserving path, ``.npinit.toml`` and
the environment check. Nothing else is touched, nothing is overwritten."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from npinit.editing.adopt_find import Fit
from npinit.editing.adopt_pins import (
    PinQuestion,
    Pins,
    Solver,
    candidate_pythons,
    exact_release,
    numpy_decision,
    numpy_for,
    pin_kept,
    python_decision,
    releases_for,
    table_pins,
    url_refusal,
    wheel_pythons,
)
from npinit.editing.adopt_read import FileSays, blas_on, read_file
from npinit.editing.project import FileEdit
from npinit.errors import InvalidInput
from npinit.knowledge.blas import request_as_solved
from npinit.model import Manager, Platform


@dataclass(frozen=True)
class InitPlan:
    """What ``npinit init`` decided and will write."""

    root: Path
    manager: Manager
    source: Path
    python: str
    python_range: str
    numpy: str
    numpy_was: str
    blas: str
    channel: str | None
    platforms: tuple[Platform, ...]
    decisions: tuple[str, ...]
    edits: tuple[FileEdit, ...]
    new_files: dict[str, str] = field(default_factory=dict)
    numpy_from: str = ""  # "pip": a conda file's numpy is in its pip: section

    def to_json(self) -> dict[str, Any]:
        return {
            "project": str(self.root),
            "manager": self.manager.value,
            "file": self.source.relative_to(self.root).as_posix(),
            "python": self.python,
            "python_range": self.python_range,
            "numpy": self.numpy,
            "numpy_was": self.numpy_was,
            "blas": self.blas,
            "channel": self.channel,
            "platforms": [p.value for p in self.platforms],
            "decisions": list(self.decisions),
            "changed": [e.path.relative_to(self.root).as_posix() for e in self.edits if e.changed],
            "added": sorted(self.new_files),
        }


# -- the decision -----------------------------------------------------------------------------


def _platforms(
    says: FileSays, fit: Fit, platforms: list[str] | None, current: Platform | None, blas: str
) -> tuple[list[str], str]:
    """The recorded platforms and why: --platform, the file's list, a selector that exists
    only elsewhere, the file's name, else this machine."""
    from npinit.editing.adopt_read import named_platform
    from npinit.knowledge.blas import CONDA_FORGE, DEFAULTS
    from npinit.model_spec import Blas
    from npinit.spec import parse_platforms

    known = {p.value for p in Platform}
    if platforms:  # `all` and unknown names read by the one rule new uses
        return [p.value for p in parse_platforms(platforms, current)], "--platform"
    listed = [p for p in says.listed if p in known]
    if listed:
        return listed, "the file"
    here = current.value if current else "linux-64"
    table = DEFAULTS if says.channel == "defaults" else CONDA_FORGE
    conda = fit.manager in (Manager.CONDA, Manager.PIXI)
    if conda and blas in {b.value for b in Blas} and Blas(blas) in table:
        where = table[Blas(blas)][0]
        if Platform(here) not in where:
            usual = [p.value for p in (Platform.OSX_ARM64, Platform.LINUX_64, Platform.WIN_64)]
            chosen = [p for p in usual if Platform(p) in where][:1] or sorted(
                p.value for p in where
            )
            return chosen, f"the file's {blas} selector exists only there, not on {here}"
    named = named_platform(fit.path)
    if named is not None:
        return [named], f"the file's name {fit.path.name!r} names it"
    return [here], "this machine"


def _legacy_refusal(says: FileSays, source: str) -> None:
    """An exact pin older than the releases npinit can prove, or with no wheel for any
    Python npinit supports, is refused with the newest release that fits."""
    from npinit.knowledge import releases

    for entry in says.numpy:
        version = exact_release(entry.spec)
        if not version:
            continue
        known = [r for r in releases.all_releases() if r.version == version]
        supported = set(releases.known_pythons())
        if known and set(known[0].pythons) & supported:
            continue
        _refuse_unknown(entry.spelled.strip() or f"numpy=={version}", version, known, source)
        raise InvalidInput(
            f"{source}: {entry.spelled.strip() or 'numpy ' + version} "
            + (
                f"has no wheel for any Python npinit supports ({releases.known_pythons()[0]} on)"
                if known
                else f"has no wheel for any Python npinit supports ({_first_wheels()})"
            ),
            _nearest_hint(version, supported, entry.spelled.strip(), source),
        )


def _refuse_unknown(spelled: str, version: str, known: list[Any], source: str) -> None:
    """An exact pin of no NumPy release (none that old: the legacy refusal says so)."""
    from packaging.version import Version

    from npinit.knowledge import releases

    every = releases.all_releases()
    if known or Version(version) < Version(every[0].version):
        return
    newest = every[-1].version
    raise InvalidInput(
        f"{source}: {spelled} names no NumPy release (npinit knows {every[0].version} to "
        f"{newest}, from the index)",
        f"pin a release (numpy=={newest} is the newest), or a range",
    )


def _first_wheels() -> str:
    """The oldest supported Python and NumPy's first release with wheels for it: a pin older
    than the releases npinit knows (1.17.0 on) is older than that release too."""
    from npinit.knowledge import releases

    oldest = releases.known_pythons()[0]
    first = next(r for r in releases.all_releases() if oldest in r.pythons)
    return f"{oldest} on; NumPy's first release with wheels for Python {oldest} is {first.version}"


def _nearest_hint(version: str, supported: set[str], spelled: str, source: str) -> str:
    """The newest release of the pin's line that has wheels (else of the oldest line npinit
    proves: the nearest to the pin), with its Pythons, as the change to make: the file's
    exact pin is the file's to change (--numpy is held to the file's own range)."""
    from npinit.knowledge import releases

    fits = [r for r in releases.all_releases() if not r.yanked and set(r.pythons) & supported]
    line = ".".join(version.split(".")[:2])
    same_line = [r for r in fits if r.line == line]
    newest = (same_line or [r for r in fits if r.line == fits[0].line])[-1]
    pythons = ", ".join(p for p in newest.pythons if p in supported)
    return (
        f"the newest release that fits: NumPy {newest.version} (Python {pythons}); "
        f"pin it in {source} ({spelled or 'numpy'} -> numpy=={newest.version}), then run "
        "npinit init again"
    )


def decide(
    root: Path,
    *,
    file: Path | None = None,
    manager: str | None = None,
    python: str | None = None,
    numpy: str | None = None,
    blas: str | None = None,
    platforms: list[str] | None = None,
    current_platform: Platform | None = None,
    solver: Solver | None = None,
) -> InitPlan:
    """Read the project and decide; InvalidInput (exit 2) and nothing planned when the files
    do not parse or no NumPy fits them. ``solver`` chooses the pins by resolving the whole
    file (None: from the release table only)."""
    from npinit.editing.adopt_find import choose
    from npinit.editing.project import plan_set

    _check_root(root)
    fit = choose(root, file, manager)
    says = read_file(fit, current_platform, _as_lock_reads(root, fit))
    blas_request = blas or says.selector or "default"
    names, why = _platforms(says, fit, platforms, current_platform, blas_request)
    blas_request = blas or blas_on(blas_request, names)  # a pixi target's, where recorded
    question = _question(root, fit, says, python, numpy, names, blas_request)
    says = question.says  # a numpy wheel's URL narrows the file's Pythons
    pins = (solver or table_pins)(replace(question, blas_asked=blas or ""))
    pins = replace(pins, notes=(*question.notes, *pins.notes))
    solved_blas = "" if blas else _recorded_blas(blas_request, pins, says, fit, names)
    blas_request = solved_blas or blas_request
    where = f"platforms: {', '.join(names)} ({why})"
    asked = (python, blas, numpy)
    decisions = _decisions(question, pins, asked, solver is not None, root, where, solved_blas)
    edits, notes = _edits(
        says, pins, fit.path, blas, current_platform, partial(plan_set, root=root)
    )
    decisions += [n for n in notes if n not in decisions]  # what the edits say (--hash lines)
    range_kept = says.python_spelled if says.pythons and len(says.pythons) > 1 else ""
    return InitPlan(
        root=root,
        manager=fit.manager,
        source=fit.path,
        python=pins.python,
        python_range=range_kept,
        numpy=pins.numpy,
        numpy_was=numpy_for(says, pins.python)[0],
        blas=blas_request,
        channel=says.channel,
        platforms=question.platforms,
        decisions=tuple(decisions),
        edits=edits,
        numpy_from=says.numpy_from,
    )


_NOMKL = re.compile(r"(?m)^\s*(?:-\s*)?[\"']?(?:[\w./-]+::)?nomkl\b")


def _recorded_blas(request: str, pins: Pins, says: FileSays, fit: Fit, names: list[str]) -> str:
    """What each platform gets, when not ``request`` (else ""): as solved (``pins.blas``),
    else (table only) OpenBLAS where the file has nomkl, which keeps MKL out (DOMAIN.md)."""
    solved = dict(pins.blas)
    if not solved and fit.manager in (Manager.CONDA, Manager.PIXI) and _NOMKL.search(says.text):
        solved = dict.fromkeys(names, "openblas")
    if says.numpy_from == "pip":  # PyPI's wheels carry their own
        return ""
    return request_as_solved(request, solved, says.channel, fit.manager.per_platform_blas)


def _as_lock_reads(root: Path, fit: Fit) -> dict[str, str]:
    """What lock refuses, by lock's rule (exit 2); returns the files a requirements file
    includes, by their names in the project."""
    import os

    from npinit.reading import read_editable

    if fit.manager is Manager.PIXI:
        from npinit.managers.pixi import read_specs

        read_specs(fit.path)
        return {}
    if fit.manager is Manager.CONDA:  # its pip: section's includes, by lock's rule
        from npinit.managers.conda import check_pip_section

        return check_pip_section(fit.path, root)
    from npinit.editing.context import kind_of

    if fit.manager is not Manager.PIP or kind_of(fit.path) != "requirements":
        return {}
    from npinit.editing.requirements import check, lockable_includes

    texts = lockable_includes(fit.path, root, read_editable)
    named = {Path(os.path.relpath(p, root)).as_posix(): t for p, t in texts.items()}
    for name, text in named.items():  # a line pip refuses is refused here, named
        check(text.removeprefix("\ufeff"), name)
    own = Path(os.path.relpath(fit.path, root)).as_posix()
    return {name: text for name, text in named.items() if name != own}


def _check_root(root: Path) -> None:
    if not root.is_dir():
        raise InvalidInput(f"{root} is not a directory", "give the project's folder or a file")
    if (root / ".npinit.toml").exists():  # a dangling link is named by the jail
        raise InvalidInput(
            f"{root} is already an npinit project (it has .npinit.toml)",
            "change it with npinit set",
        )


def _question(
    root: Path,
    fit: Fit,
    says: FileSays,
    python: str | None,
    numpy: str | None,
    platforms: list[str],
    blas: str,
) -> PinQuestion:
    """What the pins are chosen among: the Pythons the file (or --python) admits, each with
    its numpy range (or --numpy's release)."""
    from npinit.editing.context import resolve_numpy

    relative = fit.path.relative_to(root).as_posix()
    wanted = resolve_numpy(numpy.strip(), None).version if numpy is not None else ""
    if numpy is None:
        _legacy_refusal(says, relative)
    else:
        url_refusal(says, wanted, relative)
    candidates = candidate_pythons(says, python, relative)
    pythons, narrowed = wheel_pythons(says, candidates, platforms, relative)
    notes = (narrowed,) if narrowed else ()
    if narrowed:  # a numpy wheel's URL: its Python is the file's (the range is not kept)
        says = replace(says, pythons=frozenset(pythons))
    ranges = {p: numpy_for(says, p)[0] for p in pythons}
    if numpy is not None:
        ranges = {p: f"=={wanted}" for p in pythons}
        pythons = [p for p in pythons if releases_for(p, ranges[p])] or pythons
    open_python = python is None and (says.pythons is None or len(says.pythons) > 1)
    chosen = tuple(Platform(p) for p in platforms)
    return PinQuestion(
        fit, says, tuple(pythons), ranges, chosen, blas, open_python, root=root, notes=notes
    )


def _decisions(
    question: PinQuestion,
    pins: Pins,
    asked: tuple[str | None, str | None, str | None],
    solved: bool,
    root: Path,
    platforms: str,
    solved_blas: str = "",
) -> list[str]:
    """The lines init prints: manager and file, NumPy, Python (``asked``: --python, --blas
    and --numpy), BLAS (``solved_blas``: what the solve selected, when not the request),
    the platforms, the notes, the lines left out."""
    fit, says = question.fit, question.says
    python, blas, numpy = asked
    decisions = [f"{fit.manager.value}, from {fit.path.relative_to(root).as_posix()}"]
    decisions += numpy_decision(says, pins, numpy is not None, solved)
    decisions += python_decision(says, pins, python, solved, question.pythons[0])
    why = "what the solve selects" if solved else "the file's nomkl keeps MKL out"
    blas_line = f"BLAS {solved_blas}: {why}" if solved_blas else ""
    decisions += [blas_line or _blas_line(blas, says, fit.manager), platforms]
    decisions += [n for n in (says.channel_note, *pins.notes) if n and n not in decisions]
    return decisions + _skipped(says, fit.path, root)


def _skipped(says: FileSays, source: Path, root: Path) -> list[str]:
    """The local things a requirements file or a conda pip: section installs, said once."""
    from npinit.editing.local_installs import local_folder_notes, local_notes

    if says.kind == "conda":
        from npinit.managers.conda import pip_lines, pip_texts

        pip = pip_lines(source)
        return local_notes(source, root, pip, pip_texts(source, root, pip)[1])
    return local_folder_notes(source, says.text) if says.kind == "requirements" else []


def _blas_line(blas: str | None, says: FileSays, manager: Manager) -> str:
    if says.numpy_from == "pip":  # a selector PyPI's wheels cannot give is refused
        return "BLAS: what PyPI's numpy wheels carry (numpy is in the pip: section)"
    if blas is not None:
        return f"BLAS {blas}: asked for; the selector lines are written"
    if says.selector is not None:
        return f"BLAS {says.selector}: the file's selector, kept"
    if manager in (Manager.CONDA, Manager.PIXI):
        return "BLAS: the file selects none, so the channel's default"
    return "BLAS: what PyPI's numpy wheels carry (no file line selects it)"


def _edits(
    says: FileSays,
    pins: Pins,
    source: Path,
    blas: str | None,
    current: Platform | None,
    plan_set: Callable[..., Any],
) -> tuple[tuple[FileEdit, ...], tuple[str, ...]]:
    """The edits of the numpy (and BLAS) lines, and what set's editors noted of them."""
    from npinit.knowledge import releases

    edit_numpy = None if pin_kept(says, pins) else pins.numpy
    # a free-threaded Python's line changes, unless uv's .python-version already names it
    spelled = says.python_file == pins.python
    edit_python = pins.python if releases.free_threaded(pins.python) and not spelled else None
    if edit_numpy is None and blas is None and edit_python is None:
        return (), ()
    # numpy entries with Python markers: only those that hold for the chosen Python move
    result = plan_set(
        source,
        numpy=edit_numpy,
        blas=blas,
        python=edit_python,
        current_platform=current,
        marked_for=pins.python,
    )
    return tuple(result.edits), tuple(result.warnings)
