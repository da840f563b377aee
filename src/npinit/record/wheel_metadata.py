"""A remote wheel's ``Requires-Dist`` and ``Requires-Python``, read from its own METADATA
the way uv reads it from an index without PEP 658 files: HTTP range requests for the zip's
central directory and the one member, never the whole wheel (tensorflow's is 600 MB).
pixi.lock records them for each PyPI package (``requires_dist``, ``requires_python``)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from email.parser import HeaderParser
from typing import Any

CHUNK = 64 * 1024  # read ahead: the zip reader's small reads come from one request
WORKERS = 8


class RangedFile(io.RawIOBase):
    """A read-only, seekable view of a URL, each read a ``Range`` request."""

    def __init__(self, url: str) -> None:
        self.url, self.pos = url, 0
        # the tail first, where the central directory ends; it says the size too
        start, data, self.size = self._get(f"bytes=-{CHUNK}")
        self.cache: tuple[int, bytes] = (start, data)

    def _get(self, span: str) -> tuple[int, bytes, int]:
        """The bytes ``span`` asks for: where they start, them, the file's size (a server
        that ignores ranges answers 200 with the whole file)."""
        from npinit.record.index import open_url

        with open_url(self.url, {"Range": span}) as response:
            data = bytes(response.read())
            if response.status == 200:
                return 0, data, len(data)
            where = str(response.headers.get("Content-Range", ""))  # bytes S-E/T
            first, _, total = where.removeprefix("bytes ").partition("/")
            return int(first.split("-")[0]), data, int(total)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def read(self, size: int = -1) -> bytes:
        end = self.size if size is None or size < 0 else min(self.size, self.pos + size)
        if end <= self.pos:
            return b""
        start, data = self.cache
        if not (start <= self.pos and end <= start + len(data)):
            last = min(self.size, max(end, self.pos + CHUNK)) - 1
            start, data, _ = self._get(f"bytes={self.pos}-{last}")
            self.cache = (start, data)
        out = data[self.pos - start : end - start]
        self.pos += len(out)
        return out


def wheel_metadata(url: str) -> tuple[tuple[str, ...], str]:
    """``(requires_dist, requires_python)`` from the wheel at ``url``'s METADATA."""
    with zipfile.ZipFile(RangedFile(url)) as wheel:
        name = next(
            n for n in wheel.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
        )
        text = wheel.read(name).decode("utf-8", errors="replace")
    headers = HeaderParser().parsestr(text, headersonly=True)
    return tuple(headers.get_all("Requires-Dist") or ()), str(headers.get("Requires-Python") or "")


def metadata_of(urls: Iterable[str]) -> dict[str, tuple[tuple[str, ...], str]]:
    """Each wheel URL's ``(requires_dist, requires_python)``, fetched side by side; a wheel
    that cannot be read this way (no range requests, not a zip) is left out: pixi.lock then
    says nothing of it rather than something untrue."""
    from concurrent.futures import ThreadPoolExecutor

    wanted = sorted({u for u in urls if u.endswith(".whl") and u.startswith("http")})

    def one(url: str) -> tuple[str, Any]:
        try:
            return url, wheel_metadata(url)
        except (OSError, ValueError, StopIteration, zipfile.BadZipFile):
            return url, None

    with ThreadPoolExecutor(WORKERS) as pool:
        return {url: found for url, found in pool.map(one, wanted) if found is not None}
