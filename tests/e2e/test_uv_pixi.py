"""uv and pixi projects proven by their consumers: real uv lock/sync, pixi.toml checked
against pixi's documented rules and solved per platform with py-rattler; BLAS threads
measured with threadpoolctl in a real environment."""

from __future__ import annotations

import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from npinit import api
from npinit.spec import build_spec
from tests.conftest import need_python, run
from tests.helpers import invoke, python_in
from tests.pixi_rules import check_pixi_manifest, platform_specs

pytestmark = pytest.mark.e2e


def test_uv_multi_platform_lock_sync_and_threads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need_python("3.12")
    code, out, err = invoke(
        [
            "new",
            "uvp",
            "--manager",
            "uv",
            "--python",
            "3.12",
            "--numpy",
            "2.4.6",
            "--platform",
            "all",
            "--threads",
            "2",
            "--no-input",
            "--create",
            "--json",
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    report = json.loads(out)["environment"]
    assert report["tool"] == "uv" and report["tests"]["passed"] is True
    assert report["tests"]["summary"] == "5 passed"  # the thread check included
    lock = tomllib.loads((tmp_path / "uvp/uv.lock").read_text())
    numpy = next(p for p in lock["package"] if p["name"] == "numpy")
    assert numpy["version"] == "2.4.6"
    wheels = [w["url"].rsplit("/", 1)[-1] for w in numpy["wheels"]]
    for platform_tag in ("manylinux_2_28_x86_64", "macosx_14_0_arm64", "win_amd64"):
        assert any("cp312" in w and platform_tag in w for w in wheels), platform_tag
    # npinit.lock's sections are uv.lock read per platform: they never disagree
    versions = {p["name"]: p["version"] for p in lock["package"]}
    sections = tomllib.loads((tmp_path / "uvp/npinit.lock").read_text())["platforms"]
    answers = tomllib.loads((tmp_path / "uvp/.npinit.toml").read_text())["project"]
    assert sorted(sections) == sorted(answers["platforms"]) and len(sections) >= 3
    for name, section in sections.items():
        assert section["packages"], name
        for package in section["packages"]:
            assert package["version"] == versions[package["name"]], (name, package["name"])
        locked_numpy = next(p for p in section["packages"] if p["name"] == "numpy")
        assert locked_numpy["sha256"] in {
            w["hash"].removeprefix("sha256:") for w in numpy["wheels"]
        }
    win = {p["name"] for p in sections["win-64"]["packages"]}
    linux = {p["name"] for p in sections["linux-64"]["packages"]}
    assert win - linux == {"colorama"}  # pytest's marker: sys_platform == 'win32'
    code, _, _ = invoke(["verify"], tmp_path / "uvp", capsys)
    assert code == 0


def test_pip_threads_really_take_effect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--threads 2 in a real venv: the BLAS runs 2 threads, measured with threadpoolctl,
    through the generated tests and through the package's own hook."""
    need_python("3.12")
    code, out, err = invoke(
        [
            "new",
            "thr",
            "--manager",
            "pip",
            "--python",
            "3.12",
            "--numpy",
            "2.4.6",
            "--platform",
            "linux-64",
            "--threads",
            "2",
            "--no-input",
            "--create",
            "--json",
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    assert json.loads(out)["environment"]["tests"]["summary"] == "5 passed"
    project = tmp_path / "thr"
    probe = (
        "import thr, numpy; from threadpoolctl import threadpool_info;"
        "print(sorted({p['num_threads'] for p in threadpool_info()"
        " if p['user_api'] == 'blas'}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    result = run([python_in(project / ".venv"), "-c", probe], cwd=project / "src", env=env)
    assert result.stdout.strip() == "[2]"
    # a project expecting another count fails its check in the same environment
    other = tmp_path / "other"
    invoke(
        [
            "new",
            "thr",
            "--manager",
            "pip",
            "--python",
            "3.12",
            "--numpy",
            "2.4.6",
            "--platform",
            "linux-64",
            "--threads",
            "3",
            "--no-input",
            "--output-dir",
            str(other),
        ],
        tmp_path,
        capsys,
    )
    check = run(
        [python_in(project / ".venv"), "tests/test_environment.py"],
        cwd=other / "thr",
        env={**env, "OPENBLAS_NUM_THREADS": "1"},
        check=False,
    )
    assert check.returncode == 1
    assert "FAILED test_blas_threads: the BLAS runs [1] threads, not 3" in check.stdout


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (
            "mkl,osx-arm64=accelerate",
            {"linux-64": "mkl", "osx-arm64": "accelerate", "win-64": "mkl"},
        ),
        ("mkl", {"linux-64": "mkl", "osx-arm64": "openblas", "win-64": "mkl"}),
        ("openblas", {"linux-64": "openblas", "osx-arm64": "openblas", "win-64": "openblas"}),
        ("default", {"linux-64": "openblas", "osx-arm64": "openblas", "win-64": "mkl"}),
    ],
)
def test_pixi_manifest_solves_per_platform(tmp_path: Path, request_: Any, expected: Any) -> None:
    from tests.e2e.test_conda_solve import CHANNELS, solve

    spec = build_spec(
        name="pixi-ws",
        manager="pixi",
        python="3.14",
        numpy="2.4.6",
        blas=request_,
        platforms=["all"],
        threads=2,
    )
    project = api.new_project(spec, tmp_path).project
    data = tomllib.loads((project / "pixi.toml").read_text())
    check_pixi_manifest(data)
    assert data["tasks"]["test"] == "python -m pytest"
    for platform, variant in expected.items():
        specs = platform_specs(data, platform)
        solved = solve(CHANNELS["conda-forge"], platform, specs, tmp_path / "cache")
        assert str(solved["numpy"].version) == "2.4.6", platform
        assert str(solved["python"].version).startswith("3.14."), platform
        from npinit.knowledge.blas import variant_from_build

        assert variant_from_build(str(solved["libblas"].build)) == variant, platform
    expected_blas = {c.platform.value: c.variant for c in spec.blas_choices}
    assert expected_blas == expected


@pytest.mark.parametrize(
    "broken",
    [
        {"workspace": {"name": "x", "platforms": ["linux-64"]}},  # no channels
        {"workspace": {"channels": ["conda-forge"], "platforms": ["linux-65"]}},
        {"workspace": {"channels": ["conda-forge"]}, "dependencies": {"libblas": {"bild": "x"}}},
        {"workspace": {"channels": ["conda-forge"]}, "activation": {"env": {"A": 1}}},
        {"workspace": {"channels": ["conda-forge"]}, "tasks": {"bad name": "x"}},
        {"workspace": {"channels": ["conda-forge"]}, "surprise": {}},
    ],
)
def test_the_pixi_rules_reject_what_pixi_rejects(broken: Any) -> None:
    with pytest.raises(AssertionError):
        check_pixi_manifest(broken)


# A stand-in pixi: `install --frozen` links what pixi.lock holds for linux-64 (read with
# py-rattler, as pixi reads it) by writing its conda-meta records.
PIXI = """#!{python}
import json, os, sys
import rattler
open({log!r}, "a").write(json.dumps(sys.argv[1:]) + "\\n")
meta = ".pixi/envs/default/conda-meta"
os.makedirs(meta, exist_ok=True)
env = rattler.LockFile.from_path("pixi.lock").default_environment()
here = next(p for p in env.platforms() if str(p.name) == "linux-64")
for r in env.conda_repodata_records_for_platform(here):
    stem = r.file_name.removesuffix(".conda").removesuffix(".tar.bz2")
    record = dict(name=r.name.normalized, version=str(r.version), build=str(r.build),
                  build_number=r.build_number, channel=str(r.channel), subdir=str(r.subdir),
                  url=str(r.url),
                  md5=r.md5.hex(), sha256=r.sha256.hex(), files=[])
    open(os.path.join(meta, stem + ".json"), "w").write(json.dumps(record))
"""

PIXI_ARGS = ["new", "px", "--manager", "pixi", "--python", "3.14", "--numpy", "2.4.6",
             "--no-input", "--platform", "linux-64", "--platform", "osx-arm64",
             "--platform", "win-64"]  # fmt: skip


def test_pixi_lock_agrees_with_npinit_lock_and_stand_in_pixi_is_called_frozen(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    forge_alias: str,
) -> None:
    """What this shows: the pixi.lock npinit writes holds, per platform, exactly the
    records of npinit.lock (read back by rattler), and create runs ``pixi install
    --frozen``. The stand-in pixi installs from that pixi.lock, so the closing ``verify``
    is npinit agreeing with itself; a real pixi run is
    test_create.test_real_micromamba_or_pixi_installs_the_lock."""
    import rattler

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    stand_in = bin_dir / "pixi"
    stand_in.write_text(PIXI.format(python=sys.executable, log=str(log)))
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    code, _out, err = invoke(
        [*PIXI_ARGS, "--blas", "mkl,osx-arm64=accelerate", "--create", "--no-check",
         "--channel-alias", forge_alias],
        tmp_path,
        capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "px"
    assert [json.loads(line) for line in log.read_text().splitlines()] == [
        ["install", "--frozen", "--manifest-path", str(project / "pixi.toml")]
    ]
    sections = tomllib.loads((project / "npinit.lock").read_text())["platforms"]
    pixi_lock = rattler.LockFile.from_path(project / "pixi.lock").default_environment()
    assert pixi_lock is not None
    platforms = {str(p.name): p for p in pixi_lock.platforms()}
    assert sorted(platforms) == sorted(sections) == ["linux-64", "osx-arm64", "win-64"]
    for name, section in sections.items():
        records = pixi_lock.conda_repodata_records_for_platform(platforms[name]) or []
        assert sorted((p["name"], p["version"], p["build"]) for p in section["packages"]) == sorted(
            (r.name.normalized, str(r.version), str(r.build)) for r in records
        )
    blas = {name: section["blas"]["variant"] for name, section in sections.items()}
    assert blas == {"linux-64": "mkl", "osx-arm64": "accelerate", "win-64": "mkl"}
    code, _, _ = invoke(["verify"], project, capsys)
    assert code == 0


def test_missing_pixi_exits_3(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    forge_alias: str,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = invoke(
        [*PIXI_ARGS, "--create", "--channel-alias", forge_alias], tmp_path, capsys
    )
    assert code == 3 and "pixi is not installed" in err
    assert Path(tmp_path / "px/pixi.toml").exists()
