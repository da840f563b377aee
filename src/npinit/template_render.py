"""Render another cookiecutter template (``npinit new --template``) the way cookiecutter does,
but safely: npinit, not cookiecutter, turns names into paths and writes files.

- Without ``--trust`` every string the template holds (file names, file contents,
  ``cookiecutter.json`` defaults) is rendered in Jinja's ``SandboxedEnvironment``, as copier
  does; the template's ``_extensions`` are not imported and its hooks do not run.
- With ``--trust`` cookiecutter's own environment renders (its ``_extensions`` loaded) and the
  ``pre_gen_project`` / ``post_gen_project`` hooks run through npinit's runner, so a failing
  hook is one line, not a traceback.
- Either way every rendered path is resolved against the project directory before anything
  is written: a name that renders to an absolute path or climbs out with ``..`` is refused.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from npinit import template_hooks
from npinit.errors import InvalidInput
from npinit.model import ENV_DIRS
from npinit.template_context import first_line, load_context

COOKIECUTTER_EXTENSIONS = [  # cookiecutter's own, always loaded by cookiecutter too
    "cookiecutter.extensions.JsonifyExtension",
    "cookiecutter.extensions.RandomStringExtension",
    "cookiecutter.extensions.SlugifyExtension",
    "cookiecutter.extensions.TimeExtension",
    "cookiecutter.extensions.UUIDExtension",
]
# what an untrusted template may not plant: a repository (its config runs code on the next
# `git status`) or an environment (npinit and the managers run what is in it); every
# manager's ENV_DIR is here (a test checks it). Matched per path part, case-insensitively.
LEFT_OUT = (".git", ".hg", ".svn", *ENV_DIRS)
MAX_NAME = 255  # bytes in one part of a rendered path
MAX_PATH = 1024  # bytes in a rendered path
SANDBOX_HINT = "npinit renders templates in a sandbox; add --trust only if you trust its author"


@dataclass(frozen=True)
class Own:
    """npinit's own template, rendered in this process: trusted, its ``_extensions`` loaded
    without cookiecutter (nor cookiecutter's imports), npinit's answers taken as given
    (cookiecutter renders them as Jinja too), compiled templates kept in ``cache_dir``. It
    has no hooks and no binary file; a folder is made only for the files it holds, and the
    files get the default mode. tests/integration/test_bundled_renderer.py holds every
    combination of answers to what real cookiecutter renders."""

    cache_dir: Path | None = None


def make_environment(
    template: Path, context: dict[str, Any], trust: bool, own: Own | None = None
) -> Any:
    """The Jinja environment for this template: sandboxed unless ``trust`` (or ``own``)."""
    from jinja2 import FileSystemLoader, StrictUndefined

    if own is not None:
        from jinja2 import Environment

        env = Environment(
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            extensions=context.get("_extensions", []),
            bytecode_cache=_bytecode_cache(own.cache_dir),
            auto_reload=False,
        )
    elif trust:
        from cookiecutter.environment import StrictEnvironment
        from cookiecutter.exceptions import UnknownExtension

        try:
            env = StrictEnvironment(context={"cookiecutter": context}, keep_trailing_newline=True)
        except UnknownExtension as error:
            raise InvalidInput(
                f"the template's {error}", "install the extension it needs"
            ) from None
    else:
        from jinja2.sandbox import SandboxedEnvironment

        env = SandboxedEnvironment(
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            extensions=COOKIECUTTER_EXTENSIONS,
        )
    env.loader = FileSystemLoader([str(project_template(template)), str(template / "templates")])
    return env


def _bytecode_cache(folder: Path | None) -> Any:
    """Jinja's compiled templates kept in ``folder`` between runs (None: not kept)."""
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home only costs the compile time
    return FileSystemBytecodeCache(str(folder))


def project_template(template: Path) -> Path:
    """The template's project folder: the child whose name holds 'cookiecutter' and ``{{``."""
    for child in sorted(template.iterdir()):
        if child.is_dir() and "cookiecutter" in child.name and "{{" in child.name:
            return child
    raise InvalidInput(
        "the template has no project folder (a directory named like {{cookiecutter.name}})",
        "give a cookiecutter template",
    )


def _render(env: Any, text: str, values: Mapping[str, Any], where: str) -> str:
    try:
        return str(env.from_string(text).render(cookiecutter=values))
    except Exception as error:
        raise _template_error(error, where) from None


def _template_error(error: Exception, where: str) -> InvalidInput:
    from jinja2.exceptions import SecurityError, TemplateSyntaxError

    if isinstance(error, MemoryError):
        return InvalidInput(f"the template's {where} needs more memory than npinit allows", "")
    if isinstance(error, SecurityError) or "attribute '__" in str(error):
        # the sandbox answers a dunder attribute with an undefined value, or refuses a call
        return InvalidInput(
            f"the template's {where} does something the sandbox forbids ({error})", SANDBOX_HINT
        )
    if "no filter named" in str(error).lower() or "no test named" in str(error).lower():
        return InvalidInput(
            f"the template's {where} uses a filter or test npinit does not have ({error})",
            "it needs the template's _extensions, loaded only with --trust",
        )
    if isinstance(error, TemplateSyntaxError):
        line = f" line {error.lineno}" if error.lineno else ""
        return InvalidInput(
            f"the template's {where}{line} is not valid Jinja ({error.message})",
            "fix the template",
        )
    return InvalidInput(
        f"the template's {where} could not be rendered ({type(error).__name__}: "
        f"{first_line(error)})",
        "fix the template",
    )


def _render_value(env: Any, raw: Any, values: Mapping[str, Any], where: str) -> Any:
    """cookiecutter's ``render_variable``: strings rendered, lists and dicts item by item."""
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, dict):
        return {
            _render_value(env, k, values, where): _render_value(env, v, values, where)
            for k, v in raw.items()
        }
    if isinstance(raw, list):
        return [_render_value(env, v, values, where) for v in raw]
    return _render(env, str(raw), values, where)


def answers(
    env: Any, context: dict[str, Any], given: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """cookiecutter's ``prompt_for_config`` with ``no_input``: private ``_`` keys raw,
    choices take their first (npinit's answer was moved first), the rest rendered in order;
    the ``given`` answers (npinit's own template) are taken as they are."""
    values: OrderedDict[str, Any] = OrderedDict()
    items = [(k, v) for k, v in context.items() if k != "__prompts__"]
    for key, raw in items:
        where = f"cookiecutter.json variable {key!r}"
        private = key.startswith("_") and not key.startswith("__")
        if private or (key in given and isinstance(raw, str)):
            values[key] = raw
        elif key.startswith("__"):
            values[key] = _render_value(env, raw, values, where)
        elif isinstance(raw, list):
            values[key] = _render_value(env, raw, values, where)[0]
        elif not isinstance(raw, dict):
            values[key] = _render_value(env, raw, values, where)
    for key, raw in items:
        if isinstance(raw, dict) and not (key.startswith("_") and not key.startswith("__")):
            values[key] = _render_value(env, raw, values, f"cookiecutter.json variable {key!r}")
    return dict(values)


def inside_project(root: Path, rendered: str, where: str) -> Path:
    """``root / rendered`` when it stays inside ``root`` and any file system can hold it;
    refused otherwise."""
    shown = repr(rendered) if len(rendered) <= 80 else repr(rendered[:80]) + "..."
    if any(ord(char) < 32 or char == "\x7f" for char in rendered):
        raise InvalidInput(
            f"the template's file name {where!r} renders to {shown}, with a control character",
            "do not use this template",
        )
    encoded = rendered.encode("utf-8", "surrogatepass")
    if len(encoded) > MAX_PATH or any(len(part) > MAX_NAME for part in encoded.split(b"/")):
        raise InvalidInput(
            f"the template's file name {where!r} renders to a name too long for a file system "
            f"({len(rendered)} characters: {shown})",
            "do not use this template",
        )
    pure = PurePosixPath(rendered.replace("\\", "/"))
    normal = os.path.normpath(str(root / pure))
    if (
        pure.is_absolute()
        or Path(rendered).is_absolute()
        or (len(rendered) > 1 and rendered[1] == ":")  # C:... on Windows
        or not Path(normal).is_relative_to(root)
    ):
        raise InvalidInput(
            f"the template's file name {where!r} renders to {rendered!r}, outside the project",
            "do not use this template",
        )
    return Path(normal)


def _is_binary(path: Path) -> bool:
    from binaryornot.check import is_binary

    return bool(is_binary(str(path)))


Plan = list[tuple[Path, Path | None, str, bool]]  # (to, source file or None, name, as is)


def render(
    template: Path,
    answers_in: Mapping[str, str],
    output_dir: Path,
    *,
    trust: bool,
    run: Any = None,
    max_bytes: int | None = None,
    own: Own | None = None,
) -> tuple[Path, list[str]]:
    """Render ``template`` under ``output_dir`` (a staging directory); returns the project
    folder and notes. Every path is checked before it is written; at most ``max_bytes`` are
    written. Untrusted, a repository or an environment folder is left out. ``own``: npinit's
    own template (see :class:`Own`)."""
    trust = trust or own is not None
    context = load_context(template, answers_in, cookiecutter=own is None)
    notes = []
    if context.get("_extensions") and not trust:
        notes.append("the template's Jinja extensions were not loaded; add --trust to load them")
    env = make_environment(template, context, trust, own)
    values = answers(env, context, frozenset(answers_in) if own else frozenset())
    root_template = project_template(template)
    project_name = _render(env, root_template.name, values, f"folder name {root_template.name!r}")
    project = inside_project(output_dir.resolve(), project_name, root_template.name)
    if project == output_dir.resolve():
        raise InvalidInput(
            f"the template's project folder name renders empty ({root_template.name!r})",
            "fix the template",
        )
    plan, left_out = _plan(env, values, root_template, project, trust)
    if own is not None:  # a folder only for the files it holds
        plan = [step for step in plan if step[1] is not None]
    if left_out:
        names = ", ".join(sorted(left_out))
        notes.append(
            f"left out of the untrusted template: {names} (a repository or an environment in "
            "it would run the template's code later; add --trust to keep them)"
        )
    project.mkdir(parents=True)
    hooks = template_hooks.find(template) if trust and own is None else {}
    if "pre_gen_project" in hooks:
        _hook(hooks["pre_gen_project"], env, values, project, run)
    _write(env, values, plan, Budget(max_bytes), own is not None)
    if "post_gen_project" in hooks:
        _hook(hooks["post_gen_project"], env, values, project, run)
    if (template / "hooks").is_dir() and not trust:
        notes.append("the template's hooks were not run; add --trust to run them")
    return project, notes


def _hook(script: Path, env: Any, values: Mapping[str, Any], project: Path, run: Any) -> None:
    def render(text: str) -> str:
        return _render(env, text, values, f"hook {script.name}")

    template_hooks.run_hook(script, render, project, run)


def _plan(
    env: Any, values: Mapping[str, Any], root_template: Path, project: Path, trust: bool
) -> tuple[Plan, set[str]]:
    """Every path rendered and checked before anything is written (nothing is written when
    one of them would leave the project), and what was left out."""
    copy_only = values.get("_copy_without_render", [])

    def copy_as_is(relative: str) -> bool:
        return any(fnmatch.fnmatch(relative, pattern) for pattern in copy_only)

    plan: Plan = []
    left_out: set[str] = set()
    for source in sorted(root_template.rglob("*")):
        relative = source.relative_to(root_template).as_posix()
        parts = relative.split("/")
        # inside a folder copied as is, names are not rendered either (as cookiecutter does)
        cut = next((i for i in range(1, len(parts)) if copy_as_is("/".join(parts[:i]))), len(parts))
        head = _render(env, "/".join(parts[:cut]), values, f"file name {relative!r}")
        rendered = "/".join([head, *parts[cut:]])
        destination = inside_project(project, rendered, relative)
        if destination == project or rendered.endswith("/") or not Path(rendered).name:
            continue  # a name that renders empty belongs to a choice not taken
        inside = destination.relative_to(project).parts
        planted = next((i for i, p in enumerate(inside) if p.casefold() in LEFT_OUT), None)
        if planted is not None and not trust:
            left_out.add("/".join(inside[: planted + 1]))
            continue
        raw = cut < len(parts) or copy_as_is(relative)
        plan.append((destination, None if source.is_dir() else source, relative, raw))
    return plan, left_out


class Budget:
    """The bytes a render may still write (``None``: no bound)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.written = 0

    def take(self, size: int, where: str) -> None:
        self.written += size
        if self.limit is not None and self.written > self.limit:
            from npinit.template_fetch import megabytes

            raise InvalidInput(
                f"the template renders more than {megabytes(self.limit)} (at {where})",
                "do not use this template, or raise NPINIT_TEMPLATE_MAX_BYTES if you trust it",
            )


def _write(
    env: Any, values: Mapping[str, Any], plan: Plan, budget: Budget, own: bool = False
) -> None:
    """Write the planned folders and files, rendering text files in pieces within ``budget``
    (``own``: npinit's template, text only, files in the default mode)."""
    for destination, source, relative, raw in plan:
        if source is None:
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        if raw or (not own and _is_binary(source)):
            budget.take(source.stat().st_size, relative)
            shutil.copyfile(source, destination)
        else:
            newline = values.get("_new_lines") or _newline_of(source)
            with destination.open("w", encoding="utf-8", newline=newline) as handle:
                try:
                    for piece in env.get_template(relative).generate(cookiecutter=values):
                        budget.take(len(piece.encode("utf-8", "surrogatepass")), relative)
                        handle.write(piece)
                except InvalidInput:
                    raise
                except Exception as error:
                    raise _template_error(error, relative) from None
        if not own:
            shutil.copymode(source, destination)


def _newline_of(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8") as handle:
            handle.readline()
            found = handle.newlines
    except (OSError, UnicodeDecodeError):
        return None
    return found[0] if isinstance(found, tuple) else found
