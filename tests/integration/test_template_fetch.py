"""Fetching a --template touches nothing outside npinit's own work folder (issue 24, items 1,
13 and 15): a URL ending in ``..`` removes nothing, a zip's members are checked (names and
sizes) before anything is unpacked, and a fetch that fails says why.

Every test points TMPDIR (and ``tempfile.tempdir``) at a folder under ``tmp_path`` with a
sentinel in it: a regression removes test files, never the machine's /tmp. No test reaches
the network beyond 127.0.0.1."""

from __future__ import annotations

import http.server
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import invoke
from tests.integration.test_templates import BASE, write_template


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """npinit's temporary folder, with a sentinel file that must survive every run."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    (folder / "sentinel").write_text("precious\n")
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    return folder


def untouched(scratch: Path) -> bool:
    """Only the sentinel is left in npinit's temporary folder, as it was."""
    if not (scratch / "sentinel").is_file():
        return False  # the whole folder went: what item 1 of issue 24 found
    return [p.name for p in scratch.iterdir()] == ["sentinel"]


def new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: str, *extra: str
) -> tuple[int, str, str]:
    out = str(tmp_path / "out")
    return invoke(
        ["new", "proj", *BASE, "--template", template, "--output-dir", out, *extra],
        tmp_path,
        capsys,
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server over a folder (base URL, folder); stopped after the test."""
    root = tmp_path / "www"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


# -- item 1: a URL whose last segment is .. ----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:9/git/..",
        "git+file:///x/..",
        "https://127.0.0.1:9/org/...git",
        "git@127.0.0.1:..",
        "https://127.0.0.1:9/git/../",
        "git+https://127.0.0.1:9/.",
    ],
)
def test_a_url_ending_in_dot_dot_removes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path, url: str
) -> None:
    code, out, err = new(tmp_path, capsys, url)
    assert untouched(scratch)
    assert code == 2, err
    assert "does not end in a repository name" in err, err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _repository(tmp_path: Path) -> Path:
    """A git repository holding a small template."""
    template = write_template(tmp_path, {"{{cookiecutter.project_name}}/a.txt": "from git\n"})
    _git("init", "-q", "-b", "main", cwd=template)
    _git("add", "-A", cwd=template)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "t", cwd=template)
    return template


def test_a_git_template_is_cloned_inside_the_work_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path
) -> None:
    repository = _repository(tmp_path)
    code, _, err = new(tmp_path, capsys, f"git+file://{repository}")
    assert code == 0, err
    assert (tmp_path / "out/proj/a.txt").read_text() == "from git\n"
    assert untouched(scratch)


def test_a_git_template_over_loopback_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path, server: tuple[str, Path]
) -> None:
    base, root = server
    repository = _repository(tmp_path)
    _git("clone", "-q", "--bare", str(repository), str(root / "tpl.git"), cwd=tmp_path)
    _git("update-server-info", cwd=root / "tpl.git")
    code, _, err = new(tmp_path, capsys, f"{base}/tpl.git")
    assert code == 0, err
    assert (tmp_path / "out/proj/a.txt").read_text() == "from git\n"
    assert untouched(scratch)


# -- item 15: a failed fetch says why ------------------------------------------------------


def test_file_url_of_a_plain_folder_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = new(tmp_path, capsys, f"file://{plain}")
    assert code == 2, err
    reason = err.split(f"file://{plain}:", 1)[1]
    assert "does not appear to be a git repository" in reason, err
    assert len(err.strip().splitlines()) == 1 and untouched(scratch)


def test_http_url_without_a_repository_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path, server: tuple[str, Path]
) -> None:
    base, _ = server
    code, _, err = new(tmp_path, capsys, base + "/")
    assert code == 2, err
    reason = err.split(base + "/:", 1)[1]
    assert "not found" in reason, err
    assert len(err.strip().splitlines()) == 1 and untouched(scratch)


# -- item 15: zip members -------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("first", ["../{rel}/", "{abs}/", "a/../../{rel}/"])
def test_a_zip_entry_out_of_the_archive_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path, first: str
) -> None:
    """A first entry naming a local folder must not make that folder the template."""
    local = write_template(tmp_path / "local", {"{{cookiecutter.project_name}}/x": "LOCAL\n"})
    climb = "../" * 30 + str(local)[1:]
    name = first.format(rel=climb, abs=str(local))
    archive = _zip(tmp_path / "evil.zip", {name: b"", "t/cookiecutter.json": b"{}"})
    code, _, err = new(tmp_path, capsys, str(archive))
    assert code == 2, err
    assert "outside the archive" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out/proj").exists()
    assert untouched(scratch)


def test_a_remote_zip_over_loopback_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path, server: tuple[str, Path]
) -> None:
    base, root = server
    _zip(
        root / "tpl.zip",
        {
            "tpl/": b"",
            "tpl/cookiecutter.json": b'{"project_name": "x"}',
            "tpl/{{cookiecutter.project_name}}/a.txt": b"zipped\n",
        },
    )
    code, _, err = new(tmp_path, capsys, f"{base}/tpl.zip")
    assert code == 0, err
    assert (tmp_path / "out/proj/a.txt").read_text() == "zipped\n"
    assert untouched(scratch)
    code, _, err = new(tmp_path, capsys, f"{base}/missing.zip")
    assert code == 2 and "404" in err and untouched(scratch)


# -- item 13: unpacked size -----------------------------------------------------------------


def _bomb(path: Path, megabytes: int) -> Path:
    """A zip of a template with one file of ``megabytes`` zeros (about 1/1000 the size)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("t/", b"")  # cookiecutter wants the top-level folder first
        archive.writestr("t/cookiecutter.json", b'{"project_name": "x"}')
        with archive.open("t/{{cookiecutter.project_name}}/zeros.bin", "w") as member:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path
) -> None:
    archive = _bomb(tmp_path / "bomb.zip", 200)
    assert archive.stat().st_size < 1_000_000
    code, _, err = new(tmp_path, capsys, str(archive))
    assert code == 2, err
    assert "unpacks to 210 MB" in err and len(err.strip().splitlines()) == 1
    assert untouched(scratch) and not (tmp_path / "out/proj").exists()


def test_the_unpacked_size_limit_counts_the_bytes_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A member whose header lies about its size is stopped at the limit too."""
    archive = _bomb(tmp_path / "bomb.zip", 3)
    data = bytearray(archive.read_bytes())
    # the member's size in its local header and the central directory: 3 MiB -> 1 byte
    size = (3 << 20).to_bytes(4, "little")
    assert data.count(size) == 2
    data = data.replace(size, (1).to_bytes(4, "little"))
    archive.write_bytes(bytes(data))
    monkeypatch.setenv("NPINIT_TEMPLATE_MAX_BYTES", "1000000")
    code, out, err = new(tmp_path, capsys, str(archive))
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in out + err
    assert untouched(scratch)
