"""`npinit init` on every real environment file of ../shared/fixtures/realworld and
realworld-more, each at its real path in a fresh folder: adopted (exit 0, only numpy, Python
and BLAS lines changed, the file still parses as its kind, `.npinit.toml` naming it relative
to the project) or refused with one line a maintainer would accept. Decided from the release
table (--no-solve); the solving and the locks are in tests/e2e/test_adopt_solve.py."""

from __future__ import annotations

import difflib
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import invoke, tree

REALWORLD = FIXTURES / "realworld"
MORE = FIXTURES / "realworld-more"


def real_path(fixture: Path) -> str:
    """Where the file lives in its repository (MANIFEST.txt, else its name)."""
    if fixture.parent == MORE:
        for line in (MORE / "MANIFEST.txt").read_text().splitlines()[1:]:
            name, _, path, *_ = line.split("\t")
            if name == fixture.name:
                return path
    return fixture.name.split("__", 1)[1].replace("__", "/")


def all_files() -> list[Path]:
    skip = {"README.md", "MANIFEST.txt"}
    return sorted([*REALWORLD.iterdir(), *(p for p in MORE.iterdir() if p.name not in skip)])


# file -> the manager it is adopted with (--manager when several fit), or the refusal's words
EXPECTED: dict[str, str] = {
    "PythonDataScienceHandbook__requirements.txt": (
        "refused: requirements.txt: numpy==1.11 has no wheel for any Python npinit supports "
        "(3.8 on; NumPy's first release with wheels for Python 3.8 is 1.17.3) (the newest "
        "release that fits: NumPy 1.17.5 (Python 3.8); pin it in requirements.txt "
        "(numpy==1.11 -> numpy==1.17.5), then run npinit init again)"
    ),
    "numpy__pyproject.toml": (
        'refused: pyproject.toml is NumPy\'s own project ([project] name = "numpy"): npinit '
        "pins NumPy in projects that use it, not in the one that builds it"
    ),
    "xarray__pyproject.toml": "uv",
    "rtpipeline__pyproject.toml": "pip",
    "LLMs-from-scratch__pyproject.toml": "uv",
    "mlcourse__pyproject.toml": "poetry",
    # pixi's PyPI dependencies are locked (uv, the conda packages fixed): adopted
    "Network-Analysis-Made-Simple__pyproject.toml": "pixi",
    "pybaselines__requirements__requirements-documentation.txt": (
        "refused: requirements-documentation.txt includes requirements.txt, which does not "
        "exist: npinit cannot lock it"
    ),
}
SEVERAL_FIT = {"xarray__pyproject.toml", "rtpipeline__pyproject.toml"}


def expected(fixture: Path) -> str:
    if fixture.name in EXPECTED:
        return EXPECTED[fixture.name]
    if fixture.suffix in (".yml", ".yaml"):
        return "conda"
    return "pixi" if fixture.name.endswith("pixi.toml") else "pip"


def place(tmp_path: Path, fixture: Path) -> tuple[Path, str]:
    root = tmp_path / fixture.name.split("__")[0]
    relative = real_path(fixture)
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, root / relative)
    return root, relative


def parses_as(kind: str, path: Path) -> None:
    """The file still parses as its kind, with the tool that reads that kind."""
    from npinit.editing import conda_env, requirements
    from npinit.editing.context import kind_of_file

    text = path.read_text("utf-8")
    if kind == "conda":
        assert kind_of_file(path, text) == "conda"
        conda_env.parse(text, str(path))
    elif path.suffix == ".toml":
        tomllib.loads(text)
    else:
        requirements.check(text, str(path))


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line[1:]
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_the_fixture_sets_are_all_here() -> None:
    assert len(all_files()) == 30 and len(list(REALWORLD.iterdir())) == 8


@pytest.mark.parametrize("fixture", all_files(), ids=lambda p: p.name)
def test_every_real_file_at_its_real_path(
    fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from npinit.knowledge import releases

    root, relative = place(tmp_path, fixture)
    before = tree(root)
    want = expected(fixture)
    args = ["init", relative, "--no-solve", "--no-input", "--json"]
    if fixture.name in SEVERAL_FIT:
        code, _, err = invoke(args, root, capsys)
        assert code == 2 and "several files fit" in err and "uv (pyproject.toml)" in err
        args += ["--manager", want]
    code, out, err = invoke(args, root, capsys)
    if want.startswith("refused: "):
        assert code == 2 and err.startswith("npinit: error: " + want.removeprefix("refused: ")), err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert tree(root) == before
        return
    assert code == 0, err
    report = json.loads(out)
    answers = tomllib.loads((root / ".npinit.toml").read_text())["project"]
    assert (answers["manager"], answers["file"]) == (want, relative)
    release = next(r for r in releases.all_releases() if r.version == answers["numpy"])
    assert release.supports(answers["python"])  # the pin has wheels for the Python
    after = tree(root)
    assert sorted(after) == sorted([*before, ".npinit.toml", "tests/test_environment.py"])
    text = (root / relative).read_text("utf-8")
    for line in changed_lines(before[relative].decode(), text):
        assert "numpy" in line.lower(), line  # only numpy lines change without --blas
    assert answers["numpy"] in text or "the file's pin, kept" in " ".join(report["decisions"])
    parses_as(want, root / relative)
    skipped = [d for d in report["decisions"] if "left out of the solve and the lock" in d]
    assert skipped == ([SKIPPED] if fixture.name == "oreum_core__requirements.txt" else [])


SKIPPED = (
    "-e .: left out of the solve and the lock (its folder has no pyproject.toml, setup.py "
    "or setup.cfg)"
)


def test_the_search_finds_files_in_the_usual_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without PATH: ci/, envs/, conda-envs/, requirements/, binder/ are searched; one fit is
    taken, several are named (exit 2 with --no-input) and asked for on a terminal."""
    for folder in ("ci", "envs", "conda-envs", "environment", ".binder"):
        root = tmp_path / folder.strip(".")
        (root / folder).mkdir(parents=True)
        shutil.copyfile(MORE / "pythia-foundations__environment.yml", root / folder / "any.yml")
        code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
        assert code == 0, (folder, err)
        assert json.loads(out)["file"] == f"{folder}/any.yml"
    root = tmp_path / "two"
    (root / "ci").mkdir(parents=True)
    (root / "ci/requirements-py3.10.yml").write_text("dependencies:\n  - python=3.10\n  - numpy\n")
    (root / "ci/requirements-py3.12.yml").write_text("dependencies:\n  - python=3.12\n  - numpy\n")
    before = tree(root)
    code, _, err = invoke(["init", "--no-solve", "--no-input"], root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert (
        "conda (ci/requirements-py3.10.yml)" in err and "conda (ci/requirements-py3.12.yml)" in err
    )
    assert tree(root) == before
    code, out, err = invoke(["init", "--no-solve", "--yes"], root, capsys, stdin="2\n")
    assert code == 0, err
    assert "2. conda (ci/requirements-py3.12.yml)" in err
    answers = tomllib.loads((root / ".npinit.toml").read_text())["project"]
    assert answers["file"] == "ci/requirements-py3.12.yml" and answers["python"] == "3.12"
    assert (root / "ci/requirements-py3.10.yml").read_bytes() == before[
        "ci/requirements-py3.10.yml"
    ]


def test_a_file_outside_the_current_folder_is_its_own_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "elsewhere"
    (root / "deep/er").mkdir(parents=True)
    shutil.copyfile(MORE / "statsmodels__requirements.txt", root / "deep/er/reqs.txt")
    here = tmp_path / "here"
    here.mkdir()
    path = str(root / "deep/er/reqs.txt")
    code, out, err = invoke(["init", path, "--no-solve", "--no-input", "--json"], here, capsys)
    assert code == 2 and "not an environment file npinit knows" in err  # reqs.txt: no kind
    (root / "deep/er/reqs.txt").rename(root / "deep/er/requirements-x.txt")
    path = str(root / "deep/er/requirements-x.txt")
    code, out, err = invoke(["init", path, "--no-solve", "--no-input", "--json"], here, capsys)
    assert code == 0, err
    assert json.loads(out)["file"] == "requirements-x.txt"
    assert (root / "deep/er/.npinit.toml").is_file() and not list(here.iterdir())


def test_the_platform_comes_from_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Accelerate selector exists only on macOS; env.Windows.yml names its platform."""
    cases = {
        "oreum_core__condaenv_oreum_core.yml": (["osx-arm64"], "accelerate selector"),
        "GPlates__env.Windows.yml": (["win-64"], "the file's name"),
    }
    for name, (platforms, why) in cases.items():
        root, relative = place(tmp_path / name, MORE / name)
        code, out, err = invoke(["init", relative, "--no-solve", "--yes", "--json"], root, capsys)
        assert code == 0, err
        report = json.loads(out)
        assert report["platforms"] == platforms
        assert why in next(d for d in report["decisions"] if d.startswith("platforms:"))
        answers = tomllib.loads((root / ".npinit.toml").read_text())["project"]
        assert answers["platforms"] == platforms
    root = tmp_path / "pixi"  # pixi's own platforms list
    root.mkdir()
    (root / "pixi.toml").write_text(
        '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["win-64", "osx-arm64"]\n'
        '[dependencies]\npython = "3.13.*"\nnumpy = "*"\n'
    )
    code, out, err = invoke(["init", "--no-solve", "--yes", "--json"], root, capsys)
    assert code == 0, err
    assert json.loads(out)["platforms"] == ["win-64", "osx-arm64"]


def test_legacy_numpy_and_old_pythons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Python 3.8 gets NumPy 1.24.4 (the newest with 3.8 wheels); a pin to a release with no
    wheel for any supported Python is refused with the newest release that fits."""
    root, relative = place(
        tmp_path, MORE / "python-ecology-lesson__episodes__files__environment.yml"
    )
    code, out, err = invoke(["init", relative, "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    assert (json.loads(out)["python"], json.loads(out)["numpy"]) == ("3.8", "1.24.4")
    for pin, python, newest in (("1.22.4", "3.10", "1.22.4"), ("1.17.0", "", "1.17.5")):
        case = tmp_path / pin
        case.mkdir()
        (case / "environment.yml").write_text(
            f"dependencies:\n  - python={python or '3.7'}\n  - numpy=={pin}\n"
        )
        before = tree(case)
        code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], case, capsys)
        if pin == "1.22.4":
            assert code == 0 and json.loads(out)["numpy"] == "1.22.4", err
            continue
        assert code == 2 and f"numpy=={pin} has no wheel for any Python npinit supports" in err
        assert f"NumPy {newest}" in err and tree(case) == before


def test_the_forms_people_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CRLF, no final newline, 4-space indents, a conda-forge:: prefix, a reversed range;
    only the numpy line changes and every other byte stays."""
    root = tmp_path / "p"
    root.mkdir()
    text = (
        "channels:\r\n    - conda-forge\r\ndependencies:\r\n    - python >=3.11,<3.13\r\n"
        "    - conda-forge::numpy <3,>=2.0  # arrays\r\n    - libblas=*=*openblas"
    )
    (root / "environment.yml").write_bytes(text.encode())
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    numpy = json.loads(out)["numpy"]
    assert json.loads(out)["blas"] == "openblas" and json.loads(out)["python"] == "3.12"
    expected_text = text.replace("conda-forge::numpy <3,>=2.0", f"conda-forge::numpy={numpy}")
    assert (root / "environment.yml").read_bytes() == expected_text.encode()
    assert "the file has conda-forge::numpy <3,>=2.0" in " ".join(json.loads(out)["decisions"])


def test_the_decision_lines_say_what_the_file_had(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("numpy\nscipy\n")
    code, out, err = invoke(["init", "--no-solve", "--yes"], root, capsys)
    assert code == 0, err
    assert "the file has numpy (unpinned)" in out and "no numpy entry" not in out
    assert "--no-solve: pins from the release table alone" in out
    other = tmp_path / "q"
    other.mkdir()
    (other / "requirements.txt").write_text("numpy<2\n")
    code, out, err = invoke(["init", "--no-solve", "--yes"], other, capsys)
    assert code == 0 and "NumPy 1.26.4: the newest release for Python 3.12" in out
    third = tmp_path / "r"
    third.mkdir()
    (third / "pyproject.toml").write_text(
        '[project]\nname = "r"\nrequires-python = ">=3.10"\ndependencies = ["numpy>=1.26"]\n'
    )
    code, out, err = invoke(["init", "--no-solve", "--yes", "--manager", "uv"], third, capsys)
    assert code == 0, err
    # uv locks the whole range: the newest release for its oldest Python, 3.10, said so
    assert "NumPy 2.2.6: the newest release for Python 3.10, the oldest of '>=3.10'" in out


def test_numpy_lines_with_markers_only_the_one_for_the_python_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """jax's two numpy lines (``~=2.1.0`` up to 3.13, ``>=2.3.2`` from 3.14): for Python 3.12
    the first is pinned, the second kept as it is."""
    fixture = MORE / "jax__build__nonfreethreading-requirements.txt"
    root, relative = place(tmp_path, fixture)
    args = ["init", relative, "--no-solve", "--no-input", "--json", "--python", "3.12"]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.1.3"
    before = fixture.read_text()
    after = (root / relative).read_text()
    assert changed_lines(before, after) == [
        'numpy~=2.1.0; python_version<="3.13"',
        'numpy==2.1.3; python_version<="3.13"',  # the line's own spelling but the version
    ]
