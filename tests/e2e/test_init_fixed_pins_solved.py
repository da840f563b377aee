"""A file whose Python and NumPy are both fixed (``numpy==2.3.5`` with ``--python 3.12``, a
conda file's ``numpy==2.3.5`` and ``python==3.12.*``) is still solved whole, as ``npinit
lock`` resolves it: what the first lock would refuse or build from source, init refuses
first (the black-box findings F1 and F2 of issue 26: init said "the file's pin, kept" and
the first lock failed, or locked scipy 1.6.1's sdist)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section, tree

pytestmark = pytest.mark.e2e


def test_an_exact_numpy_with_python_given_is_solved_with_wheels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--python narrows the range; it does not turn the solve off: scipy<1.13 has no wheels
    for Python 3.12 with NumPy 2 (uv goes back to scipy 1.6.1's sdist), exit 2."""
    (tmp_path / "requirements.txt").write_text("numpy==2.3.5\nscipy<1.13\n")
    before = tree(tmp_path)
    code, _, err = invoke(["init", "--no-input", "--python", "3.12"], tmp_path, capsys)
    assert code == 2, err
    assert "does not resolve with Python 3.12: scipy==1.6.1 has no wheels for Python 3.12" in err
    assert len(err.strip().splitlines()) == 1 and tree(tmp_path) == before


def test_a_conda_file_with_double_equals_pins_is_solved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """``==`` spelling of the pins: solved as ``=`` is, a package the channel lacks refused."""
    (tmp_path / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n- conda-forge::numpy==2.3.5\n"
        "- conda-forge::python==3.12.*\n- conda-forge::nosuchpackage-xyz\n"
    )
    before = tree(tmp_path)
    args = ["init", "--no-input", "--channel-alias", forge_alias]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 2, err
    assert "does not resolve with Python 3.12" in err and "nosuchpackage-xyz" in err, err
    assert len(err.strip().splitlines()) == 1 and tree(tmp_path) == before


def test_a_relock_does_not_build_what_has_wheels_for_other_pythons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F3: after the constraint became scipy<1.15, uv alone goes back to scipy 1.6.1's sdist
    (wheels for cp37 to cp39 only) for Python 3.13 with NumPy 2.4.6: lock applies init's rule
    (it counts as having no wheels), and says the pins that leave none, exit 2, the lock kept."""
    folder = tmp_path / "requirements"
    folder.mkdir()
    (folder / "base.txt").write_text("numpy>=1.26\n")
    (folder / "constraints.txt").write_text("scipy<1.16\n")
    (folder / "dev.txt").write_text("-r base.txt\n-c constraints.txt\nscipy\n")
    args = ["init", "requirements/dev.txt", "--no-input", "--python", "3.13", "--numpy", "2.4.6"]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    code, _, err = invoke(["lock"], tmp_path, capsys)
    assert code == 0, err
    locked = (tmp_path / "npinit.lock").read_bytes()
    (folder / "constraints.txt").write_text("scipy<1.15\n")
    code, _, err = invoke(["lock"], tmp_path, capsys)
    assert code == 2, err
    assert "you require numpy==2.4.6 and scipy<1.15" in err, err
    assert "scipy==1.6.1 has no wheels for Python 3.13" in err, err
    assert len(err.strip().splitlines()) == 1
    assert (tmp_path / "npinit.lock").read_bytes() == locked


@pytest.mark.parametrize(
    "table",
    [
        '[project.optional-dependencies]\nfast = ["numpy<2.4"]\n',
        '[dependency-groups]\nfast = ["numpy<2.4"]\n',
    ],
    ids=["extra", "group"],
)
def test_a_pip_pyproject_locks_the_table_init_pins_numpy_in(
    table: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F6: numpy only in an extra (or a group) of a pip-managed PEP 621 file: init pins it
    there (numpy<2.4 -> 2.3.5) and records it; lock resolves that table with the
    dependencies, so the first lock holds NumPy 2.3.5 (it resolved without it: 2.5.5,
    refused as not what .npinit.toml records)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1"\nrequires-python = ">=3.12"\n'
        'dependencies = ["scipy"]\n' + table
    )
    code, out, err = invoke(["init", "--no-input", "--manager", "pip", "--json"], tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.3.5"
    assert 'fast = ["numpy==2.3.5"]' in (tmp_path / "pyproject.toml").read_text()
    code, _, err = invoke(["lock"], tmp_path, capsys)
    assert code == 0, err
    numpy = [
        p
        for p in lock_section(tmp_path / "npinit.lock", "linux-64")["packages"]
        if p["name"] == "numpy"
    ]
    assert [p["version"] for p in numpy] == ["2.3.5"]


def test_an_inactive_marker_line_does_not_bind_the_chosen_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """F5: numpy split by python_version, --python 3.11: only the line that holds for 3.11
    applies (the >=3.12 line bound uv's universal resolution, which went back to scipy
    0.17.0: refused, 'scipy==0.17.0 has no wheels for Python 3.11'); then lock agrees."""
    # no remembered resolution steers uv to the answer (uv's own cache stays warm)
    monkeypatch.setenv("UV_CACHE_DIR", str(Path(os.environ["XDG_CACHE_HOME"]) / "uv"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "requirements.txt").write_text(
        'numpy>=1.26,<2; python_version < "3.12"\nnumpy>=2.1; python_version >= "3.12"\nscipy\n'
    )
    args = ["init", "--no-input", "--json", "--python", "3.11"]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "1.26.4"
    assert 'numpy==1.26.4; python_version < "3.12"\n' in (tmp_path / "requirements.txt").read_text()
    code, _, err = invoke(["lock"], tmp_path, capsys)
    assert code == 0, err
    by_name = {p["name"]: p for p in lock_section(tmp_path / "npinit.lock", "linux-64")["packages"]}
    assert by_name["numpy"]["version"] == "1.26.4"
    assert by_name["scipy"]["url"].endswith(".whl")


def test_a_numpy_line_for_another_platform_is_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F7: a win32-only numpy line with scipy for linux-64 and win-64: the line is kept as
    written and none is added, as the decision says (it said 'the file has no numpy entry:
    one is added'); alone, for linux-64, the file installs no numpy there: one line saying
    so (it was 'numpy  (the newest the file's numpy any resolves to) has no wheels ...')."""
    text = 'numpy>=1.26; sys_platform == "win32"\nscipy\n'
    (tmp_path / "requirements.txt").write_text(text)
    args = ["init", "--no-input", "--json", "--platform", "linux-64", "--platform", "win-64"]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    decision = next(d for d in json.loads(out)["decisions"] if d.startswith("NumPy"))
    assert "apply elsewhere only" in decision and "one is added" not in decision, decision
    assert (tmp_path / "requirements.txt").read_text() == text
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "requirements.txt").write_text('numpy>=1.26; sys_platform == "win32"\n')
    code, _, err = invoke(["init", "--no-input", "--platform", "linux-64"], alone, capsys)
    assert code == 2, err
    assert "installs no numpy on linux-64: its numpy lines (numpy>=1.26; sys_platform" in err
    assert len(err.strip().splitlines()) == 1 and "any resolves" not in err


def test_blas_asked_solves_the_file_as_its_edit_leaves_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """F15: --blas mkl replaces nomkl by MKL's selector lines; the solve is of that file (it
    solved the unedited one, refused: 'No candidates were found for nomkl', which the slice
    lacks and the edit removes), and lock, which reads the edited file, agrees."""
    (tmp_path / "environment.yml").write_text(
        "channels: [conda-forge]\ndependencies:\n  - python=3.14\n  - numpy\n  - nomkl\n"
    )
    args = ["init", "--no-input", "--json", "--blas", "mkl", "--channel-alias", forge_alias]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.5.0"
    assert "libblas=*=*mkl" in (tmp_path / "environment.yml").read_text()
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    section = lock_section(tmp_path / "npinit.lock", "linux-64")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == "2.5.0"
