"""What a re-lock keeps of the lock it replaces: every locked version the project's files
still allow is preferred (uv's existing-output semantics, py-rattler's ``locked_packages``),
except the packages named for an upgrade (all of them with ``upgrade_all``). The resolvers
take them as preferences, never as pins: a version the files no longer allow moves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from npinit.model import Source
from npinit.record.lockfile import Lock
from npinit.record.snapshot import Package, Snapshot, canonical

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass(frozen=True)
class Keep:
    """The previous lock's sections by platform (``load`` reads them when first needed),
    and what may move regardless."""

    load: Callable[[], Mapping[str, Snapshot]] = dict
    upgrade_all: bool = False
    upgrade: frozenset[str] = frozenset()

    @cached_property
    def previous(self) -> Mapping[str, Snapshot]:
        return self.load()

    def kept(self, platform: str, source: Source) -> list[Package]:
        """The locked packages of ``platform`` from ``source`` a re-lock prefers."""
        section = self.previous.get(platform)
        if self.upgrade_all or section is None:
            return []
        return [
            p
            for p in section.packages
            if p.source == source and not p.origin and canonical(p.name) not in self.upgrade
        ]

    def pylock_preferences(self, platforms: list[str]) -> str:
        """A PEP 751 file of the PyPI versions to keep on ``platforms`` (uv reads an existing
        output file as its preferences); empty when there is nothing to keep. A package
        locked at different versions on different platforms is left to the resolver."""
        from npinit.tomlio import toml_value

        versions: dict[str, set[str]] = {}
        for platform in platforms:
            for package in self.kept(platform, Source.PYPI):
                versions.setdefault(package.name, set()).add(package.version)
        lines = ['lock-version = "1.0"', 'created-by = "npinit"']
        for name, found in sorted(versions.items()):
            if len(found) == 1:
                lines += ["", "[[packages]]", f"name = {toml_value(name)}"]
                lines.append(f"version = {toml_value(found.pop())}")
        return "\n".join(lines) + "\n" if len(lines) > 2 else ""

    def unknown(self) -> list[str]:
        """The names given for an upgrade that no section of the previous lock holds."""
        locked = {canonical(p.name) for s in self.previous.values() for p in s.packages}
        return sorted(self.upgrade - locked) if self.previous else []


FRESH = Keep()  # keep nothing: resolve from scratch


def keep(
    previous: Future[tuple[bytes | None, Lock | None]], upgrade_all: bool, names: list[str]
) -> Keep:
    """A Keep of the lock ``previous`` reads (:func:`read_in_background`), with the names to
    upgrade normalized (PEP 503)."""

    def load() -> Mapping[str, Snapshot]:
        lock = previous.result()[1]
        return lock.sections if lock is not None else {}

    return Keep(load, upgrade_all, frozenset(canonical(n) for n in names))


def read_in_background(path: Path) -> Future[tuple[bytes | None, Lock | None]]:
    """:func:`read_previous` in a thread: parsing a big lock costs about what a conda solve
    does, and the solve reads its repodata (in py-rattler, without the GIL) meanwhile."""
    import threading
    from concurrent.futures import Future

    future: Future[tuple[bytes | None, Lock | None]] = Future()

    def read() -> None:
        try:
            future.set_result(read_previous(path))
        except BaseException as error:  # handed to whoever asks for the result
            future.set_exception(error)

    threading.Thread(target=read, name="npinit-read-lock", daemon=True).start()
    return future


def read_previous(path: Path) -> tuple[bytes | None, Lock | None]:
    """The lock a re-lock replaces: its bytes (to tell "no change") and the lock, or None
    where there is none or it cannot be read (a broken lock is replaced, not kept)."""
    from npinit.errors import InvalidInput
    from npinit.record.lockfile import loads_lock
    from npinit.tomlio import read_regular

    if not path.is_file():
        return None, None
    try:
        raw = read_regular(path, "the lock")
        text = raw.decode("utf-8")
        return raw, loads_lock(text, str(path))
    except (InvalidInput, OSError, UnicodeDecodeError):
        return None, None
