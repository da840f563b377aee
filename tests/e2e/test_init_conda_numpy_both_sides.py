"""numpy on both sides of a conda file (a conda dependency and a ``pip:`` line; black-box
cp4: init pinned the conda numpy outside the pip range and the lock held two numpys): init
chooses the conda numpy inside both ranges and pins it on both sides, or refuses in one line
when the channel has none; the lock then holds the one numpy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

CP4 = (
    "name: cp4\r\nchannels:\r\n    - conda-forge\r\ndependencies:\r\n    - python={python}\r\n"
    "    - numpy>={low}\r\n    - pip:\r\n        - numpy<{high}"
)


def test_numpy_on_both_sides_is_pinned_on_both_or_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """The slice has numpy 2.4.6 and 2.5.0 for Python 3.14, only 2.3.5 for 3.12."""
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    refused = tmp_path / "refused"
    refused.mkdir()
    (refused / "environment.yml").write_bytes(
        CP4.format(python="3.12", low="2", high="2.3").encode()
    )
    code, _, err = invoke(args, refused, capsys)
    assert code == 2 and "<2.3" in err and len(err.strip().splitlines()) <= 2, err
    assert sorted(p.name for p in refused.iterdir()) == ["environment.yml"]
    pinned = tmp_path / "pinned"
    pinned.mkdir()
    text = CP4.format(python="3.14", low="2.4", high="2.5")
    (pinned / "environment.yml").write_bytes(text.encode())
    code, out, err = invoke(args, pinned, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.4.6"
    after = text.replace("numpy>=2.4", "numpy=2.4.6").replace("numpy<2.5", "numpy==2.4.6")
    assert (pinned / "environment.yml").read_bytes() == after.encode()
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], pinned, capsys)
    assert code == 0, err
    numpys = [p for p in lock_section(pinned / "npinit.lock")["packages"] if p["name"] == "numpy"]
    assert [(p["version"], p["source"]) for p in numpys] == [("2.4.6", "conda")]
