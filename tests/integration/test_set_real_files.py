"""`npinit set` on files people really have: byte order marks, hashed requirements, includes,
Poetry groups and PEP 735 groups, flow-style YAML, symlinks, other owners, huge files, and
files whose values have the wrong type."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.helpers import invoke, load_yaml


def set_(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    return invoke(["set", *map(str, args)], tmp_path, capsys)


def test_a_bom_is_kept_and_the_first_line_recognised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    req = tmp_path / "requirements.txt"
    req.write_bytes(b"\xef\xbb\xbfnumpy==1.26.4\r\nscipy\r\n")
    code, _, err = set_(tmp_path, capsys, req, "--numpy", "2.3")
    assert code == 0, err
    assert req.read_bytes() == b"\xef\xbb\xbfnumpy==2.3.5\r\nscipy\r\n"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pip's reader imports pkg_resources
def test_hash_lines_go_with_the_old_pin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements  # pip's own reader

    req = tmp_path / "requirements.txt"
    req.write_text(
        "scipy==1.14.1 \\\n    --hash=sha256:1111\n"
        "numpy==1.26.4 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
        "rich==13.9.4 --hash=sha256:cccc\n"
    )
    code, _, err = set_(tmp_path, capsys, req, "--numpy", "2.3")
    assert code == 0, err
    assert req.read_text() == (
        "scipy==1.14.1 \\\n    --hash=sha256:1111\nnumpy==2.3.5\nrich==13.9.4 --hash=sha256:cccc\n"
    )
    assert "--hash lines for the old numpy pin" in err and "lock the file again" in err
    parsed = {r.requirement: r.options for r in parse_requirements(str(req), PipSession())}
    assert parsed["numpy==2.3.5"] is None or not parsed["numpy==2.3.5"].get("hashes")


def test_a_hash_on_the_same_line_is_dropped_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("numpy==1.26.4 --hash=sha256:aaaa  # pinned\n")
    code, _, err = set_(tmp_path, capsys, req, "--numpy", "2.3")
    assert code == 0, err
    assert req.read_text() == "numpy==2.3.5  # pinned\n"


def test_the_pin_is_edited_in_the_file_an_include_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "requirements").mkdir()
    base = tmp_path / "requirements/base.txt"
    base.write_text("pandas\nnumpy>=1.20\n")
    top = tmp_path / "requirements.txt"
    top.write_text("-r requirements/base.txt\nrich\n")
    dev = tmp_path / "requirements-dev.txt"
    dev.write_text("--requirement=requirements.txt\npytest\n")
    code, _, err = set_(tmp_path, capsys, tmp_path, "--numpy", "2.3")
    assert code == 0, err
    assert base.read_text() == "pandas\nnumpy==2.3.5\n"
    assert top.read_text() == "-r requirements/base.txt\nrich\n"  # no second pin
    assert dev.read_text() == "--requirement=requirements.txt\npytest\n"


def test_an_include_outside_the_project_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "shared.txt"
    outside.write_text("numpy==1.26.4\n")
    project = tmp_path / "p"
    project.mkdir()
    req = project / "requirements.txt"
    req.write_text("-c ../shared.txt\nscipy\n")
    code, _, err = set_(tmp_path, capsys, project, "--numpy", "2.3")
    assert code == 0, err
    assert outside.read_text() == "numpy==1.26.4\n"
    assert "outside the project" in err


def test_every_pyproject_group_the_pin_does_not_meet_is_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tomllib

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\nversion = "0"\ndependencies = ["numpy>=1.26"]\n\n'
        '[project.optional-dependencies]\nplot = ["matplotlib", "NumPy<3"]\n\n'
        '[dependency-groups]\ntest = ["pytest", "numpy==1.26.4", {include-group = "lint"}]\n'
        'lint = ["ruff"]\n\n'
        '[tool.poetry.group.dev.dependencies]\nnumpy = "^1.26"\n'
    )
    code, _, err = set_(tmp_path, capsys, pyproject, "--numpy", "2.3")
    assert code == 0, err
    data = tomllib.loads(pyproject.read_text())
    assert data["project"]["dependencies"] == ["numpy==2.3.5"]
    # a range the pin meets is a constraint, kept; one it does not meet is pinned too
    assert data["project"]["optional-dependencies"]["plot"] == ["matplotlib", "NumPy<3"]
    assert data["dependency-groups"]["test"][1] == "numpy==2.3.5"
    assert data["dependency-groups"]["test"][2] == {"include-group": "lint"}
    assert data["tool"]["poetry"]["group"]["dev"]["dependencies"]["numpy"] == "==2.3.5"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[project]\nname = "x"\ndependencies = "numpy"\n', "project.dependencies is not an array"),
        ("project = 5\n", "project is not a table"),
        ("[tool.poetry]\ndependencies = 5\n", "tool.poetry.dependencies is not a table"),
        ('[dependency-groups]\ntest = "numpy"\n', "dependency-groups.test is not an array"),
    ],
)
def test_pyproject_values_of_the_wrong_type_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(text)
    code, _, err = set_(tmp_path, capsys, pyproject, "--numpy", "2.3")
    assert code == 2, err
    assert said in err and len(err.strip().splitlines()) == 1
    assert pyproject.read_text() == text


FLOW = "name: f\nchannels: [conda-forge]\ndependencies: [python=3.12, numpy=1.26, scipy]  # x\n"


def test_flow_style_yaml_is_edited_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = tmp_path / "environment.yml"
    env.write_text(FLOW)
    code, _, err = set_(tmp_path, capsys, env, "--numpy", "2.3", "--blas", "mkl")
    assert code == 0, err
    assert env.read_text() == (
        "name: f\nchannels: [conda-forge]\n"
        "dependencies: [python=3.12, numpy=2.3.5, libblas=*=*mkl, liblapack=*=*mkl, scipy]  # x\n"
    )
    assert load_yaml(env)["dependencies"][1] == "numpy=2.3.5"


def test_a_symlinked_file_in_a_directory_is_edited_through_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link that stays inside the project is followed (one leaving it is refused: see
    tests/integration/test_jail.py)."""
    project = tmp_path / "p"
    real = project / "envs"
    real.mkdir(parents=True)
    (real / "environment.yml").write_text("dependencies:\n  - python=3.12\n  - numpy=1.26\n")
    (real / ".python-version").write_text("3.12\n")
    (project / "environment.yml").symlink_to(real / "environment.yml")
    (project / ".python-version").symlink_to(real / ".python-version")
    code, _, err = set_(tmp_path, capsys, project, "--numpy", "2.3", "--python", "3.13")
    assert code == 0, err
    assert (project / "environment.yml").is_symlink() and (project / ".python-version").is_symlink()
    assert "numpy=2.3.5" in (real / "environment.yml").read_text()
    assert (real / ".python-version").read_text() == "3.13\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_owner_and_group_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("numpy==1.26.4\n")
    os.chown(req, 1234, 5678)
    req.chmod(0o640)
    code, _, err = set_(tmp_path, capsys, req, "--numpy", "2.3")
    assert code == 0, err
    info = req.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (1234, 5678, 0o640)


def test_a_symlink_loop_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = tmp_path / "environment.yml"
    loop.symlink_to(tmp_path / "other.yml")
    (tmp_path / "other.yml").symlink_to(loop)
    code, _, err = set_(tmp_path, capsys, loop, "--numpy", "2.3")
    assert code == 2 and "symlink loop" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_requirements_file_that_is_not_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "requirements.txt"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    for target in (path, tmp_path):  # named, and found in a directory
        code, _, err = set_(tmp_path, capsys, target, "--numpy", "2.3")
        assert code == 2, err
        assert "not a regular file" in err and "free some space" not in err


def test_a_huge_environment_file_is_edited_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """300,000 entries: the edit touches three lines and keeps the rest (the speed is
    measured in benchmarks/, not here)."""
    lines = ["name: big", "channels:", "  - conda-forge", "dependencies:", "  - python=3.12"]
    lines += [f"  - pkg{i}=1.{i}" for i in range(150_000)] + ["  - numpy=1.26"]
    lines += [f"  - other{i}>=2" for i in range(150_000)]
    env = tmp_path / "environment.yml"
    env.write_text("\n".join(lines) + "\n")
    code, _, err = set_(tmp_path, capsys, env, "--numpy", "2.3", "--blas", "mkl")
    assert code == 0, err
    after = env.read_text().splitlines()
    assert after[150_005:150_008] == [
        "  - numpy=2.3.5",
        "  - libblas=*=*mkl",
        "  - liblapack=*=*mkl",
    ]
    assert len(after) == len(lines) + 2


# -- the fast reader and ruamel agree ------------------------------------------------------

REAL_ENVS = sorted((FIXTURES / "realworld").glob("*environment*.yml"))


def _both(text: str) -> tuple[Any, Any]:
    from npinit.editing import conda_env

    fast = conda_env._fast_parse(text)
    slow = conda_env._ruamel_parse(text, "x")
    return fast, slow


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return None if value is None else str(value)


@pytest.mark.parametrize("path", REAL_ENVS, ids=lambda p: p.name)
def test_real_files_take_the_fast_reader_and_it_agrees(path: Path) -> None:
    assert REAL_ENVS
    fast, slow = _both(path.read_text("utf-8"))
    assert fast is not None  # real files are in the block style the fast reader takes
    assert _plain(fast[0]) == _plain(slow[0])
    assert fast[1:] == slow[1:]  # the entries, and the pip: section's numpy entries


SPEC = st.from_regex(r"[a-z][a-z0-9_-]{0,8}([=<>]{1,2}[0-9][0-9.*]{0,5})?", fullmatch=True)
ITEM = st.one_of(
    SPEC,
    SPEC.map(lambda s: f'"{s}"'),
    SPEC.map(lambda s: f"{s}  # note"),
    st.sampled_from(["numpy", "python=3.12", "libblas=*=*mkl", "nomkl", "blas=*=openblas"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(ITEM, min_size=1, max_size=12),
    indent=st.sampled_from(["  ", "    ", ""]),
    pip=st.lists(st.one_of(SPEC, st.just("numpy>=1.26  # pip's")), max_size=3),
    comment=st.booleans(),
)
def test_the_fast_reader_agrees_with_ruamel_or_steps_aside(
    items: Any, indent: str, pip: Any, comment: bool
) -> None:
    lines = ["name: env", "channels:", f"{indent}- conda-forge", "dependencies:"]
    lines += [f"{indent}- {item}" for item in items]
    if pip:
        lines += [f"{indent}- pip:"] + [f"{indent}    - {p}" for p in pip]
    if comment:
        lines.insert(4, "# a comment")
    fast, slow = _both("\n".join(lines) + "\n")
    assert fast is not None or indent == ""  # a list at column 0: left to ruamel
    if fast is not None:
        assert _plain(fast[0]) == _plain(slow[0])
        assert fast[1:] == slow[1:]
