"""npinit renders its own template with its own Jinja code (faster than cookiecutter): every
combination must come out byte for byte as real cookiecutter renders it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from npinit import api, scaffold
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
        ours = scaffold.render_bundled(TEMPLATE, answers, tmp_path / f"ours{index}")
        theirs = Path(
            cookiecutter(
                str(TEMPLATE),
                no_input=True,
                extra_context=answers,
                output_dir=str(tmp_path / f"theirs{index}"),
            )
        )
        assert tree(ours) == tree(theirs), answers
