"""``npinit new``'s files: render a template into a staging directory and move the complete
result into place, so a failure leaves nothing half-written.

One renderer serves every template (:func:`npinit.template_render.render`): npinit's own in
this process, trusted and without importing cookiecutter; another one sandboxed in a bounded
child process (:mod:`npinit.template_process`), or with ``--trust`` in this process.
cookiecutter is kept for what only it gives a template made for it: its Jinja extensions
(``jsonify``, ``slugify``, ``random_ascii_string``, ...), its trusted environment, and the
way it applies answers to ``cookiecutter.json``'s variables (lists, dicts, booleans)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from npinit.errors import Failure, InvalidInput

TEMPLATE_NAME = "numpy-project"


def template_dir() -> Path:
    """The bundled template: inside the installed package, else the source tree's."""
    packaged = Path(__file__).resolve().parent / "templates" / TEMPLATE_NAME
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / "templates" / TEMPLATE_NAME
    if source.is_dir():
        return source
    raise Failure("npinit's template is missing from this installation", "reinstall npinit")


def render(
    template: Path,
    answers: Mapping[str, str],
    output_dir: Path,
    trust: bool = False,
    cache_dir: Path | None = None,
) -> tuple[Path, list[str]]:
    """Render a template with ``answers`` under ``output_dir`` (no prompts); returns the
    project folder and notes. npinit's own template in this process (its compiled form kept
    in ``cache_dir``). Another one untrusted in a bounded child process (a deadline, memory
    and output bounds), sandboxed, without extensions, hooks, repositories or environments."""
    from npinit import template_render

    if template.resolve() == template_dir().resolve():
        own = template_render.Own(cache_dir)
        return template_render.render(template, answers, output_dir, trust=True, own=own)
    if trust:
        return template_render.render(template, answers, output_dir, trust=True)
    from npinit import template_fetch, template_process

    limits = template_fetch.Limits.from_environment()
    return template_process.render_bounded(template, answers, output_dir, limits)


def _files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


STALE_AFTER = 600  # seconds: a staging directory this old was left by a killed npinit


def _remove_stale_staging(target: Path) -> None:
    """Remove staging directories a killed ``npinit new`` left beside ``target``."""
    import time

    for stale in target.parent.glob(f".{target.name[:40]}.npinit-*"):
        try:
            if stale.is_dir() and time.time() - stale.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass


def check_target(target: Path, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory without ``force``."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InvalidInput(f"{target} exists and is not a directory", "choose another name")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InvalidInput(
            f"{target} already exists and is not empty",
            "choose another name or --output-dir, or add --force to write into it",
        )


def generate(
    template: Path,
    answers: Mapping[str, str],
    target: Path,
    force: bool,
    cache_dir: Path | None = None,
    trust: bool = False,
    notes: list[str] | None = None,
) -> list[str]:
    """Render into a staging directory beside ``target`` and move it into place.

    Returns the files written, relative to ``target``. With ``force`` into an existing
    directory, every destination is checked before anything moves (no symlink out of the
    target, no folder where a file goes and no file where a folder goes), then the files go in
    one by one; if one cannot, those already moved are put back. Files npinit does not write
    are kept.
    """
    from npinit.faults import checkpoint

    check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.npinit-", dir=target.parent))
    try:
        rendered, more = render(template, answers, staging / "out", trust, cache_dir)
        (notes if notes is not None else []).extend(more)
        check_rendered(rendered)
        files = _files(rendered)
        checkpoint("new-rendered")
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        if not target.exists():
            os.replace(rendered, target)
        else:
            _check_force_destinations(target, files)
            _move_all(rendered, target, files, staging / "backup")
        checkpoint("new-moved")
        return files
    except OSError as error:
        raise Failure(f"could not write {target}: {error.strerror or error}", "") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_force_destinations(target: Path, files: list[str]) -> None:
    """Refuse, before anything is written, a ``--force`` write that would go through a
    symlink leaving ``target`` or hit a folder where a file goes (or the reverse)."""
    from npinit.jail import check_inside

    for name in files:
        destination = target / name
        check_inside(target, destination.parent)  # the one rule: no folder links out
        for parent in reversed(Path(name).parents[:-1]):  # outermost folder first
            folder = target / parent
            if folder.exists() and not folder.is_dir():
                raise InvalidInput(
                    f"{folder} is a file, but npinit writes {name} inside it",
                    "move it away, or write the project elsewhere",
                )
        if destination.is_dir() and not destination.is_symlink():
            raise InvalidInput(
                f"{destination} is a folder, but npinit writes a file there",
                "move it away, or write the project elsewhere",
            )


def _move_all(rendered: Path, target: Path, files: list[str], backup: Path) -> None:
    """Move ``files`` from ``rendered`` into ``target``; on any failure put back what was
    moved and replaced, so the target is as it was."""
    from npinit.faults import checkpoint

    moved: list[tuple[Path, Path | None]] = []
    made: list[Path] = []
    try:
        for name in files:
            destination = target / name
            for parent in reversed(Path(name).parents[:-1]):
                folder = target / parent
                if not folder.exists():
                    folder.mkdir()
                    made.append(folder)
            saved = None
            if destination.exists() or destination.is_symlink():
                saved = backup / name
                saved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(destination, saved)
            moved.append((destination, saved))
            checkpoint("force-move")
            os.replace(rendered / name, destination)
    except BaseException:
        for destination, saved in reversed(moved):
            try:
                if destination.exists() or destination.is_symlink():
                    destination.unlink()
                if saved is not None:
                    os.replace(saved, destination)
            except OSError:
                pass
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def fetch_template(location: str, workdir: Path) -> Path:
    """A template folder from a local path, a .zip file or URL, or a repository URL; whatever
    is fetched lands under ``workdir``, and the template is checked before it is used (see
    :mod:`npinit.template_fetch`)."""
    from npinit import template_fetch

    return template_fetch.fetch(location, workdir, template_fetch.Limits.from_environment())


def check_rendered(project: Path) -> None:
    """After rendering: nothing in the project may link outside it."""
    root = project.resolve()
    for path in project.rglob("*"):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            raise InvalidInput(
                f"the rendered {path.relative_to(project)} links outside the project",
                "do not use this template",
            )
