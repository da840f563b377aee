"""What ``npinit create`` undoes when it fails or is interrupted, so that nothing is left
half-done: the environment folder it began (removed, whatever step stopped it: the install,
the comparison with the lock, the project's own check), and with ``--update`` every file
locking wrote (npinit.lock, the manager's lock, the CI files and exports), put back as they
were in one transaction. An environment that was there before (made by hand, synced again)
is never removed. And what a killed create left (:func:`clear_half_built`): removed by the
next create."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from npinit.model import ENV_DIRS, Manager, find_interpreter

LARGEST = 50 << 20  # a lock or CI file is far smaller: larger files are not kept aside


class CreateUndo:
    """``with CreateUndo(project, update):`` around a create; :meth:`building` names the new
    environment folder. On an exception, both are undone and an npinit error says so."""

    def __init__(self, project: Path, update: bool) -> None:
        self.project = project
        self.before = _lockable_files(project) if update else None
        self.folder: Path | None = None

    def building(self, folder: Path) -> None:
        """``folder`` is a new environment this create builds: removed if it stops."""
        self.folder = folder

    def __enter__(self) -> CreateUndo:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is None:
            return
        if self.folder is not None:
            _remove(self.folder)
        put_back = self._put_back()
        if not put_back or not isinstance(error, Exception):  # an interrupt stays one
            return
        from npinit.errors import Failure, NpinitError

        said = (
            f"{', '.join(put_back[:3])}{' ...' if len(put_back) > 3 else ''} put back as "
            "before --update (nothing was changed)"
        )
        if isinstance(error, NpinitError):
            error.message += f"; {said}"
            return
        raise Failure(f"{error}; {said}", "") from error  # the file system's own error

    def _put_back(self) -> list[str]:
        """Every file locking changed or added, back as it was (one transaction); their
        names."""
        if self.before is None:
            return []
        from npinit.jail import write_files

        now = _lockable_files(self.project)
        writes: dict[Path, str | None] = {}
        for path in sorted(self.before.keys() | now.keys()):
            old, new = self.before.get(path), now.get(path)
            if old != new:
                writes[path] = None if old is None else old.decode("utf-8")
        if writes:
            write_files(self.project, writes, what="the project")
        return [path.relative_to(self.project).as_posix() for path in writes]


def _lockable_files(project: Path) -> dict[Path, bytes]:
    """The project's own text files that locking may write, with their bytes: at its top
    (npinit.lock, uv.lock, poetry.lock, pixi.lock, the exports), beside the file
    ``.npinit.toml`` records (python/pixi.toml's pixi.lock; the file itself) and in its CI
    folders."""
    found: dict[Path, bytes] = {}
    paths = [*project.iterdir(), *_below(project / ".github"), *_below(project / ".gitlab")]
    paths += _beside_the_file(project)
    for path in paths:
        if path.name in ENV_DIRS or path.name.startswith(".npinit-"):  # npinit's markers
            continue
        if path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size > LARGEST:
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found[path] = data
    return found


def _beside_the_file(project: Path) -> list[Path]:
    """The files in the folder of the file ``.npinit.toml`` records, when it is not the
    project's top (a manager's lock is written beside its manifest)."""
    from npinit.errors import NpinitError
    from npinit.jail import project_path
    from npinit.tomlio import read_answers

    try:
        name = read_answers(project).get("file")
        folder = project_path(project, name, ".npinit.toml").parent if name else project
    except NpinitError:  # create refuses such a project before it locks anything
        return []
    if folder == project or folder.is_symlink() or not folder.is_dir():
        return []
    return sorted(folder.iterdir())


def _below(folder: Path) -> list[Path]:
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(folder.rglob("*"))


def half_built(project: Path) -> list[str]:
    """The environment folders of ``project`` that no finished build could have left, even
    without the marker: a ``.venv`` with no ``pyvenv.cfg`` or no interpreter, a ``.conda``
    with no ``conda-meta/``."""
    found = []
    venv = project / Manager.PIP.env_dir
    if (
        venv.is_dir()
        and not venv.is_symlink()
        and (not (venv / "pyvenv.cfg").is_file() or find_interpreter(venv) is None)
    ):
        found.append(venv.name)
    conda = project / Manager.CONDA.env_dir
    if conda.is_dir() and not conda.is_symlink() and not (conda / "conda-meta").is_dir():
        found.append(conda.name)
    return found


def clear_half_built(project: Path, stale: bool) -> list[str]:
    """Remove what a killed create left (``stale``: its marker was found, unlocked); say
    what was removed."""
    notes: list[str] = []
    if stale:
        # a create that was killed (SIGKILL, power loss) left a half-built environment
        for name in ENV_DIRS:
            _remove(project / name)
        notes.append("removed the half-built environment an interrupted npinit create left")
    for name in half_built(project):
        _remove(project / name)
        notes.append(f"removed {name}, a half-built environment (no interpreter or no metadata)")
    return notes


def _remove(folder: Path) -> None:
    """``folder`` and all it holds, gone (shutil is loaded only when something is removed:
    create begins uv venv sooner without it)."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
