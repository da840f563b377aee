"""Exports equal the lock: every export npinit writes, read back by its consumer's own parser
(packaging's pylock, pip's requirements reader, conda-lock's parser, rattler for pixi.lock
and explicit files), carries every file and hash of that platform's section of npinit.lock,
as npinit's own reader reads it, on every locked platform."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from npinit.record import lockfile
from npinit.record.snapshot import Snapshot
from tests.e2e.test_reproduce import conda_lock_python as conda_lock_python
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


# -- conda and pixi: explicit files, conda-lock.yml, pixi.lock -------------------------------


FORGE = ["--python", "3.14", "--numpy", "2.5.0", "--blas", "openblas"]
CONDA_PLATFORMS = ["linux-64", "linux-aarch64", "osx-arm64", "win-64"]  # the slice's
CANONICAL = "https://conda.anaconda.org/conda-forge/"

# conda-lock's own reading of conda-lock.yml, and its own rule for a record's depends (its
# conda solver's: one MatchSpec per depends entry, merged per name, the version's spec_str)
CONDA_LOCK_SCRIPT = """
import json, pathlib, sys
from conda_lock.conda_solver import MatchSpec
from conda_lock.lockfile import parse_conda_lock_file

def dependencies(depends):
    specs = {}
    for dep in depends:
        spec = MatchSpec(dep)
        specs.setdefault(spec.name, []).append(spec)
    out = {}
    for name, found in specs.items():
        spec = found[0] if len(found) == 1 else MatchSpec.merge(found)[0]
        out[name] = spec.version.spec_str if spec.version is not None else ""
    return out

lock = parse_conda_lock_file(pathlib.Path(sys.argv[1]))
depends = json.loads(pathlib.Path(sys.argv[2]).read_text())
print(json.dumps({
    "platforms": sorted(lock.metadata.platforms),
    "channels": [c.url for c in lock.metadata.channels],
    "sources": [str(s) for s in lock.metadata.sources],
    "content_hash": lock.metadata.content_hash,
    "packages": [[p.platform, p.name, p.manager, p.url, p.hash.md5, p.hash.sha256,
                  p.dependencies] for p in lock.package],
    "expected": {key: dependencies(specs) for key, specs in depends.items()},
}))
"""


def _conda_lock_read(
    project: Path, capsys: pytest.CaptureFixture[str], python: Path, tmp_path: Path
) -> dict[str, Any]:
    """conda-lock.yml exported from the project's lock, as conda-lock's parser reads it."""
    from tests.conftest import run

    out = _export(project, capsys, "conda-lock", tmp_path / "conda-lock.yml")
    lock = lockfile.read_lock(project / "npinit.lock")
    depends = {
        f"{platform} {p.name}": list(p.depends)
        for platform, section in lock.sections.items()
        for p in section.packages
    }
    spec = tmp_path / "depends.json"
    spec.write_text(json.dumps(depends))
    result = run([python, "-c", CONDA_LOCK_SCRIPT, out, spec])
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _no_alias_left(paths: list[Path]) -> None:
    """No written lock or export names the alias (file://); each names the channel."""
    for path in paths:
        text = path.read_text()
        assert "file://" not in text, path.name
        assert text.count(CANONICAL) > 0, path.name


def test_conda_exports_carry_every_file_hash_and_dependency(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forge_alias: str,
    conda_lock_python: Path,
) -> None:
    from rattler.explicit_environment import ExplicitEnvironmentSpec

    flags = [f for p in CONDA_PLATFORMS for f in ("--platform", p)]
    project = _new(tmp_path, capsys, "cx", "--manager", "conda", *FORGE, *flags)
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 0, err
    lock = lockfile.read_lock(project / "npinit.lock")
    assert lock.platforms() == CONDA_PLATFORMS
    written = [project / "npinit.lock"]
    for platform, section in lock.sections.items():
        assert all(p.depends for p in section.packages if p.name == "numpy"), platform
        explicit = _export(
            project, capsys, "conda-explicit", tmp_path / f"{platform}.txt", "--platform", platform
        )
        written.append(explicit)
        spec = ExplicitEnvironmentSpec.from_path(explicit)
        assert str(spec.platform) == platform
        got = {tuple(str(e.url).split("#")) for e in spec.packages}
        assert got == {(p.url, p.md5) for p in section.packages}, platform
    read = _conda_lock_read(project, capsys, conda_lock_python, tmp_path)
    written.append(tmp_path / "conda-lock.yml")
    _no_alias_left(written)
    assert read["platforms"] == CONDA_PLATFORMS and read["channels"] == ["conda-forge"]
    assert read["sources"] == ["environment.yml"]
    assert sorted(read["content_hash"]) == CONDA_PLATFORMS
    assert all(len(h) == 64 for h in read["content_hash"].values())
    got_files = {(p[0], p[3], p[4], p[5]) for p in read["packages"]}
    assert got_files == {
        (platform, p.url, p.md5, p.sha256)
        for platform, section in lock.sections.items()
        for p in section.packages
    }
    dependencies = {f"{p[0]} {p[1]}": p[6] for p in read["packages"]}
    assert dependencies == read["expected"]
    assert dependencies["linux-64 numpy"]["libblas"] == ">=3.9.0,<4.0a0"


def test_pixi_lock_and_its_exports_carry_every_file_of_npinit_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    import rattler

    blas = ["--blas", "mkl,osx-arm64=accelerate"]
    flags = [f for p in ("linux-64", "osx-arm64", "win-64") for f in ("--platform", p)]
    project = _new(
        tmp_path, capsys, "pq", "--manager", "pixi", *FORGE[:2], "--numpy", "2.4.6", *blas, *flags
    )
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 0, err
    lock = lockfile.read_lock(project / "npinit.lock")
    pixi = rattler.LockFile.from_path(project / "pixi.lock")
    env = pixi.default_environment()
    assert env is not None
    assert [str(c) for c in env.channels()] == [CANONICAL]  # a base URL, as pixi writes it
    owned = {str(p.name): p for p in env.platforms()}
    assert sorted(owned) == lock.platforms() == ["linux-64", "osx-arm64", "win-64"]
    for platform, section in lock.sections.items():
        records = env.conda_repodata_records_for_platform(owned[platform]) or []
        got = {(str(r.url), (r.sha256 or b"").hex(), (r.md5 or b"").hex()) for r in records}
        assert got == {(p.url, p.sha256, p.md5) for p in section.packages}, platform
        assert {(str(r.name.normalized), tuple(r.depends)) for r in records} == {
            (p.name, p.depends) for p in section.packages
        }
    _no_alias_left([project / "npinit.lock", project / "pixi.lock"])
    code, out, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0, out + err


# -- a lock made through a channel alias installs anywhere -----------------------------------


def test_a_lock_made_through_an_alias_records_the_channel_and_fetches_through_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locked through a file:// alias: npinit.lock, conda-lock.yml (the CI export) and the
    explicit files name https://conda.anaconda.org/conda-forge/...; create with the alias
    fetches through it, every file checked; lock --check still says the lock fits."""
    from tests.channels import build_channel
    from tests.helpers import no_conda_path

    platforms = ["linux-64", "osx-arm64", "win-64"]
    root = tmp_path / "mirror"
    for platform in platforms:
        build_channel(root, platform)
    alias = root.as_uri()
    flags = [f for p in platforms for f in ("--platform", p)]
    project = _new(
        tmp_path,
        capsys,
        "ca",
        "--manager",
        "conda",
        "--python",
        "3.12",
        "--numpy",
        "2.4.6",
        "--blas",
        "openblas",
        "--ci",
        "github",
        *flags,
    )
    code, _, err = invoke(["lock", "--channel-alias", alias], project, capsys)
    assert code == 0, err
    written = [project / "npinit.lock", project / "conda-lock.yml"]
    for platform in platforms:
        written.append(
            _export(
                project,
                capsys,
                "conda-explicit",
                tmp_path / f"{platform}.txt",
                "--platform",
                platform,
            )
        )
    _no_alias_left(written)
    monkeypatch.setenv("PATH", no_conda_path())
    code, out, err = invoke(["create", "--channel-alias", alias, "--json"], project, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["tool"] == "py-rattler" and report["verified"] is True
    meta = project / ".conda" / "conda-meta"
    assert {"numpy", "libblas", "python"} <= {p.name.rsplit("-", 2)[0] for p in meta.glob("*.json")}
    code, out, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0 and "fits" in out + err, out + err
    code, out, _ = invoke(["verify"], project, capsys)
    assert code == 0, out
