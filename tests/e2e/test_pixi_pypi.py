"""The three real pixi manifests with PyPI dependencies, locked for real: py-rattler solves
the conda side against ../shared/fixtures/channels (the conda-forge slice), then uv resolves
each environment's PyPI dependencies per platform against the package index (network
allowed, as in the other e2e tests) with the conda solve's Python packages fixed.

The slice holds none of pytorch, jupyterlab, r-base...: each file is a trimmed copy of the
real one (``trimmed``): its conda entries the slice lacks are left out and its Python is
one the slice has (LLMs-from-scratch's numpy range widened to reach the slice's NumPys),
every PyPI table kept as the real file has it. LLMs-from-scratch's
``[feature.tests.target.win-64.pypi-dependencies]`` pins tensorflow-io-gcs-filesystem
0.31.0, which has no wheel for the slice's only win-64 Pythons (3.13 on): it is the
unsolvable case, and left out of that file's lock proof."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from tests.conftest import FIXTURES
from tests.helpers import invoke, lock_section, tree

pytestmark = pytest.mark.e2e

MORE = FIXTURES / "realworld-more"
SLICE = FIXTURES / "channels" / "conda-forge-blas-slice"
LLMS_NUMPY = ">=1.26"  # the real <2.1 has no NumPy for Python 3.13 (the slice's NumPys: 2.3 on)
GCS = '[feature.tests.target.win-64.pypi-dependencies]\ntensorflow-io-gcs-filesystem = "==0.31.0"\n'


def _slice_names() -> set[str]:
    names = set()
    for repodata in SLICE.glob("*/repodata.json"):
        data = json.loads(repodata.read_text())
        for key in ("packages", "packages.conda"):
            names |= {r["name"] for r in data.get(key, {}).values()}
    return names


def _conda_tables(body: Any) -> list[Any]:
    bodies = [body, *(body.get("feature") or {}).values()]
    tables = []
    for one in bodies:
        tables.append(one.get("dependencies"))
        tables += [t.get("dependencies") for t in (one.get("target") or {}).values()]
    return [t for t in tables if t is not None]


def trimmed(fixture: str, python: str, numpy: str = "") -> str:
    """The real file without the conda entries the slice lacks, the others of any version;
    every ``python`` entry is ``python`` (and ``numpy``, where given). PyPI tables,
    features, targets and environments stay as they are."""
    doc = tomlkit.parse((MORE / fixture).read_text())
    body = doc["tool"]["pixi"] if "tool" in doc else doc
    have = _slice_names()
    for table in _conda_tables(body):
        for name in list(table):
            if name not in have:
                del table[name]
            elif name not in ("python", "numpy"):
                table[name] = "*"  # the slice holds one or two versions of each
        if "python" in table:
            table["python"] = python
        if numpy and "numpy" in table:
            table["numpy"] = numpy
    return tomlkit.dumps(doc)


def _adopted(tmp_path: Path, files: dict[str, str], alias: str, capsys: Any) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    manifest = "pixi.toml" if "pixi.toml" in files else "pyproject.toml"
    args = ["init", manifest, "--no-input", "--json", "--channel-alias", alias]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    assert json.loads(out)["manager"] == "pixi"
    code, _, err = invoke(["lock", "--channel-alias", alias], root, capsys)
    assert code == 0, err
    return root


def _pypi(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """pixi.lock's PyPI packages by (environment, platform), read by py-rattler."""
    import rattler

    lock = rattler.LockFile.from_path(root / "pixi.lock")
    found = {}
    for name, env in lock.environments():
        for platform in env.platforms():
            packages = env.pypi_packages_for_platform(platform) or []
            found[(name, str(platform.name))] = {p.name: p for p in packages}
    return found


def _the_truth(
    root: Path, pypi: dict[tuple[str, str], dict[str, Any]], numpy_from: str = "conda"
) -> None:
    """One numpy, the one .npinit.toml pins: the conda one (no PyPI numpy anywhere), or
    with ``numpy_from="pypi"`` PyPI's (the file's own PyPI numpy, pinned where it is); every
    index entry has its sha256; npinit.lock's PyPI entries are pixi.lock's default ones,
    URL and sha256, the local project editable."""
    numpy = tomlkit.parse((root / ".npinit.toml").read_text())["project"]["numpy"]
    for (env, platform), packages in pypi.items():
        assert ("numpy" in packages) == (numpy_from == "pypi"), (env, platform)
        if env != "default":
            continue
        section = lock_section(root / "npinit.lock", platform)
        locked = {p["name"]: p for p in section["packages"] if p["source"] == "pypi"}
        numpys = [p for p in section["packages"] if p["name"] == "numpy"]
        assert [(p["source"], p["version"]) for p in numpys] == [(numpy_from, numpy)]
        for name, package in packages.items():
            if package.location.startswith("http"):
                sha = package.hashes.sha256.hex()
                assert re.fullmatch(r"[0-9a-f]{64}", sha)
                assert (locked[name]["url"], locked[name]["sha256"]) == (package.location, sha)
            else:  # the local project: in npinit.lock as a uv lock's own project is
                assert locked[name].get("origin") == "editable" and "sha256" not in locked[name]
        assert set(locked) == set(packages)


def _numpy_requirement_met(root: Path, pypi: dict[tuple[str, str], dict[str, Any]]) -> None:
    """tensorflow's own METADATA (pixi.lock's requires_dist, read from the wheel) asks for a
    numpy the conda numpy of the same platform satisfies."""
    from packaging.requirements import Requirement

    for (env, platform), packages in pypi.items():
        tensorflow = packages["tensorflow"]
        assert tensorflow.requires_python, (env, platform)
        wanted = [Requirement(r) for r in tensorflow.requires_dist]
        (numpy,) = [r for r in wanted if r.name == "numpy" and r.marker is None]
        section = lock_section(root / "npinit.lock", platform)
        conda = next(p["version"] for p in section["packages"] if p["name"] == "numpy")
        assert numpy.specifier.contains(conda), (platform, str(numpy), conda)


def _editable(root: Path, location: str) -> dict[str, Any]:
    """The local project's entry in pixi.lock as text says it: no sha256, editable."""
    from ruamel.yaml import YAML

    entries = YAML(typ="safe").load((root / "pixi.lock").read_text())["packages"]
    (entry,) = [e for e in entries if e.get("pypi") == location]
    assert entry["editable"] is True and "sha256" not in entry
    return dict(entry)


def test_llms_from_scratch_locks_tensorflow_beside_the_conda_numpy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    text = trimmed("LLMs-from-scratch__pixi.toml", "3.13.*", LLMS_NUMPY)
    assert GCS in text
    files = {
        "pixi.toml": text.replace(GCS, ""),
        "pyproject.toml": (MORE / "LLMs-from-scratch__pyproject.toml").read_text(),
    }
    root = _adopted(tmp_path, files, forge_alias, capsys)
    pypi = _pypi(root)
    assert sorted(pypi) == [
        (env, p) for env in ("default", "tests") for p in ("linux-64", "osx-arm64", "win-64")
    ]
    for (env, platform), packages in pypi.items():
        assert "tensorflow" in packages and "llms-from-scratch" in packages
        assert ("tensorflow-cpu" in packages) == (platform == "win-64")  # a target's table
        assert ("pytest-ruff" in packages) == (env == "tests")  # a feature's table
    _numpy_requirement_met(root, pypi)
    entry = _editable(root, ".")
    assert entry["name"] == "llms-from-scratch" and entry["version"] == "1.0.18"
    assert entry["requires_python"] == ">=3.10,<3.14" and "numpy>=1.26" in entry["requires_dist"]
    _the_truth(root, pypi)
    code, _, err = invoke(["lock", "--check"], root, capsys)
    assert code == 0, err
    manifest = root / "pixi.toml"
    manifest.write_text(manifest.read_text().replace('">=2.18.0, <3"', '">=2.19.0, <3"'))
    code, _, err = invoke(["lock", "--check"], root, capsys)
    assert code == 2 and "tensorflow" in err, err  # a PyPI table is a lock input


def test_network_analysis_made_simple_locks_its_own_project_editable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """A pyproject.toml manifest: [project.dependencies] (numpy>=2.0 among them) are the
    default feature's; numpy is pinned there, from PyPI (init adds no conda numpy: F13)."""
    text = trimmed("Network-Analysis-Made-Simple__pyproject.toml", "3.14.*")
    root = _adopted(tmp_path, {"pyproject.toml": text}, forge_alias, capsys)
    pypi = _pypi(root)
    assert {env for env, _ in pypi} == {"default", "docs", "tests"}
    for packages in pypi.values():
        assert {"nams", "networkx", "pandas", "scipy"} <= set(packages)
    assert _editable(root, ".")["name"] == "nams"
    _the_truth(root, pypi, "pypi")


def test_glum_locks_its_benchmark_features_pypi_dependencies_there_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    text = trimmed("glum__pixi.toml", "3.13.*", ">=2.3")
    root = _adopted(tmp_path, {"pixi.toml": text}, forge_alias, capsys)
    pypi = _pypi(root)
    with_pypi = {env for (env, _), packages in pypi.items() if packages}
    assert with_pypi == {"benchmark"}
    for platform in ("linux-64", "osx-arm64", "win-64"):
        assert {"celer", "h2o"} <= set(pypi[("benchmark", platform)])
    _the_truth(root, pypi)


def test_uv_finding_no_solution_is_one_line_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """The real tests feature's win-64 pin has no wheel for the slice's win-64 Python: exit
    2, uv's reason in one line, naming the environment, npinit.lock and pixi.lock unwritten."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(trimmed("LLMs-from-scratch__pixi.toml", "3.13.*", LLMS_NUMPY))
    shutil.copyfile(MORE / "LLMs-from-scratch__pyproject.toml", root / "pyproject.toml")
    args = ["init", "pixi.toml", "--no-input", "--channel-alias", forge_alias]
    code, _, err = invoke(args, root, capsys)
    assert code == 0, err
    before = tree(root)
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "pixi environment 'tests'" in err and "win-64" in err
    assert "tensorflow-io-gcs-filesystem==0.31.0" in err and "cp313" in err
    assert "+conda" not in err and tree(root) == before


def test_a_pypi_requirement_the_conda_numpy_does_not_meet_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """numba 0.60.0 from PyPI needs numpy<2.1; the conda numpy is 2.3.5 and counts: uv finds
    no solution (no second, PyPI numpy), and says why in one line, the conda numpy named
    as such."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(
        '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n\n'
        '[dependencies]\npython = "3.12.*"\nnumpy = "==2.3.5"\n\n'
        '[pypi-dependencies]\nnumba = "==0.60.0"\n'
    )
    code, _, err = invoke(["init", "--no-input", "--no-solve", "--yes"], root, capsys)
    assert code == 0, err
    before = tree(root)
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "cannot be resolved for linux-64 with the conda packages fixed" in err
    assert "numba==0.60.0 depends on numpy" in err and "2.3.5 (the conda package)" in err
    assert "+conda" not in err and tree(root) == before


# A stand-in pixi: `install --frozen` writes the conda-meta records of pixi.lock's linux-64
# default environment (read with py-rattler, as pixi reads it), and installs its PyPI part
# as pixi does, with uv: each file pixi.lock names, by URL and sha256, no dependencies.
PIXI = """#!{python}
import json, os, subprocess, sys
import rattler
prefix = ".pixi/envs/default"
os.makedirs(prefix + "/conda-meta", exist_ok=True)
env = rattler.LockFile.from_path("pixi.lock").default_environment()
here = next(p for p in env.platforms() if str(p.name) == "linux-64")
for r in env.conda_repodata_records_for_platform(here):
    stem = r.file_name.removesuffix(".conda").removesuffix(".tar.bz2")
    record = dict(name=r.name.normalized, version=str(r.version), build=str(r.build),
                  build_number=r.build_number, channel=str(r.channel), subdir=str(r.subdir),
                  url=str(r.url), md5=r.md5.hex(), sha256=r.sha256.hex(), files=[])
    open(os.path.join(prefix, "conda-meta", stem + ".json"), "w").write(json.dumps(record))
    if r.name.normalized == "python":
        minor = ".".join(str(r.version).split(".")[:2])
packages = env.pypi_packages_for_platform(here)
lines = [f"{{p.name}} @ {{p.location}} --hash=sha256:{{p.hashes.sha256.hex()}}"
         for p in packages if p.location.startswith("https://")]
open("pypi.txt", "w").write("\\n".join(lines) + "\\n")
site = f"{{prefix}}/lib/python{{minor}}/site-packages"
for p in packages:  # a local project: installed editable, as uv records one
    if p.location.startswith("https://"):
        continue
    dist = os.path.join(site, f"{{p.name}}-{{p.version}}.dist-info")
    os.makedirs(dist)
    open(os.path.join(dist, "METADATA"), "w").write(
        f"Metadata-Version: 2.1\\nName: {{p.name}}\\nVersion: {{p.version}}\\n")
    open(os.path.join(dist, "INSTALLER"), "w").write("uv\\n")
    where = "file://" + os.path.abspath(p.location)
    open(os.path.join(dist, "direct_url.json"), "w").write(
        json.dumps({{"url": where, "dir_info": {{"editable": True}}}}))
subprocess.run([{uv!r}, "pip", "install", "--no-deps", "--require-hashes", "-r", "pypi.txt",
                "--target", site, "--python-version", minor, "--python-platform",
                "x86_64-manylinux_2_28", "--quiet"], check=True)
"""

RICH = (
    '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n\n'
    '[dependencies]\npython = "3.14.*"\nnumpy = "==2.4.6"\npygments = "*"\n\n'
    '[pypi-dependencies]\nrich = "*"\n'
)


MINE = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "mine"\nversion = "0.1.0"\ndependencies = ["six"]\n'
)


def test_create_installs_the_pypi_part_and_verify_counts_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    forge_alias: str,
) -> None:
    """rich from PyPI beside the conda numpy and pygments (rich needs pygments: the conda one
    counts, no PyPI copy), and the project itself editable (its dependency six from PyPI):
    create runs pixi, verify finds the PyPI packages as locked, the editable project too,
    and reports one removed by hand as drift (exit 4)."""
    import os
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "pixi"
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    stand_in.write_text(PIXI.format(python=sys.executable, uv=uv))
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(RICH + 'mine = { path = ".", editable = true }\n')
    (root / "pyproject.toml").write_text(MINE)
    code, _, err = invoke(["init", "pixi.toml", "--no-input", "--no-solve", "--yes"], root, capsys)
    assert code == 0, err
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock", "linux-64")
    sources = {p["name"]: p["source"] for p in section["packages"]}
    assert sources["rich"] == sources["markdown-it-py"] == "pypi"
    assert sources["numpy"] == sources["pygments"] == "conda"  # fixed: no PyPI copy
    assert sources["mine"] == "pypi" and "six" in sources  # the local project's dependency
    code, _, err = invoke(["create", "--channel-alias", forge_alias, "--no-check"], root, capsys)
    assert code == 0, err
    code, out, err = invoke(["verify"], root, capsys)
    assert code == 0, out + err
    site = next((root / ".pixi/envs/default/lib").glob("python3.*/site-packages"))
    shutil.rmtree(next(site.glob("rich-*.dist-info")))
    code, out, err = invoke(["verify"], root, capsys)
    assert code == 4 and "rich" in out + err, out + err


def test_locking_again_keeps_the_pypi_versions_until_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """rich locked at 13.9.4, then allowed to move (>=13): locking again keeps 13.9.4 in the
    default environment (npinit.lock's) and in a feature's (the previous pixi.lock's);
    --upgrade lets both move."""
    root = tmp_path / "p"
    root.mkdir()
    manifest = root / "pixi.toml"
    extra = '\n[feature.dev.pypi-dependencies]\nmdurl = "*"\n[environments]\ndev = ["dev"]\n'
    manifest.write_text(RICH.replace('rich = "*"', 'rich = "==13.9.4"') + extra)
    code, _, err = invoke(["init", "--no-input", "--no-solve", "--yes"], root, capsys)
    assert code == 0, err
    lock = ["lock", "--channel-alias", forge_alias]
    code, _, err = invoke(lock, root, capsys)
    assert code == 0, err
    manifest.write_text(manifest.read_text().replace('"==13.9.4"', '">=13"'))
    code, _, err = invoke(lock, root, capsys)
    assert code == 0, err
    versions = {env: ps["rich"].version for (env, _), ps in _pypi(root).items()}
    assert versions == {"default": "13.9.4", "dev": "13.9.4"}
    code, _, err = invoke([*lock, "--upgrade"], root, capsys)
    assert code == 0, err
    versions = {env: ps["rich"].version for (env, _), ps in _pypi(root).items()}
    assert versions["default"] == versions["dev"] != "13.9.4"


def _no_wheel_for_the_newest(pin: str, python: str = "*") -> str:
    return (
        '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n\n'
        f'[dependencies]\npython = "{python}"\nnumpy = "*"\n\n'
        f'[pypi-dependencies]\ntensorflow-io-gcs-filesystem = "=={pin}"\n'
    )


def test_init_steps_python_down_to_one_the_pypi_dependencies_have_wheels_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """0.37.1 has wheels up to cp312: init's solve runs lock's PyPI resolution for the pins
    it records, so Python 3.12 is chosen (the slice's newest, 3.14, and 3.13 have none),
    the package that held it back named; lock then agrees."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(_no_wheel_for_the_newest("0.37.1"))
    args = ["init", "pixi.toml", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    assert json.loads(out)["python"] == "3.12", out
    said = "Python 3.12: tensorflow-io-gcs-filesystem==0.37.1 has no wheels for Python 3.13"
    assert said in out + err
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err


def test_init_refuses_a_pypi_pin_no_python_has_wheels_for_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """0.31.0 has wheels up to cp311, the file asks for Python 3.13: what lock would
    refuse, init refuses first, in one line naming the package, exit 2, nothing written."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(_no_wheel_for_the_newest("0.31.0", "3.13.*"))
    before = tree(root)
    args = ["init", "pixi.toml", "--no-input", "--channel-alias", forge_alias]
    code, _, err = invoke(args, root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "tensorflow-io-gcs-filesystem==0.31.0 has no wheels for Python 3.13" in err, err
    assert "+conda" not in err and tree(root) == before
