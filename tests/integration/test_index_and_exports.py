"""The index client against a real HTTP server on loopback: PEP 691 JSON with relative URLs,
PEP 503 HTML pages, credentials in the index URL; and a requirements export that writes only
what an index or URL can install."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from npinit.model import Source
from npinit.record.index import add_hashes
from npinit.record.snapshot import Package
from tests.helpers import invoke

WHEEL = "numpy-2.4.6-cp312-cp312-manylinux_2_28_x86_64.whl"
SHA = "ab" * 32
PACKAGE = Package("numpy", "2.4.6", Source.PYPI, tags=("cp312-cp312-manylinux_2_28_x86_64",))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/auth/"):
            token = base64.b64encode(b"user:s3cret").decode()
            if self.headers.get("Authorization") != f"Basic {token}":
                self.send_response(401)
                self.end_headers()
                return
        if self.path.endswith("/simple/numpy/") and "/html/" in self.path:
            body = f'<html><body><a href="../../files/{WHEEL}#sha256={SHA}">{WHEEL}</a>'
            self._send("text/html", body.encode())
        elif self.path.endswith("/simple/numpy/"):
            page = {"files": [{"filename": WHEEL, "url": f"../../files/{WHEEL}",
                               "hashes": {"sha256": SHA}}]}  # fmt: skip
            self._send("application/vnd.pypi.simple.v1+json", json.dumps(page).encode())
        else:
            self.send_response(404)
            self.end_headers()

    def _send(self, kind: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    "index",
    ["{}/json/simple", "{}/html/simple", "http://user:s3cret@{}/auth/simple"],
    ids=["pep691-relative", "pep503-html", "credentials"],
)
def test_the_index_client(server: str, index: str) -> None:
    url = index.format(server.removeprefix("http://") if "@" in index else server)
    (found,), warnings = add_hashes((PACKAGE,), url)
    assert warnings == []
    assert found.sha256 == SHA
    folder = url.split("/simple")[0].replace("user:s3cret@", "")
    assert found.url == f"{folder}/files/{WHEEL}"  # made absolute, no credentials kept


def test_wrong_credentials_are_one_line_without_the_secret(server: str) -> None:
    from npinit.errors import Failure

    host = server.removeprefix("http://")
    with pytest.raises(Failure) as caught:
        add_hashes((PACKAGE,), f"http://user:wrong@{host}/auth/simple")
    assert "401" in caught.value.message and "wrong" not in caught.value.message


def _dist(site: Path, name: str, version: str, direct: dict[str, object] | None) -> None:
    dist = site / f"{name}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Name: {name}\nVersion: {version}\n")
    (dist / "INSTALLER").write_text("pip\n")
    if direct is not None:
        (dist / "direct_url.json").write_text(json.dumps(direct))


def test_requirements_export_writes_only_what_can_be_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = tmp_path / "venv"
    site = venv / "lib/python3.12/site-packages"
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("version = 3.12.1\n")
    _dist(
        site, "tinyproj", "0.1", {"url": "file:///home/me/tinyproj", "dir_info": {"editable": True}}
    )
    _dist(site, "localwheel", "1.0", {"url": "file:///tmp/localwheel-1.0-py3-none-any.whl",
                                      "archive_info": {}})  # fmt: skip
    _dist(site, "fromgit", "2.0", {"url": "https://example.org/fromgit-2.0.tar.gz",
                                   "archive_info": {}})  # fmt: skip
    _dist(site, "plain", "3.0", None)
    out = tmp_path / "requirements-lock.txt"
    code, _, err = invoke(
        ["lock", "--prefix", str(venv), "--format", "requirements", "--output", str(out)],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    lines = [line for line in out.read_text().splitlines() if not line.startswith("#")]
    assert lines == ["fromgit @ https://example.org/fromgit-2.0.tar.gz", "plain==3.0"]
    assert "tinyproj 0.1 was installed as an editable install on this machine" in err
    assert "localwheel 1.0 was installed from a local file on this machine" in err
    lock = tmp_path / "npinit.lock"
    invoke(["lock", "--prefix", str(venv), "--output", str(lock)], tmp_path, capsys)
    text = lock.read_text()
    assert 'origin = "editable"' in text and "/home/me" not in text
