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


def render(template: Path, answers: Mapping[str, str], output_dir: Path) -> Path:
    """Render ``template`` with ``answers`` (no prompts, no hooks) under ``output_dir``."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config

    try:
        context = generate_context(
            context_file=str(template / "cookiecutter.json"), extra_context=dict(answers)
        )
        context["cookiecutter"] = prompt_for_config(context, no_input=True)
        project = generate_files(
            repo_dir=str(template),
            context=context,
            output_dir=str(output_dir),
            overwrite_if_exists=False,
            accept_hooks=False,
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
) -> list[str]:
    """Render into a staging directory beside ``target`` and move it into place.

    Returns the files written, relative to ``target``. With ``force`` into an existing
    directory, files are replaced one by one and files npinit does not write are kept.
    """
    check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.npinit-", dir=target.parent))
    try:
        if template.resolve() == template_dir().resolve():
            rendered = render_bundled(template, answers, staging, cache_dir)
        else:
            rendered = render(template, answers, staging)
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
