"""npinit bundle of a pip project locked for three platforms against the real package index:
every platform's numpy files hash to the lock's values (both macOS wheels), and the bundle's
Linux folder installs with pip and with uv, with no index and no configuration."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import need_python, run
from tests.helpers import lock_section, python_in

pytestmark = pytest.mark.e2e
PLATFORMS = ("linux-64", "osx-arm64", "win-64")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, object]]:
    """One project, locked and bundled once for the module (the download is the cost)."""
    import contextlib
    import io

    from npinit.cli import main

    root = tmp_path_factory.mktemp("pypi-bundle")
    flags = [f for p in PLATFORMS for f in ("--platform", p)]

    def cli(args: list[str], cwd: Path) -> str:
        out, old = io.StringIO(), Path.cwd()
        os.chdir(cwd)
        try:
            with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
                main(args)
        finally:
            os.chdir(old)
        assert stop.value.code == 0, (args, out.getvalue())
        return out.getvalue()

    cli(["new", "wp", "--manager", "pip", "--python", "3.12", "--numpy", "2.3.5", *flags,
         "--no-input", "--no-solve"], root)  # fmt: skip
    project = root / "wp"
    cli(["lock"], project)
    report = json.loads(cli(["bundle", str(root / "stick"), "--json"], project))
    return project, root / "stick", report


def test_every_platform_numpy_file_hashes_to_the_lock(
    bundled: tuple[Path, Path, dict[str, object]],
) -> None:
    project, out, report = bundled
    seen = 0
    for platform in PLATFORMS:
        numpy = next(
            p
            for p in lock_section(project / "npinit.lock", platform)["packages"]
            if p["name"] == "numpy"
        )
        files = sorted((out / platform / "pypi").glob("numpy-*.whl"))
        digests = {"sha256:" + hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
        assert digests == set(numpy["hashes"]), platform  # every locked numpy file, no other
        seen += len(files)
    assert seen == 4  # linux, windows, and macOS 11 (OpenBLAS) and 14 (Accelerate)
    info = json.loads((out / "bundle.json").read_text())
    assert info["lock-sha256"] == hashlib.sha256((project / "npinit.lock").read_bytes()).hexdigest()
    assert tomllib.loads((out / "project/npinit.lock").read_text()) == tomllib.loads(
        (project / "npinit.lock").read_text()
    )
    platforms = report["platforms"]
    assert isinstance(platforms, dict)
    linux = platforms["linux-64"]["blas"]
    assert linux["name"] == "openblas" and 5e6 < linux["size"] < linux["installed_size"]


def _offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "UV_NO_CONFIG": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}  # fmt: skip


def test_pip_installs_the_linux_folder_with_no_index(
    bundled: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    python = need_python("3.12")
    _, out, _ = bundled
    venv = tmp_path / "venv"
    run([python, "-m", "venv", venv])
    run([python_in(venv), "-m", "pip", "install", "--no-index", "--find-links",
         out / "linux-64/pypi", "--require-hashes", "-r", out / "linux-64/requirements.txt"],
        env=_offline_env())  # fmt: skip
    shown = run([python_in(venv), "-c", "import numpy, threadpoolctl; print(numpy.__version__)"])
    assert shown.stdout.strip() == "2.3.5"


def test_uv_syncs_the_linux_folder_offline(
    bundled: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    python = need_python("3.12")
    _, out, _ = bundled
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv is not None, "uv is a dependency of npinit"
    venv = tmp_path / "venv"
    env = {**_offline_env(), "UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    run([uv, "venv", "--python", python, venv], env=env)
    run([uv, "pip", "sync", "--offline", "--no-index", "--find-links", out / "linux-64/pypi",
         "--require-hashes", "--python", python_in(venv), out / "linux-64/requirements.txt"],
        env=env)  # fmt: skip
    shown = run([python_in(venv), "-c", "import numpy, pytest; print(numpy.__version__)"])
    assert shown.stdout.strip() == "2.3.5"
