"""What a re-lock keeps of the lock it replaces: every locked version the project's files
still allow is preferred (uv's existing-output semantics, py-rattler's ``locked_packages``),
except the packages named for an upgrade (all of them with ``upgrade_all``). The resolvers
take them as preferences, never as pins: a version the files no longer allow moves."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from npinit.model import Source
from npinit.record.lockfile import Lock
from npinit.record.previous import read_previous
from npinit.record.snapshot import Package, Snapshot, canonical

if TYPE_CHECKING:
    from concurrent.futures import Future


class Keep(NamedTuple):
    """The previous lock's sections by platform (``load`` reads them when first needed, and
    gives the same sections every time after: it is called each time they are; ``read_ahead``
    starts reading them in a thread, where the resolver's own work holds no GIL next), and
    what may move regardless."""

    load: Callable[[], Mapping[str, Snapshot]] = dict
    upgrade_all: bool = False
    upgrade: frozenset[str] = frozenset()
    read_ahead: Callable[[], None] = lambda: None  # start reading it in a thread
    reordered: Callable[[], bool] = lambda: False  # the channels' priority is another now
    preferences: str | None = None  # a PEP 751 text to prefer instead (init's steered attempts)

    @property
    def previous(self) -> Mapping[str, Snapshot]:
        return self.load()

    def kept(self, platform: str, source: Source) -> list[Package]:
        """The locked packages of ``platform`` from ``source`` a re-lock prefers."""
        section = self.previous.get(platform)
        if self.upgrade_all or section is None or (source == Source.CONDA and self.reordered()):
            return []
        return [
            p
            for p in section.packages
            if p.source == source and not p.origin and canonical(p.name) not in self.upgrade
        ]

    def pylock_preferences(self, platforms: list[str]) -> str:
        """A PEP 751 file of the PyPI versions to keep on ``platforms`` (uv reads an existing
        output file as its preferences); empty when there is nothing to keep. A package
        locked at different versions on different platforms is left to the resolver;
        ``preferences`` when given."""
        if self.preferences is not None:
            return self.preferences
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
    previous: "PreviousLock", upgrade_all: bool, names: list[str], requirements: Sequence[str] = ()
) -> Keep:
    """A Keep of the lock ``previous`` reads, with the names to upgrade normalized (PEP 503).
    Its conda packages are kept only while the channels the two locks share are in the same
    order (``requirements``: the project's input lines now): their order is their priority,
    so a package may have to come from another channel."""
    from npinit.record.changes import channel_order

    def load() -> Mapping[str, Snapshot]:  # read once: ``previous`` keeps what it read
        lock = previous.result()[1]
        return lock.sections if lock is not None else {}

    def reordered() -> bool:
        lock = previous.result()[1]
        if lock is None or lock.inputs is None:
            return False
        was, now = (
            channel_order(list(lock.inputs.get("requirements", []))),
            channel_order(list(requirements)),
        )
        return [c for c in was if c in now] != [c for c in now if c in was]

    names_kept = frozenset(canonical(n) for n in names)
    return Keep(load, upgrade_all, names_kept, previous.read_ahead, reordered)


class PreviousLock:
    """The lock a re-lock replaces (:func:`read_previous`), read once: in a thread from
    :meth:`read_ahead` on, else when first asked for. Parsing and checking a big lock costs
    about what a conda solve does: a manager starts it where its resolver works without the
    GIL (py-rattler reading its repodata, a uv or Poetry process), so the two overlap; started
    earlier, it would only take turns with npinit's own start-up for the GIL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._future: Future[tuple[bytes | None, Lock | None]] | None = None

    def read_ahead(self) -> None:
        """Start reading in a thread (once; nothing if it is read already)."""
        import threading

        if self._future is None:
            self._future = self._new_future()
            threading.Thread(
                target=self._read, args=(self._future,), name="npinit-read-lock", daemon=True
            ).start()

    def result(self) -> tuple[bytes | None, Lock | None]:
        """Its bytes and the lock (:func:`read_previous`), read here if not read ahead."""
        if self._future is None:
            self._future = self._new_future()
            self._read(self._future)
        return self._future.result()

    @staticmethod
    def _new_future() -> "Future[tuple[bytes | None, Lock | None]]":
        from concurrent.futures import Future

        return Future()

    def _read(self, future: "Future[tuple[bytes | None, Lock | None]]") -> None:
        try:
            future.set_result(read_previous(self.path))
        except BaseException as error:  # handed to whoever asks for the result
            future.set_exception(error)
