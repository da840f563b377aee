"""Pins chosen by solving, for real: uv against the package index (network allowed, as in the
other e2e tests) and py-rattler against ../shared/fixtures/channels. A dependency that holds
the Python back (tensorflow 2.14 has no wheels for Python 3.12) for init, new --with and set
--python; every adopted PyPI real file locks on the first try with the pins init chose."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from packaging.version import Version

from tests.helpers import invoke, lock_section, tree
from tests.integration.test_adopt_real_files import EXPECTED, MORE, all_files, expected, place

pytestmark = pytest.mark.e2e

HELD = "tensorflow>=2.14.0,<=2.14.1 has no wheels for Python 3.12"
PYPI_FILES = [f for f in all_files() if expected(f) in ("pip", "uv", "poetry", "refused")]
PYPI_FILES += [f for f in all_files() if EXPECTED.get(f.name, "").startswith("refused")]
# with solving, a file that includes what the fresh folder lacks is refused (exit 2, one line);
# oreum's `-e .` (its repository's pyproject.toml is not there) is left out, and said so
SOLVE_REFUSED: dict[str, str] = {}  # pybaselines' missing include: refused without solving


def expected_solved(fixture: Path) -> tuple[str, str]:
    """(--manager to give, or ""; the refusal's words, or "")."""
    want = expected(fixture)
    if want.startswith("refused: "):
        return "", want.removeprefix("refused: ")
    several = fixture.name in ("xarray__pyproject.toml", "rtpipeline__pyproject.toml")
    return (want if several else ""), SOLVE_REFUSED.get(fixture.name, "")


def _locks_with(root: Path, python: str, numpy: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err  # the first try
    section = lock_section(root / "npinit.lock", "linux-64")
    by_name = {p["name"]: p for p in section["packages"]}
    assert by_name["numpy"]["version"] == numpy
    assert section["environment"]["python"].startswith(python)


def test_a_dependency_holds_the_python_back_for_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("tensorflow>=2.14.0,<2.15\nnumpy<2\n")
    code, out, err = invoke(["init", "--yes", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.11", "1.26.4")
    assert f"Python 3.11: {HELD}" in report["decisions"]
    _locks_with(root, "3.11", "1.26.4", capsys)
    # the same file with --no-solve: the table's Python, said so
    other = tmp_path / "q"
    other.mkdir()
    (other / "requirements.txt").write_text("tensorflow>=2.14.0,<2.15\nnumpy<2\n")
    code, out, err = invoke(["init", "--yes", "--no-solve"], other, capsys)
    assert code == 0 and "Python 3.12" in out and "--no-solve" in out


TF_NUMPY = "NumPy 1.26.4: tensorflow==2.14.1 needs numpy>=1.23.5,<2.0.0 (NumPy {} does not resolve)"


def test_a_dependency_holds_the_python_back_for_new_with_and_set_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """new --with resolves the packages as they are, numpy left to them (as init resolves a
    file): tensorflow 2.14.1 and NumPy 1.26.4, each held back by tensorflow and said so. A
    numpy line added before solving made uv take NumPy 2.4.6 and go back to tensorflow
    2.14.0; the line naming what held NumPy back was missing on every PyPI path."""
    args = ["new", "tf", "--manager", "pip", "--with", "tensorflow>=2.14.0,<2.15", "--no-input"]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert f"Python 3.11: {HELD}" in err and "Python 3.11" in out
    assert TF_NUMPY.format("2.4.6") in err, err
    root = tmp_path / "tf"
    answers = tomllib.loads((root / ".npinit.toml").read_text())["project"]
    assert (answers["python"], answers["numpy"]) == ("3.11", "1.26.4")
    _locks_with(root, "3.11", "1.26.4", capsys)
    locked = lock_section(root / "npinit.lock", "linux-64")["packages"]
    assert {p["name"]: p["version"] for p in locked}["tensorflow"] == "2.14.1"
    before = tree(root)
    code, _, err = invoke(["set", "--python", "3.12"], root, capsys)
    assert code == 2 and HELD in err and len(err.strip().splitlines()) == 1
    assert tree(root) == before
    code, _, err = invoke(["set", "--python", "3.10"], root, capsys)
    assert code == 0 and "NumPy 1.26.4: the newest the whole file resolves with" in err, err
    assert TF_NUMPY.format("2.2.6") in err, err


def test_the_package_that_caps_numpy_is_named_for_init_and_new_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """numba 0.60.0 needs numpy<2.1, whose releases have no wheels for Python 3.13: the
    Python line names numba (it said 'numpy 2.0.2 ... has no wheels'), and a line says numba
    held NumPy back from the newest for 3.12, for init and for new --with."""
    python = (
        "Python 3.12: numba==0.60.0 needs numpy>=1.22,<2.1, "
        "and no NumPy it allows has wheels for Python 3.13"
    )
    numpy = "NumPy 2.0.2: numba==0.60.0 needs numpy>=1.22,<2.1 (NumPy 2.5.5 does not resolve)"
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("numba==0.60.0\n")
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.12", "2.0.2")
    assert python in report["decisions"] and numpy in report["decisions"], report["decisions"]
    args = ["new", "nb", "--manager", "uv", "--with", "numba==0.60.0", "--no-input"]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert python in err and numpy in err, err


def test_new_with_tries_every_python_numpy_supports_newest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """scipy 1.15 has wheels up to Python 3.13 (an sdist for the newer ones: built from
    source, not counted): new --with takes 3.13 (not the 3.12 npinit chooses without
    packages) and says scipy held it back from 3.14."""
    args = ["new", "sp", "--manager", "pip", "--with", "scipy>=1.15,<1.16", "--no-input"]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert "Python 3.13: scipy==1.15.3 has no wheels for Python 3.14" in err, err
    answers = tomllib.loads((tmp_path / "sp/.npinit.toml").read_text())["project"]
    assert answers["python"] == "3.13"


def test_a_poetry_file_is_solved_by_uv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Poetry's table converted for uv: the range's oldest Python decides NumPy, a git
    dependency is named as left out of the solve."""
    from npinit.editing.adopt_pins import releases_for

    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\n'
        'python = "^3.11"\nnumpy = "^2.1"\nmine = {git = "https://example.org/mine.git"}\n'
    )
    code, out, err = invoke(["init", "--no-input", "--json"], tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["numpy"] == releases_for("3.11", ">=2.1,<3")[-1].version
    assert "mine: not from the index, left out of the solve" in report["decisions"]
    floor = "NumPy {} is what the whole file resolves with for Python 3.11"
    assert any(floor.format(report["numpy"]) in d for d in report["decisions"])


def test_nothing_resolves_is_exit_2_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("tensorflow>=2.14.0,<2.15\nnumpy>=2.5\n")
    before = tree(root)
    code, _, err = invoke(["init", "--no-input"], root, capsys)
    assert code == 2 and "resolves for no Python" in err and "tensorflow" in err
    assert len(err.strip().splitlines()) == 1 and tree(root) == before
    # new --with: every Python tried, none resolves; no project folder is made
    args = ["new", "tf", "--manager", "pip", "--with", "tensorflow>=2.14.0,<2.15"]
    code, _, err = invoke([*args, "--numpy", "2.5", "--no-input"], tmp_path, capsys)
    assert code == 2 and "resolves for no Python" in err and "tensorflow" in err, err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "tf").exists()


# the line saying which package held the Python back (every Python builds rtpipeline's
# acvl-utils and nested-lookup from source, they have no wheels: not those)
HELD_BACK = {
    "pandas__requirements-dev.txt": "Python 3.14: blosc==1.11.4 has no wheels for Python 3.15",
    "rtpipeline__pyproject.toml": "Python 3.14: ndindex==1.10.1 has no wheels for Python 3.15",
}

# pandas' development requirements are about 100 packages: without PEP 658 metadata on the
# index uv reads each wheel, twice (init, then lock); bounded, but longer than 300 s here
SLOW = {"pandas__requirements-dev.txt"}


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param(f, marks=[pytest.mark.timeout(900)] if f.name in SLOW else [])
        for f in PYPI_FILES
    ],
    ids=lambda p: p.name,
)
def test_every_adopted_pypi_real_file_locks_first_try(
    fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the pins init chose: xarray's range is recorded with its newest Python (3.14),
    which need not be installed (uv lock runs with a Python of the range)."""
    root, relative = place(tmp_path, fixture)
    manager, refusal = expected_solved(fixture)
    args = ["init", relative, "--no-input", "--json", *(["--manager", manager] if manager else [])]
    before = tree(root)
    code, out, err = invoke(args, root, capsys)
    if refusal:
        assert code == 2 and err.startswith(f"npinit: error: {refusal}"), err
        assert len(err.strip().splitlines()) == 1
        assert tree(root) == before
        return
    assert code == 0, err
    report = json.loads(out)
    if fixture.name in HELD_BACK:
        assert HELD_BACK[fixture.name] in report["decisions"], report["decisions"]
    _locks_with(root, report["python"], report["numpy"], capsys)


@pytest.fixture
def own_solves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """npinit's remembered resolutions in a folder of this test's own (uv's cache shared)."""
    import os

    monkeypatch.setenv("UV_CACHE_DIR", str(Path(os.environ["XDG_CACHE_HOME"]) / "uv"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "npinit" / "solves"


def _remembered(solves: Path) -> dict[str, str]:
    (path,) = solves.glob("*.toml")
    return {p["name"]: p["version"] for p in tomllib.loads(path.read_text())["packages"]}


def _init_copy(
    root: Path, text: str, args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[str, str]:
    root.mkdir()
    (root / "requirements.txt").write_text(text)
    code, out, err = invoke(["init", "--no-input", "--json", *args], root, capsys)
    assert code == 0, err
    return json.loads(out)["python"], json.loads(out)["numpy"]


def test_a_remembered_resolution_steers_the_next_one_but_not_its_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_solves: Path
) -> None:
    """The versions of a resolution are remembered (numpy never) and preferred by the next
    resolution of the same file for the same Python: six stays at the remembered 1.16.0; a
    remembered markupsafe 2.0.1 (no wheels for the new Pythons: built from source) is left
    free and the answer is the fresh one; a remembered numpy is not preferred."""
    text = "six\nmarkupsafe\nnumpy\n"
    fresh = _init_copy(tmp_path / "a", text, [], capsys)
    remembered = _remembered(own_solves)
    assert "numpy" not in remembered and remembered["six"] != "1.16.0"
    (path,) = own_solves.glob("*.toml")
    planted = {**remembered, "six": "1.16.0", "markupsafe": "2.0.1", "numpy": "1.26.0"}
    lines = [f'[[packages]]\nname = "{n}"\nversion = "{v}"\n' for n, v in planted.items()]
    path.write_text('lock-version = "1.0"\n\n' + "\n".join(lines))
    assert _init_copy(tmp_path / "b", text, [], capsys) == fresh
    again = _remembered(own_solves)
    assert again["six"] == "1.16.0" and again["markupsafe"] == remembered["markupsafe"]


def test_a_steered_resolution_with_an_older_numpy_is_done_again_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_solves: Path
) -> None:
    """numba 0.60 allows only numpy<2.1: steered to it, the resolution gives an older NumPy
    than a fresh one; that answer is not taken, the fresh one is (and remembered)."""
    text = "numba\nnumpy\n"
    fresh = _init_copy(tmp_path / "a", text, ["--python", "3.12"], capsys)
    assert Version(fresh[1]) >= Version("2.1")  # newer than numba 0.60 allows
    (path,) = own_solves.glob("*.toml")
    path.write_text(
        'lock-version = "1.0"\n\n[[packages]]\nname = "numba"\nversion = "0.60.0"\n\n'
        '[[packages]]\nname = "llvmlite"\nversion = "0.43.0"\n'
    )
    assert _init_copy(tmp_path / "b", text, ["--python", "3.12"], capsys) == fresh
    assert _remembered(own_solves)["numba"] != "0.60.0"


def test_conda_pins_are_solved_against_the_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """`python>=3.12` with the conda-forge slice: Python 3.14 (the channel has no 3.15),
    NumPy 2.5.0 (its newest for 3.14 on linux-64); then npinit lock solves the same."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n  - python>=3.12\n  - numpy>=2.3\n"
        "  - libblas=*=*openblas\n  - pytest\n"
    )
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.14", "2.5.0")
    held = next(d for d in report["decisions"] if d.startswith("Python 3.14:"))
    assert "Python 3.15 does not resolve" in held and "python 3.15" in held
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock", "linux-64")
    by_name = {p["name"]: p for p in section["packages"]}
    assert by_name["numpy"]["version"] == "2.5.0"
    assert by_name["python"]["version"].startswith("3.14.")


def test_a_real_conda_file_the_slice_cannot_hold_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """The slice has none of ipykernel, pymc...: nothing resolves, exit 2, nothing written."""
    root, relative = place(tmp_path, MORE / "oreum_core__condaenv_oreum_core.yml")
    before = tree(root)
    args = ["init", relative, "--no-input", "--channel-alias", forge_alias]
    code, _, err = invoke(args, root, capsys)
    assert code == 2 and "does not resolve with Python 3.12" in err and "ipykernel" in err, err
    assert len(err.strip().splitlines()) == 1 and tree(root) == before


def test_a_pixi_manifest_in_a_subfolder_is_pinned_in_place_and_solved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """numpy and python in [dependencies], the manifest in a subfolder: init solves it for
    each Python against the slice and pins the numpy line where it is. Features and
    environments: tests/e2e/test_pixi_environments.py."""
    root = tmp_path / "p"
    (root / "python").mkdir(parents=True)
    text = (
        '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n\n'
        '[dependencies]\npython = ">=3.12"\nnumpy = ">=2.4,<2.5"\npytest = "*"\n'
    )
    (root / "python/pixi.toml").write_text(text)
    args = ["init", "python/pixi.toml", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"], report["file"]) == (
        "3.14",
        "2.4.6",
        "python/pixi.toml",
    )
    held = next(d for d in report["decisions"] if d.startswith("Python 3.14:"))
    assert "the newest the whole file resolves with" in held  # 3.15: no NumPy 2.4 for it
    after = (root / "python/pixi.toml").read_text()
    assert after == text.replace('numpy = ">=2.4,<2.5"', f'numpy = "=={report["numpy"]}"')


def test_pip_extras_in_a_conda_file_are_read_as_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """matplotlib's environment.yml has ``nbconvert[execute]!=6.0.0``: conda has no extras;
    the solve reads the package (here pytest[testing], which the slice has)."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n  - python=3.13\n  - numpy\n"
        "  - pytest[testing]!=8.0.0\n"
    )
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    assert json.loads(out)["python"] == "3.13"
