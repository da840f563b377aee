"""The only module that drives cookiecutter: render a template into a staging directory
and move the complete result into place, so a failure leaves nothing half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from npinit.errors import Failure, InvalidInput, NpinitError

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
    template: Path, answers: Mapping[str, str], output_dir: Path, trust: bool = False
) -> Path:
    """Render ``template`` with ``answers`` (no prompts; hooks only with ``trust``) under
    ``output_dir``; only the answers the template declares are passed."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config

    try:
        declared = generate_context(context_file=str(template / "cookiecutter.json"))
        known = {k: v for k, v in answers.items() if k in declared["cookiecutter"]}
        context = generate_context(
            context_file=str(template / "cookiecutter.json"), extra_context=known
        )
        context["cookiecutter"] = prompt_for_config(context, no_input=True)
        project = generate_files(
            repo_dir=str(template),
            context=context,
            output_dir=str(output_dir),
            overwrite_if_exists=False,
            accept_hooks=trust,
        )
    except NpinitError:
        raise
    except CookiecutterException as error:
        raise Failure(f"the template did not render: {error}", "") from error
    return Path(project)


def render_bundled(
    template: Path, answers: Mapping[str, str], output_dir: Path, cache_dir: Path | None = None
) -> Path:
    """Render npinit's own template the way cookiecutter does, without importing it.

    The bundled template uses no hooks, prompts or cookiecutter extension, so a Jinja
    environment with cookiecutter's settings (StrictUndefined, trailing newlines kept) and
    npinit's extension renders it byte for byte like ``cookiecutter --no-input`` (a test
    compares the two); this skips cookiecutter's imports (rich, requests, arrow).
    """
    import json

    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined

    spec = json.loads((template / "cookiecutter.json").read_text("utf-8"))
    (root,) = [p for p in template.iterdir() if p.is_dir() and "{{" in p.name]
    cache = None
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            cache = FileSystemBytecodeCache(str(cache_dir))
        except OSError:
            cache = None  # a read-only home only costs the compile time
    env = Environment(
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=spec["_extensions"],
        loader=FileSystemLoader(str(root)),
        bytecode_cache=cache,
        auto_reload=False,
    )
    context: dict[str, object] = {}
    for key, default in spec.items():
        if key.startswith("_"):
            context[key] = default
            continue
        value = answers.get(key, default[0] if isinstance(default, list) else default)
        if isinstance(value, str) and key not in answers:
            value = env.from_string(value).render(cookiecutter=context)
        context[key] = value
    project = output_dir / env.from_string(root.name).render(cookiecutter=context)
    for source in sorted(root.rglob("*")):
        if source.is_dir():
            continue
        relative = source.relative_to(root).as_posix()
        name = env.from_string(relative).render(cookiecutter=context)
        if not name or name.endswith("/") or Path(name).name == "":
            continue  # a file whose name renders empty belongs to another choice
        text = env.get_template(relative).render(cookiecutter=context)
        destination = project / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return project


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
) -> list[str]:
    """Render into a staging directory beside ``target`` and move it into place.

    Returns the files written, relative to ``target``. With ``force`` into an existing
    directory, files are replaced one by one and files npinit does not write are kept.
    """
    check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.npinit-", dir=target.parent))
    try:
        if template.resolve() == template_dir().resolve():
            rendered = render_bundled(template, answers, staging, cache_dir)
        else:
            rendered = render(template, answers, staging, trust)
            check_rendered(rendered)
        files = _files(rendered)
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        if not target.exists():
            os.replace(rendered, target)
        else:
            for name in files:
                destination = target / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(rendered / name, destination)
        return files
    except OSError as error:
        raise Failure(f"could not write {target}: {error.strerror or error}", "") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def fetch_template(location: str, workdir: Path) -> Path:
    """A template directory from a local path, a .zip file, or a URL cookiecutter can fetch."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.repository import determine_repo_dir

    try:
        repo_dir, _ = determine_repo_dir(
            template=location,
            abbreviations={},
            clone_to_dir=workdir,
            checkout=None,
            no_input=True,
        )
    except (CookiecutterException, OSError, ValueError) as error:
        raise InvalidInput(
            f"cannot use the template {location}: {error}",
            "give a cookiecutter template directory, .zip or URL",
        ) from None
    return Path(repo_dir)


def check_template(template: Path, answers: Mapping[str, str]) -> list[str]:
    """Refuse a template that could write outside the project; return notes.

    Checked before anything is rendered: no symlink may point outside the template (its
    target would be copied in), and no file or directory name may render to an absolute
    path or climb out with ``..``.
    """
    from cookiecutter.environment import StrictEnvironment
    from cookiecutter.generate import generate_context

    root = template.resolve()
    for path in template.rglob("*"):
        if path.is_symlink():
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                raise InvalidInput(
                    f"the template's {path.relative_to(template)} links outside it ({resolved})",
                    "remove the link from the template",
                )
    context = generate_context(str(template / "cookiecutter.json"), extra_context=dict(answers))
    env = StrictEnvironment(context=context, keep_trailing_newline=True)
    values = {
        k: (v[0] if isinstance(v, list) and v else v) for k, v in context["cookiecutter"].items()
    }
    for path in template.rglob("*"):
        relative = path.relative_to(template).as_posix()
        if "{{" not in relative and "{%" not in relative:
            if ".." in Path(relative).parts:
                raise InvalidInput(f"the template has a path with '..': {relative}", "")
            continue
        try:
            rendered = env.from_string(relative).render(cookiecutter=values)
        except Exception:  # a name that needs answers we cannot know yet: checked after
            continue
        parts = Path(rendered).parts
        if Path(rendered).is_absolute() or ".." in parts:
            raise InvalidInput(
                f"the template's file name {relative!r} renders to {rendered!r}, outside the "
                "project",
                "do not use this template",
            )
    notes = []
    if (template / "hooks").is_dir():
        notes.append("the template's hooks were not run; add --trust to run them")
    return notes


def check_rendered(project: Path) -> None:
    """After rendering: nothing in the project may link outside it."""
    root = project.resolve()
    for path in project.rglob("*"):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            raise InvalidInput(
                f"the rendered {path.relative_to(project)} links outside the project",
                "do not use this template",
            )
