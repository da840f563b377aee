"""pixi manifests with features and environments, locked for real: py-rattler solves every
environment against ../shared/fixtures/channels (the conda-forge slice, through
--channel-alias), npinit writes them all to pixi.lock, and that file is read back by
rattler (the library pixi reads it with) and compared, key by key, with a real pixi.lock
pixi wrote (tests/data/pixi/). A BLAS chosen per platform by a target agrees in the
record, the lock and the generated check."""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import invoke
from tests.integration.test_adopt_real_files import MORE

pytestmark = pytest.mark.e2e

REAL_LOCK = Path(__file__).parents[1] / "data/pixi/multi_env.pixi.lock"
THREE = ["--platform", "linux-64", "--platform", "osx-arm64", "--platform", "win-64"]
# pyxis's packages the slice does not hold (it has python, numpy, its BLAS and pytest);
# linux-aarch64 is left out: the slice has no Python 3.13 for it
NOT_IN_THE_SLICE = ["maturin", "pip", "lazy-loader", "nomkl", "scipy", "pytest-cov", "syrupy"]
NOT_IN_THE_SLICE += ["numba", "numexpr", "pytest-codspeed"]


def records(lock: Any, environment: str) -> dict[str, set[tuple[str, str, str]]]:
    env = lock.environment(environment)
    assert env is not None, environment
    return {
        str(p.name): {
            (r.name.normalized, str(r.version), str(r.build))
            for r in env.conda_repodata_records_for_platform(p) or []
        }
        for p in env.platforms()
    }


def load(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text())


def same_structure(ours: dict[str, Any], real: dict[str, Any]) -> None:
    """Our pixi.lock is shaped as pixi's: the same top-level keys (format 7 adds the
    ``platforms`` list to 6's), each environment its channels (URLs ending in "/") and its
    packages per platform as ``conda:`` URLs, each one described once in ``packages`` with
    the fields pixi writes."""
    assert set(real) <= set(ours) and set(ours) - set(real) <= {"platforms"}
    assert ours["version"] >= real["version"] == 6
    fields = {key for package in real["packages"] for key in package}
    described = {p["conda"]: p for p in ours["packages"]}
    for env in [*ours["environments"].values(), *real["environments"].values()]:
        assert set(env) == {"channels", "packages"}
        assert all(c["url"].endswith("/") for c in env["channels"])
        for listed in env["packages"].values():
            assert all(set(entry) == {"conda"} for entry in listed)
    for env in ours["environments"].values():
        for listed in env["packages"].values():
            assert {entry["conda"] for entry in listed} <= set(described)
    for package in ours["packages"]:
        assert {"conda", "sha256", "md5"} <= set(package) and set(package) & fields >= {
            "conda",
            "sha256",
            "md5",
            "size",
            "timestamp",
            "license",
        }


def test_pyxis_every_environment_is_locked_in_pixi_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    import rattler

    root = tmp_path / "pyxis"
    (root / "python").mkdir(parents=True)
    manifest = root / "python/pixi.toml"
    manifest.write_bytes((MORE / "pyxis__python__pixi.toml").read_bytes())
    code, _, err = invoke(
        ["init", "python/pixi.toml", "--no-solve", "--no-input", *THREE], root, capsys
    )
    assert code == 0, err
    # the slice has no nomkl: what it does, keep MKL out (init records OpenBLAS on win-64),
    # is said by the selector the slice can solve
    openblas = 'libblas = { version = "*", build = "*openblas" }\n'
    text = manifest.read_text().replace('nomkl = "==1.0"\n', openblas)
    for name in NOT_IN_THE_SLICE:
        text = re.sub(rf"(?m)^{re.escape(name)} = .*\n", "", text)
    manifest.write_text(text)
    lock_args = ["lock", "--channel-alias", forge_alias]
    code, _, err = invoke(lock_args, root, capsys)
    assert code == 0, err

    # pixi reads its lock next to its manifest
    assert (root / "python/pixi.lock").is_file() and not (root / "pixi.lock").exists()
    lock = rattler.LockFile.from_path(root / "python/pixi.lock")
    assert sorted(name for name, _ in lock.environments()) == ["bench", "default"]
    default, bench = records(lock, "default"), records(lock, "bench")
    assert sorted(default) == ["linux-64", "osx-arm64", "win-64"]
    assert sorted(bench) == ["linux-64"]  # [feature.bench] platforms = ["linux-64"]
    for found in [*default.values(), *bench.values()]:
        names = {(n, v) for n, v, _ in found}
        assert {("numpy", "2.3.5"), ("pytest", "9.1.1")} <= names
        assert any(n == "python" and v.startswith("3.13.") for n, v in names)
    # npinit.lock's sections are pixi.lock's default environment, record by record
    sections = tomllib.loads((root / "npinit.lock").read_text())["platforms"]
    for platform, section in sections.items():
        assert {(p["name"], p["version"], p["build"]) for p in section["packages"]} == (
            default[platform]
        )
    same_structure(load(root / "python/pixi.lock"), load(REAL_LOCK))
    assert invoke([*lock_args, "--check"], root, capsys)[0] == 0
    created_and_verified(root, capsys, forge_alias)

    # a feature's input changes: the lock is stale, and locking again changes that
    # environment only
    text = text.replace(
        "[feature.bench.dependencies]\n", '[feature.bench.dependencies]\nthreadpoolctl = "*"\n'
    )
    manifest.write_text(text)
    code, _, err = invoke([*lock_args, "--check"], root, capsys)
    assert code != 0 and "feature bench: threadpoolctl *" in err, err
    assert invoke(lock_args, root, capsys)[0] == 0
    lock = rattler.LockFile.from_path(root / "python/pixi.lock")
    assert any(n == "threadpoolctl" for n, _, _ in records(lock, "bench")["linux-64"])
    assert not any(n == "threadpoolctl" for r in records(lock, "default").values() for n, _, _ in r)


BLAS_PER_TARGET = """\
[workspace]
name = "blas-per-target"
channels = ["conda-forge"]
platforms = ["linux-64", "osx-arm64"]

[dependencies]
python = "3.14.*"
numpy = "2.4.6"
libblas = { version = "*", build = "*openblas" }

[target.linux-64.dependencies]
libblas = { version = "*", build = "*mkl" }
"""


def test_a_targets_blas_is_recorded_locked_and_checked_per_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """The black-box bug: openblas was recorded for linux-64 (and the solve met both
    builds), so ``lock --check`` failed right after ``lock``. pixi's rule: a target's entry
    replaces the common one of the same name on its platforms."""
    (tmp_path / "pixi.toml").write_text(BLAS_PER_TARGET)
    args = ["--channel-alias", forge_alias]
    code, out, err = invoke(["init", "--no-input", "--yes", *args], tmp_path, capsys)
    assert code == 0, err
    assert "BLAS openblas,linux-64=mkl: the file's selector, kept" in out
    recorded = tomllib.loads((tmp_path / ".npinit.toml").read_text())["blas"]
    assert {p: b["variant"] for p, b in recorded.items()} == {
        "linux-64": "mkl",
        "osx-arm64": "openblas",
    }
    generated = (tmp_path / "tests/test_environment.py").read_text()
    assert "'linux-64': ['mkl']" in generated and "'osx-arm64': ['openblas']" in generated
    assert invoke(["lock", *args], tmp_path, capsys)[0] == 0
    sections = tomllib.loads((tmp_path / "npinit.lock").read_text())["platforms"]
    assert {p: s["blas"]["variant"] for p, s in sections.items()} == {
        "linux-64": "mkl",
        "osx-arm64": "openblas",
    }
    code, _, err = invoke(["lock", "--check", *args], tmp_path, capsys)
    assert code == 0, err


SOLVE_GROUPS = """\
[workspace]
name = "groups"
channels = ["conda-forge"]
platforms = ["linux-64", "osx-arm64"]

[dependencies]
python = "3.14.*"
numpy = "2.4.6"

[feature.test.dependencies]
pytest = "*"

[feature.old.dependencies]
pytest = "<9.1"

[environments]
default = { solve-group = "main" }
test = { features = ["test"], solve-group = "main" }
old = { features = ["old"], solve-group = "main" }
alone = ["test"]
"""


def test_a_solve_group_is_solved_together_and_each_member_gets_what_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """pixi's solve-group: test's pytest is held at 9.0.3 by old's ``pytest <9.1`` (the
    slice's newest is 9.1.1, which ``alone``, the same features outside the group, gets);
    default, in the group, shares its versions and has no pytest."""
    import rattler

    (tmp_path / "pixi.toml").write_text(SOLVE_GROUPS)
    args = ["--channel-alias", forge_alias]
    code, _, err = invoke(["init", "--no-solve", "--no-input", *args], tmp_path, capsys)
    assert code == 0, err
    code, _, err = invoke(["lock", *args], tmp_path, capsys)
    assert code == 0, err
    lock = rattler.LockFile.from_path(tmp_path / "pixi.lock")
    for platform in ("linux-64", "osx-arm64"):
        found = {
            name: records(lock, name)[platform] for name in ("default", "test", "old", "alone")
        }
        pytest_of = {name: {v for n, v, _ in r if n == "pytest"} for name, r in found.items()}
        assert pytest_of == {
            "default": set(),
            "test": {"9.0.3"},
            "old": {"9.0.3"},
            "alone": {"9.1.1"},
        }
        assert found["default"] <= found["test"]  # the group's versions, a subset each
        assert {n for n, _, _ in found["test"] - found["default"]} >= {"pytest", "pluggy"}
    assert invoke(["lock", "--check", *args], tmp_path, capsys)[0] == 0
    text = SOLVE_GROUPS.replace(
        'old = { features = ["old"], solve-group = "main" }', 'old = ["old"]'
    )
    (tmp_path / "pixi.toml").write_text(text.replace('numpy = "2.4.6"', 'numpy = "==2.4.6"'))
    code, _, err = invoke(["lock", "--check", *args], tmp_path, capsys)
    assert code != 0 and "solve-group" in err, err


# a stand-in pixi as pixi places things: the lock read and the environment made next to the
# manifest --manifest-path names (pixi is not installable here; the records are the lock's)
PIXI = """#!{python}
import json, os, sys
import rattler
open({log!r}, "a").write(json.dumps(sys.argv[1:]) + "\\n")
folder = os.path.dirname(sys.argv[sys.argv.index("--manifest-path") + 1])
meta = os.path.join(folder, ".pixi/envs/default/conda-meta")
os.makedirs(meta, exist_ok=True)
env = rattler.LockFile.from_path(os.path.join(folder, "pixi.lock")).default_environment()
here = next(p for p in env.platforms() if str(p.name) == "linux-64")
for r in env.conda_repodata_records_for_platform(here):
    stem = r.file_name.removesuffix(".conda").removesuffix(".tar.bz2")
    record = dict(name=r.name.normalized, version=str(r.version), build=str(r.build),
                  build_number=r.build_number, channel=str(r.channel), subdir=str(r.subdir),
                  url=str(r.url), md5=r.md5.hex(), sha256=r.sha256.hex(), files=[])
    open(os.path.join(meta, stem + ".json"), "w").write(json.dumps(record))
"""


def created_and_verified(root: Path, capsys: pytest.CaptureFixture[str], alias: str) -> None:
    """create runs pixi on the recorded manifest (python/pixi.toml), and verify finds the
    default environment pixi made beside it and checks it against npinit.lock."""
    bin_dir = root.parent / "bin"
    bin_dir.mkdir()
    log = root.parent / "calls.log"
    (bin_dir / "pixi").write_text(PIXI.format(python=sys.executable, log=str(log)))
    (bin_dir / "pixi").chmod(0o755)
    old = os.environ["PATH"]
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{old}"
    try:
        code, _, err = invoke(["create", "--channel-alias", alias], root, capsys)
    finally:
        os.environ["PATH"] = old
    assert code == 0, err
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls == [["install", "--frozen", "--manifest-path", str(root / "python/pixi.toml")]]
    code, _, err = invoke(["verify"], root, capsys)
    assert code == 0, err


def test_locking_again_keeps_every_environments_versions_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """A re-lock keeps what pixi.lock holds for the other environments too, while the
    manifest still allows it (the default one keeps npinit.lock's); --upgrade lets it move."""
    import rattler

    text = SOLVE_GROUPS.split("[environments]")[0] + '[environments]\ntest = ["old"]\n'
    (tmp_path / "pixi.toml").write_text(text)
    args = ["--channel-alias", forge_alias]
    assert invoke(["init", "--no-solve", "--no-input", *args], tmp_path, capsys)[0] == 0

    def pytest_in_test() -> set[str]:
        code, _, err = invoke(["lock", *args, *more], tmp_path, capsys)
        assert code == 0, err
        lock = rattler.LockFile.from_path(tmp_path / "pixi.lock")
        return {v for r in records(lock, "test").values() for n, v, _ in r if n == "pytest"}

    more: list[str] = []
    assert pytest_in_test() == {"9.0.3"}  # old: pytest <9.1
    manifest = tmp_path / "pixi.toml"
    manifest.write_text(manifest.read_text().replace('pytest = "<9.1"', 'pytest = "*"'))
    assert pytest_in_test() == {"9.0.3"}  # still allowed: kept
    more = ["--upgrade"]
    assert pytest_in_test() == {"9.1.1"}
