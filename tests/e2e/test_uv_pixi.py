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
    numpy_lock = next(
        p
        for p in tomllib.loads((tmp_path / "uvp/npinit.lock").read_text())["packages"]
        if p["name"] == "numpy"
    )
    assert len(numpy_lock["sha256"]) == 64  # taken from uv.lock
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


def test_pixi_create_runs_pixi_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    stand_in = bin_dir / "pixi"
    stand_in.write_text(
        f"#!{sys.executable}\nimport json, sys, os\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "os.makedirs('.pixi/envs/default/conda-meta', exist_ok=True)\n"
    )
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    code, _out, err = invoke(
        ["new", "px", "--manager", "pixi", "--platform", "all", "--no-input", "--create"],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    project = tmp_path / "px"
    assert [json.loads(line) for line in log.read_text().splitlines()] == [
        ["install", "--manifest-path", str(project / "pixi.toml")]
    ]
    assert (project / "npinit.lock").exists()


def test_missing_pixi_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = invoke(
        ["new", "px", "--manager", "pixi", "--platform", "linux-64", "--no-input", "--create"],
        tmp_path,
        capsys,
    )
    assert code == 3 and "pixi is not installed" in err
    assert Path(tmp_path / "px/pixi.toml").exists()
