"""lock and verify on conda prefixes built in tmp_path from real conda-meta records and from
records solved out of the real conda-forge metadata in ../shared/fixtures/channels."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from npinit.record import lockfile
from tests.conftest import FIXTURES
from tests.helpers import invoke, lock_section

REAL_META = FIXTURES / "conda-meta/osx-arm64-openblas"


def real_prefix(tmp_path: Path) -> Path:
    prefix = tmp_path / "env"
    shutil.copytree(REAL_META, prefix / "conda-meta")
    return prefix


def test_lock_real_records_names_packages_and_blas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = real_prefix(tmp_path)
    out = tmp_path / "npinit.lock"
    code, stdout, err = invoke(
        ["lock", "--prefix", str(prefix), "--output", str(out)], tmp_path, capsys
    )
    assert code == 0, err
    data = lock_section(out)
    names = {p["name"]: p for p in data["packages"]}
    assert names["numpy"]["version"] == "1.26.4" and names["numpy"]["source"] == "conda"
    assert names["libblas"]["build"] == "20_osxarm64_openblas"
    assert names["libblas"]["channel"] == "conda-forge"
    assert names["libblas"]["md5"] == "49bc8dec26663241ee064b2d7116ec2d"
    assert data["blas"]["variant"] == "openblas"
    assert data["environment"] == {
        "kind": "conda",
        "python": "",
        "implementation": "cpython",
        "platform": "osx-arm64",
    }
    assert str(tmp_path) not in out.read_text()  # no absolute paths
    assert "openblas" in stdout


def test_locking_twice_gives_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = real_prefix(tmp_path)
    for name in ("a.lock", "b.lock"):
        invoke(
            ["lock", "--prefix", str(prefix), "--output", str(tmp_path / name)], tmp_path, capsys
        )
    assert (tmp_path / "a.lock").read_bytes() == (tmp_path / "b.lock").read_bytes()


def test_conda_explicit_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = real_prefix(tmp_path)
    out = tmp_path / "explicit.txt"
    code, _, _ = invoke(
        ["lock", "--prefix", str(prefix), "--format", "conda-explicit", "--output", str(out)],
        tmp_path,
        capsys,
    )
    lines = [line for line in out.read_text().splitlines() if not line.startswith("#")]
    assert code == 0
    assert lines[0] == "@EXPLICIT"
    assert len(lines) == 1 + len(list(REAL_META.glob("*.json")))
    assert (
        "https://conda.anaconda.org/conda-forge/osx-arm64/"
        "libblas-3.9.0-20_osxarm64_openblas.conda#49bc8dec26663241ee064b2d7116ec2d"
    ) in lines
    # py-rattler's reader of explicit files (the format conda, mamba and micromamba install)
    # reads npinit's export: one entry per record, each URL with its md5
    from rattler.explicit_environment import ExplicitEnvironmentSpec

    spec = ExplicitEnvironmentSpec.from_path(out)
    records = [json.loads(p.read_text()) for p in sorted(REAL_META.glob("*.json"))]
    assert sorted(e.url for e in spec.packages) == sorted(f"{r['url']}#{r['md5']}" for r in records)


def test_pip_installed_numpy_in_a_conda_prefix_is_recorded_as_pypi(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = real_prefix(tmp_path)
    dist = prefix / "lib/python3.11/site-packages/numpy-2.4.6.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: numpy\nVersion: 2.4.6\n\nbody")
    (dist / "INSTALLER").write_text("pip\n")
    out = tmp_path / "l.lock"
    code, _, err = invoke(["lock", "--prefix", str(prefix), "--output", str(out)], tmp_path, capsys)
    assert code == 0
    sources = {(p["name"], p["source"]) for p in lock_section(out)["packages"]}
    assert ("numpy", "pypi") in sources and ("numpy", "conda") in sources
    assert "conda and pip mixed" in err


@pytest.fixture(scope="module")
def solved_prefixes(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """linux-64 prefixes whose conda-meta records come from real py-rattler solves."""
    import rattler

    from tests.e2e.test_conda_solve import CHANNELS, solve

    root = tmp_path_factory.mktemp("solved")
    prefixes = {}
    for blas in ("mkl", "openblas"):
        specs = ["python=3.14", "numpy=2.4.6", f"libblas=*=*{blas}", "pytest"]
        records = solve(CHANNELS["conda-forge"], "linux-64", specs, root / "cache")
        meta = root / blas / "conda-meta"
        meta.mkdir(parents=True)
        for record in records.values():
            data = {
                "name": record.name.normalized,
                "version": str(record.version),
                "build": str(record.build),
                "build_number": record.build_number,
                "channel": "https://conda.anaconda.org/conda-forge/",
                "subdir": record.subdir,
                "url": str(record.url),
                "md5": record.md5.hex() if record.md5 else "",
                "sha256": record.sha256.hex() if record.sha256 else "",
                "files": [],
            }
            (meta / f"{data['name']}-{data['version']}-{data['build']}.json").write_text(
                json.dumps(data)
            )
        prefixes[blas] = root / blas
    del rattler
    return prefixes


def test_verify_detects_a_blas_switch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], solved_prefixes: Any
) -> None:
    prefix = tmp_path / "env"
    shutil.copytree(solved_prefixes["mkl"], prefix)
    lock = tmp_path / "npinit.lock"
    code, out, _ = invoke(
        ["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path, capsys
    )
    assert code == 0 and "BLAS: mkl" in out
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 0 and "No drift" in out
    # swap the BLAS records for the openblas ones the solver gives
    for name in (
        "libblas",
        "libcblas",
        "liblapack",
        "mkl",
        "llvm-openmp",
        "libopenblas",
        "libgfortran5",
        "libgfortran",
        "_openmp_mutex",
        "libgomp",
    ):
        for path in (prefix / "conda-meta").glob(f"{name}-[0-9]*.json"):
            path.unlink()
        for path in (solved_prefixes["openblas"] / "conda-meta").glob(f"{name}-[0-9]*.json"):
            shutil.copy(path, prefix / "conda-meta")
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 4
    assert "BLAS changed: mkl -> openblas" in out
    assert "changed  libblas" in out
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock), "--json"], tmp_path, capsys
    )
    report = json.loads(out)
    assert code == 4 and report["drift"] is True
    assert report["changes"][0] == {
        "kind": "blas",
        "name": "blas",
        "locked": "mkl",
        "installed": "openblas",
    }


@pytest.mark.parametrize("field", ["sha256", "md5"])
def test_verify_tells_an_installed_archive_with_another_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], solved_prefixes: Any, field: str
) -> None:
    """The prefix's conda-meta names another archive of the locked numpy (same version,
    build and channel, another hash): verify reads the hash from the prefix and reports the
    drift, naming the hash and both values."""
    prefix = tmp_path / "env"
    shutil.copytree(solved_prefixes["openblas"], prefix)
    lock = tmp_path / "npinit.lock"
    args = ["--prefix", str(prefix), "--output", str(lock)]
    assert invoke(["lock", *args], tmp_path, capsys)[0] == 0
    (record,) = (prefix / "conda-meta").glob("numpy-2.4.6-*.json")
    data = json.loads(record.read_text())
    locked, other = data[field], "0" * len(data[field])
    record.write_text(json.dumps({**data, field: other}))
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 4, out
    assert f"changed  numpy: {field} {locked[:12]} -> {field} {other[:12]}" in out


def test_lock_of_solved_prefix_carries_urls_and_hashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], solved_prefixes: Any
) -> None:
    lock = tmp_path / "x.lock"
    invoke(
        ["lock", "--prefix", str(solved_prefixes["openblas"]), "--output", str(lock)],
        tmp_path,
        capsys,
    )
    numpy = next(p for p in lockfile.read(lock).packages if p.name == "numpy")
    assert numpy.url.endswith(".conda") and len(numpy.sha256) == 64 and numpy.subdir == "linux-64"


# -- bad input -----------------------------------------------------------------------------


def _one_line_exit_2(code: int, err: str) -> None:
    assert code == 2
    assert err.startswith("npinit: error: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(["lock", "--prefix", str(tmp_path / "nope")], tmp_path, capsys)
    _one_line_exit_2(code, err)
    assert "does not exist" in err


def test_directory_that_is_no_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    code, _, err = invoke(["lock", "--prefix", str(tmp_path / "plain")], tmp_path, capsys)
    _one_line_exit_2(code, err)
    assert "not an environment" in err


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"version": "1"}', "\x00\xff"])
def test_corrupt_conda_record_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any
) -> None:
    prefix = real_prefix(tmp_path)
    bad = prefix / "conda-meta/numpy-1.26.4-py311h7125741_0.json"
    bad.write_bytes(content.encode("latin-1"))
    code, _, err = invoke(
        ["lock", "--prefix", str(prefix), "--output", str(tmp_path / "l")], tmp_path, capsys
    )
    _one_line_exit_2(code, err)
    assert "numpy-1.26.4-py311h7125741_0.json" in err
    assert not (tmp_path / "l").exists()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("this is = = not toml", "not a valid lock"),
        ("lock-version = 99\n", "schema 99"),
        ('lock-version = 1\nsurprise = "x"\n', "unknown field 'surprise'"),
        ('lock-version = 1\n[[packages]]\nname = "x"\n', "lacks source"),
        ('lock-version = 1\n[[packages]]\nname = "x"\nsource = "pypi"\n', "lacks version"),
        ("", "no lock-version"),
    ],
)
def test_bad_locks_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    prefix = real_prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    lock.write_text(text)
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    _one_line_exit_2(code, err)
    assert says in err


def test_binary_and_missing_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = real_prefix(tmp_path)
    (tmp_path / "bin.lock").write_bytes(b"\x00\xff\xfe" * 100)
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(tmp_path / "bin.lock")], tmp_path, capsys
    )
    _one_line_exit_2(code, err)
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(tmp_path / "none")], tmp_path, capsys
    )
    _one_line_exit_2(code, err)
    assert "npinit lock" in err


def test_failed_export_leaves_the_existing_lock_intact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = real_prefix(tmp_path)
    out = tmp_path / "out.txt"
    out.write_text("previous lock\n")
    # a conda-only prefix has nothing a pylock can hold without the index: refused before writing
    code, _, err = invoke(
        ["lock", "--prefix", str(prefix), "--format", "conda-explicit", "--output", str(out)],
        tmp_path,
        capsys,
    )
    assert code == 0
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("version = 3.12.1\n")
    code, _, err = invoke(
        ["lock", "--prefix", str(venv), "--format", "conda-explicit", "--output", str(out)],
        tmp_path,
        capsys,
    )
    assert code == 2 and "no conda packages" in err
    assert out.read_text().startswith("# Generated by npinit; regenerate")
    assert list(tmp_path.glob(".out.txt.*")) == []


def test_project_defaults_find_the_environment_and_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = invoke(
        [
            "new",
            "proj",
            "--no-input",
            "--manager",
            "conda",
            "--platform",
            "osx-arm64",
            "--output-dir",
            str(tmp_path),
        ],
        tmp_path,
        capsys,
    )
    assert code == 0
    project = tmp_path / "proj"
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    _one_line_exit_2(code, err)
    assert "has no environment yet" in err
    shutil.copytree(REAL_META, project / ".conda/conda-meta")
    code, _, _ = invoke(["lock", "--from-env"], project / "src", capsys)
    assert code == 0 and lock_section(project / "npinit.lock", "osx-arm64")["packages"]
    code, out, _ = invoke(["verify"], project, capsys)
    assert code == 0 and "No drift" in out


def test_no_environment_outside_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(["verify"], tmp_path, capsys)
    _one_line_exit_2(code, err)


def test_lock_with_wrongly_typed_fields_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = real_prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    lock.write_text('lock-version = 1\n[[packages]]\nname = "x"\nversion = 1\nsource = "pypi"\n')
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    _one_line_exit_2(code, err)


@pytest.mark.parametrize("manager", ["pixi", "conda"])
def test_locking_without_py_rattler_is_one_line_exit_3(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    manager: str,
) -> None:
    """npinit without its ``conda`` extra: a pixi or conda lock names the extra, no
    traceback, nothing written."""
    args = ["new", "p", "--manager", manager, "--platform", "linux-64", "--no-input"]
    assert invoke([*args, "--ci", "none"], tmp_path, capsys)[0] == 0
    monkeypatch.setitem(sys.modules, "rattler", None)  # import rattler fails
    code, _, err = invoke(["lock"], tmp_path / "p", capsys)
    assert code == 3, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "pip install 'npinit[conda]'" in err
    assert not (tmp_path / "p" / "npinit.lock").exists()
