"""Steering the resolutions that choose the pins (see :mod:`npinit.api.pins_pypi`): uv is
asked to prefer the versions of an earlier resolution of the same file for the same Python
(remembered in npinit's cache, ``solves/``), else of this run's last resolution (another
Python), as a re-lock prefers its lock's. The package index here has no PEP 658 metadata
and no cache validators, so uv downloads and builds again every sdist it backtracks
through, on every run; steered, it goes straight to a solution (pandas' 44-line
requirements-dev.txt: about 10 s instead of two minutes or more).

Preferences never pin, and numpy is never among them: its version is the answer. A steered
resolution is taken only when it gives what a fresh one would (the rule of
:func:`steered`); otherwise the resolution is done again without preferences."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from npinit.editing.adopt_pins import FromSource, PinQuestion, releases_for
from npinit.errors import Failure, InvalidInput

Preferred = dict[str, str]  # name -> version
Resolved = Callable[[str, Preferred], str]  # (python, preferences) -> numpy


class Steering:
    """Where the preferences come from: npinit's cache (one file per resolution), else
    the last resolution of this run (``last``)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        from npinit.machine import cache_dir

        self.environ, self.folder = environ, cache_dir(environ) / "solves"
        self.last: Preferred = {}
        self.fresh: Preferred = {}  # the last unsteered resolution of this run

    def preferred(self, key: str) -> Preferred:
        import tomllib

        try:
            text = (self.folder / f"{key}.toml").read_text("utf-8")
            found = {p["name"]: p["version"] for p in tomllib.loads(text).get("packages", [])}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
            return dict(self.last)
        return {n: str(v) for n, v in found.items() if n != "numpy"}

    def remember(self, key: str, sections: Mapping[Any, Any], fresh: bool) -> None:
        """A resolution's versions (one per package; numpy and those that differ between
        platforms left out) for ``key`` and for the rest of this run."""
        from npinit.tomlio import atomic_write

        versions: dict[str, set[str]] = {}
        for section in sections.values():
            for package in section.packages:
                versions.setdefault(package.name, set()).add(package.version)
        self.last = {n: v.pop() for n, v in sorted(versions.items()) if len(v) == 1}
        self.last.pop("numpy", None)
        self.fresh = dict(self.last) if fresh else self.fresh
        with contextlib.suppress(OSError, Failure):  # a read-only cache only costs time
            atomic_write(self.folder / f"{key}.toml", as_pylock(self.last))

    def freed(self, names: Mapping[str, str]) -> None:
        """The last resolution left ``names`` free: the versions uv chose for them are
        fresh ones."""
        self.fresh.update({n: self.last[n] for n in names if n in self.last})


def as_pylock(preferred: Preferred) -> str:
    """The preferences as a PEP 751 file (uv reads its existing output file as them)."""
    from npinit.tomlio import toml_value

    lines = ['lock-version = "1.0"', 'created-by = "npinit"']
    for name, version in sorted(preferred.items()):
        lines += ["", "[[packages]]", f"name = {toml_value(name)}"]
        lines.append(f"version = {toml_value(version)}")
    return "\n".join(lines) + "\n" if preferred else ""


# what is resolved for a file without numpy: the file first (2), once the file with numpy
# added (1, whose remembered versions were chosen around that numpy)
_WHAT_IS_RESOLVED = "2"


def key_of(path: Path, python: str, pin: str, adds_numpy: bool) -> str:
    """What a remembered resolution is for: the file's bytes, the Python, the numpy pin."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"\0{python}\0{pin}\0{adds_numpy}\0{_WHAT_IS_RESOLVED}".encode())
    return digest.hexdigest()


def steered(
    question: PinQuestion, python: str, prefer: Preferred, resolved: Resolved, steering: Steering
) -> str:
    """The outcome of resolving for ``python`` steered by ``prefer``, when it is one a fresh
    resolution gives: a NumPy that is the newest release of the file's range with wheels
    for that Python (no resolution can give a newer one), or packages built from source at
    versions a resolution of this run chose freely (``steering.fresh``), else still built
    when left free (their newest versions have no wheels for it). Anything else (a failure,
    its words, an older NumPy) is the fresh resolution's."""
    if not prefer:
        return resolved(python, {})
    try:
        try:
            numpy = resolved(python, prefer)
        except FromSource as built:
            names = dict(b.partition("==")[::2] for b in built.names)
            if all(steering.fresh.get(n) == v for n, v in names.items()):
                raise
            try:
                numpy = resolved(python, {n: v for n, v in prefer.items() if n not in names})
            except FromSource:
                steering.freed(names)
                raise
            steering.freed(names)
    except FromSource:
        raise
    except InvalidInput:
        return resolved(python, {})
    newest = releases_for(python, question.numpy_ranges.get(python, ""))
    if newest and numpy == newest[-1].version:
        return numpy
    return resolved(python, {})
