"""Exports equal the lock: every export npinit writes, read back by its consumer's own parser
(packaging's pylock, pip's requirements reader, conda-lock's parser, rattler for pixi.lock
and explicit files), carries every file and hash of that platform's section of npinit.lock,
as npinit's own reader reads it, on every locked platform."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from npinit.record import lockfile
from npinit.record.snapshot import Snapshot
from tests.helpers import invoke

pytestmark = pytest.mark.e2e
ALL = ["linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64"]


def _new(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, *args: str) -> Path:
    code, _, err = invoke(["new", name, "--no-input", "--no-solve", *args], tmp_path, capsys)
    assert code == 0, err
    return tmp_path / name


def _export(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str, out: Path, *more: str
) -> Path:
    code, _, err = invoke(["lock", "--format", fmt, "--output", str(out), *more], project, capsys)
    assert code == 0, err
    return out


def _files(section: Snapshot) -> set[tuple[str, str]]:
    """(url, sha256) of every file of a section, as npinit's reader gives them."""
    return {(f.url, f.sha256) for p in section.packages for f in p.every_file()}


def _hashes(section: Snapshot) -> set[str]:
    return {h.removeprefix("sha256:") for p in section.packages for h in p.hashes}


# -- PyPI: pylock.toml and hashed requirements ---------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pip's reader imports pkg_resources
def test_pypi_exports_carry_every_file_of_every_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from packaging.pylock import Pylock
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements  # pip's own reader

    project = _new(
        tmp_path,
        capsys,
        "px",
        "--manager",
        "pip",
        "--python",
        "3.12",
        "--numpy",
        "2.3.5",
        "--platform",
        "linux-64",
    )
    code, _, err = invoke(["lock", "--platform", "all"], project, capsys)
    assert code == 0, err
    lock = lockfile.read_lock(project / "npinit.lock")
    assert lock.platforms() == ALL
    for platform, section in lock.sections.items():
        files, hashes = _files(section), _hashes(section)
        assert len(files) >= len(section.packages) >= 6, platform
        assert {sha for _, sha in files} == hashes, platform  # one hash per file
        out = _export(
            project, capsys, "pylock", tmp_path / f"pylock.{platform}.toml", "--platform", platform
        )
        parsed = Pylock.from_dict(tomllib.loads(out.read_text()))
        got = {(str(w.url), w.hashes["sha256"]) for p in parsed.packages for w in p.wheels or ()}
        got |= {(str(p.sdist.url), p.sdist.hashes["sha256"]) for p in parsed.packages if p.sdist}
        assert got == files, platform
        assert {(str(p.name), str(p.version)) for p in parsed.packages} == {
            (p.name, p.version) for p in section.packages
        }
        req = _export(
            project,
            capsys,
            "requirements",
            tmp_path / f"req.{platform}.txt",
            "--platform",
            platform,
        )
        read = list(parse_requirements(str(req), PipSession()))
        assert {
            h for r in read for h in ((r.options or {}).get("hashes") or {}).get("sha256", [])
        } == hashes, platform
        assert {r.requirement.strip() for r in read} == {
            f"{p.name}=={p.version}" for p in section.packages
        }
    _both_macos_wheels(lock.sections, tmp_path)


def _both_macos_wheels(sections: dict[str, Snapshot], tmp_path: Path) -> None:
    """numpy's two macOS wheels per macOS platform, each with its BLAS, in the lock and in
    the pylock export (the installer picks Accelerate on macOS 14+)."""
    for platform, old, new in (
        ("osx-arm64", "macosx_11_0_arm64", "macosx_14_0_arm64"),
        ("osx-64", "macosx_10_13_x86_64", "macosx_14_0_x86_64"),
    ):
        numpy = next(p for p in sections[platform].packages if p.name == "numpy")
        blas = {f.name: f.blas for f in numpy.files}
        assert blas == {
            f"numpy-2.3.5-cp312-cp312-{old}.whl": "openblas",
            f"numpy-2.3.5-cp312-cp312-{new}.whl": "accelerate",
        }, platform
        data = tomllib.loads((tmp_path / f"pylock.{platform}.toml").read_text())
        entry = next(p for p in data["packages"] if p["name"] == "numpy")
        assert entry["tool"]["npinit"]["blas"] == blas
        assert sections[platform].blas.variant == "accelerate"


def test_a_lock_whose_files_and_hashes_disagree_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One hash per file: a file's sha256 changed in ``files`` alone is exit 2, named."""
    project = _new(
        tmp_path,
        capsys,
        "pz",
        "--manager",
        "pip",
        "--python",
        "3.12",
        "--numpy",
        "2.3.5",
        "--platform",
        "osx-arm64",
    )
    assert invoke(["lock"], project, capsys)[0] == 0
    path = project / "npinit.lock"
    numpy = next(
        p for p in lockfile.read_lock(path).sections["osx-arm64"].packages if p.name == "numpy"
    )
    other = next(f for f in numpy.files if f.url != numpy.url)
    text = path.read_text()
    line = next(x for x in text.splitlines() if other.url in x and "sha256 = " in x)
    path.write_text(text.replace(line, line.replace(other.sha256, "0" * 64)))
    code, _, err = invoke(["lock", "--format", "pylock", "--output", "x.toml"], project, capsys)
    assert code == 2 and "(numpy): its files and its hashes disagree" in err
    assert not (project / "x.toml").exists()
