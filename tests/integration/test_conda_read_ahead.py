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


def test_the_previous_lock_is_read_once_every_solve_is_asked(
    tmp_path: Path, forge_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rattler = pytest.importorskip("rattler")
    events: list[str] = []
    real_solve = rattler.solve

    def spied_solve(**kwargs: Any) -> Any:
        events.append("solve")
        return real_solve(**kwargs)

    monkeypatch.setattr(rattler, "solve", spied_solve)
    keep = Keep(read_ahead=lambda: events.append("read ahead"))
    solved = solve(
        {p: SPECS for p in PLATFORMS},
        channel_urls(["conda-forge"], forge_alias),
        cache=tmp_path,
        environ={},
        keep=keep,
        alias=forge_alias,
    )
    assert events == ["solve"] * len(PLATFORMS) + ["read ahead"]
    assert {p: solved[p][0].python for p in PLATFORMS} == dict.fromkeys(PLATFORMS, "3.14.6")


def test_a_platform_solved_as_it_was_locked_is_solved_once(
    tmp_path: Path, forge_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-lock whose solution is exactly the kept packages takes it (what preferring them
    gives): one solve a platform, no query. A platform whose lock holds another record (here
    a sha256 the channel no longer serves) is solved again, preferring what is still there."""
    rattler = pytest.importorskip("rattler")
    urls = channel_urls(["conda-forge"], forge_alias)
    first = solve(
        {p: SPECS for p in PLATFORMS}, urls, cache=tmp_path, environ={}, alias=forge_alias
    )
    calls: list[str] = []
    real_solve = rattler.solve
    gateway: Any = rattler.Gateway

    def spied_solve(**kwargs: Any) -> Any:
        calls.append(f"solve {kwargs['platforms'][0]} ({len(kwargs['locked_packages'])} kept)")
        return real_solve(**kwargs)

    class Recording(gateway):  # type: ignore[misc]
        def query(self, *args: Any, **kwargs: Any) -> Any:
            calls.append(f"query {args[1][0]}")
            return super().query(*args, **kwargs)

    monkeypatch.setattr(rattler, "solve", spied_solve)
    monkeypatch.setattr(rattler, "Gateway", Recording)
    previous = {p.value: first[p][0] for p in PLATFORMS}
    again = solve({p: SPECS for p in PLATFORMS}, urls, cache=tmp_path, environ={},
                  keep=Keep(load=lambda: previous), alias=forge_alias)  # fmt: skip
    assert sorted(calls) == [f"solve {p.value} (0 kept)" for p in PLATFORMS]
    assert {p: again[p][0] for p in PLATFORMS} == {p: first[p][0] for p in PLATFORMS}

    calls.clear()
    linux = previous["linux-64"]
    moved = linux.with_packages((linux.packages[0]._replace(sha256="0" * 64), *linux.packages[1:]))
    previous = {**previous, "linux-64": moved}
    again = solve({p: SPECS for p in PLATFORMS}, urls, cache=tmp_path, environ={},
                  keep=Keep(load=lambda: previous), alias=forge_alias)  # fmt: skip
    kept = len(linux.packages) - 1
    assert sorted(calls) == sorted(
        [*(f"solve {p.value} (0 kept)" for p in PLATFORMS), "query linux-64",
         f"solve linux-64 ({kept} kept)"]
    )  # fmt: skip
    assert {p: again[p][0] for p in PLATFORMS} == {p: first[p][0] for p in PLATFORMS}


def test_the_gateway_is_made_in_the_calling_thread(
    tmp_path: Path, forge_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """py-rattler's Gateway constructor holds the GIL (it decodes the system's root
    certificates: 39M instructions, some 6 ms here), so a thread of its own bought nothing:
    the caller sat in Thread.start for the whole constructor, and paid the thread's start on
    top (several ms on a loaded machine). solve makes it where it runs, as the peer does."""
    rattler = pytest.importorskip("rattler")
    import threading

    seen: list[str] = []
    real_gateway = rattler.Gateway

    def spied_gateway(*args: Any, **kwargs: Any) -> Any:
        main = threading.current_thread() is threading.main_thread()
        seen.append("in the calling thread" if main else "aside")
        return real_gateway(*args, **kwargs)

    monkeypatch.setattr(rattler, "Gateway", spied_gateway)
    solved = solve(
        {Platform("linux-64"): ["python=3.14"]},
        channel_urls(["conda-forge"], forge_alias),
        cache=tmp_path,
        environ={},
        alias=forge_alias,
    )
    assert seen == ["in the calling thread"]
    assert solved[Platform("linux-64")][0].python == "3.14.6"


def test_a_platform_s_section_is_made_while_another_still_solves(
    tmp_path: Path, forge_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each platform's section is made once its solve is done, while py-rattler (no GIL)
    still solves the others: win-64's solve, spied, finishes only once another platform's
    section is made (or says it waited in vain)."""
    rattler = pytest.importorskip("rattler")
    import asyncio

    from npinit.record import resolve_conda

    made: list[str] = []
    waited: list[str] = []
    real_solve, real_section = rattler.solve, resolve_conda.section

    def spied_section(platform: Platform, records: list[Any]) -> Any:
        made.append(platform.value)
        return real_section(platform, records)

    async def spied_solve(**kwargs: Any) -> Any:
        records = await real_solve(**kwargs)
        if kwargs["platforms"][0] == "win-64":
            for _ in range(2000):  # the loop runs the others meanwhile (bounded: a few seconds)
                if made:
                    break
                await asyncio.sleep(0.002)
            waited.append("after a section" if made else "no section meanwhile")
        return records

    monkeypatch.setattr(rattler, "solve", spied_solve)
    monkeypatch.setattr(resolve_conda, "section", spied_section)
    solved = solve(
        {p: SPECS for p in PLATFORMS},
        channel_urls(["conda-forge"], forge_alias),
        cache=tmp_path,
        environ={},
        alias=forge_alias,
    )
    assert waited == ["after a section"]
    assert sorted(made) == sorted(p.value for p in PLATFORMS)
    assert {p: solved[p][0].python for p in PLATFORMS} == dict.fromkeys(PLATFORMS, "3.14.6")


def test_the_solutions_are_not_written_out_when_asyncio_run_ends(
    tmp_path: Path, forge_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """asyncio.run, ending, asks signal.getsignal for its SIGINT handler, which formats the
    handler's repr, the main task and its result included: solve's main task returns
    nothing, so the sections (spied) are never repr'd."""
    pytest.importorskip("rattler")
    import signal

    from npinit.record import resolve_conda

    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # asyncio's case
    written: list[str] = []

    class Section:
        def __init__(self, platform: Platform) -> None:
            self.platform = platform.value

        def __repr__(self) -> str:
            written.append(self.platform)
            return "Section()"

    monkeypatch.setattr(resolve_conda, "section", lambda platform, records: Section(platform))
    solved = solve(
        {p: SPECS for p in PLATFORMS},
        channel_urls(["conda-forge"], forge_alias),
        cache=tmp_path,
        environ={},
        alias=forge_alias,
    )
    assert [solved[p][0].platform for p in PLATFORMS] == [p.value for p in PLATFORMS]
    assert written == []
