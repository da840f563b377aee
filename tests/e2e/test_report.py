"""`npinit report`: a class's doctor and verify files from real environments, read into a
table, JSON and one HTML page that a real headless Chromium renders."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, need_python, run
from tests.helpers import invoke, pypi_venv

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "build" / "test-artifacts"
EVIL = "<script>document.title='owned'</script>"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the files a class sends: doctor reports of a good venv (NumPy from PyPI),
    of a venv whose NumPy lost its C extension, of a conda prefix with pip's numpy in it, a
    drifted verify report, a label that is markup, a non-JSON file and a newer schema."""
    python = need_python("3.12")
    root = tmp_path_factory.mktemp("class")
    folder = root / "reports"
    folder.mkdir()
    good = root / "good"
    pypi_venv(good, python, "numpy==2.4.6")
    broken = root / "broken"
    shutil.copytree(good, broken, symlinks=True)
    run([python, "-m", "venv", "--upgrade", broken])  # its own interpreter links
    core = next((broken / "lib").glob("python3.12/site-packages/numpy/_core"))
    extensions = list(core.glob("_multiarray_umath*"))
    assert extensions, "numpy's C extension was not found where the test removes it"
    for extension in extensions:
        extension.unlink()
    conda = root / "conda"
    shutil.copytree(FIXTURES / "conda-meta/osx-arm64-openblas", conda / "conda-meta")
    dist = conda / "lib/python3.11/site-packages/numpy-2.4.6.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Name: numpy\nVersion: 2.4.6\n")
    (dist / "INSTALLER").write_text("pip\n")

    def npinit(*args: str, out: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "npinit", *args],
            capture_output=True,
            text=True,
            cwd=root,
            timeout=300,
        )
        assert result.stdout.startswith("{"), result.stderr
        out.write_text(result.stdout)

    npinit("doctor", "--prefix", str(good), "--json", out=folder / "ana.json")
    npinit("doctor", "--prefix", str(broken), "--json", "--label", "ben", out=folder / "b.json")
    npinit("doctor", "--prefix", str(conda), "--json", out=folder / "chris.json")
    npinit("doctor", "--prefix", str(good), "--json", "--label", EVIL, out=folder / "evil.json")
    lock = root / "npinit.lock"
    npinit("lock", "--prefix", str(conda), "--output", str(lock), "--json", out=root / "l.json")
    record = next(conda.glob("conda-meta/libblas-*.json"))
    data = json.loads(record.read_text())
    data["build"] = data["build"].replace("openblas", "mkl")
    record.write_text(json.dumps(data))
    result = subprocess.run(
        [sys.executable, "-m", "npinit", "verify", "--prefix", str(conda), "--lock",
         str(lock), "--json", "--label", "chris"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 4, result.stderr
    (folder / "chris-lock.json").write_text(result.stdout)
    (folder / "dan.json").write_text("{this is not json")
    (folder / "eve.json").write_text('{"schema": 99, "environment": {}, "checks": []}')
    return folder


def test_json_has_one_row_per_participant_problems_first(
    classroom: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(["report", str(classroom), "--json"], classroom, capsys)
    assert code == 0, err
    data = json.loads(out)
    rows = {p["label"]: p for p in data["participants"]}
    assert sorted(rows) == sorted(["ana", "ben", "chris", EVIL])
    assert rows["ana"]["status"] == "ready" and rows["ana"]["numpy"] == "2.4.6"
    assert rows["ana"]["blas"] == "openblas" and rows["ana"]["platform"] == "linux-64"
    assert rows["ben"]["status"] == "problems"
    assert any("C extensions are missing" in p["message"] for p in rows["ben"]["problems"])
    chris = rows["chris"]
    assert chris["status"] == "problems" and chris["lock"] == "drifted"
    assert any(p["check"] == "conda-pip-numpy" for p in chris["problems"])
    assert any("libblas" in p["message"] for p in chris["problems"] if p["check"] == "lock")
    assert sorted(chris["files"]) == sorted(
        [str(classroom / "chris.json"), str(classroom / "chris-lock.json")]
    )
    statuses = [p["status"] for p in data["participants"]]
    assert statuses == sorted(statuses, key=["problems", "warnings", "ready"].index)
    assert (data["ready"], data["problems"]) == (2, 2)
    reasons = {Path(u["file"]).name: u["reason"] for u in data["unreadable"]}
    assert reasons == {
        "dan.json": "not JSON",
        "eve.json": "written by a newer npinit (doctor schema 99); upgrade npinit",
    }


def test_the_terminal_table(classroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(["report", str(classroom)], classroom, capsys)
    assert code == 0
    for label in ("ana", "ben", "chris"):
        assert label in out
    assert "2 ready, 0 with warnings, 2 with problems" in out
    assert "could not read" in out and "dan.json" in out


def test_no_readable_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.json").write_text("[1, 2]")
    (tmp_path / "b.json").write_bytes(b"\xff\xfe")
    code, _, err = invoke(["report", str(tmp_path)], tmp_path, capsys)
    assert code == 2 and "none of the 2 files could be read" in err
    assert len(err.strip().splitlines()) == 1


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is needed (.ci/run installs it: apt-get install chromium)"
    return found


def _browser(page: Path, *args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--window-size=1280,900", *args,
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_page_renders_in_a_real_browser(
    classroom: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    code, out, err = invoke(["report", str(classroom), "--output", str(page)], tmp_path, capsys)
    assert code == 0, err
    assert "Wrote" in out and page.is_file()
    text = page.read_text()
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text and "<link" not in text and "<script" not in text
    dom = _browser(page, "--dump-dom", profile=tmp_path / "p1").stdout
    rows = re.findall(r'<tr class="participant (\w+)" data-status="\w+">(.*?)</tr>', dom, re.S)
    assert len(rows) == 4
    assert [status for status, _ in rows] == ["problems", "problems", "ready", "ready"]
    labels = [re.findall(r"<td>(.*?)</td>", row, re.S)[0] for _, row in rows]
    assert html.escape(EVIL, quote=False) in labels  # the markup label is text
    assert "<title>Workshop readiness</title>" in dom  # its script never ran
    counts = dict(re.findall(r'id="count-(\w+)"><b>(\d+)</b>', dom))
    assert counts == {"ready": "2", "warnings": "0", "problems": "2"}
    assert dom.count("<svg") == 3 and 'id="unreadable"' in dom
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    _browser(page, f"--screenshot={shot}", profile=tmp_path / "p2")
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_the_page_with_duplicates_a_roster_and_the_target(
    classroom: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(
        ["new", "kit", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "all", "--no-input"], tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    folder = tmp_path / "files"
    shutil.copytree(classroom, folder)
    (folder / "again").mkdir()
    shutil.copy(classroom / "ana.json", folder / "again/ana.json")  # a second "ana"
    roster = tmp_path / "roster.txt"
    roster.write_text("ana\nben\nzoe\n")
    page = tmp_path / "report.html"
    args = ["report", str(folder), "--roster", str(roster), "--output", str(page)]
    code, out, err = invoke(args, tmp_path / "kit", capsys)
    assert code == 0, err
    assert "1 missing" in out
    dom = _browser(page, "--dump-dom", profile=tmp_path / "p1").stdout
    rows = re.findall(r'<tr class="participant (\w+)" data-status="\w+">(.*?)</tr>', dom, re.S)
    labels = {re.findall(r"<td>(.*?)</td>", row, re.S)[0]: status for status, row in rows}
    assert labels["ana"] == labels["ana (ana.json)"] == "warnings"  # flagged, not merged
    assert re.search(r'<ul id="missing"><li>zoe</li></ul>', dom)
    target = re.search(r'<p id="target">(.*?)</p>', dom, re.S)
    assert target and "NumPy 2.4.6, Python 3.12" in target.group(1)
    assert "osx-arm64 accelerate or openblas" in target.group(1)
    causes = re.search(r'<ul id="causes">(.*?)</ul>', dom, re.S)
    assert causes and "two doctor files carry the label ana" in causes.group(1)
    numpy_bars = re.search(r'id="chart-numpy">(.*?)</svg>', dom, re.S)
    assert numpy_bars and 'data-meaning="ok"' in numpy_bars.group(1)  # 2.4.6 is the pin
    assert html.escape(EVIL, quote=False) in dom and "<title>Workshop readiness</title>" in dom
