"""NumPy releases and the Pythons they support, from the embedded data file.

The data file ``numpy_releases.json`` is generated from PyPI's simple index
(``tools/update_numpy_releases.py``); ``npinit versions --online`` parses the same
index with :func:`parse_simple_index`, so both paths agree on what a release supports.
The same tool writes the file's rows as Python (:mod:`npinit.knowledge.release_table`),
which is what a command reads: no JSON parser to load, nothing to parse (a test fails when
the two differ).
"""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import os
import re
from functools import cache
from typing import Any, NamedTuple

from npinit.errors import InvalidInput
from npinit.model import Platform

FIRST_LINE = (1, 17)
# the oldest CPython npinit sets projects up for (uv and conda-forge still install it)
OLDEST_PYTHON = "3.8"
_PYTHON = r"^3\.\d{1,2}t?$"  # compiled when a version needs it (not a plain one)
_VERSION = r"\d+\.\d+(\.\d+)?"


def free_threaded(python: str) -> bool:
    """``3.14t``: a free-threaded CPython (PEP 703), its ABI tag ``cp314t``."""
    return python.endswith("t")


def minor(python: str) -> str:
    """``3.14`` for ``3.14`` and ``3.14t``."""
    return python.removesuffix("t")


class NumpyRelease(NamedTuple):
    """One NumPy patch release and the CPython versions PyPI has wheels for."""

    version: str
    date: str
    requires_python: str
    pythons: tuple[str, ...]
    free_threaded: tuple[str, ...]
    platforms: tuple[Platform, ...]
    accelerate_wheels: bool
    yanked: str = ""
    # the platforms each CPython (``3.X``, free-threaded ``3.Xt``) has a wheel for
    wheels: tuple[tuple[str, tuple[Platform, ...]], ...] = ()

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)

    @property
    def line(self) -> str:
        """The release line, e.g. ``2.4`` for 2.4.6."""
        return ".".join(self.version.split(".")[:2])

    def supports(self, python: str) -> bool:
        """True when CPython ``python`` (``3.X``, or ``3.Xt`` free-threaded) gets a wheel of
        this release."""
        if free_threaded(python):
            return minor(python) in self.free_threaded
        return python in self.pythons


def plain_python(python: str) -> bool:
    """``3.X``, ``3.XY`` (``t`` after either) in ASCII digits: plainly what :data:`_PYTHON`
    takes, told without compiling it (tests/unit/test_releases: the two agree)."""
    digits = python[2:].removesuffix("t")
    return python.isascii() and python[:2] == "3." and 0 < len(digits) < 3 and digits.isdigit()


def plain_version(version: str) -> bool:
    """``X.Y`` or ``X.Y.Z`` in ASCII digits: plainly what :data:`_VERSION` takes."""
    parts = version.split(".")
    return version.isascii() and len(parts) in (2, 3) and all(p.isdigit() for p in parts)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.removesuffix("t").split("."))


def _platform_of(wheel_platform: str) -> Platform | None:
    if "musllinux" in wheel_platform:
        return None
    if "manylinux" in wheel_platform:
        if wheel_platform.endswith("x86_64"):
            return Platform.LINUX_64
        if wheel_platform.endswith("aarch64"):
            return Platform.LINUX_AARCH64
        return None
    if wheel_platform.startswith("macosx"):
        return Platform.OSX_ARM64 if wheel_platform.endswith("arm64") else Platform.OSX_64
    if wheel_platform == "win_amd64":
        return Platform.WIN_64
    return None


def _wheel(filename: str) -> tuple[str, list[str], str] | None:
    """A CPython wheel's version, its Pythons (``3.X``, ``3.Xt``) and platform tag, read with
    ``packaging.utils.parse_wheel_filename`` (None: not a CPython wheel of a final release)."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    try:
        _, version, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return None
    if version.is_prerelease or version.is_devrelease or version.local:
        return None
    pythons, platform = set(), ""
    for tag in tags:
        if not re.fullmatch(r"cp3\d+", tag.interpreter) or not tag.abi.startswith("cp"):
            continue
        python = f"3.{tag.interpreter[3:]}"
        pythons.add(python + "t" if tag.abi.endswith("t") else python)
        platform = tag.platform
    if not pythons:
        return None
    return str(version), sorted(pythons), platform


def parse_simple_index(index: dict[str, Any]) -> list[NumpyRelease]:
    """Build the release list from the simple index's PEP 691 JSON page for numpy.

    Keeps final releases from 1.17.0 on; a release counts for a Python only if a CPython
    wheel exists for it (source builds are what beginners cannot do); requires-python is
    the index's ``data-requires-python``.
    """
    from npinit.knowledge.platforms import numpy_wheel_blas

    found: dict[str, dict[str, Any]] = {}
    for entry in index.get("files", []):
        parsed = _wheel(entry.get("filename", ""))
        if parsed is None:
            continue
        version, pythons, wheel_platform = parsed
        if version_key(version)[:2] < FIRST_LINE or len(version.split(".")) != 3:
            continue
        info = found.setdefault(
            version,
            {"date": "9999", "rp": "", "wheels": {}, "acc": False, "live": False, "reasons": set()},
        )
        # a release counts as yanked only when every one of its wheels is
        reason = entry.get("yanked")
        if reason:
            info["reasons"].add(reason if isinstance(reason, str) else "yanked")
        else:
            info["live"] = True
        info["date"] = min(info["date"], (entry.get("upload-time") or "9999")[:10])
        info["rp"] = entry.get("requires-python") or info["rp"]
        platform = _platform_of(wheel_platform)
        for python in pythons:
            platforms = info["wheels"].setdefault(python, set())
            if platform is not None:
                platforms.add(platform)
        if numpy_wheel_blas(wheel_platform) == "accelerate":
            info["acc"] = True
    return sorted((_release(v, info) for v, info in found.items()), key=lambda r: r.key)


def _release(version: str, info: dict[str, Any]) -> NumpyRelease:
    wheels = info["wheels"]
    return NumpyRelease(
        version=version,
        date=info["date"],
        requires_python=info["rp"],
        pythons=tuple(sorted((p for p in wheels if not free_threaded(p)), key=version_key)),
        free_threaded=tuple(
            sorted((minor(p) for p in wheels if free_threaded(p)), key=version_key)
        ),
        platforms=tuple(sorted({x for ps in wheels.values() for x in ps}, key=lambda p: p.value)),
        accelerate_wheels=info["acc"],
        yanked="" if info["live"] else "; ".join(sorted(info["reasons"])),
        wheels=tuple(
            (p, tuple(sorted(wheels[p], key=lambda x: x.value)))
            for p in sorted(wheels, key=lambda p: (version_key(p), p))
        ),
    )


def releases_to_data(releases: list[NumpyRelease]) -> list[dict[str, Any]]:
    """The JSON-ready form of the release list (the embedded data file's content)."""
    return [
        {
            "version": r.version,
            "date": r.date,
            "requires_python": r.requires_python,
            "pythons": list(r.pythons),
            "free_threaded": list(r.free_threaded),
            "platforms": [p.value for p in r.platforms],
            "accelerate_wheels": r.accelerate_wheels,
            **({"yanked": r.yanked} if r.yanked else {}),
            "wheels": {p: [x.value for x in ps] for p, ps in r.wheels},
        }
        for r in releases
    ]


def _from_data(rows: list[dict[str, Any]]) -> tuple[NumpyRelease, ...]:
    platform_of = {p.value: p for p in Platform}  # a lookup; Platform(x) costs the enum call

    def platforms(values: list[str]) -> tuple[Platform, ...]:
        try:
            return tuple(platform_of[x] for x in values)
        except KeyError:
            return tuple(Platform(x) for x in values)  # the enum's own error

    return tuple(
        NumpyRelease(
            version=row["version"],
            date=row["date"],
            requires_python=row["requires_python"],
            pythons=tuple(row["pythons"]),
            free_threaded=tuple(row["free_threaded"]),
            platforms=platforms(row["platforms"]),
            accelerate_wheels=bool(row["accelerate_wheels"]),
            yanked=row.get("yanked", ""),
            wheels=tuple((p, platforms(ps)) for p, ps in row.get("wheels", {}).items()),
        )
        for row in rows
    )


@cache
def all_releases() -> tuple[NumpyRelease, ...]:
    """Every NumPy release npinit knows, oldest first: the data file's, as
    :mod:`npinit.knowledge.release_table` holds them."""
    from npinit.knowledge.release_table import RELEASES

    return tuple(map(NumpyRelease._make, RELEASES))


def read_data_file() -> tuple[NumpyRelease, ...]:
    """The releases of the data file ``numpy_releases.json`` itself (what the release table
    is written from, and checked against)."""
    import json

    # the package's own loader reads it (a folder or a zip alike), without importlib.resources
    loader: Any = __spec__.loader
    data = loader.get_data(os.path.join(os.path.dirname(__file__), "numpy_releases.json"))
    return _from_data(json.loads(data.decode("utf-8"))["releases"])


def known_pythons(releases: tuple[NumpyRelease, ...] | None = None) -> tuple[str, ...]:
    """Every CPython version npinit supports that some NumPy release has wheels for, oldest
    first (from :data:`OLDEST_PYTHON` on)."""
    return _pythons_of(releases) if releases else _known_pythons()


@cache
def _known_pythons() -> tuple[str, ...]:
    return _pythons_of(all_releases())


def _pythons_of(releases: tuple[NumpyRelease, ...]) -> tuple[str, ...]:
    floor = version_key(OLDEST_PYTHON)
    found = {py for r in releases for py in r.pythons}  # each Python once, then its key
    return tuple(sorted((py for py in found if version_key(py) >= floor), key=version_key))


def check_python(python: str) -> str:
    """Validate a ``3.X`` Python version against the embedded table."""
    if not plain_python(python) and not re.match(_PYTHON, python):
        raise InvalidInput(
            f"'{python}' is not a Python version of the form 3.X",
            "give the minor version, for example --python 3.12 (3.14t: free-threaded)",
        )
    if free_threaded(python):
        threaded = sorted({p for r in all_releases() for p in r.free_threaded}, key=version_key)
        if minor(python) not in threaded:
            raise InvalidInput(
                f"no NumPy release has free-threaded wheels for Python {python}",
                f"choose one of {', '.join(p + 't' for p in threaded)}",
            )
        return python
    if python not in known_pythons():
        pythons = ", ".join(known_pythons())
        raise InvalidInput(
            f"no NumPy release has wheels for Python {python}",
            f"choose one of {pythons}",
        )
    return python


def releases_for_python(python: str) -> list[NumpyRelease]:
    """The releases with wheels for ``python``, oldest first (yanked ones left out)."""
    return [r for r in all_releases() if r.supports(python) and not r.yanked]


def resolve_numpy(request: str, python: str) -> NumpyRelease:
    """Turn ``latest``, ``X.Y`` or ``X.Y.Z`` into one release that supports ``python``.

    Raises InvalidInput naming the releases that do fit when the request does not.
    """
    request = request.strip()
    fitting = releases_for_python(python)
    if request == "latest":
        if not fitting:
            raise InvalidInput(f"no NumPy release supports Python {python}", "")
        return fitting[-1]
    if not plain_version(request) and not re.fullmatch(_VERSION, request):
        raise InvalidInput(
            f"'{request}' is not a NumPy version",
            "give latest, a release line like 2.4, or an exact release like 2.4.6",
        )
    if request.count(".") == 1:
        line = [r for r in all_releases() if r.line == request and not r.yanked]
        if not line:
            raise InvalidInput(
                f"NumPy {request} is not a release line npinit knows",
                f"known lines: {', '.join(_lines(all_releases()))}",
            )
        candidates = [r for r in line if r.supports(python)]
    else:
        exact = [r for r in all_releases() if r.version == request]
        if not exact:
            raise InvalidInput(
                f"NumPy {request} is not a release",
                f"releases of that line: {_line_versions(request)}",
            )
        if exact[0].yanked:
            newest = [r for r in fitting if r.line == exact[0].line]
            raise InvalidInput(
                f"NumPy {request} was yanked from PyPI ({exact[0].yanked})",
                f"use {newest[-1].version}" if newest else "choose another release",
            )
        candidates = [r for r in exact if r.supports(python)]
    if candidates:
        return candidates[-1]
    target = line[-1] if request.count(".") == 1 else exact[0]
    instead = (
        f"for Python {python} use NumPy {_span(fitting)}, or "
        if fitting
        else f"no NumPy release from 1.17 on supports Python {python}; "
    )
    raise InvalidInput(
        f"NumPy {request} has no wheels for Python {python} "
        f"(it supports Python {', '.join(target.pythons)})",
        f"{instead}choose Python {' or '.join(target.pythons)}",
    )


def default_python(release: NumpyRelease | None, preferred: str = "3.12") -> str:
    """The Python to use when none is given: ``preferred`` when the release supports it,
    else the newest supported Python not newer than ``preferred``, else the oldest."""
    if release is None or release.supports(preferred):
        return preferred
    older = [p for p in release.pythons if version_key(p) <= version_key(preferred)]
    return older[-1] if older else release.pythons[0]


def _lines(releases: tuple[NumpyRelease, ...]) -> list[str]:
    return list(dict.fromkeys(r.line for r in releases))


def _line_versions(request: str) -> str:
    line = ".".join(request.split(".")[:2])
    versions = [r.version for r in all_releases() if r.line == line]
    return (
        ", ".join(versions)
        if versions
        else "none (known lines: " + ", ".join(_lines(all_releases())) + ")"
    )


def _span(releases: list[NumpyRelease]) -> str:
    if not releases:
        return "none"
    lines = _lines(tuple(releases))
    span = lines[0] if len(lines) == 1 else f"{lines[0]} to {lines[-1]}"
    return f"{span} (newest {releases[-1].version})"
