"""``npinit set``: change NumPy, the BLAS or Python in the files of an existing project (or
one file), keeping every other byte. Every file is edited in memory and re-parsed first;
only when all of them succeed are they written, each atomically."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.editing.context import Context, kind_of, kind_of_file
from npinit.errors import InvalidInput
from npinit.knowledge import blas as blas_facts
from npinit.knowledge import releases
from npinit.model import Blas, BlasChoice, Channel, Platform


@dataclass(frozen=True)
class FileEdit:
    path: Path
    kind: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, root: Path) -> str:
        path = self.path
        if path.is_symlink():  # the diff names the file really written, not the link
            import os

            path, root = Path(os.path.realpath(path)), Path(os.path.realpath(root))
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{name}",
                f"b/{name}",
            )
        )


@dataclass(frozen=True)
class SetResult:
    root: Path
    edits: tuple[FileEdit, ...]
    numpy: str | None
    python: str | None
    blas: str | None
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [
                {"path": str(e.path), "kind": e.kind, "changed": e.changed} for e in self.edits
            ],
            "numpy": self.numpy,
            "python": self.python,
            "blas": self.blas,
            "warnings": list(self.warnings),
        }


def _files(target: Path) -> list[Path]:
    from npinit.tomlio import check_regular

    if not target.exists():
        if target.is_symlink():
            check_regular(target)  # says what is wrong with the link: a loop, a dangling target
        raise InvalidInput(f"{target} does not exist", "give a project directory or a file")
    if not target.is_dir():
        check_regular(target)  # a FIFO or a device is refused before anything opens it
        if kind_of_file(target) is None:
            raise InvalidInput(
                f"npinit does not know how to edit {target.name}",
                "it edits conda environment files (a YAML mapping with a dependencies list), "
                "requirements files, pyproject.toml and pixi.toml",
            )
        return [target]
    # not only regular files: a FIFO named requirements.txt is refused by name, not skipped
    candidates = [p for p in target.iterdir() if not p.is_dir()]
    if (target / "requirements").is_dir():
        candidates += [p for p in (target / "requirements").iterdir() if not p.is_dir()]
    found = sorted(p for p in candidates if kind_of(p) is not None)
    recorded = _recorded_file(target)
    if recorded is not None and recorded not in found:
        found.append(recorded)  # npinit init's file, wherever it lives (binder/...)
    if not any(kind_of(p) not in ("answers", "python-version") for p in found):
        raise InvalidInput(
            f"{target} has no environment file npinit can edit",
            "give a project with environment.yml, requirements*.txt, pyproject.toml or pixi.toml",
        )
    return found


def _recorded_file(root: Path) -> Path | None:
    """The environment file ``.npinit.toml`` names (``file``, written by npinit init):
    relative, inside the project, never through a link leaving it (else exit 2)."""
    if not (root / ".npinit.toml").is_file():
        return None
    from npinit.jail import project_path
    from npinit.tomlio import read_answers

    name = read_answers(root).get("file")
    if name is None:
        return None
    path = project_path(root, name, str(root / ".npinit.toml"))
    return path if path.is_file() else None


def read_text(path: Path) -> str:
    from npinit.tomlio import read_regular

    data = read_regular(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", "npinit edits text files only") from None
    if "\x00" in text:
        raise InvalidInput(f"{path} is not a text file", "npinit edits text files only")
    return text


def plan_set(
    target: Path,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas: str | None = None,
    channel: str | None = None,
    current_platform: Platform | None = None,
) -> SetResult:
    """Every edit ``npinit set`` would make; raises InvalidInput and changes nothing when any
    request is invalid for the project or any file cannot be parsed."""
    from npinit.editing import conda_env, requirements, toml_files
    from npinit.editing.context import read_context, resolve_in, resolve_numpy

    if numpy is None and python is None and blas is None and channel is None:
        raise InvalidInput("nothing to change", "give --numpy, --blas, --python or --channel")
    from npinit.jail import check_inside

    paths = _files(target)
    root = target if target.is_dir() else target.parent
    raw_texts = {p: read_text(p) for p in paths}  # a FIFO or a device is named as such first
    for path in paths:  # before any diff is shown: no file edited through a link out
        check_inside(root, path, "the project" if target.is_dir() else str(root))
    kinds: dict[Path, str | None] = {p: kind_of_file(p, raw_texts[p]) for p in paths}
    notes: list[str] = []
    included_by = requirements.follow_includes(raw_texts, kinds, root, notes, read_text)
    # a UTF-8 byte order mark is kept, but kept out of the parsers' way
    boms = {p for p, t in raw_texts.items() if t.startswith("\ufeff")}
    texts = {p: t[1:] if p in boms else t for p, t in raw_texts.items()}
    ctx = read_context(texts, current_platform, kinds)
    if python is not None:
        python = releases.check_python(python.strip())
        if releases.free_threaded(python) and any(
            "[tool.poetry" in texts[p] for p in paths if kinds[p] == "pyproject"
        ):
            raise InvalidInput(
                f"Poetry cannot be made to select a free-threaded Python {python}",
                "move the project to uv, pip, conda or pixi first",
            )
    if numpy is None:
        release = None
    elif python is not None:  # the files' Python is being replaced
        release = releases.resolve_numpy(numpy.strip(), python)
    else:
        release = resolve_in(numpy.strip(), ctx, notes)
    version = release.version if release else None
    blas_request = blas_facts.parse_request(blas) if blas is not None else None
    reference = release or resolve_numpy("latest", None)  # only the BLAS rules need it
    if channel is not None and channel not in ("conda-forge", "defaults"):
        raise InvalidInput(f"unknown channel '{channel}'", "choose conda-forge or defaults")

    edits: list[FileEdit] = []
    choices_for_answers: tuple[BlasChoice, ...] | None = None
    has_numpy = {
        p: bool(requirements.numpy_lines(t)) for p, t in texts.items() if kinds[p] == "requirements"
    }
    for path, text in texts.items():
        kind = kinds[path]
        origin = str(path)
        after = text
        if kind == "conda":
            data, _ = conda_env.parse(text, origin)
            file_channel = (
                Channel(channel or conda_env.channel_of(data))
                if (channel or conda_env.channel_of(data)) in ("conda-forge", "defaults")
                else (Channel.CONDA_FORGE)
            )
            blas_lines = None
            drop_nomkl = drop_mkl = False
            if blas_request is not None:
                common, overrides = blas_request
                choices = blas_facts.choose_for_platforms(
                    file_channel, ctx.platforms, common, reference, overrides
                )
                if len({c.spec_lines for c in choices}) > 1:
                    raise InvalidInput(
                        f"{path.name} cannot select a different BLAS per platform",
                        "use pixi, or one BLAS for every platform",
                    )
                blas_lines = list(choices[0].spec_lines)
                drop_nomkl = choices[0].variant != "openblas"
                drop_mkl = choices[0].variant != "mkl"
                choices_for_answers = choices
            after = conda_env.edit(
                text,
                origin,
                numpy=version,
                python=python,
                blas_lines=blas_lines,
                drop_nomkl=drop_nomkl,
                drop_mkl=drop_mkl,
            )
            if channel is not None and conda_env.channel_of(data) != channel:
                after = conda_env.set_channel(after, origin, channel)
        elif kind == "requirements":
            requirements.check(text, origin)
            if version is not None:
                # the pin goes where it is: this file, or one it includes; a file included
                # by another gets no new pin (the one including it does)
                add = path not in included_by and not any(
                    has_numpy.get(q) for q in requirements.closure(path, included_by)
                )
                after = requirements.set_numpy(text, version, origin, add=add)
                if requirements.numpy_lines(text) and requirements.has_hashes(
                    "\n".join(text.splitlines()[i] for i in requirements.numpy_spans(text))
                ):
                    notes.append(
                        f"{path.name} had --hash lines for the old numpy pin: they were "
                        "dropped; lock the file again (uv pip compile --generate-hashes)"
                    )
            choices_for_answers = _pypi_choices(blas_request, ctx, reference) or choices_for_answers
        elif kind == "pyproject":
            if version is not None or python is not None:
                after = toml_files.edit_pyproject(text, origin, numpy=version, python=python)
            choices_for_answers = _pypi_choices(blas_request, ctx, reference) or choices_for_answers
        elif kind == "pixi":
            tables = None
            if blas_request is not None:
                doc = toml_files.parse(text, origin)
                table = toml_files._table(doc, ("workspace",), origin) or toml_files._table(
                    doc, ("project",), origin
                )
                listed = (table or {}).get("platforms", [p.value for p in ctx.platforms])
                platforms = (
                    tuple(
                        Platform(p)
                        for p in (listed if isinstance(listed, list) else [])
                        if p in {x.value for x in Platform}
                    )
                    or ctx.platforms
                )
                common, overrides = blas_request
                choices = blas_facts.choose_for_platforms(
                    Channel.CONDA_FORGE, platforms, common, reference, overrides, per_platform=True
                )
                tables = blas_facts.pixi_tables(choices)
                choices_for_answers = choices
            after = toml_files.edit_pixi(text, origin, numpy=version, python=python, blas=tables)
        elif kind == "python-version" and python is not None:
            after = python + ("\n" if text.endswith("\n") or not text else "")
        if path in boms:
            text, after = "\ufeff" + text, "\ufeff" + after
        edits.append(FileEdit(path, kind or "", text, after))

    final: list[FileEdit] = []
    for edit in edits:
        if edit.kind == "answers":
            by_platform = (
                {c.platform.value: (c.variant, list(c.acceptable)) for c in choices_for_answers}
                if choices_for_answers is not None
                else None
            )
            after = toml_files.edit_answers(
                edit.before,
                str(edit.path),
                numpy=version,
                python=python,
                blas=blas if blas is not None else None,
                blas_by_platform=by_platform,
                channel=channel if ctx.answers.get("manager") == "conda" else None,
            )
            edit = FileEdit(edit.path, edit.kind, edit.before, after)
        final.append(edit)
    warnings = list(notes)
    built = any(os.path.lexists(root / n) for n in ("npinit.lock", ".venv", ".conda", ".pixi"))
    if built and any(e.changed for e in final):  # nothing to fall out of step with otherwise
        warnings.append(
            "the environment no longer matches these files or its lock: rebuild it, then run "
            "npinit lock (or npinit verify to see the difference)"
        )
    if blas_request is not None and any(e.kind in ("requirements", "pyproject") for e in final):
        warnings.append("PyPI's numpy wheels choose their own BLAS; no file line selects it")
    return SetResult(root, tuple(final), version, python, blas, tuple(warnings))


def _pypi_choices(
    request: tuple[Blas, dict[Platform, Blas]] | None, ctx: Context, release: Any
) -> tuple[BlasChoice, ...] | None:
    """Validate a BLAS request for a PyPI file (refuses MKL etc. as npinit new does)."""
    if request is None:
        return None
    common, overrides = request
    return blas_facts.choose_for_platforms(Channel.PYPI, ctx.platforms, common, release, overrides)


def apply(result: SetResult, new: dict[Path, str] | None = None) -> list[Path]:
    """Write every changed file, and the ``new`` files (which must not exist), as one
    transaction (:func:`npinit.jail.write_files`); returns the paths written."""
    from npinit.jail import write_files

    files: dict[Path, str | None] = dict(new or {})
    files.update({e.path: e.after for e in result.edits if e.changed})
    return write_files(result.root, files, new=frozenset(new or ()))
