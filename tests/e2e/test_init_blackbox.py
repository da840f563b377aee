"""What a black-box tester of ``npinit init`` found that needs a resolver (issue 26): a
requirements file's ``-e .`` while the project's own pyproject.toml (or setup.py) is there
(uv really resolves the project with the file: its dependencies hold the pins back; npinit
lock then locks its dependencies on the first try, not the folder, which has no index file
and no hash); a ``conda-forge::`` spec read through ``--channel-alias`` (py-rattler against
../shared/fixtures/channels). Network to the index, as the other e2e tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
dependencies = ["numpy<2.3"]

[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
"""
SETUP_PY = (
    "import pathlib\n"
    "pathlib.Path(__file__).parent.parent.joinpath('ran').write_text('setup.py ran')\n"
    "from setuptools import setup\n"
    "setup(name='demo', version='0.1.0', py_modules=[], install_requires=['numpy<2.3'])\n"
)


@pytest.mark.parametrize(
    ("project", "numpy", "said"),
    [
        ({"pyproject.toml": PYPROJECT}, "2.2.6", "its dependencies are solved and locked"),
        ({"setup.py": SETUP_PY}, None, "left out of the solve and the lock (only its build"),
        (
            {
                "pyproject.toml": PYPROJECT.replace(
                    'dependencies = ["numpy<2.3"]', 'dynamic = ["dependencies"]'
                ),
                "setup.py": SETUP_PY,
            },
            None,
            "left out of the solve and the lock (only its build",
        ),
    ],
    ids=["pyproject", "setup", "dynamic"],
)
def test_the_solve_sees_a_static_project_and_never_runs_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    project: dict[str, str],
    numpy: str | None,
    said: str,
) -> None:
    """A pyproject.toml whose dependencies are written in it is solved with the file (its
    numpy<2.3 holds the pin back); a setup.py or a dynamic [project] would have to run to
    tell its dependencies: left out, and its code never runs (it writes ../ran when it
    does), in init and in the first lock."""
    root = tmp_path / "p"
    root.mkdir()
    for name, text in project.items():
        (root / name).write_text(text)
    (root / "requirements.txt").write_text("-e .\nnumpy>=2\n")
    args = ["init", "requirements.txt", "--no-input", "--json", "--python", "3.12"]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    report = json.loads(out)
    pinned = numpy or report["numpy"]
    assert pinned != "2.2.6" or numpy == "2.2.6"  # without the project, numpy>=2's newest
    assert f"-e .: {said}" in " ".join(report["decisions"])
    assert f"numpy=={pinned}" in (root / "requirements.txt").read_text()
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err  # the first try
    names = {p["name"]: p["version"] for p in lock_section(root / "npinit.lock")["packages"]}
    assert names == {"numpy": pinned}  # the project's dependency; not the folder itself
    assert invoke(["lock", "--check"], root, capsys)[0] == 0  # and the lock fits the file
    assert not (tmp_path / "ran").exists(), "the project's setup.py ran"
    assert not list(root.glob("*.egg-info"))


def test_a_channel_prefixed_spec_is_read_through_the_channel_alias(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """``conda-forge::numpy >=2.4`` with the conda-forge slice as the alias: init's solve and
    npinit lock read that channel through the alias (conda.anaconda.org is not reachable
    here), and the lock records conda-forge's canonical URLs."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n  - python 3.14.*\n"
        "  - conda-forge::numpy >=2.4,<2.5\n"
    )
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    assert (json.loads(out)["python"], json.loads(out)["numpy"]) == ("3.14", "2.4.6")
    assert "  - conda-forge::numpy=2.4.6\n" in (root / "environment.yml").read_text()
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err
    numpy = next(p for p in lock_section(root / "npinit.lock")["packages"] if p["name"] == "numpy")
    assert numpy["version"] == "2.4.6"
    assert numpy["url"].startswith("https://conda.anaconda.org/conda-forge/")


UV_PROJECT = """\
[project]
name = "x"
version = "0.1.0"
requires-python = ">=3.10,<3.14"
dependencies = ["numpy>=2.1"]

[tool.uv]
"""


@pytest.mark.parametrize(
    ("name", "text", "numpy"),
    [("requirements.txt", "numpy>=2\n", "2.3.5"), ("pyproject.toml", UV_PROJECT, "2.1.3")],
    ids=["pip", "uv"],
)
def test_an_asked_numpy_is_what_the_solve_resolves_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, numpy: str
) -> None:
    """--numpy while the solve chooses the Python: the file's own range (numpy>=2, the uv
    range's oldest Python) never replaces the asked release (it gave 2.5.5 and 2.2.6 while
    the decision line said 'asked for (--numpy)')."""
    root = tmp_path / "p"
    root.mkdir()
    (root / name).write_text(text)
    code, out, err = invoke(["init", "--no-input", "--json", "--numpy", numpy], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["numpy"] == numpy
    assert f"NumPy {numpy}: asked for (--numpy)" in " ".join(report["decisions"])
    assert f"numpy=={numpy}" in (root / name).read_text()
