"""npinit renders its own template with the one renderer every template goes through
(``template_render.render`` with ``Own``: in this process, without importing cookiecutter,
faster): it must come out byte for byte as real cookiecutter renders it, for a set of the
answers' combinations that holds every pair of answer values the matrix admits (each of the
template's conditions reads at most two answers: ``plan.threads and plan.manager in ...``)
and every manager x BLAS x platforms triple (each platform's BLAS lines)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from npinit import api, template_render
from npinit.errors import InvalidInput
from npinit.model_spec import ProjectSpec
from tests.conftest import TEMPLATE
from tests.helpers import tree

MANAGERS = ("conda", "pip", "poetry", "uv", "pixi")
BLASES = ("default", "openblas", "mkl", "accelerate", "blis")
PLATFORMS = (("linux-64",), ("linux-64", "osx-arm64", "win-64"))
EXTRAS = ((), ("scipy>=1.14,<2", "pandas"))
# (cookiecutter renders every answer as Jinja, so a "{{" in an answer is not compared)
NAMES = (("demo", "A NumPy project"), ("x_y-2", "Odd: # \" ' [ ] \\ é ; <b>"))


def _specs() -> list[ProjectSpec]:
    """Every combination of the matrix that npinit accepts."""
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


def _factors(spec: ProjectSpec) -> tuple[str, ...]:
    """The matrix's answers of one combination, each as one value (the manager with its
    channel, the BLAS as asked)."""
    return (
        f"{spec.manager.value}:{spec.channel.value}",
        spec.blas.value,
        ",".join(p.value for p in spec.platforms),
        str(spec.threads),
        ",".join(spec.with_packages),
        spec.name,
    )


def _must_meet(factors: tuple[str, ...]) -> set[tuple[tuple[int, str], ...]]:
    """What one combination shows together: each pair of its answers, and its manager x BLAS x
    platforms triple."""
    pairs = {
        ((i, factors[i]), (j, factors[j]))
        for i, j in itertools.combinations(range(len(factors)), 2)
    }
    return pairs | {((0, factors[0]), (1, factors[1]), (2, factors[2]))}


def covering(specs: list[ProjectSpec]) -> list[ProjectSpec]:
    """A subset of ``specs`` that shows everything the whole of ``specs`` shows together
    (:func:`_must_meet`), chosen greedily (the combination that adds most, first in order)."""
    wanted = [_must_meet(_factors(spec)) for spec in specs]
    left = set().union(*wanted)
    chosen = []
    while left:
        best = max(range(len(specs)), key=lambda i: (len(wanted[i] & left), -i))
        chosen.append(specs[best])
        left -= wanted[best]
    return chosen


def test_the_covering_set_shows_every_pair_and_triple_of_the_matrix() -> None:
    specs = _specs()
    assert len(specs) >= 100  # the matrix really is built, not refused
    chosen = covering(specs)
    assert set().union(*(_must_meet(_factors(s)) for s in chosen)) == set().union(
        *(_must_meet(_factors(s)) for s in specs)
    )
    assert len(chosen) < len(specs) / 3
    managers = {_factors(s)[0] for s in chosen}
    assert len(managers) == len(MANAGERS) + 1  # conda twice: conda-forge and defaults


@pytest.mark.timeout(600)  # tens of cookiecutter renders: a minute on a loaded machine
def test_every_pair_of_answers_matches_real_cookiecutter(tmp_path: Path) -> None:
    from cookiecutter.main import cookiecutter

    for index, spec in enumerate(covering(_specs())):
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
