"""The ``#:schema`` line of the files npinit writes (``.npinit.toml``, ``npinit.lock``) works
for the tool that reads it: taplo, the TOML engine of editors (Even Better TOML), follows the
line to the schema shipped in the package, at the path it has in this repository, and checks
the file with it (a file that breaks the schema is refused). The published host is not
reachable here: the repository is served on the loopback address in its place. (taplo reads
only ``*.toml`` files unless a configuration includes others: npinit.lock is included here as
an editor includes it once the file is associated with TOML.)"""

from __future__ import annotations

import functools
import http.server
import shutil
import sysconfig
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from npinit import schemas
from tests.conftest import FIXTURES, ROOT, run
from tests.helpers import invoke

SCHEMA_LINE = "#:schema "


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The repository over HTTP on 127.0.0.1 (a port of its own), as the published host
    serves its files."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _pointer(path: Path) -> str:
    (line,) = [x for x in path.read_text("utf-8").splitlines() if x.startswith(SCHEMA_LINE)]
    return line.removeprefix(SCHEMA_LINE)


def _in_repository(url: str) -> Path:
    """The file a published URL names: ``<host>/<owner>/<repo>/<branch>/<path>``."""
    assert url.startswith("https://raw.githubusercontent.com/"), url
    return ROOT / url.split("/", 6)[6]


def _taplo_check(path: Path, served: str) -> tuple[int, str]:
    """taplo's check of ``path`` with its ``#:schema`` host swapped for the loopback one."""
    url = _pointer(path)
    local = path.with_name(f"served-{path.name}")
    text = path.read_text("utf-8").replace(url, served + url.split("/", 6)[6])
    local.write_text(text, "utf-8")
    # the test extra installs taplo beside this interpreter (a venv's bin, active or not)
    taplo = shutil.which("taplo", path=sysconfig.get_path("scripts"))
    assert taplo is not None, "taplo is a test requirement (pyproject's test extra)"
    # taplo reads only *.toml unless told: npinit.lock is included as an editor includes it
    # once the file is associated with TOML
    config = path.with_name("taplo-config.toml")
    config.write_text(f'include = ["{local.name}"]\n', "utf-8")
    result = run([taplo, "check", "--config", config, local], cwd=path.parent, check=False)
    return result.returncode, result.stdout + result.stderr


def _written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """A .npinit.toml written by new, an npinit.lock written by lock (of a real prefix)."""
    args = ["new", "p", "--manager", "pip", "--platform", "linux-64", "--no-input"]
    assert invoke([*args, "--no-solve"], tmp_path, capsys)[0] == 0
    prefix = tmp_path / "env"
    shutil.copytree(FIXTURES / "conda-meta/osx-arm64-openblas", prefix / "conda-meta")
    lock = tmp_path / "p" / "npinit.lock"
    assert (
        invoke(["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path, capsys)[0] == 0
    )
    return {schemas.ANSWERS: tmp_path / "p" / ".npinit.toml", schemas.LOCK: lock}


def test_the_schema_line_names_the_shipped_schema_and_taplo_checks_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: str
) -> None:
    for name, path in _written(tmp_path, capsys).items():
        url = _pointer(path)
        assert _in_repository(url).read_text("utf-8") == schemas.files_text(name), url
        assert schemas.load(name)["$id"] == url
        code, said = _taplo_check(path, served)
        assert code == 0, said


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (schemas.ANSWERS, 'manager = "pip"', 'manager = "npm"'),
        (schemas.LOCK, "lock-version = 2", 'lock-version = "two"'),
    ],
)
def test_taplo_refuses_what_the_schema_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: str, name: str, old: str, new: str
) -> None:
    path = _written(tmp_path, capsys)[name]
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    code, said = _taplo_check(path, served)
    assert code != 0, said
