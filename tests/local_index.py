"""A package index on loopback for tests that must count what is fetched, or need
credentials: tiny real wheels built here, a PEP 503 page per project, HTTP Basic auth."""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def wheel(
    folder: Path,
    name: str,
    version: str,
    requires: tuple[str, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
) -> Path:
    """A valid pure-Python wheel of ``name`` (one module, and the ``extra`` files: path and
    text) with its METADATA and RECORD."""
    dist = f"{name}-{version}.dist-info"
    files = {
        **dict(extra),
        f"{name}/__init__.py": f"__version__ = {version!r}\n",
        f"{dist}/METADATA": "Metadata-Version: 2.1\n"
        f"Name: {name}\nVersion: {version}\n" + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{dist}/RECORD"] = "\n".join([*record, f"{dist}/RECORD,,"]) + "\n"
    out = folder / f"{name}-{version}-py3-none-any.whl"
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    out.write_bytes(buffer.getvalue())
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Served:
    """What the server saw: every path requested with the right credentials, and refusals."""

    url: str
    files: list[str] = field(default_factory=list)
    refused: int = 0


@contextmanager
def serve(folder: Path, user: str, password: str) -> Iterator[Served]:
    """Serve the wheels of ``folder`` as a simple index at ``Served.url`` (``/simple/``),
    every request refused (401) without ``user:password``."""
    token = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    state = Served("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:
            if self.headers.get("Authorization") != token:
                state.refused += 1
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="test"')
                self.end_headers()
                return
            body, kind = self._body(head)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            if not head:
                self.wfile.write(body or b"")

        def _body(self, head: bool) -> tuple[bytes | None, str]:
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            if len(parts) == 2 and parts[0] == "files" and (folder / parts[1]).is_file():
                if not head:
                    state.files.append(parts[1])
                return (folder / parts[1]).read_bytes(), "application/octet-stream"
            if len(parts) == 2 and parts[0] == "simple":
                links = [
                    f'<a href="/files/{w.name}#sha256={_sha(w)}">{w.name}</a>'
                    for w in sorted(folder.glob("*.whl"))
                    if w.name.split("-")[0].replace("_", "-") == parts[1]
                ]
                if links:
                    page = "<html><body>" + "".join(links) + "</body></html>"
                    return page.encode(), "text/html"
            return None, "text/plain"

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def pip_project_and_wheels(
    root: Path, env: Mapping[str, str], ci: str, package: str
) -> tuple[Path, Path]:
    """A new pip project ``root/tp`` (Python 3.12, NumPy 2.4.6, linux-64, no solving) and a
    folder ``root/wheels`` to serve beside it: a stand-in NumPy 2.4.6 wheel carrying OpenBLAS
    and ``package`` 1.0 needing NumPy. Returns the project and the folder."""
    args = ["new", "tp", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6"]
    args += ["--platform", "linux-64", "--ci", ci, "--no-input", "--no-solve"]
    subprocess.run(
        [sys.executable, "-m", "npinit", *args, "--output-dir", str(root)], check=True, env=env
    )
    wheels = root / "wheels"
    openblas = (("numpy.libs/libscipy_openblas64_-ff651d7f.so", ""),)  # the BLAS it carries
    wheel(wheels, "numpy", "2.4.6", extra=openblas)
    wheel(wheels, package, "1.0", ("numpy>=1",))
    return root / "tp", wheels
