"""npinit renders its own template with the one renderer every template goes through
(``template_render.render`` with ``Own``: in this process, without importing cookiecutter,
faster): every combination must come out byte for byte as real cookiecutter renders it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from npinit import api, template_render
from npinit.errors import InvalidInput
from npinit.model import ProjectSpec
from tests.conftest import TEMPLATE
from tests.helpers import tree

MANAGERS = ("conda", "pip", "poetry", "uv", "pixi")
BLASES = ("default", "openblas", "mkl", "accelerate", "blis")
PLATFORMS = (("linux-64",), ("linux-64", "osx-arm64", "win-64"))
EXTRAS = ((), ("scipy>=1.14,<2", "pandas"))
# (cookiecutter renders every answer as Jinja, so a "{{" in an answer is not compared)
NAMES = (("demo", "A NumPy project"), ("x_y-2", "Odd: # \" ' [ ] \\ é ; <b>"))


def _specs() -> list[ProjectSpec]:
    specs = []
    for manager, blas, platforms, threads, extras, (name, text) in itertools.product(
        MANAGERS, BLASES, PLATFORMS, (None, 2), EXTRAS, NAMES
    ):
        channels = ("conda-forge", "defaults") if manager == "conda" else (None,)
        for channel in channels:
            try:
                specs.append(
                    api.resolve_project(
                        name, manager=manager, blas=blas, channel=channel, platforms=platforms,
                        threads=threads, with_packages=extras, description=text,
                        python="3.12",
                    )
                )  # fmt: skip
            except InvalidInput:
                continue
    return specs


@pytest.mark.timeout(900)  # hundreds of cookiecutter renders: minutes on a loaded machine
def test_every_combination_matches_real_cookiecutter(tmp_path: Path) -> None:
    from cookiecutter.main import cookiecutter

    specs = _specs()
    assert len(specs) >= 100  # the matrix really is rendered, not refused
    for index, spec in enumerate(specs):
        answers = api.answers_for(spec)
        ours, notes = template_render.render(
            TEMPLATE, answers, tmp_path / f"ours{index}", trust=True, own=template_render.Own()
        )
        assert notes == []
        theirs = Path(
            cookiecutter(
                str(TEMPLATE),
                no_input=True,
                extra_context=answers,
                output_dir=str(tmp_path / f"theirs{index}"),
            )
        )
        assert tree(ours) == tree(theirs), answers


def test_npinit_s_own_template_renders_in_process_without_cookiecutter(tmp_path: Path) -> None:
    """scaffold.render sends the bundled template to the one renderer in its own mode: no
    cookiecutter import, no empty folder (the GitHub workflow's folder without --ci github)."""
    import subprocess
    import sys

    code = (
        "import sys, pathlib; from npinit import api, scaffold; "
        "spec = api.resolve_project('demo', manager='pip', python='3.12', ci='none', "
        "platforms=('linux-64',)); "
        "project, notes = scaffold.render(scaffold.template_dir(), api.answers_for(spec), "
        "pathlib.Path(sys.argv[1])); "
        "print('cookiecutter' in sys.modules, notes, sorted(p.name for p in project.iterdir()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    )
    imported, notes, names = done.stdout.strip().split(" ", 2)
    assert (imported, notes) == ("False", "[]")
    assert "'requirements.txt'" in names and "'.github'" not in names
