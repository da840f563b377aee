"""A conda lock reads the previous lock in a thread while py-rattler reads the repodata: the
thread is started once every platform has asked py-rattler for its repodata. Started before
(as it was), it held the GIL while the event loop was to ask, up to Python's switch interval
(5 ms) before the queries left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from npinit.knowledge.channels import channel_urls
from npinit.model import Platform
from npinit.record.relock import Keep
from npinit.record.resolve_conda import solve

SPECS = ["python=3.14", "numpy=2.4.6", "libblas=*=*openblas", "pytest", "threadpoolctl"]
PLATFORMS = (Platform("linux-64"), Platform("osx-arm64"), Platform("win-64"))


def test_the_previous_lock_is_read_once_every_query_is_asked(
    tmp_path: Path, forge_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rattler = pytest.importorskip("rattler")
    events: list[str] = []

    gateway: Any = rattler.Gateway

    class Recording(gateway):  # type: ignore[misc]
        def query(self, *args: Any, **kwargs: Any) -> Any:
            events.append("query")
            return super().query(*args, **kwargs)

    monkeypatch.setattr(rattler, "Gateway", Recording)
    keep = Keep(read_ahead=lambda: events.append("read ahead"))
    solved = solve(
        {p: SPECS for p in PLATFORMS},
        channel_urls(["conda-forge"], forge_alias),
        cache=tmp_path,
        environ={},
        keep=keep,
        alias=forge_alias,
    )
    assert events == ["query"] * len(PLATFORMS) + ["read ahead"]
    assert {p: solved[p][0].python for p in PLATFORMS} == dict.fromkeys(PLATFORMS, "3.14.6")
