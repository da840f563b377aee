"""Every real conda and pixi file of the fixture sets, solved with py-rattler against what
the conda-forge slice (../shared/fixtures/channels) can hold: the file at its real path, the
lines naming a package the slice lacks (and channels other than conda-forge) taken out of
the copy; npinit init then chooses the pins by solving against the slice, and npinit lock
solves the same for a conda file. A file whose Python the slice lacks is refused in one
line naming it, nothing written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.helpers import invoke, lock_section, tree
from tests.integration.test_adopt_real_files import all_files, expected, place

pytestmark = pytest.mark.e2e

SLICE = FIXTURES / "channels" / "conda-forge-blas-slice"
CONDA_FILES = [f for f in all_files() if expected(f) in ("conda", "pixi")]

# file -> (python, numpy) chosen by solving against the slice, or the refusal's words (the
# platform that failed first left out: the solves run side by side): the
# slice has Python 3.12-3.14 (win-64: 3.13-3.14) and NumPy 2.3.5-2.5.0 (osx-arm64: no
# Accelerate build)
OUTCOME: dict[str, tuple[str, str] | str] = {
    "numpy__environment.yml": ("3.12", "2.3.5"),
    "pandas__environment.yml": "does not resolve with Python 3.8: "
    "Cannot solve the request because of: No candidates were found for python 3.8.*",
    "scipy__environment.yml": ("3.14", "2.5.0"),
    "GPlates__env.Windows.yml": ("3.14", "2.5.0"),
    "matplotlib__environment.yml": ("3.14", "2.5.0"),
    "mdanalysis__maintainer__conda__environment.yml": "does not resolve with Python 3.10: "
    "Cannot solve the request because of: No candidates were "
    "found for python 3.10.*",
    # its conda-forge:: prefixes read through the alias (the slice): osx-arm64's Accelerate
    "oreum_core__condaenv_oreum_core.yml": ("3.12", "2.3.5"),
    # Python and NumPy exact in the file: solved all the same (the slice lacks 1.26.0: the
    # first lock would fail, so init refuses first)
    "oreum_core__dev__condaenv_oreum_core_x86.yml": "does not resolve with Python 3.12: "
    "Cannot solve the request because of: No candidates were found for numpy ==1.26.0",
    "pangeo-docker-images__pangeo-notebook__environment.yml": "does not resolve with Python "
    "3.9: Cannot solve the request because of: No candidates "
    "were found for python 3.9.*",
    "pythia-foundations__environment.yml": ("3.14", "2.5.0"),
    "python-ecology-lesson__episodes__files__environment.yml": "does not resolve with Python "
    "3.8: Cannot solve the request because of: No candidates "
    "were found for python 3.8.*",
    # linux-aarch64 has no NumPy 2.3 or Python 3.13 in the slice; pyxis's environments on
    # its other three platforms are locked in tests/e2e/test_pixi_environments.py
    "pyxis__python__pixi.toml": "does not resolve with Python 3.13: Cannot solve the request "
    "because of: No candidates were found for",
    # pixi files adopted since their [pypi-dependencies] are locked: an environment other
    # than the default needs what the slice lacks, named in one line
    "LLMs-from-scratch__pixi.toml": "pixi environment 'tests' does not resolve: Cannot solve "
    "the request because of: No candidates were found for pytest >=8.3.4,<9",
    "Network-Analysis-Made-Simple__pyproject.toml": "pixi environment 'docs' does not "
    "resolve: Cannot solve the request because of: No candidates were found for python 3.12.*",
    "glum__pixi.toml": "pixi environment 'oldies' does not resolve: Cannot solve the request "
    "because of: No candidates were found for numpy 1.24.*",
    "rtpipeline__envs__rtpipeline-radiomics.yaml": "does not resolve with Python 3.10: "
    "Cannot solve the request because of: No candidates were "
    "found for numpy 1.26.*",
}
HELD = {"2.3.5", "2.4.6", "2.5.0"}  # the NumPy releases the slice has on every platform here


def test_every_real_conda_file_has_an_outcome() -> None:
    assert sorted(OUTCOME) == sorted(f.name for f in CONDA_FILES) and len(OUTCOME) == 16


def slice_names() -> set[str]:
    names = set()
    for repodata in SLICE.glob("*/repodata.json"):
        data = json.loads(repodata.read_text())
        for key in ("packages", "packages.conda"):
            names |= {p["name"] for p in data.get(key, {}).values()}
    return names


def _name(spec: str) -> str:
    match = re.match(r"^(?:[\w./-]+::)?([A-Za-z0-9_.\-]+)", spec.strip())
    return match.group(1).lower() if match else ""


def hold_in_slice(path: Path) -> None:
    """Keep what the slice holds: conda-forge alone, and the packages it has."""
    names = slice_names()
    if path.suffix in (".yml", ".yaml"):
        from ruamel.yaml import YAML

        yaml = YAML()
        data = yaml.load(path.read_text("utf-8"))
        data["channels"] = ["conda-forge"]
        kept = [d for d in data["dependencies"] if isinstance(d, str) and _name(d) in names]
        data["dependencies"] = kept
        with path.open("w", encoding="utf-8") as out:
            yaml.dump(data, out)
        return
    import tomlkit

    doc = tomlkit.parse(path.read_text("utf-8"))
    pixi: Any = doc["tool"]["pixi"] if "tool" in doc else doc
    workspace = pixi.get("workspace") or pixi.get("project")
    workspace["channels"] = ["conda-forge"]
    bodies = [pixi, *(pixi.get("feature") or {}).values()]
    for body in bodies:
        tables = [body.get("dependencies")]
        tables += [t.get("dependencies") for t in (body.get("target") or {}).values()]
        for table in (t for t in tables if t is not None):
            for key in [k for k in table if k.lower() not in names]:
                del table[key]
    path.write_text(tomlkit.dumps(doc), "utf-8")


@pytest.mark.parametrize("fixture", CONDA_FILES, ids=lambda p: p.name)
def test_every_real_conda_file_solves_against_the_slice(
    fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    root, relative = place(tmp_path, fixture)
    hold_in_slice(root / relative)
    before = tree(root)
    args = ["init", relative, "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, root, capsys)
    want = OUTCOME[fixture.name]
    if isinstance(want, str):
        said = re.sub(r"[\w-]+ cannot be solved: ", "", err)  # the platform solved first
        assert code == 2 and want in said and len(err.strip().splitlines()) == 1, err
        assert tree(root) == before
        return
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == want
    if expected(fixture) == "conda" and report["numpy"] in HELD:
        code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
        assert code == 0, err
        for platform in report["platforms"]:
            section = lock_section(root / "npinit.lock", platform)
            by_name = {p["name"]: p for p in section["packages"]}
            assert by_name["numpy"]["version"] == report["numpy"]
            assert by_name["python"]["version"].startswith(report["python"] + ".")
