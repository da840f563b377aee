"""The tamper matrix: for each manager, each place a hash or a version is written in a lock
npinit relies on (npinit.lock, uv.lock, poetry.lock, pixi.lock) is changed, one occurrence
at a time, and npinit refuses: ``lock --check`` exits 2, and ``create`` refuses with nothing
built. Every input (a file, a table, an answer) changed makes ``lock --check`` exit 2."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import need_python, run
from tests.helpers import invoke, no_conda_path

pytestmark = pytest.mark.e2e


def _npinit(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    run([sys.executable, "-m", "npinit", *args], cwd=cwd, env=env)


def _numpy(project: Path, platform: str = "linux-64") -> dict[str, object]:
    sections = tomllib.loads((project / "npinit.lock").read_text())["platforms"]
    found: dict[str, object] = next(
        p for p in sections[platform]["packages"] if p["name"] == "numpy"
    )
    return found


def _once(text: str, old: str, new: str) -> str:
    """``text`` with the first occurrence of ``old`` replaced (it must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)


def _copy(made: Path, tmp_path: Path) -> Path:
    project = tmp_path / made.name
    shutil.copytree(made, project, symlinks=True)
    return project


def _refused(project: Path, capsys: pytest.CaptureFixture[str], *create: str) -> str:
    """``lock --check`` exits 2 and ``create`` exits 2 without building anything."""
    code, out, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1, err
    before = sorted(p.name for p in project.iterdir())
    code, _, err2 = invoke(["create", "--no-check", *create], project, capsys)
    assert code == 2, err2
    assert sorted(p.name for p in project.iterdir()) == before  # no .venv, .pixi, .conda
    return err + err2


# -- uv: uv.lock is what installs -------------------------------------------------------------


@pytest.fixture(scope="module")
def uv_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_python("3.12")
    root = tmp_path_factory.mktemp("uv")
    _npinit(["new", "uvt", "--manager", "uv", "--python", "3.12", "--numpy", "2.4.6",
             "--platform", "linux-64", "--platform", "osx-arm64", "--no-input"], root)  # fmt: skip
    _npinit(["lock"], root / "uvt")
    return root / "uvt"


def _second_hash(numpy: dict[str, object]) -> str:
    hashes = [str(h).removeprefix("sha256:") for h in numpy["hashes"]]  # type: ignore[attr-defined]
    return next(h for h in hashes if h != numpy["sha256"])


UV_CASES: dict[str, Callable[[Path], None]] = {}


Change = Callable[[Path], None]


def _case(table: dict[str, Change], name: str) -> Callable[[Change], Change]:
    def register(function: Callable[[Path], None]) -> Callable[[Path], None]:
        table[name] = function
        return function

    return register


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text()))


@_case(UV_CASES, "npinit.lock numpy sha256")
def _uv_sha(project: Path) -> None:
    numpy = _numpy(project)
    _edit(project / "npinit.lock", lambda t: _once(t, f'sha256 = "{numpy["sha256"]}"',
                                                   f'sha256 = "{"0" * 64}"'))  # fmt: skip


@_case(UV_CASES, "npinit.lock numpy sha256 and its hashes entry")
def _uv_sha_both(project: Path) -> None:
    sha = str(_numpy(project)["sha256"])
    _edit(project / "npinit.lock", lambda t: t.replace(sha, "0" * 64))


@_case(UV_CASES, "npinit.lock numpy hashes entry (osx-arm64: two wheels)")
def _uv_hashes(project: Path) -> None:
    other = _second_hash(_numpy(project, "osx-arm64"))
    _edit(project / "npinit.lock", lambda t: _once(t, other, "0" * 64))


@_case(UV_CASES, "npinit.lock numpy version")
def _uv_version(project: Path) -> None:
    _edit(project / "npinit.lock", lambda t: _once(t, 'version = "2.4.6"', 'version = "2.4.5"'))


@_case(UV_CASES, "uv.lock numpy wheel hash")
def _uv_lock_hash(project: Path) -> None:
    sha = str(_numpy(project)["sha256"])
    _edit(project / "uv.lock", lambda t: _once(t, f"sha256:{sha}", f"sha256:{'0' * 64}"))


@_case(UV_CASES, "uv.lock numpy version")
def _uv_lock_version(project: Path) -> None:
    _edit(project / "uv.lock", lambda t: _once(t, 'name = "numpy"\nversion = "2.4.6"',
                                               'name = "numpy"\nversion = "2.4.5"'))  # fmt: skip


def _uv_musl_numpy_hash(project: Path) -> str:
    """The sha256 uv.lock gives numpy's musllinux x86-64 wheel for CPython 3.12 (what
    ``uv sync`` installs on a musl Linux of linux-64)."""
    data = tomllib.loads((project / "uv.lock").read_text())
    numpy = next(p for p in data["package"] if p["name"] == "numpy")
    [wheel] = [w for w in numpy["wheels"] if "cp312-cp312-musllinux" in w["url"]
               and w["url"].endswith("_x86_64.whl")]  # fmt: skip
    return str(wheel["hash"]).removeprefix("sha256:")


@_case(UV_CASES, "uv.lock numpy musllinux wheel hash (linux-64)")
def _uv_lock_musl_hash(project: Path) -> None:
    sha = _uv_musl_numpy_hash(project)
    assert sha in (project / "npinit.lock").read_text()  # npinit.lock keeps it, to compare
    _edit(project / "uv.lock", lambda t: _once(t, f"sha256:{sha}", f"sha256:{'0' * 64}"))


@_case(UV_CASES, "npinit.lock numpy musllinux wheel hash (linux-64)")
def _uv_musl_hash(project: Path) -> None:
    sha = _uv_musl_numpy_hash(project)
    _edit(project / "npinit.lock", lambda t: t.replace(sha, "0" * 64))


@pytest.mark.parametrize("case", sorted(UV_CASES))
def test_uv_refuses_every_tampered_hash_and_version(
    case: str, uv_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(uv_made, tmp_path)
    UV_CASES[case](project)
    err = _refused(project, capsys)
    assert "numpy" in err


def test_uv_verify_refuses_a_tampered_npinit_lock(
    uv_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(uv_made, tmp_path)
    code, _, err = invoke(["create", "--no-check", "--json"], project, capsys)
    assert code == 0, err
    code, _, _ = invoke(["verify"], project, capsys)
    assert code == 0
    _uv_hashes(project)
    code, out, err = invoke(["verify"], project, capsys)
    assert code == 2 and "numpy" in err and "No drift" not in out


# -- every input is an input ------------------------------------------------------------------


def _pyproject(project: Path, old: str, new: str) -> None:
    _edit(project / "pyproject.toml", lambda t: _once(t, old, new))


UV_INPUTS: dict[str, Callable[[Path], None]] = {
    "a dependency": lambda p: _pyproject(p, '"numpy==2.4.6",', '"numpy==2.4.6", "rich",'),
    "a dependency group": lambda p: _pyproject(p, '"pytest",', '"pytest", "hypothesis",'),
    "[tool.uv] sources": lambda p: _edit(
        p / "pyproject.toml", lambda t: t + '\n[tool.uv.sources]\nrich = { path = "../rich" }\n'
    ),
    "[tool.uv] index": lambda p: _edit(
        p / "pyproject.toml",
        lambda t: t + '\n[[tool.uv.index]]\nname = "mirror"\nurl = "https://example.org/simple"\n',
    ),
    "optional dependencies": lambda p: _pyproject(
        p,
        "[dependency-groups]",
        '[project.optional-dependencies]\nx = ["rich"]\n\n[dependency-groups]',
    ),
    "the Python answer": lambda p: _edit(
        p / ".npinit.toml", lambda t: _once(t, 'python = "3.12"', 'python = "3.13"')
    ),
    "the platforms answer": lambda p: _edit(
        p / ".npinit.toml",
        lambda t: _once(t, 'platforms = ["linux-64", "osx-arm64"]', 'platforms = ["linux-64"]'),
    ),
}


@pytest.mark.parametrize("change", sorted(UV_INPUTS))
def test_every_input_of_a_uv_project_makes_the_lock_stale(
    change: str, uv_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(uv_made, tmp_path)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0, err
    UV_INPUTS[change](project)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2, err


def _locked_names(project: Path, platform: str = "linux-64") -> set[str]:
    sections = tomllib.loads((project / "npinit.lock").read_text())["platforms"]
    return {str(p["name"]) for p in sections[platform]["packages"]}


def test_a_uv_lock_holds_the_groups_uv_sync_installs(
    uv_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """uv sync installs [tool.uv] default-groups ("dev" unless said): so does the lock."""
    project = _copy(uv_made, tmp_path)
    _edit(project / "pyproject.toml", lambda t: _once(t, "[tool.uv]\n",
          '[tool.uv]\ndefault-groups = ["docs"]\n').replace(
          "[dependency-groups]\n", '[dependency-groups]\ndocs = ["six"]\n'))  # fmt: skip
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    names = _locked_names(project)
    assert "six" in names and "numpy" in names and "pytest" not in names, names
    _edit(project / "pyproject.toml", lambda t: _once(t, '["docs"]', '"all"'))
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    assert {"six", "pytest", "numpy"} <= _locked_names(project)


# -- pip: npinit.lock itself installs, every file against its hash ---------------------------


@pytest.fixture(scope="module")
def pip_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_python("3.12")
    root = tmp_path_factory.mktemp("pip")
    _npinit(["new", "pipt", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6",
             "--platform", "linux-64", "--no-input"], root)  # fmt: skip
    project = root / "pipt"
    (project / "dev.txt").write_text("threadpoolctl\n")
    _edit(project / "requirements.txt", lambda t: t + "-r dev.txt\n")
    _npinit(["lock"], project)
    return project


def test_pip_a_sha256_that_is_not_among_the_hashes_is_refused(
    pip_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(pip_made, tmp_path)
    numpy = _numpy(project)
    _edit(project / "npinit.lock", lambda t: _once(t, f'sha256 = "{numpy["sha256"]}"',
                                                   f'sha256 = "{"0" * 64}"'))  # fmt: skip
    err = _refused(project, capsys)
    assert "(numpy)" in err and "not among its hashes" in err


@pytest.mark.parametrize("where", ["sha256 and hashes", "version"])
def test_pip_create_refuses_a_tampered_file_with_nothing_built(
    where: str, pip_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(pip_made, tmp_path)
    numpy = _numpy(project)
    sha = str(numpy["sha256"])
    change = {
        "sha256 and hashes": lambda t: t.replace(sha, "0" * 64),
        "version": lambda t: _once(t, 'version = "2.4.6"', 'version = "2.4.5"'),
    }[where]
    _edit(project / "npinit.lock", change)
    code, out, err = invoke(["create", "--no-check"], project, capsys)
    # a hash nothing matches fails the install (exit 1); a version other than the project's
    # pin is refused before anything is installed, naming it (exit 2)
    assert code == (2 if where == "version" else 1), out + err
    assert where != "version" or "NumPy 2.4.5, the project pins 2.4.6" in err
    assert not (project / ".venv").exists()


@pytest.mark.parametrize(
    ("file", "line", "named"),
    [
        ("requirements.txt", "six", "six is not in npinit.lock"),
        ("dev.txt", "threadpoolctl<3", "not threadpoolctl<3"),
        ("requirements.txt", "pytest>=99", "not pytest>=99"),
    ],
)
def test_pip_a_lock_whose_inputs_were_edited_to_match_is_still_checked(
    file: str, line: str, named: str, pip_made: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A requirement added to a file and to the lock's [inputs] together (a pull request that
    edits both): every section is checked against the requirements themselves."""
    import json

    project = _copy(pip_made, tmp_path)
    _edit(project / file, lambda t: t + line + "\n")
    inputs = tomllib.loads((project / "npinit.lock").read_text())["inputs"]["requirements"]
    edited = [*inputs, line if file == "requirements.txt" else f"{file}: {line}"]
    _edit(project / "npinit.lock", lambda t: _once(t, f"requirements = {json.dumps(inputs)}",
          f"requirements = {json.dumps(edited)}"))  # fmt: skip
    err = _refused(project, capsys)
    assert named in err, err


def test_an_included_requirements_file_is_an_input(
    pip_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(pip_made, tmp_path)
    lock = tomllib.loads((project / "npinit.lock").read_text())
    assert "dev.txt: threadpoolctl" in lock["inputs"]["requirements"]
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0, err
    _edit(project / "dev.txt", lambda t: t + "rich\n")
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2 and "dev.txt: rich" in err
    code, _, err = invoke(["create", "--no-check"], project, capsys)
    assert code == 2 and not (project / ".venv").exists()


def test_an_include_outside_the_project_is_refused_not_dropped(
    pip_made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(pip_made, tmp_path)
    (tmp_path / "outside.txt").write_text("rich\n")
    _edit(project / "requirements.txt", lambda t: t + "-r ../outside.txt\n")
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 2 and "outside.txt" in err and "cannot lock" in err


# -- conda through the embedded engine: npinit.lock installs ---------------------------------


@pytest.fixture(scope="module")
def conda_made(tmp_path_factory: pytest.TempPathFactory, channel: Path) -> Path:
    root = tmp_path_factory.mktemp("conda")
    _npinit(["new", "ct", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
             "--platform", "linux-64", "--no-input"], root)  # fmt: skip
    _npinit(["lock", "--channel-alias", channel.as_uri()], root / "ct")
    return root / "ct"


@pytest.mark.parametrize("field", ["sha256", "md5", "version", "build"])
def test_conda_create_refuses_each_tampered_field_with_nothing_built(
    field: str,
    conda_made: Path,
    channel: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", no_conda_path())
    project = _copy(conda_made, tmp_path)
    numpy = _numpy(project)
    value = str(numpy[field])
    new = {"sha256": "0" * 64, "md5": "0" * 32, "version": "2.4.5", "build": "py312_9"}[field]
    _edit(project / "npinit.lock", lambda t: _once(t, f'{field} = "{value}"', f'{field} = "{new}"'))
    code, out, err = invoke(["create", "--no-check", "--channel-alias", channel.as_uri()],
                            project, capsys)  # fmt: skip
    assert code in (1, 2) and len(err.strip().splitlines()) == 1, out + err
    assert not (project / ".conda").exists()


# -- pixi: pixi.lock is what installs --------------------------------------------------------


@pytest.fixture(scope="module")
def pixi_made(tmp_path_factory: pytest.TempPathFactory, forge_alias: str) -> Path:
    root = tmp_path_factory.mktemp("pixi")
    _npinit(["new", "pt", "--manager", "pixi", "--python", "3.14", "--numpy", "2.4.6",
             "--platform", "linux-64", "--no-input"], root)  # fmt: skip
    _npinit(["lock", "--channel-alias", forge_alias], root / "pt")
    return root / "pt"


def _pixi_numpy_block(text: str) -> tuple[int, int]:
    """Where pixi.lock's numpy record is (its ``- conda:`` entry)."""
    match = re.search(r"(?m)^- conda: \S*/numpy-2\.4\.6-[^\n]*\n(?:  [^\n]*\n)*", text)
    assert match is not None
    return match.start(), match.end()


def _in_pixi_numpy(pattern: str, new: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        text = (project / "pixi.lock").read_text()
        start, end = _pixi_numpy_block(text)
        block, count = re.subn(pattern, new, text[start:end], count=1)
        assert count == 1, (pattern, text[start:end])
        (project / "pixi.lock").write_text(text[:start] + block + text[end:])

    return change


def _in_npinit_numpy(field: str, new: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        value = _numpy(project)[field]
        _edit(project / "npinit.lock", lambda t: _once(t, f'{field} = "{value}"',
                                                       f'{field} = "{new}"'))  # fmt: skip

    return change


PIXI_CASES: dict[str, Callable[[Path], None]] = {
    "npinit.lock numpy sha256": _in_npinit_numpy("sha256", "0" * 64),
    "npinit.lock numpy md5": _in_npinit_numpy("md5", "0" * 32),
    "npinit.lock numpy version": _in_npinit_numpy("version", "2.4.5"),
    "npinit.lock numpy build": _in_npinit_numpy("build", "py314_9"),
    "pixi.lock numpy sha256": _in_pixi_numpy(r"sha256: [0-9a-f]{64}", "sha256: " + "0" * 64),
    "pixi.lock numpy md5": _in_pixi_numpy(r"md5: [0-9a-f]{32}", "md5: " + "0" * 32),
}


@pytest.mark.parametrize("case", sorted(PIXI_CASES))
def test_pixi_refuses_every_tampered_hash_and_version(
    case: str,
    pixi_made: Path,
    forge_alias: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-pixi"))  # reaching pixi would be exit 3
    project = _copy(pixi_made, tmp_path)
    PIXI_CASES[case](project)
    err = _refused(project, capsys, "--channel-alias", forge_alias)
    assert "numpy" in err


@pytest.mark.parametrize(
    "table",
    ['[pypi-dependencies]\nrich = { git = "https://github.com/x/rich" }',
     '[feature.dev.pypi-dependencies]\nrich = { git = "https://github.com/x/rich" }',
     '[environments]\ndev = ["dev"]',
     '[target.linux-64.pypi-dependencies]\nrich = { git = "https://github.com/x/rich" }',
     '[system-requirements]\ncuda = "12"'],
)  # fmt: skip
def test_a_pixi_table_npinit_cannot_lock_is_refused_by_name(
    table: str,
    pixi_made: Path,
    forge_alias: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _copy(pixi_made, tmp_path)
    _edit(project / "pixi.toml", lambda t: t + "\n" + table + "\n")
    before = (project / "npinit.lock").read_bytes()
    name = table.split("]")[0].lstrip("[").split(".")[0]
    name = "the PyPI dependency rich has git" if "git" in table else name  # a git entry, by name
    for args in (["lock", "--check"], ["lock", "--channel-alias", forge_alias]):
        code, _, err = invoke(args, project, capsys)
        assert code == 2 and name in err and "cannot lock" in err, err
    assert (project / "npinit.lock").read_bytes() == before


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('pytest = "*"', 'pytest = { version = "*", channel = "bioconda" }', "pytest has channel"),
        ("[workspace]\n", '[workspace]\nsolve-strategy = "lowest"\n', "solve-strategy"),
        ("[workspace]\n", '[workspace]\nchannel-priority = "disabled"\n', "channel-priority"),
    ],
)
def test_a_pixi_setting_npinit_cannot_lock_is_refused_by_name(
    old: str, new: str, named: str, pixi_made: Path, forge_alias: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A dependency's channel, or a workspace setting that changes what the solve picks, is
    never dropped from the solve in silence."""
    project = _copy(pixi_made, tmp_path)
    _edit(project / "pixi.toml", lambda t: _once(t, old, new))
    before = (project / "npinit.lock").read_bytes()
    for args in (["lock", "--check"], ["lock", "--channel-alias", forge_alias]):
        code, _, err = invoke(args, project, capsys)
        assert code == 2 and named in err and "cannot lock" in err, err
    assert (project / "npinit.lock").read_bytes() == before


PYPROJECT_PIXI = """[project]
name = "pp"
version = "0.1.0"
requires-python = ">=3.14"

[tool.pixi.workspace]
channels = ["conda-forge"]
platforms = ["linux-64"]

[tool.pixi.dependencies]
python = "3.14.*"
numpy = "==2.4.6"
"""


@pytest.fixture(scope="module")
def pyproject_pixi_made(tmp_path_factory: pytest.TempPathFactory, forge_alias: str) -> Path:
    """A pixi project whose manifest is pyproject.toml's [tool.pixi], adopted by init."""
    project = tmp_path_factory.mktemp("pyproject-pixi") / "pp"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT_PIXI)
    _npinit(["init", "--no-input", "--no-solve", "--yes"], project)
    _npinit(["lock", "--channel-alias", forge_alias], project)
    return project


@pytest.mark.parametrize(
    ("change", "name"),
    [('[tool.pixi.environments]\ndev = ["dev"]',
      "tool.pixi.environments.dev (its feature 'dev' is not defined)"),
     ('[project.optional-dependencies]\nx = ["rich"]', "[project.optional-dependencies]"),
     ('[dependency-groups]\ndev = ["rich"]', "[dependency-groups]")],
)  # fmt: skip
def test_a_tool_pixi_table_npinit_cannot_lock_is_refused_by_name(
    change: str,
    name: str,
    pyproject_pixi_made: Path,
    forge_alias: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _copy(pyproject_pixi_made, tmp_path)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0, err
    _edit(project / "pyproject.toml", lambda t: t + "\n" + change + "\n")
    before = (project / "npinit.lock").read_bytes()
    for args in (["lock", "--check"], ["lock", "--channel-alias", forge_alias]):
        code, _, err = invoke(args, project, capsys)
        assert code == 2 and f"pyproject.toml has {name}" in err and "cannot lock" in err, err
    assert (project / "npinit.lock").read_bytes() == before


@pytest.mark.parametrize(
    "change",
    [lambda t: t + '\n[tool.pixi.target.linux-64.dependencies]\npytest = "*"\n',
     lambda t: _once(t, 'numpy = "==2.4.6"', 'numpy = "==2.4.6"\npytest = "*"'),
     lambda t: _once(t, 'dependencies]\npython', 'dependencies]\nlibblas = "*"\npython'),
     lambda t: _once(t, 'requires-python = ">=3.14"',
                     'requires-python = ">=3.14"\ndependencies = ["rich"]'),
     lambda t: t + '\n[tool.pixi.pypi-dependencies]\nrich = "*"\n',
     lambda t: t + '\n[tool.pixi.target.linux-64.pypi-dependencies]\nrich = "*"\n',
     lambda t: t + '\n[tool.pixi.feature.dev.pypi-dependencies]\nrich = "*"\n'
                   '[tool.pixi.environments]\ndev = ["dev"]\n'],
    ids=["a target table", "a dependency", "another dependency", "[project] dependencies",
         "a pypi table", "a target's pypi table", "a feature's pypi table"],
)  # fmt: skip
def test_every_tool_pixi_table_is_an_input(
    change: Callable[[str], str],
    pyproject_pixi_made: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _copy(pyproject_pixi_made, tmp_path)
    _edit(project / "pyproject.toml", change)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err


def test_pixi_python_recorded_is_the_one_resolved(
    pixi_made: Path, forge_alias: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(pixi_made, tmp_path)
    # the file allows any Python and NumPy (alone, the solver takes 3.14); .npinit.toml says 3.13
    _edit(project / "pixi.toml", lambda t: _once(t, 'python = "3.14.*"', 'python = ">=3.12"'))
    _edit(project / "pixi.toml", lambda t: _once(t, 'numpy = "==2.4.6"', 'numpy = "*"'))
    _edit(project / ".npinit.toml", lambda t: _once(t, 'python = "3.14"', 'python = "3.13"'))
    # the slice's newest numpy for 3.13 (a lock holding another than the record is refused)
    _edit(project / ".npinit.toml", lambda t: _once(t, 'numpy = "2.4.6"', 'numpy = "2.3.5"'))
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 0, err
    sections = tomllib.loads((project / "npinit.lock").read_text())["platforms"]
    assert sections["linux-64"]["environment"]["python"].startswith("3.13.")
    # a section resolved for another Python than .npinit.toml says is refused
    _edit(project / ".npinit.toml", lambda t: _once(t, 'python = "3.13"', 'python = "3.12"'))
    _edit(project / "npinit.lock", lambda t: t.replace('python = "3.13"', 'python = "3.12"'))
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2 and "Python 3.13" in err, err


def test_locking_a_poetry_project_installs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    need_python("3.12")
    _npinit(["new", "po", "--manager", "poetry", "--python", "3.12", "--numpy", "2.4.6",
             "--platform", "linux-64", "--no-input"], tmp_path)  # fmt: skip
    project = tmp_path / "po"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    poetry = shutil.which("poetry") or str(Path(sys.executable).with_name("poetry"))
    # this machine's PyPI mirror lacks the JSON API Poetry's default source uses
    run([poetry, "source", "add", "--priority=primary", "simple", "https://pypi.org/simple/"],
        cwd=project, env=env)  # fmt: skip
    monkeypatch.setenv("PATH", str(Path(poetry).parent) + os.pathsep + os.environ["PATH"])
    # poetry sync installs every group not marked optional, whatever its name
    _edit(project / "pyproject.toml", lambda t: _once(t, "group.dev.dependencies",
          "group.test.dependencies") + '[tool.poetry.group.docs]\noptional = true\n'
          '[tool.poetry.group.docs.dependencies]\nsix = "*"\n')  # fmt: skip
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    assert not (project / ".venv").exists()
    names = _locked_names(project)
    assert {"numpy", "pytest", "threadpoolctl"} <= names and "six" not in names, names
    sha = str(_numpy(project)["sha256"])
    text = (project / "poetry.lock").read_text()
    (project / "poetry.lock").write_text(_once(text, sha, "0" * 64))
    err = _refused(project, capsys)
    assert "numpy" in err and "poetry.lock" in err
