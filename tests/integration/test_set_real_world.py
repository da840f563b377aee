"""Real-world project files for `npinit set`. A Python range is not a pin: it is intersected, in
every spelling, with the Pythons the NumPy release has wheels for; only an empty intersection
is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit.editing.pythons import allowed
from tests.helpers import invoke

FILES = {
    "conda >=": ("environment.yml", "dependencies:\n  - python >=3.5\n  - numpy\n"),
    "conda >= tight": ("environment.yml", "dependencies:\n  - python>=3.6\n  - numpy\n"),
    "conda range": ("environment.yml", "dependencies:\n  - python >=3.9,<3.14\n  - numpy\n"),
    "pep 621": (
        "pyproject.toml",
        '[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["numpy"]\n',
    ),
    "poetry caret": (
        "pyproject.toml",
        '[tool.poetry.dependencies]\npython = "^3.10"\nnumpy = "*"\n',
    ),
    "pixi": (
        "pixi.toml",
        '[workspace]\nname = "x"\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n\n'
        '[dependencies]\npython = ">=3.11"\nnumpy = "*"\n',
    ),
    "requirements python line": ("requirements.txt", "python>=3.9\nnumpy\n"),
}


@pytest.mark.parametrize("case", sorted(FILES))
def test_a_range_is_intersected_not_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    name, text = FILES[case]
    path = tmp_path / name
    path.write_text(text)
    code, _, err = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 0, err
    assert "2.4.6" in path.read_text()
    assert "NumPy 2.4.6 has wheels for 3.11" in err  # the note says which Pythons remain


def test_python_version_file_with_a_range_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / ".python-version").write_text("3.10.4\n")
    code, _, err = invoke(["set", str(tmp_path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 2  # .python-version names one Python, 3.10, which 2.4.6 has no wheels for
    assert "2.4.6" in err and "3.10" in err
    code, _, err = invoke(["set", str(tmp_path), "--numpy", "2.2"], tmp_path, capsys)
    assert code == 0, err
    assert (tmp_path / "requirements.txt").read_text() == "numpy==2.2.6\n"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("dependencies:\n  - python=3.8\n  - numpy\n", "no wheels for Python 3.8"),
        ("dependencies:\n  - python <3.8\n  - numpy\n", "no wheels for Python 3.8"),
    ],
)
def test_an_empty_intersection_is_refused_and_the_file_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    path = tmp_path / "environment.yml"
    path.write_text(text)
    code, _, err = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1
    assert path.read_text() == text


def test_a_range_that_only_old_releases_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "environment.yml"
    path.write_text("dependencies:\n  - python >=3.9,<3.11\n  - numpy\n")
    code, _, err = invoke(["set", str(path), "--numpy", "latest"], tmp_path, capsys)
    assert code == 0, err
    assert "numpy=2.2.6" in path.read_text()  # the newest release with 3.9 or 3.10 wheels
    code, _, err = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 2 and "has wheels for 3.11" in err


@pytest.mark.parametrize(
    ("spec", "dialect", "expected"),
    [
        (">=3.13", "pep440", {"3.13", "3.14", "3.15"}),
        (">=3.10,<3.12", "pep440", {"3.10", "3.11"}),
        ("=3.12", "conda", {"3.12"}),
        ("3.12.*", "conda", {"3.12"}),
        (">=3.12.5", "conda", {"3.12", "3.13", "3.14", "3.15"}),
        ("3.11|3.12", "conda", {"3.11", "3.12"}),
        ("^3.13", "poetry", {"3.13", "3.14", "3.15"}),
        ("~3.11", "poetry", {"3.11"}),
        (">=3.9,<3.11 || >=3.14", "poetry", {"3.9", "3.10", "3.14", "3.15"}),
        ("3.12.1", "version", {"3.12"}),
        ("cpython-3.13", "version", {"3.13"}),
        ("*", "conda", None),
    ],
)
def test_every_spelling(spec: str, dialect: str, expected: set[str] | None) -> None:
    result = allowed(spec, dialect)
    assert (None if result is None else set(result)) == expected


# -- environment files of any name (the real-world issue, section 2) -----------------------

CONDA = "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy=1.26\n"


@pytest.mark.parametrize(
    "relative",
    [
        "environment-dev.yml",
        "environment-gcc.yml",
        "ci/requirements/environment-benchmark.yml",
        "env.yaml",
        "binder/environment.yml",
        "conda/deps.yml",
    ],
)
def test_a_conda_file_of_any_name_given_by_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], relative: str
) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONDA)
    code, _, err = invoke(["set", str(path), "--numpy", "2.3"], tmp_path, capsys)
    assert code == 0, err
    assert "  - numpy=2.3.5\n" in path.read_text()


def test_yaml_that_is_not_an_environment_is_refused_by_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: docs\nnav:\n  - index.md\n")
    code, _, err = invoke(["set", str(path), "--numpy", "2.3"], tmp_path, capsys)
    assert code == 2 and "does not know how to edit mkdocs.yml" in err


def test_a_folder_scan_finds_the_conventional_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "environment-dev.yml").write_text(CONDA)
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements/test.txt").write_text("numpy==1.26.4\n")
    (tmp_path / "requirements-docs.in").write_text("numpy\nsphinx\n")
    (tmp_path / "constraints.txt").write_text("numpy<2\n")
    (tmp_path / "notes.yml").write_text("dependencies:\n  - numpy\n")  # not scanned: by path only
    code, _, err = invoke(["set", str(tmp_path), "--numpy", "2.3"], tmp_path, capsys)
    assert code == 0, err
    assert "numpy=2.3.5" in (tmp_path / "environment-dev.yml").read_text()
    assert (tmp_path / "requirements/test.txt").read_text() == "numpy==2.3.5\n"
    assert (tmp_path / "requirements-docs.in").read_text() == "numpy==2.3.5\nsphinx\n"
    assert (tmp_path / "constraints.txt").read_text() == "numpy==2.3.5\n"
    assert (tmp_path / "notes.yml").read_text() == "dependencies:\n  - numpy\n"


# -- BLAS selectors in every spelling (section 5b) -----------------------------------------


@pytest.mark.parametrize(
    ("selector", "channel"),
    [
        ("blas[build=mkl]", "defaults"),  # conda-lock's own test environment
        ("libblas[build=*mkl]", "conda-forge"),
        ("conda-forge::libblas=*=*mkl", "conda-forge"),
        ("libblas * *mkl", "conda-forge"),
        ("blas=1.0=mkl", "defaults"),
        ("blas=*=mkl", "defaults"),
    ],
)
def test_set_blas_replaces_a_selector_in_any_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], selector: str, channel: str
) -> None:
    path = tmp_path / "environment.yml"
    path.write_text(
        f"channels:\n  - {channel}\ndependencies:\n  - python=3.12\n  - numpy\n"
        f"  - {selector}\n  - mkl\n  - scipy\n"
    )
    code, _, err = invoke(["set", str(path), "--blas", "openblas"], tmp_path, capsys)
    assert code == 0, err
    from tests.helpers import load_yaml

    deps = load_yaml(path)["dependencies"]
    assert selector not in deps and "mkl" not in deps  # nothing left that contradicts
    wanted = "blas=*=openblas" if channel == "defaults" else "libblas=*=*openblas"
    assert wanted in deps and "scipy" in deps and "numpy" in deps


def test_the_selector_grammar_without_py_rattler_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from npinit.editing.selectors import blas_build

    spellings = {
        "libblas=*=*mkl": "*mkl",
        "libblas[build=*mkl]": "*mkl",
        "conda-forge::libblas=*=*openblas": "*openblas",
        "libblas * *mkl": "*mkl",
        "blas=1.0=openblas": "openblas",
        "blas[build=mkl]": "mkl",
        "blas-devel=*=*openblas": "*openblas",
        "libblas=3.9.0": None,
        "libblas": None,
    }
    with_rattler = {spec: blas_build(spec) for spec in spellings}
    real_import = builtins.__import__

    def no_rattler(name: str, *args: object, **kwargs: object) -> object:
        if name == "rattler":
            raise ImportError("hidden by the test")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_rattler)
    without = {spec: blas_build(spec) for spec in spellings}
    assert with_rattler == spellings and without == spellings
