"""One installed or locked distribution, and the name rule every reader compares names by.

Below both the environment readers (``snapshot``, ``distinfo``) and the lock, so that each
can import it without importing the other."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import re
from typing import NamedTuple

from npinit.model import Source

_NORMALIZE = r"[-_.]+"  # compiled (re's cache) for a name with a run of separators only


def plain_release(version: str) -> bool:
    """A version plainly in ``lockfile.PLAIN_VERSION``'s form, told by str methods: ASCII
    digits between single dots, then ``.postN`` or not (tests/unit/test_plain_versions: the
    pattern takes each); anything else is for the pattern to say."""
    release, post, number = version.partition(".post")
    if post and (number == "" or number.strip("0123456789")):
        return False
    return "" not in release.split(".") and not release.strip("0123456789.")


def canonical(name: str) -> str:
    """PEP 503 normalized name (conda names are already lower-case with dashes)."""
    dashed = name.replace("_", "-").replace(".", "-")  # each separator alone: a dash
    if "--" not in dashed:
        return dashed.lower()
    return re.sub(_NORMALIZE, "-", name).lower()


class PackageFile(NamedTuple):
    """One file a locked PyPI package may install on its platform: where it is, its sha256,
    and for numpy's wheels the BLAS inside (``knowledge.platforms.numpy_wheel_blas``: on
    macOS the installer picks the Accelerate or the OpenBLAS wheel by the macOS version)."""

    url: str
    sha256: str
    blas: str = ""

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


class Package(NamedTuple):
    """One installed distribution; ``source`` is ``conda`` or ``pypi``."""

    name: str
    version: str
    source: Source
    build: str = ""
    build_number: int | None = None
    channel: str = ""
    subdir: str = ""
    url: str = ""
    md5: str = ""
    sha256: str = ""
    installer: str = ""
    tags: tuple[str, ...] = ()
    requested_url: str = ""
    origin: str = ""  # "editable" or "local" for a distribution no index has (no path kept)
    hashes: tuple[str, ...] = ()  # "sha256:..." of every file a locked platform may install
    files: tuple[PackageFile, ...] = ()  # those files (PyPI), each with its URL: the exports'
    depends: tuple[str, ...] = ()  # a conda record's depends (conda-lock.yml's dependencies)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.name)

    def every_file(self) -> tuple[PackageFile, ...]:
        """Every file of the package with its URL and sha256: ``files`` where the lock has
        them, else the one ``url`` (a conda archive, an environment recorded with --online)."""
        if self.files:
            return self.files
        return (PackageFile(self.url, self.sha256),) if self.url and self.sha256 else ()
