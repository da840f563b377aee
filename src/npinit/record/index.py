"""The online step: ask a PEP 691 simple index for the wheel each installed distribution
came from (matched by its recorded tags), to learn its URL and sha256."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

from npinit.errors import Failure
from npinit.record.snapshot import Package, canonical

DEFAULT_INDEX = "https://pypi.org/simple"
ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"


def split_credentials(index: str) -> tuple[str, dict[str, str]]:
    """``https://user:secret@host/simple`` -> the URL without them, and a Basic header."""
    import base64
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(index)
    if parts.username is None:
        return index, {}
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    header = {"Authorization": "Basic " + base64.b64encode(token).decode("ascii")}
    return urlunsplit(parts._replace(netloc=netloc)), header


class _Anchors(HTMLParser):
    """The files of a PEP 503 HTML page: each anchor's text (the file name) and href."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[dict[str, Any]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self.files.append({"filename": "", "url": self._href})

    def handle_data(self, data: str) -> None:
        if self._href is not None and self.files:
            self.files[-1]["filename"] += data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


def open_url(url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> Any:
    """The one way npinit opens an http(s) or file URL: credentials in the URL become a
    Basic header (never part of what is requested or shown); the response, to be closed."""
    bare, auth = split_credentials(url)
    request = urllib.request.Request(bare, headers={**(headers or {}), **auth})
    return urllib.request.urlopen(request, timeout=timeout)


def project_page(index: str, name: str) -> dict[str, Any]:
    """The project page as PEP 691 data (a PEP 503 HTML page is converted), every file URL
    made absolute against the page's own URL (both PEPs allow relative ones)."""
    from urllib.parse import urldefrag, urljoin

    from npinit.reading import MAX_BYTES, parse_bounded

    base, auth = split_credentials(index)
    page_url = f"{base.rstrip('/')}/{name}/"
    with open_url(page_url, {"Accept": ACCEPT, **auth}) as response:
        kind = response.headers.get_content_type()
        body = response.read(MAX_BYTES)  # a page past this is cut, and then does not parse
        final = response.geturl()
    if kind == "text/html":
        parser = _Anchors()
        parser.feed(body.decode("utf-8", errors="replace"))
        files = []
        for entry in parser.files:
            url, fragment = urldefrag(urljoin(final, entry["url"]))
            algorithm, _, digest = fragment.partition("=")
            files.append(
                {
                    "filename": entry["filename"],
                    "url": url,
                    "hashes": {algorithm: digest} if digest else {},
                }
            )
        return {"files": files}
    data: dict[str, Any] = parse_bounded(json.loads, body.decode("utf-8", "replace"), page_url)
    for entry in data.get("files", []):
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            entry["url"] = urljoin(final, entry["url"])
    return data


def match_wheel(package: Package, page: dict[str, Any]) -> dict[str, Any] | None:
    """The index file of ``package``'s version whose wheel tags equal the recorded ones."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    wanted = set(package.tags)
    for entry in page.get("files", []):
        filename = entry.get("filename", "")
        if not filename.endswith(".whl"):
            continue
        try:
            name, version, _, tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            continue
        if canonical(name) != package.name or str(version) != package.version:
            continue
        if {str(t) for t in tags} == wanted:
            return dict(entry)
    return None


def add_hashes(
    packages: tuple[Package, ...], index: str = DEFAULT_INDEX
) -> tuple[tuple[Package, ...], list[str]]:
    """Fill ``url``/``sha256`` of PyPI packages from the index; warnings for misses."""
    wanted = [p for p in packages if p.source == "pypi" and not p.sha256 and p.tags]
    pages: dict[str, dict[str, Any]] = {}

    def load(name: str) -> tuple[str, dict[str, Any]]:
        return name, project_page(index, name)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            pages = dict(pool.map(load, sorted({p.name for p in wanted})))
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Failure(
            f"could not ask the index {split_credentials(index)[0]} for hashes ({error})",
            "check the network, or lock without --online (hashes are then left out)",
        ) from None
    warnings: list[str] = []
    result = []
    for package in packages:
        if package in wanted:
            entry = match_wheel(package, pages.get(package.name, {}))
            sha = (entry or {}).get("hashes", {}).get("sha256", "")
            if entry and sha:
                package = package._replace(url=entry["url"], sha256=sha)
            else:
                warnings.append(
                    f"the index has no wheel of {package.name} {package.version} "
                    "with the installed tags"
                )
        result.append(package)
    return tuple(result), warnings
