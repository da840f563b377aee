"""npinit bundle against local sources only: a conda project locked against the synthetic
archive channel (tests/channels.py), bundled, its channel read by py-rattler's own solver
and installer; a pip project against a package index on loopback that wants credentials
and counts what it serves. Damaged and missing files, interrupted runs, changed files."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import invoke, lock_section
from tests.local_index import serve, wheel

pytestmark = pytest.mark.e2e


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _conda_project(tmp_path: Path, capsys: pytest.CaptureFixture[str], alias: str) -> Path:
    code, _, err = invoke(
        ["new", "cb", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
         "--blas", "mkl", "--platform", "linux-64", "--no-input", "--channel-alias", alias],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    code, _, err = invoke(["lock", "--channel-alias", alias], tmp_path / "cb", capsys)
    assert code == 0, err
    return tmp_path / "cb"


def _bundle(
    project: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any], str]:
    code, out, err = invoke(["bundle", *args, "--json"], project, capsys)
    return code, (json.loads(out) if code == 0 else {}), err


def _locked_files(project: Path, platform: str = "linux-64") -> dict[str, str]:
    """file name -> sha256, from the lock itself."""
    section = lock_section(project / "npinit.lock", platform)
    return {p["url"].rsplit("/", 1)[-1]: p["sha256"] for p in section["packages"]}


def test_the_conda_bundle_is_a_channel_rattler_solves_and_installs_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    import rattler

    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    code, report, err = _bundle(project, capsys, str(out), "--channel-alias", channel.as_uri())
    assert code == 0, err
    locked = _locked_files(project)
    assert report["downloaded"] == len(locked) == 6
    archives = {p.name: _sha256(p) for p in (out / "linux-64/channel").glob("*/*.tar.bz2")}
    assert archives == locked
    explicit = (out / "linux-64/explicit.txt").read_text().splitlines()
    assert explicit[3] == "@EXPLICIT" and len(explicit[4:]) == 6
    assert all(line.startswith("file:channel/") for line in explicit[4:])
    assert (out / "linux-64/channel/noarch/repodata.json").is_file()

    async def solve_and_install() -> list[Any]:
        records = await rattler.solve(
            sources=[rattler.Channel((out / "linux-64/channel").as_uri())],
            specs=[rattler.MatchSpec(s) for s in
                   ("python=3.12", "numpy=2.4.6", "libblas=*=*mkl", "pytest", "threadpoolctl")],
            platforms=["linux-64", "noarch"],
            gateway=rattler.Gateway(cache_dir=tmp_path / "rattler"),
        )  # fmt: skip
        await rattler.install(records, tmp_path / "env", cache_dir=tmp_path / "pkgs",
                              show_progress=False)  # fmt: skip
        return list(records)

    records = asyncio.run(solve_and_install())
    solved = {str(r.file_name): r.sha256.hex() for r in records}
    assert solved == locked  # every dependency came from the bundle's repodata
    assert all(str(r.url).startswith((out / "linux-64/channel").as_uri()) for r in records)
    installed = json.loads(next((tmp_path / "env/conda-meta").glob("libblas-*.json")).read_text())
    assert installed["build"].endswith("mkl")
    assert (tmp_path / "env/lib/python3.12/site-packages/numpy/__init__.py").is_file()
    blas = report["platforms"]["linux-64"]["blas"]
    assert blas["name"] == "mkl" and blas["size"] > 0
    assert blas["size"] == sum((out / p).stat().st_size for p in blas["files"]) and any(
        "libblas" in p for p in blas["files"]
    )


def test_check_names_every_missing_and_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    code, _, err = _bundle(project, capsys, str(out), "--channel-alias", channel.as_uri())
    assert code == 0, err
    code, stdout, err = invoke(["bundle", "--check", str(out)], tmp_path, capsys)
    assert code == 0 and len(stdout.strip().splitlines()) == 1 and "match" in stdout, err
    damaged = next((out / "linux-64/channel/linux-64").glob("numpy-*.tar.bz2"))
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    missing = next((out / "linux-64/channel/noarch").glob("pytest-*.tar.bz2"))
    missing.unlink()
    explicit = out / "linux-64/explicit.txt"
    explicit.write_text(explicit.read_text().replace("@EXPLICIT", "@EXPLICIT\n# edited"))
    code, _, err = invoke(["bundle", "--check", str(out)], tmp_path, capsys)
    assert code == 1
    assert f"{damaged.name}: damaged: sha256" in err and f"{missing.name}: missing" in err
    assert "linux-64/explicit.txt: damaged: sha256" in err and "3 problems" in err


def test_check_in_the_project_compares_the_bundle_with_its_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    code, _, err = _bundle(project, capsys, str(out), "--channel-alias", channel.as_uri())
    assert code == 0, err
    code, _, err = invoke(["bundle", "--check", str(out)], project, capsys)
    assert code == 0, err
    lock = project / "npinit.lock"
    numpy = next(p for p in lock_section(lock, "linux-64")["packages"] if p["name"] == "numpy")
    lock.write_text(lock.read_text().replace(numpy["sha256"], "0" * 64))
    code, _, err = invoke(["bundle", "--check", str(out)], project, capsys)
    assert code == 1
    assert f"the bundle was made from another lock than {lock}" in err
    assert f"numpy-2.4.6-py312_0.tar.bz2: not in {lock}" in err
    assert f"numpy 2.4.6 is locked in {lock} but not in the bundle" in err
    assert "project/npinit.lock" not in err  # the stick's own lock still fits it


def test_check_outside_the_project_compares_the_stick_lock_and_names_unlisted_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    """Run where there is no project (a stick on another laptop): the bundle is compared
    with the lock it carries, and what bundle.json does not list is named."""
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    code, _, err = _bundle(project, capsys, str(out), "--channel-alias", channel.as_uri())
    assert code == 0, err
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, stdout, err = invoke(["bundle", "--check", str(out)], elsewhere, capsys)
    assert code == 0, err
    assert "no file unlisted in bundle.json" in stdout and "(project/npinit.lock)" in stdout
    assert stdout.strip().endswith("all match") and len(stdout.strip().splitlines()) == 1
    extra = out / "linux-64/channel/noarch/evil-1.0-0.tar.bz2"  # a channel would index it
    extra.write_bytes(b"not listed")
    (out / "linux-64/channel/linux-64/extra").mkdir()
    (out / "linux-64/channel/linux-64/extra/x.conda").write_bytes(b"not listed")
    code, _, err = invoke(["bundle", "--check", str(out), "--json"], elsewhere, capsys)
    problems = [line for line in err.splitlines() if "not listed" in line]
    assert code == 1 and not problems  # --json: the problems are in the report
    code, stdout, err = invoke(["bundle", "--check", str(out)], elsewhere, capsys)
    assert code == 1
    assert "linux-64/channel/noarch/evil-1.0-0.tar.bz2: not listed in bundle.json" in err
    assert "linux-64/channel/linux-64/extra/: not listed in bundle.json" in err
    assert "2 problems" in err and "all match" not in stdout
    extra.unlink()
    shutil.rmtree(out / "linux-64/channel/linux-64/extra")
    # the stick's lock re-locked (its checksum in bundle.json updated to match): the
    # bundle's files are no longer the ones it names
    lock = out / "project/npinit.lock"
    numpy = next(p for p in lock_section(lock, "linux-64")["packages"] if p["name"] == "numpy")
    lock.write_text(lock.read_text().replace(numpy["sha256"], "0" * 64))
    info = json.loads((out / "bundle.json").read_text())
    info["checksums"]["project/npinit.lock"] = _sha256(lock)
    (out / "bundle.json").write_text(json.dumps(info))
    code, _, err = invoke(["bundle", "--check", str(out)], elsewhere, capsys)
    assert code == 1
    assert "the bundle was made from another lock than project/npinit.lock" in err
    assert "numpy-2.4.6-py312_0.tar.bz2: not in project/npinit.lock" in err
    lock.unlink()
    code, _, err = invoke(["bundle", "--check", str(out)], elsewhere, capsys)
    assert code == 1 and "project/npinit.lock: missing" in err


def test_a_file_linked_out_of_the_bundle_is_refused_by_check_and_create_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    """One rule for reading a bundle's files: a link is followed only while it stays inside
    the bundle. The numpy archive replaced by a link to the same bytes outside it."""
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    code, _, err = _bundle(project, capsys, str(out), "--channel-alias", channel.as_uri())
    assert code == 0, err
    archive = next((out / "linux-64/channel/linux-64").glob("numpy-*.tar.bz2"))
    outside = tmp_path / "outside" / archive.name
    outside.parent.mkdir()
    shutil.copyfile(archive, outside)
    archive.unlink()
    archive.symlink_to(outside)
    code, _, err = invoke(["bundle", "--check", str(out)], out / "project", capsys)
    assert code == 1 and f"{archive.name}: refused: {archive} is a symlink to {outside}" in err
    before = sorted(p.name for p in (out / "project").iterdir())
    code, _, err = invoke(["create", "--bundle", str(out)], out / "project", capsys)
    assert code == 1 and len(err.splitlines()) == 1, err
    assert f"{archive.name} (refused: {archive} is a symlink to {outside}" in err
    assert sorted(p.name for p in (out / "project").iterdir()) == before  # nothing built
    archive.unlink()  # a link that stays inside the bundle is read, by both
    inner = out / "project" / archive.name
    shutil.copyfile(outside, inner)
    archive.symlink_to(os.path.relpath(inner, archive.parent))
    code, _, err = invoke(["bundle", "--check", str(out)], out / "project", capsys)
    assert code == 1 and err.count("not listed") == 1 and "symlink" not in err, err


def _pip_project_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], index: str, files: Path
) -> Path:
    """A pip project whose requirements name a local index (credentials in its URL), which
    serves ``files`` and a stand-in wheel of the NumPy the project records (its tinypkg
    needs numpy: a lock without the recorded numpy is refused)."""
    code, _, err = invoke(
        ["new", "tp", "--manager", "pip", "--python", "3.12", "--no-solve", "--no-input",
         "--platform", "linux-64", "--platform", "win-64"],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "tp"
    recorded = tomllib.loads((project / ".npinit.toml").read_text())["project"]["numpy"]
    wheel(files, "numpy", recorded)
    (project / "requirements.txt").write_text(f"--index-url {index}/simple/\ntinypkg==1.0\n")
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    return project


def test_credentials_are_used_never_written_and_a_second_run_fetches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = tmp_path / "wheels"
    wheel(files, "tinypkg", "1.0", ("numpy>=1",))
    with serve(files, "teacher", "s3cret-pw") as server:
        index = server.url.replace("http://", "http://teacher:s3cret-pw@")
        project = _pip_project_on(tmp_path, capsys, index, files)
        assert "s3cret-pw" in (project / "npinit.lock").read_text()  # the lock's inputs hold it
        locked = len(server.files)
        out = project / "offline"  # inside the project: never copied into itself
        code, report, err = _bundle(project, capsys, str(out))
        assert code == 0, err
        assert len(server.files) - locked == 2 and server.refused == 0  # one fetch per file
        assert report["downloaded"] == 2 and report["already_there"] == 0
        written = [p for p in out.rglob("*") if p.is_file()]
        assert written and all(b"s3cret-pw" not in p.read_bytes() for p in written)
        assert not (out / "project/offline").exists()
        assert "--index-url http://127.0.0.1:" in (out / "project/requirements.txt").read_text()
        for platform in ("linux-64", "win-64"):
            wheels = {p.name: _sha256(p) for p in (out / platform / "pypi").iterdir()}
            assert wheels == _locked_files(project, platform)
        seen = len(server.files)
        code, report, err = _bundle(project, capsys, str(out))
        assert code == 0, err
        assert len(server.files) == seen  # nothing fetched again
        assert report["downloaded"] == 0 and report["already_there"] == 4
    code, _, err = invoke(["bundle", "--check", str(out)], out / "project", capsys)
    assert code == 0, err  # the bundle's own project (credentials removed) fits its bundle


def _files_in(out: Path) -> int:
    return sum(1 for p in out.rglob("*") if p.is_file())


def test_json_counts_every_file_and_platform_rechecks_what_it_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json's counters add up to the files the bundle holds; --platform P on a bundle of
    the same lock re-hashes the platforms it already has (a damaged file downloaded again);
    a channel token in a URL's path is written nowhere in the bundle."""
    files = tmp_path / "wheels"
    wheel(files, "tinypkg", "1.0", ("numpy>=1",))
    token = "tk-0123-SECRET-abcd"
    with serve(files, "teacher", "s3cret-pw") as server:
        index = server.url.replace("http://", "http://teacher:s3cret-pw@")
        project = _pip_project_on(tmp_path, capsys, index, files)
        (project / "channels.md").write_text(
            f"mirror: https://conda.anaconda.org/t/{token}/conda-forge/linux-64/x.conda\n"
        )
        out = tmp_path / "stick"
        code, report, err = _bundle(project, capsys, str(out), "--platform", "linux-64")
        assert code == 0, err
        assert (report["downloaded"], report["already_there"], report["copied"]) == (2, 0, 0)
        assert report["written"] > 4 and report["rechecked"] == []
        assert report["downloaded"] + report["written"] == _files_in(out)
        assert "credentials were removed from project/channels.md" in err
        code, report, err = _bundle(project, capsys, str(out))  # win-64: the same two wheels
        assert code == 0, err
        assert (report["downloaded"], report["already_there"], report["copied"]) == (0, 2, 2)
        counted = sum(report[k] for k in ("downloaded", "already_there", "copied", "written"))
        assert counted == _files_in(out)
        damaged = next((out / "linux-64/pypi").glob("tinypkg-*.whl"))
        damaged.write_bytes(damaged.read_bytes() + b"\0")
        code, report, err = _bundle(project, capsys, str(out), "--platform", "win-64")
        assert code == 0, err
        assert report["rechecked"] == ["linux-64"] and sorted(report["platforms"]) == [
            "linux-64",
            "win-64",
        ]
        assert (report["downloaded"], report["already_there"]) == (1, 3)
    code, _, err = invoke(["bundle", "--check", str(out)], tmp_path, capsys)
    assert code == 0, err
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(token.encode() not in p.read_bytes() for p in written)
    assert (
        "https://conda.anaconda.org/conda-forge/linux-64/x.conda"
        in (out / "project/channels.md").read_text()
    )


def test_a_token_in_a_url_path_is_not_printed_when_its_download_fails(tmp_path: Path) -> None:
    from npinit.errors import Failure
    from npinit.record.download import Wanted, fetch_all

    token = "tk-0123-SECRET-abcd"
    url = f"http://127.0.0.1:9/t/{token}/conda-forge/linux-64/x-1.0-0.conda"  # refused
    with pytest.raises(Failure) as raised:
        fetch_all([Wanted(tmp_path / "stick/x-1.0-0.conda", url, "0" * 64)])
    shown = str(raised.value)
    assert "could not be downloaded from" in shown and "conda-forge/linux-64/x-1.0-0" in shown
    assert token not in shown


def test_refusals_name_the_problem_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    code, _, err = invoke(["bundle", str(full)], project, capsys)
    assert code == 2 and "neither empty nor a bundle" in err
    assert sorted(p.name for p in full.iterdir()) == ["notes.txt"]
    code, _, err = invoke(["bundle", str(tmp_path)], project, capsys)
    assert code == 2 and "holds the project itself" in err
    code, _, err = invoke(["bundle", "--platform", "win-64", str(tmp_path / "b")], project, capsys)
    assert code == 2 and "no section for win-64" in err and not (tmp_path / "b").exists()
    env = project / "environment.yml"
    env.write_text(env.read_text().replace("threadpoolctl", "threadpoolctl\n  - scipy"))
    code, _, err = invoke(["bundle", str(tmp_path / "b")], project, capsys)
    assert code == 2 and "no longer fits the project" in err and not (tmp_path / "b").exists()
    code, _, err = invoke(["bundle", "--check", str(tmp_path / "nothing")], project, capsys)
    assert code == 2 and "is not a bundle" in err


def test_making_the_bundle_again_never_deletes_what_someone_put_in_its_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    """The bundle's README has participants build in its project/: a second npinit bundle
    refuses (exit 2, naming them) rather than replace that folder with their files in it."""
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    alias = ["--channel-alias", channel.as_uri()]
    code, _, err = _bundle(project, capsys, str(out), *alias)
    assert code == 0, err
    (out / "project/.conda/conda-meta").mkdir(parents=True)
    (out / "project/analysis.py").write_text("mine\n")
    code, _, err = _bundle(project, capsys, str(out), *alias)
    assert code == 2 and ".conda/" in err and "analysis.py" in err, err
    assert (out / "project/analysis.py").read_text() == "mine\n"
    assert (out / "project/.conda/conda-meta").is_dir()
    shutil.rmtree(out / "project/.conda")
    (out / "project/analysis.py").unlink()
    code, report, err = _bundle(project, capsys, str(out), *alias)
    assert code == 0 and report["downloaded"] == 0, err


def _copied_channel(tmp_path: Path, channel: Path) -> Path:
    root = tmp_path / "mirror"
    shutil.copytree(channel, root, symlinks=False)
    return root


def test_a_file_the_channel_changed_is_deleted_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    mirror = _copied_channel(tmp_path, channel)
    project = _conda_project(tmp_path, capsys, mirror.as_uri())
    archive = next((mirror / "conda-forge/linux-64").glob("numpy-*.tar.bz2"))
    archive.write_bytes(archive.read_bytes() + b"\0")  # the channel now serves another file
    out = tmp_path / "stick"
    code, _, err = invoke(["bundle", str(out), "--channel-alias", mirror.as_uri()], project, capsys)
    assert code == 1 and f"hash mismatch for {archive.name}" in err
    assert not (out / "linux-64/channel/linux-64" / archive.name).exists()
    assert not list(out.rglob("*.npinit-part")) and not (out / "bundle.json").exists()


def _run_cli(project: Path, *args: str, fault: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NPINIT_TEST_FAULT": fault}
    return subprocess.run(
        [sys.executable, "-m", "npinit", "bundle", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(("fault", "code"), [("bundle-streaming#3:SIGKILL", -9),
                                             ("bundle-checked#2:SIGINT", 130),
                                             ("bundle-checked#4", 1)])  # fmt: skip
def test_an_interrupted_run_leaves_no_partial_file_and_the_next_one_completes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path, fault: str, code: int
) -> None:
    project = _conda_project(tmp_path, capsys, channel.as_uri())
    out = tmp_path / "stick"
    alias = ["--channel-alias", channel.as_uri()]
    stopped = _run_cli(project, str(out), *alias, "--json", fault=fault)
    assert stopped.returncode == code, stopped.stderr
    assert "Traceback" not in stopped.stderr
    locked = _locked_files(project)
    finals = [p for p in out.rglob("*.tar.bz2")]
    if code != 130:  # (Ctrl-C reaches the main thread while the others may finish)
        assert len(finals) < len(locked)  # it really stopped part-way
    assert all(_sha256(p) == locked[p.name] for p in finals)  # none partial under its name
    assert not (out / "bundle.json").exists()
    if code == -9:
        assert list(out.rglob("*.npinit-part"))  # killed mid-file: only the hidden name
    else:
        assert not list(out.rglob("*.npinit-part"))
    code2, report, err = _bundle(project, capsys, str(out), *alias)
    assert code2 == 0, err
    assert report["downloaded"] == len(locked) - len(finals)
    assert not list(out.rglob("*.npinit-part")) and not (out / ".npinit-bundle-incomplete").exists()


def test_the_workshop_readme_says_how_to_make_and_check_the_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generated README's offline steps, run as written: they make and check a bundle."""
    import re

    files = tmp_path / "wheels"
    wheel(files, "tinypkg", "1.0", ("numpy>=1",))
    with serve(files, "u", "p") as server:
        project = _pip_project_on(tmp_path, capsys, server.url.replace("//", "//u:p@"), files)
        readme = (project / "README.md").read_text()
        offline = readme.split("## Before the workshop", 1)[1].split("### Offline", 1)[1]
        blocks = re.findall(r"```\n(.*?)```", offline, re.S)
        steps = [line.split() for line in blocks[0].splitlines() if line.strip()]
        assert [s[:2] for s in steps] == [["npinit", "bundle"], ["npinit", "bundle"]]
        for step in steps:
            code, out, err = invoke(step[1:], project, capsys)
            assert code == 0, err
        assert "all" in out and "match" in out
        assert (tmp_path / "tp-bundle/linux-64/pypi/tinypkg-1.0-py3-none-any.whl").is_file()
        assert "npinit create --bundle .." in offline and "cd BUNDLE/project" in offline


def test_create_bundle_installs_from_what_npinit_bundle_made(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Path,
) -> None:
    """The contract between the two halves: the embedded engine installs this bundle's
    project from the bundle alone (the channel it was made from is gone by then)."""
    from tests.helpers import no_conda_path

    mirror = _copied_channel(tmp_path, channel)
    project = _conda_project(tmp_path, capsys, mirror.as_uri())
    out = tmp_path / "stick"
    code, _, err = _bundle(project, capsys, str(out), "--channel-alias", mirror.as_uri())
    assert code == 0, err
    shutil.rmtree(mirror)
    monkeypatch.setenv("PATH", no_conda_path())
    code, stdout, err = invoke(["create", "--bundle", "..", "--json"], out / "project", capsys)
    assert code == 0, err
    report = json.loads(stdout)
    assert report["blas"] == "mkl" and report["verified"] is True
    prefix = out / "project/.conda"
    records = [json.loads(p.read_text()) for p in (prefix / "conda-meta").glob("*-*.json")]
    assert sorted(r["sha256"] for r in records) == sorted(_locked_files(project).values())


def test_progress_on_a_terminal_and_quiet_in_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    import pty

    project = _conda_project(tmp_path, capsys, channel.as_uri())
    args = [sys.executable, "-m", "npinit", "bundle", "--channel-alias", channel.as_uri()]
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    master, slave = pty.openpty()
    proc = subprocess.Popen([*args, str(tmp_path / "t1")], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=slave)  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    terminal = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    assert "Downloading 6 files for linux-64" in terminal
    piped = subprocess.run([*args, str(tmp_path / "t2")], cwd=project, env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == ""
    assert "6 files downloaded" in piped.stdout
