"""A trusted template's hooks (``pre_gen_project`` / ``post_gen_project``): rendered with the
answers, as cookiecutter does, and run through npinit's runner. Only with ``--trust``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from npinit.errors import Failure, InvalidInput

HOOKS = ("pre_gen_project", "post_gen_project")


def find(template: Path) -> dict[str, Path]:
    """The template's hook scripts by name (the first of each name, as cookiecutter takes)."""
    folder = template / "hooks"
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for script in sorted(folder.iterdir()):
        if script.stem in HOOKS and not script.name.endswith("~") and script.is_file():
            found.setdefault(script.stem, script)
    return found


def run_hook(script: Path, render: Callable[[str], str], project: Path, run: Any) -> None:
    """Render the hook with ``render`` (the answers, as cookiecutter does), and run it in the
    project folder through npinit's runner: its output is captured; a failure is one line."""
    import tempfile

    from npinit.runner import run as default_run

    try:
        text = script.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read the template's hook {script.name}: {error}", "") from None
    rendered = render(text)
    with tempfile.TemporaryDirectory(prefix="npinit-hook-") as folder:
        copy = Path(folder) / script.name
        copy.write_text(rendered, encoding="utf-8")
        copy.chmod(0o700)
        command = [sys.executable, str(copy)] if script.suffix == ".py" else [str(copy)]
        try:
            (run or default_run)(command, cwd=project, what=f"the template's {script.stem} hook")
        except Failure as error:
            raise Failure(error.message, "the project was not written") from None
