"""One installed or locked distribution, and the name rule every reader compares names by.

Below both the environment readers (``snapshot``, ``distinfo``) and the lock, so that each
can import it without importing the other."""

from __future__ import annotations

import re
from dataclasses import dataclass

from npinit.model import Source

_NORMALIZE = re.compile(r"[-_.]+")


def canonical(name: str) -> str:
    """PEP 503 normalized name (conda names are already lower-case with dashes)."""
    return _NORMALIZE.sub("-", name).lower()


@dataclass(frozen=True)
class Package:
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

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.name)
