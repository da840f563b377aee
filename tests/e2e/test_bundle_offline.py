"""``npinit create --bundle DIR`` with no network at all: the bundle is made outside (from the
real package index through this machine's mirror, or from the synthetic conda channel), then
``create --bundle`` and ``verify`` run inside a network namespace without interfaces
(``unshare -n``), with cold caches and pip's and uv's configuration switched off. A damaged
or missing file, and a bundle of another lock, are refused before anything is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bundles import layout_bundle, make_bundle
from tests.conftest import PYENV_ROOT, need_python
from tests.helpers import fake_conda, invoke, lock_section, no_conda_path

pytestmark = pytest.mark.e2e
PIP = ["--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64", "--no-input"]


@pytest.fixture(scope="session")
def offline() -> list[str]:
    """The command prefix that runs a command in a network namespace with no interface up;
    skipped (with the reason) where unshare is not permitted. The namespace is checked to
    really have no network: a connection to the index fails inside it."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed (util-linux)")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -n is not permitted here: {probe.stderr.strip()[:200]}")
    connect = "import socket; socket.create_connection(('files.pythonhosted.org', 443), timeout=5)"
    inside = subprocess.run(["unshare", "-n", sys.executable, "-c", connect], capture_output=True)
    outside = subprocess.run([sys.executable, "-c", connect], capture_output=True)
    assert inside.returncode != 0 and outside.returncode == 0  # the namespace is what cuts it
    return ["unshare", "-n"]


def _npinit(
    offline: list[str], args: list[str], cwd: Path, tmp_path: Path, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    """npinit inside the namespace, with a new HOME and cache (nothing downloaded before can
    help), pip's and uv's configuration off, and an index set that must not be used."""
    home = tmp_path / "offline-home"
    home.mkdir(exist_ok=True)
    constraints = home / "constraints.txt"
    constraints.write_text("pytest==8.0.0\niniconfig==2.0.0\n")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYENV_ROOT": str(PYENV_ROOT),
        "PIP_CONFIG_FILE": os.devnull,
        "UV_NO_CONFIG": "1",
        "PIP_INDEX_URL": "https://pypi.org/simple",  # the namespace has no network:
        "UV_INDEX_URL": "https://pypi.org/simple",  # using either would fail
        # a user's settings that would refuse the bundle's wheels: npinit must not pass them on
        "PIP_NO_BINARY": ":all:",
        "UV_CONSTRAINT": str(constraints),
        "PATH": path or os.environ["PATH"],
    }
    return subprocess.run(
        [*offline, sys.executable, "-m", "npinit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )


def _locked_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], alias: str = ""
) -> Path:
    code, _, err = invoke(["new", "p", *args, "--no-solve"], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "p"
    more = ["--channel-alias", alias] if alias else []
    code, _, err = invoke(["lock", *more], project, capsys)
    assert code == 0, err
    return project


def _created_offline(
    offline: list[str], bundle: Path, tmp_path: Path, extra: tuple[str, ...] = (), path: str = ""
) -> dict[str, object]:
    """create --bundle then verify, both in the namespace, in the bundle's own project."""
    project = bundle / "project"
    done = _npinit(offline, ["create", "--bundle", str(bundle), "--json", *extra], project,
                   tmp_path, path or None)  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    report: dict[str, object] = json.loads(done.stdout)
    assert report["verified"] is True, report
    checked = _npinit(offline, ["verify"], project, tmp_path, path or None)
    assert checked.returncode == 0 and "No drift" in checked.stdout, checked.stdout
    report["stderr"] = done.stderr
    return report


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_pip_project_offline_from_the_index_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: list[str], installer: str
) -> None:
    need_python("3.12")
    project = _locked_project(tmp_path, capsys, ["--manager", "pip", *PIP])
    bundle = make_bundle(project, tmp_path / "bundle")
    extra = ("--no-uv",) if installer == "pip" else ()
    report = _created_offline(offline, bundle, tmp_path, extra)
    assert report["tool"] == installer and report["numpy"] == "2.4.6"
    tests = report["tests"]
    assert isinstance(tests, dict) and tests["passed"] is True and "4 passed" in tests["summary"]
    assert (bundle / "project/.venv").is_dir() and not (project / ".venv").exists()


def test_uv_project_offline_installs_npinit_lock_with_uv_pip_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: list[str]
) -> None:
    need_python("3.12")
    project = _locked_project(tmp_path, capsys, ["--manager", "uv", *PIP])
    assert (project / "uv.lock").is_file()
    bundle = make_bundle(project, tmp_path / "bundle")
    report = _created_offline(offline, bundle, tmp_path)
    assert report["tool"] == "uv" and report["tests"]["passed"] is True  # type: ignore[index]
    assert "uv sync cannot install uv.lock from local files" in str(report["stderr"])


@pytest.mark.parametrize("harm", ["damaged", "missing", "platform"])
def test_a_damaged_or_missing_file_is_refused_and_nothing_is_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], harm: str
) -> None:
    need_python("3.12")
    project = _locked_project(tmp_path, capsys, ["--manager", "pip", *PIP])
    bundle = make_bundle(project, tmp_path / "bundle")
    wheels = sorted((bundle / "linux-64/pypi").glob("numpy-*.whl"))
    assert len(wheels) == 1
    if harm == "damaged":  # one byte changed, in the middle of the wheel
        data = bytearray(wheels[0].read_bytes())
        data[len(data) // 2] ^= 0x01
        wheels[0].write_bytes(bytes(data))
    elif harm == "missing":
        wheels[0].unlink()
    else:  # a bundle made for another platform only
        (bundle / "linux-64").rename(bundle / "osx-arm64")
    before = sorted(p.name for p in (bundle / "project").iterdir())
    code, _, err = invoke(["create", "--bundle", str(bundle)], bundle / "project", capsys)
    assert len(err.splitlines()) == 1, err
    if harm == "platform":
        assert code == 3 and "the bundle has no linux-64 files (it has osx-arm64)" in err
    else:
        assert code == 1 and f"linux-64/pypi/{wheels[0].name} ({harm}" in err
    assert sorted(p.name for p in (bundle / "project").iterdir()) == before  # no .venv, no marker


def test_a_bundle_of_another_lock_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _locked_project(tmp_path, capsys, ["--manager", "pip", *PIP])
    bundle = layout_bundle(project, tmp_path / "bundle")  # the contract's own reading
    lock = project / "npinit.lock"  # still this project's lock, but not the bundle's bytes
    lock.write_text(lock.read_text() + "# locked again\n")
    code, _, err = invoke(["create", "--bundle", str(bundle)], project, capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        f"npinit: error: the bundle was made from another lock than {lock} "
        "(run npinit bundle again)"
    ]
    assert not (project / ".venv").exists()


def _conda_project(tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path,
                   manager: str) -> Path:  # fmt: skip
    args = ["--manager", manager, *PIP]
    return _locked_project(tmp_path, capsys, args, alias=channel.as_uri())


@pytest.mark.parametrize("manager", ["conda", "pixi"])
def test_conda_and_pixi_offline_with_the_embedded_engine(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    offline: list[str],
    channel: Path,
    manager: str,
) -> None:
    project = _conda_project(tmp_path, capsys, channel, manager)
    bundle = make_bundle(project, tmp_path / "bundle", channels=(channel / "conda-forge",))
    report = _created_offline(offline, bundle, tmp_path, path=no_conda_path())
    assert report["tool"] == "py-rattler" and report["blas"] == "openblas"
    prefix = bundle / "project" / (".conda" if manager == "conda" else ".pixi/envs/default")
    assert (prefix / "lib/python3.12/site-packages/numpy/__init__.py").is_file()
    records = [json.loads(p.read_text()) for p in (prefix / "conda-meta").glob("*.json")]
    locked = lock_section(project / "npinit.lock", "linux-64")["packages"]
    assert sorted(r["sha256"] for r in records) == sorted(p["sha256"] for p in locked)
    assert {r["channel"].rstrip("/").rsplit("/", 1)[-1] for r in records} == {"conda-forge"}


def test_a_conda_front_end_gets_an_offline_explicit_file_of_the_checked_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    offline: list[str],
    channel: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What this shows: the exact command line (``micromamba create --offline`` of an
    ``@EXPLICIT`` file) and that file: absolute ``file://`` URLs of the checked archives,
    in a folder named after the locked channel, with the locked md5 of each. There is no
    conda here: a stand-in writes conda-meta from that file (tests.helpers.FAKE_CONDA)."""
    project = _conda_project(tmp_path, capsys, channel, "conda")
    bundle = make_bundle(project, tmp_path / "bundle", channels=(channel / "conda-forge",))
    fake_conda(tmp_path / "bin", ["micromamba"])
    log = tmp_path / "calls.log"
    monkeypatch.setenv("NPINIT_TEST_LOG", str(log))
    path = str(tmp_path / "bin") + os.pathsep + no_conda_path()
    report = _created_offline(offline, bundle, tmp_path, path=path)
    assert report["tool"] == "micromamba"
    [call] = [json.loads(line) for line in log.read_text().splitlines()]
    *argv, explicit = call
    prefix = str(bundle / "project/.conda")
    assert argv[:5] == ["micromamba", "create", "--yes", "--prefix", prefix]
    assert argv[5] == "--file" and argv[7:] == ["--offline"]
    urls = [line for line in explicit.splitlines() if line.startswith("file:")]
    locked = lock_section(project / "npinit.lock", "linux-64")["packages"]
    assert len(urls) == len(locked) > 5
    for package in locked:
        name = package["url"].rsplit("/", 1)[-1]
        [url] = [u for u in urls if u.endswith(f"/conda-forge/{package['subdir']}/{name}"
                                                f"#{package['md5']}")]  # fmt: skip
        assert url.startswith("file:///") and "://" not in url[len("file://") :]


def test_poetry_project_offline_through_the_lock_export(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    offline: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Poetry project locked by real Poetry, installed offline without Poetry (not on PATH):
    npinit.lock's hashed requirements from the bundle, the project itself editable."""
    need_python("3.12")
    code, _, err = invoke(["new", "p", "--manager", "poetry", *PIP, "--no-solve"], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "p"
    poetry = shutil.which("poetry") or str(Path(sys.executable).with_name("poetry"))
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    # this machine's PyPI mirror lacks the JSON API Poetry's default source uses
    subprocess.run([poetry, "source", "add", "--priority=primary", "simple",
                    "https://pypi.org/simple/"], cwd=project, env=env, check=True)  # fmt: skip
    # for this test only (it was set for every test after it)
    monkeypatch.setenv("PATH", str(Path(poetry).parent) + os.pathsep + os.environ["PATH"])
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    root = next(p for p in lock_section(project / "npinit.lock", "linux-64")["packages"]
                if p.get("origin") == "editable")  # fmt: skip
    # poetry.lock names each file without its URL: npinit bundle finds it on the index
    bundle = tmp_path / "bundle"
    code, _, err = invoke(["bundle", str(bundle)], project, capsys)
    assert code == 0, err
    report = _created_offline(offline, bundle, tmp_path, path="/usr/bin:/bin")
    assert report["tool"] == "uv" and report["tests"]["passed"] is True  # type: ignore[index]
    assert "Poetry cannot install poetry.lock from local files" in str(report["stderr"])
    venv = bundle / "project/.venv"
    [pth] = venv.glob(f"lib/python3.12/site-packages/{root['name'].replace('-', '_')}.pth")
    assert pth.read_text().split() == [str(bundle / "project/src")]


def test_every_file_of_a_package_is_checked_in_a_bundle_npinit_bundle_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """osx-arm64's numpy has two locked wheels (Accelerate for macOS 14+, OpenBLAS before):
    the real ``npinit bundle`` holds both, and a damaged one of the two is named."""
    from npinit.errors import Failure
    from npinit.record import lockfile
    from npinit.record.bundle_files import checked_files

    args = ["--manager", "pip", *PIP, "--platform", "osx-arm64"]
    project = _locked_project(tmp_path, capsys, args)
    code, _, err = invoke(["bundle", str(tmp_path / "stick")], project, capsys)
    assert code == 0, err
    bundle = tmp_path / "stick"
    section = lockfile.read_lock(bundle / "project/npinit.lock").sections["osx-arm64"]
    numpy = [f for f in checked_files(bundle, section) if f.package.name == "numpy"]
    assert len(numpy) == 2  # both wheels, each hashed against the lock
    older = next(f.path for f in numpy if "macosx_14" not in f.path.name)
    data = bytearray(older.read_bytes())
    data[len(data) // 2] ^= 0x01  # one byte changed
    older.write_bytes(bytes(data))
    with pytest.raises(Failure, match=f"osx-arm64/pypi/{older.name} \\(damaged"):
        checked_files(bundle, section)


def _readme_blocks(bundle: Path, platform: str) -> list[list[str]]:
    """The command lines of each code block of the bundle README's steps for ``platform``."""
    import re

    text = (bundle / "README.md").read_text()
    part = text.split("## Without npinit", 1)[1].split(f": `{platform}`", 1)[1].split("\n### ")[0]
    return [
        [line for line in b.splitlines() if line.strip()]
        for b in re.findall(r"```\n(.*?)```", part, re.S)
    ]


def test_the_readme_steps_without_npinit_install_a_uv_package_project_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: list[str]
) -> None:
    """A uv project that is a package (uv.lock installs it editable): the bundle README's
    steps without npinit, run as written (pip's, then uv's) in the namespace without a
    network, leave the project itself importable and its own check passing."""
    python = need_python("3.12")
    project = _locked_project(tmp_path, capsys, ["--manager", "uv", *PIP])
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text().replace("package = false", "package = true")
    pyproject.write_text(
        text + '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    bundle = make_bundle(project, tmp_path / "bundle")
    pip_block, uv_block, root_block = _readme_blocks(bundle, "linux-64")
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        UV_NO_CONFIG="1",
        UV_CACHE_DIR=str(tmp_path / "uvc"),
        PATH=os.pathsep.join([str(python.parent), str(Path(uv).parent), env["PATH"]]),
    )
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    for where, steps in ((bundle, pip_block), (copy, uv_block)):
        for line in [*steps, *root_block]:
            done = subprocess.run(
                [*offline, "bash", "-c", line],
                cwd=where / "project",
                env=env,
                capture_output=True,
                text=True,
                timeout=280,
            )
            assert done.returncode == 0, (line, done.stderr[-2000:])
        venv_python = where / "project/.venv/bin/python"
        shown = subprocess.run(
            [*offline, str(venv_python), "-c", "import p; print(p.__file__)"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.strip() == str(where / "project/src/p/__init__.py")
        check = subprocess.run(
            [*offline, str(venv_python), "tests/test_environment.py"],
            cwd=where / "project",
            env=env,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
