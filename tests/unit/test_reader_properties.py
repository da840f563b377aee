"""Property tests over hostile file contents and file kinds for every reader (issue 24):
whatever a file holds (deep brackets, runs of blanks, control characters, NUL, broken
quoting) or is (a FIFO, a folder, a dangling link, a loop), a reader returns data or refuses
with InvalidInput: never another exception (a RecursionError, a UnicodeError), never a hang."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npinit.editing import conda_env, context, pythons, requirements, toml_files
from npinit.errors import InvalidInput
from npinit.reading import read_regular
from npinit.record import distinfo, snapshot
from npinit.tomlio import load_answers

PIECES = [
    "[", "]", "{", "}", "- ", "-", "  ", " " * 200, "\n", ":", ": ", "#", " #", "'", '"', ",",
    "=", "\\", "\t", "\r", "\x00", "\x1b]0;t\x07", "\u202e", "numpy", "python", "pip:",
    "dependencies:", "name: x", "[project]", "dependencies = ", "a = ", "1", "3.12", ">=",
    "^", "|", "||", "*", "!", "[build=", "\ufeff", "é", "{a = ",
]  # fmt: skip
HOSTILE = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.lists(st.sampled_from(["[", "{", "- ", "a: "]), min_size=150, max_size=400).map("".join),
    st.text(max_size=200),
)
BOUND = 2.0  # seconds of CPU for one example


def _bounded(call: Callable[[], object]) -> None:
    """``call`` returns or refuses with InvalidInput, within the bound."""
    started = time.process_time()
    try:
        call()
    except InvalidInput as error:
        assert error.message
    assert time.process_time() - started < BOUND


SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(HOSTILE)
def test_project_file_readers_return_or_refuse(text: str) -> None:
    _bounded(lambda: conda_env.parse(text, "environment.yml"))
    _bounded(lambda: conda_env.edit(text, "environment.yml", numpy="2.4.6", python="3.12"))
    _bounded(lambda: load_answers(text, ".npinit.toml"))
    _bounded(lambda: toml_files.parse(text, "pyproject.toml"))
    _bounded(lambda: requirements.set_numpy(text, "2.4.6", "requirements.txt"))
    _bounded(lambda: pythons.allowed(text, "conda"))
    _bounded(lambda: pythons.allowed(text, "pep440"))
    _bounded(lambda: pythons.allowed(text, "poetry"))
    _bounded(lambda: pythons.allowed(text, "version"))
    _bounded(lambda: context._python_entry(text))


@SETTINGS
@given(HOSTILE)
def test_environment_record_readers_return_or_refuse(text: str) -> None:
    with TemporaryDirectory() as folder:
        prefix = Path(folder)
        meta = prefix / "conda-meta"
        meta.mkdir()
        (meta / "x-1.0-0.json").write_text(text, "utf-8", errors="surrogatepass")
        _bounded(lambda: snapshot.read_conda_meta(prefix))
        dist = prefix / "site" / "x-1.0.dist-info"
        dist.mkdir(parents=True)
        (dist / "METADATA").write_text(text, "utf-8", errors="surrogatepass")
        (dist / "direct_url.json").write_text(text, "utf-8", errors="surrogatepass")
        (dist / "INSTALLER").write_text(text, "utf-8", errors="surrogatepass")
        _bounded(lambda: distinfo.read_dist_info(prefix / "site", set(), "site"))
        (prefix / "numpy").mkdir()
        (prefix / "numpy" / "__config__.py").write_text(text, "utf-8", errors="surrogatepass")
        _bounded(lambda: snapshot.blas_from_config(prefix / "numpy"))
        record = json.dumps({"name": text, "version": text, "build": text})
        (meta / "x-1.0-0.json").write_text(record, "utf-8")
        _bounded(lambda: snapshot.read_conda_meta(prefix))


KINDS = ["regular", "fifo", "folder", "dangling", "loop", "missing", "link to fifo"]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(KINDS))
def test_the_reader_refuses_what_is_not_a_regular_file_without_waiting(kind: str) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "file"
        if kind == "regular":
            path.write_bytes(b"x")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        elif kind == "dangling":
            path.symlink_to(Path(folder) / "nowhere")
        elif kind == "loop":
            path.symlink_to(path)
        elif kind == "link to fifo":
            os.mkfifo(Path(folder) / "pipe")
            path.symlink_to(Path(folder) / "pipe")
        try:
            assert read_regular(path) == b"x" and kind == "regular"
        except InvalidInput as error:
            assert kind != "regular" and str(path) in error.message


def test_the_reader_refuses_a_file_over_its_size_bound(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 1001)
    (tmp_path / "fits").write_bytes(b"x" * 1000)
    assert read_regular(tmp_path / "fits", limit=1000) == b"x" * 1000
    try:
        read_regular(tmp_path / "big", limit=1000)
        raise AssertionError("a file over the bound was read")
    except InvalidInput as error:
        assert "is larger than" in error.message
