"""The order of a conda file's channels is their priority (strict, as conda and conda-lock
read it), so it is a lock input (black-box finding F16): swapping two channels makes
``lock --check`` exit 2 naming the order, and the re-lock solves their packages afresh (a
package both channels have now comes from the first) and says which input changed. Real
py-rattler against the conda-forge slice and a second local channel."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

FILE = "channels:\n  - {0}\n  - {1}\ndependencies:\n  - python=3.14\n  - numpy\n"


@pytest.fixture(scope="module")
def two_channels(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``conda-forge`` (the slice) and ``extra``: the slice's tzdata 2025c under another build."""
    from rattler.index import index_fs

    from tests.channels import package

    root = tmp_path_factory.mktemp("two-channels")
    (root / "conda-forge").symlink_to(FIXTURES / "channels" / "conda-forge-blas-slice")
    extra = root / "extra"
    package(extra, "noarch", "tzdata", "2025c", "extra_0")
    (extra / "linux-64").mkdir()
    asyncio.run(index_fs(extra, force=True))
    return root.as_uri()


def _tzdata(project: Path) -> str:
    section = lock_section(project / "npinit.lock")
    return str(next(p["build"] for p in section["packages"] if p["name"] == "tzdata"))


def test_swapped_channels_make_the_lock_stale_and_the_relock_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], two_channels: str
) -> None:
    alias = ["--channel-alias", two_channels]
    (tmp_path / "environment.yml").write_text(FILE.format("conda-forge", "extra"))
    code, _, err = invoke(
        ["init", "--no-input", "--platform", "linux-64", *alias], tmp_path, capsys
    )
    assert code == 0, err
    code, _, err = invoke(["lock", *alias], tmp_path, capsys)
    assert code == 0 and _tzdata(tmp_path) == "hc9c84f9_1", err
    pinned = (tmp_path / "environment.yml").read_text()
    swapped = pinned.replace("  - conda-forge\n  - extra\n", "  - extra\n  - conda-forge\n")
    assert swapped != pinned
    (tmp_path / "environment.yml").write_text(swapped)

    code, _, err = invoke(["lock", "--check"], tmp_path, capsys)
    assert code == 2, err
    assert (
        "the channels are in the order extra, conda-forge, the lock has conda-forge, extra" in err
    )

    code, out, err = invoke(["lock", *alias], tmp_path, capsys)
    assert code == 0, err
    assert _tzdata(tmp_path) == "extra_0"  # extra comes first now: its tzdata
    assert "    changed  tzdata 2025c (hc9c84f9_1) -> 2025c (extra_0)" in out.splitlines(), out
    assert any(
        line.startswith("  inputs: the channels are in the order extra, conda-forge")
        for line in out.splitlines()
    ), out
    code, _, err = invoke(["lock", "--check"], tmp_path, capsys)
    assert code == 0, err
