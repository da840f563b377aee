"""npinit lock for every platform without installing, and what reads the result: pip's
sections against PyPI (pylock exports validated by packaging), conda's against the shared
conda-forge slice (libblas per platform, explicit exports, conda-lock's own parser), the
embedded engine installing a locked section and refusing a wrong hash, and the faults:
unsolvable, unreachable, interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cache_lock, run
from tests.helpers import invoke, lock_section, no_conda_path

pytestmark = pytest.mark.e2e
ALL = ["linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64"]


def _new(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, *args: str) -> Path:
    code, _, err = invoke(["new", name, "--no-input", *args], tmp_path, capsys)
    assert code == 0, err
    return tmp_path / name


# -- pip: uv against PyPI --------------------------------------------------------------------


def test_pip_lock_every_platform_with_every_hash_and_pylock_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from packaging.pylock import Pylock

    project = _new(tmp_path, capsys, "pp", "--manager", "pip", "--python", "3.12",
                   "--numpy", "2.3.5", "--platform", "linux-64")  # fmt: skip
    code, out, err = invoke(["lock", "--platform", "all", "--json"], project, capsys)
    assert code == 0, err
    report = json.loads(out)["platforms"]
    assert sorted(report) == ALL and not (project / ".venv").exists()
    lock = project / "npinit.lock"
    first = lock.read_bytes()
    wheels = {}
    for platform in ALL:
        section = lock_section(lock, platform)
        names = {p["name"] for p in section["packages"]}
        assert {"numpy", "pytest", "threadpoolctl", "pluggy", "iniconfig"} <= names
        for package in section["packages"]:  # numpy and every dependency: hashed
            assert package["hashes"] and all(len(h) == 71 for h in package["hashes"]), package
        numpy = next(p for p in section["packages"] if p["name"] == "numpy")
        assert numpy["version"] == "2.3.5"
        wheels[platform] = numpy["url"].rsplit("/", 1)[-1]
        out_file = tmp_path / f"pylock.{platform}.toml"
        code, _, err = invoke(
            ["lock", "--format", "pylock", "--platform", platform, "--output", str(out_file)],
            project,
            capsys,
        )
        assert code == 0, err
        parsed = Pylock.from_dict(tomllib.loads(out_file.read_text()))
        assert {str(p.name) for p in parsed.packages} == names
    assert wheels["linux-64"].endswith("manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl")
    assert wheels["win-64"].endswith("win_amd64.whl")
    assert "macosx" in wheels["osx-arm64"] and "arm64" in wheels["osx-arm64"]
    assert "colorama" in {p["name"] for p in lock_section(lock, "win-64")["packages"]}
    assert "colorama" not in {p["name"] for p in lock_section(lock, "linux-64")["packages"]}
    assert {lock_section(lock, p)["blas"]["variant"] for p in ("linux-64", "win-64")} == {
        "openblas"
    }
    # locking again gives the same bytes
    code, _, _ = invoke(["lock", "--platform", "all"], project, capsys)
    assert code == 0 and lock.read_bytes() == first


def test_the_lock_formats_npinit_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Version 1 (one environment) is read as one platform; a newer version is refused."""
    from tests.conftest import FIXTURES

    prefix = tmp_path / "env"
    shutil.copytree(FIXTURES / "conda-meta/osx-arm64-openblas", prefix / "conda-meta")
    lock = tmp_path / "npinit.lock"
    code, _, err = invoke(
        ["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path, capsys
    )
    assert code == 0, err
    section = lock_section(lock, "osx-arm64")
    lines = ["lock-version = 1", "", "[environment]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in section["environment"].items()]
    lines += ["", "[blas]"] + [f"{k} = {json.dumps(v)}" for k, v in section["blas"].items()]
    for package in section["packages"]:
        lines += ["", "[[packages]]"] + [f"{k} = {json.dumps(v)}" for k, v in package.items()]
    version_1 = tmp_path / "v1.lock"
    version_1.write_text("\n".join(lines) + "\n")
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(version_1)], tmp_path, capsys
    )
    assert code == 0 and "No drift" in out
    shutil.rmtree(prefix / "conda-meta")
    (prefix / "conda-meta").mkdir()
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(version_1)], tmp_path, capsys
    )
    assert code == 4 and "removed  numpy 1.26.4" in out
    lock.write_text(lock.read_text().replace("lock-version = 2", "lock-version = 3"))
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 2 and "uses lock schema 3; this npinit reads up to 2" in err


# -- conda: py-rattler against the conda-forge slice ------------------------------------------


CONDA = ["--manager", "conda", "--python", "3.14", "--numpy", "2.4.6"]


@pytest.mark.parametrize(
    ("blas", "platforms", "build_end"),
    [
        ("openblas", ["linux-64", "osx-arm64", "win-64"], "openblas"),
        ("mkl", ["linux-64", "win-64"], "mkl"),
    ],
)
def test_conda_lock_selects_the_blas_on_every_platform(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forge_alias: str,
    blas: str,
    platforms: list[str],
    build_end: str,
) -> None:
    flags = [f for p in platforms for f in ("--platform", p)]
    project = _new(tmp_path, capsys, "cl", *CONDA, "--blas", blas, *flags)
    code, out, err = invoke(["lock", "--channel-alias", forge_alias, "--json"], project, capsys)
    assert code == 0, err
    assert sorted(json.loads(out)["platforms"]) == platforms
    lock = project / "npinit.lock"
    for platform in platforms:
        section = lock_section(lock, platform)
        by_name = {p["name"]: p for p in section["packages"]}
        libblas = by_name["libblas"]
        assert libblas["build"].endswith(build_end) and libblas["subdir"] == platform
        assert section["blas"]["variant"] == blas
        assert by_name["numpy"]["version"] == "2.4.6"
        assert by_name["python"]["version"].startswith("3.14.")
        for package in section["packages"]:
            assert len(package["sha256"]) == 64 and len(package["md5"]) == 32, package["name"]
            assert package["url"].startswith("https://conda.anaconda.org/conda-forge/")
            assert package["channel"] == "conda-forge"
        explicit = tmp_path / f"{platform}.txt"
        code, _, err = invoke(
            ["lock", "--format", "conda-explicit", "--platform", platform,
             "--output", str(explicit)],
            project,
            capsys,
        )  # fmt: skip
        assert code == 0, err
        lines = explicit.read_text().splitlines()
        urls = lines[lines.index("@EXPLICIT") + 1 :]
        assert sorted(urls) == sorted(f"{p['url']}#{p['md5']}" for p in section["packages"])
    win = {p["name"] for p in lock_section(lock, "win-64")["packages"]}
    linux = {p["name"] for p in lock_section(lock, "linux-64")["packages"]}
    assert "ucrt" in win and "ucrt" not in linux and "libgcc" in linux


@pytest.fixture(scope="session")
def conda_lock_python() -> Path:
    """conda-lock, from PyPI, in a venv of its own (its pins clash with Poetry's)."""
    from uv import find_uv_bin

    with cache_lock("conda-lock-venv") as venv:
        python = venv / "bin" / "python"
        if not (venv / "bin" / "conda-lock").exists():  # the last thing the build makes
            uv = find_uv_bin()
            shutil.rmtree(venv, ignore_errors=True)  # a build an earlier run left half-done
            run([uv, "venv", "-q", "--python", sys.executable, venv])
            run([uv, "pip", "install", "-q", "--python", python, "conda-lock>=3"])
    return python


def test_conda_lock_yml_is_read_by_conda_locks_own_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str, conda_lock_python: Path
) -> None:
    # pixi: a BLAS per platform; its npinit.lock exports to conda-lock.yml like conda's
    project = _new(tmp_path, capsys, "cy", *CONDA[2:], "--manager", "pixi",
                   "--blas", "mkl,osx-arm64=accelerate",
                   "--platform", "linux-64", "--platform", "osx-arm64")  # fmt: skip
    assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
    code, _, err = invoke(
        ["lock", "--format", "conda-lock", "--output", "conda-lock.yml"], project, capsys
    )
    assert code == 0, err
    script = (
        "import json, sys, pathlib\n"
        "from conda_lock.lockfile import parse_conda_lock_file\n"
        "lock = parse_conda_lock_file(pathlib.Path(sys.argv[1]))\n"
        "print(json.dumps({'platforms': lock.metadata.platforms, 'packages': [\n"
        "    [p.name, p.version, p.platform, p.manager, p.url, p.hash.sha256]\n"
        "    for p in lock.package]}))\n"
    )
    result = run([conda_lock_python, "-c", script, project / "conda-lock.yml"])
    parsed = json.loads(result.stdout)
    assert sorted(parsed["platforms"]) == ["linux-64", "osx-arm64"]
    expected = sorted(
        [p["name"], p["version"], platform, "conda", p["url"], p["sha256"]]
        for platform in ("linux-64", "osx-arm64")
        for p in lock_section(project / "npinit.lock", platform)["packages"]
    )
    assert sorted(parsed["packages"]) == expected
    libblas = {p[2]: p[4] for p in parsed["packages"] if p[0] == "libblas"}
    assert libblas["linux-64"].endswith("_mkl.conda")
    assert libblas["osx-arm64"].endswith("_accelerate.conda")


# -- bad input and faults: nothing written -----------------------------------------------------


def test_an_unsolvable_platform_names_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    project = _new(tmp_path, capsys, "un", *CONDA, "--platform", "linux-64")
    assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
    before = (project / "npinit.lock").read_bytes()
    # the slice has numpy 2.4.4 and 2.5.0 for linux-aarch64, not 2.4.6
    code, _, err = invoke(
        ["lock", "--channel-alias", forge_alias, "--platform", "linux-64",
         "--platform", "linux-aarch64"],
        project,
        capsys,
    )  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "linux-aarch64 cannot be solved" in err and "numpy" in err
    assert (project / "npinit.lock").read_bytes() == before


def test_an_unreachable_channel_exits_1_and_keeps_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    project = _new(tmp_path, capsys, "ur", *CONDA, "--platform", "linux-64")
    assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
    before = (project / "npinit.lock").read_bytes()
    code, _, err = invoke(["lock", "--channel-alias", "http://127.0.0.1:9"], project, capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "could not be read" in err and "127.0.0.1:9" in err
    assert (project / "npinit.lock").read_bytes() == before


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_locking_keeps_the_old_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    project = _new(tmp_path, capsys, "cc", *CONDA, "--platform", "linux-64")
    assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
    before = (project / "npinit.lock").read_bytes()
    env = {**os.environ, "NPINIT_TEST_FAULT": "lock-resolved:SIGINT"}
    result = subprocess.run(
        [sys.executable, "-m", "npinit", "lock", "--channel-alias", forge_alias,
         "--platform", "win-64"],
        cwd=project, env=env, capture_output=True, text=True, preexec_fn=_default_signals,
    )  # fmt: skip
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr
    assert (project / "npinit.lock").read_bytes() == before
    # nothing half-written beside the lock and the export a CI project keeps
    assert sorted(p.name for p in project.iterdir() if "lock" in p.name) == [
        "conda-lock.yml", "npinit.lock"
    ]  # fmt: skip


# -- the embedded engine installs exactly the lock ---------------------------------------------


def _embedded_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path, name: str
) -> Path:
    project = _new(tmp_path, capsys, name, "--manager", "conda", "--python", "3.12",
                   "--numpy", "2.4.6", "--platform", "linux-64")  # fmt: skip
    code, _, err = invoke(["lock", "--channel-alias", channel.as_uri()], project, capsys)
    assert code == 0, err
    return project


@pytest.mark.parametrize("kind", ["sha256", "md5"])
def test_embedded_engine_refuses_a_wrong_locked_hash(
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Path,
) -> None:
    monkeypatch.setenv("PATH", no_conda_path())
    project = _embedded_project(tmp_path, capsys, channel, "ws")
    lock = project / "npinit.lock"
    numpy = next(p for p in lock_section(lock, "linux-64")["packages"] if p["name"] == "numpy")
    text = lock.read_text().replace(numpy[kind], "f" * len(numpy[kind]))
    lock.write_text(text)
    code, _, err = invoke(["create", "--channel-alias", channel.as_uri()], project, capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "hash mismatch for numpy-2.4.6-py312_0.tar.bz2" in err
    # the message names the hash that differs, with the lock's value and the channel's
    assert f"the lock says {kind} ffffffffffff..., the channel {numpy[kind][:12]}..." in err
    assert not (project / ".conda").exists() and lock.read_text() == text


def test_embedded_engine_checks_every_download(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Path,
) -> None:
    """The channel's index still says the locked hash, but the archive it serves changed:
    the download is checked and refused before anything is linked."""
    monkeypatch.setenv("PATH", no_conda_path())
    mirror = tmp_path / "mirror"
    shutil.copytree(channel, mirror)
    project = _embedded_project(tmp_path, capsys, mirror, "dl")
    archive = next((mirror / "conda-forge/noarch").glob("threadpoolctl-*.tar.bz2"))
    archive.write_bytes(next((mirror / "conda-forge/noarch").glob("pytest-*")).read_bytes())
    lock = (project / "npinit.lock").read_bytes()
    code, _, err = invoke(["create", "--channel-alias", mirror.as_uri()], project, capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert f"hash mismatch for {archive.name}" in err
    assert not (project / ".conda").exists()
    assert (project / "npinit.lock").read_bytes() == lock


# -- verify: where the environment shows provenance, it is compared -----------------------------


def test_verify_tells_another_channel_and_a_local_wheel(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Path,
) -> None:
    monkeypatch.setenv("PATH", no_conda_path())
    project = _embedded_project(tmp_path, capsys, channel, "vc")
    code, _, err = invoke(["create", "--channel-alias", channel.as_uri()], project, capsys)
    assert code == 0, err
    record = next((project / ".conda/conda-meta").glob("numpy-2.4.6-*.json"))
    data: dict[str, Any] = json.loads(record.read_text())
    data["channel"] = "https://conda.anaconda.org/someone-else"
    record.write_text(json.dumps(data))
    code, out, _ = invoke(["verify", "--json"], project, capsys)
    change = json.loads(out)["changes"][0]
    assert code == 4
    assert change == {
        "kind": "changed", "name": "numpy",
        "locked": "channel conda-forge", "installed": "channel someone-else",
    }  # fmt: skip


def test_an_unreachable_index_exits_1_and_keeps_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _new(tmp_path, capsys, "ui", "--manager", "pip", "--python", "3.12",
                   "--numpy", "2.3.5", "--platform", "linux-64")  # fmt: skip
    assert invoke(["lock"], project, capsys)[0] == 0
    before = (project / "npinit.lock").read_bytes()
    monkeypatch.setenv("UV_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("UV_NO_CACHE", "1")
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "127.0.0.1:9" in err
    assert (project / "npinit.lock").read_bytes() == before


def test_a_pip_section_is_resolved_by_uv_for_each_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    project = _new(tmp_path, capsys, "ps", *CONDA, "--platform", "linux-64",
                   "--platform", "win-64")  # fmt: skip
    env_file = project / "environment.yml"
    env_file.write_text(env_file.read_text() + "  - pip:\n    - colorama==0.4.6\n")
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 0, err
    for platform, blas in (("linux-64", "openblas"), ("win-64", "mkl")):
        section = lock_section(project / "npinit.lock", platform)
        pypi = [p for p in section["packages"] if p["source"] == "pypi"]
        assert [(p["name"], p["version"]) for p in pypi] == [("colorama", "0.4.6")]
        assert pypi[0]["tags"] == ["py2-none-any", "py3-none-any"] and pypi[0]["hashes"]
        assert section["blas"]["variant"] == blas  # conda-forge's default there, solved
    inputs = tomllib.loads((project / "npinit.lock").read_text())["inputs"]
    assert "pip: colorama==0.4.6" in inputs["requirements"]


def test_conda_overrides_reach_the_solver(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """conda-lock's default __glibc 2.28 solves conda-forge's linux-64 packages; conda's own
    CONDA_OVERRIDE_GLIBC set below what they need makes the same lock unsolvable."""
    from npinit.knowledge.platforms import virtual_packages
    from npinit.model import Platform

    assert virtual_packages(Platform.LINUX_64, {})["__glibc"] == ("2.28", "0")
    assert virtual_packages(Platform.OSX_ARM64, {"CONDA_OVERRIDE_OSX": "14.0"})["__osx"] == (
        "14.0", "0"
    )  # fmt: skip
    assert "__cuda" not in virtual_packages(Platform.LINUX_64, {})
    assert virtual_packages(Platform.LINUX_64, {"CONDA_OVERRIDE_CUDA": "12.4"})["__cuda"] == (
        "12.4", "0"
    )  # fmt: skip
    project = _new(tmp_path, capsys, "vp", *CONDA, "--platform", "linux-64")
    assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
    monkeypatch.setenv("CONDA_OVERRIDE_GLIBC", "2.5")
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 2 and "linux-64 cannot be solved" in err and "__glibc" in err


def test_from_env_replaces_only_this_platforms_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import need_python

    need_python("3.12")
    project = _new(tmp_path, capsys, "fe", "--manager", "pip", "--python", "3.12",
                   "--numpy", "2.3.5", "--platform", "linux-64", "--platform", "win-64",
                   "--ci", "none")  # fmt: skip
    assert invoke(["create", "--no-check"], project, capsys)[0] == 0
    lock = project / "npinit.lock"
    before = tomllib.loads(lock.read_text())
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0, err
    after = tomllib.loads(lock.read_text())
    assert after["inputs"] == before["inputs"]
    assert after["platforms"]["win-64"] == before["platforms"]["win-64"]
    linux = after["platforms"]["linux-64"]
    assert linux["environment"]["python"].startswith("3.12.")  # the interpreter installed
    assert linux != before["platforms"]["linux-64"]
    assert [p["name"] for p in linux["packages"]] == [
        p["name"] for p in before["platforms"]["linux-64"]["packages"]
    ]
    code, out, _ = invoke(["verify"], project, capsys)
    assert code == 0 and "No drift" in out
