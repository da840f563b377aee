"""A METADATA's Name and Version are read from its first bytes (``distinfo.HEAD_BYTES``), the
whole text split only when they are not found there: the answer is always the one of the
whole text's lines, wherever the head ends (inside a line, between ``\\r`` and ``\\n``, inside
a character of several bytes, just after a line break of several bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit.record.distinfo import HEAD_BYTES, read_dist_info
from npinit.record.package import canonical

# what may surround the head's end: plain, CRLF, two- and three-byte characters, and the line
# breaks Python's splitlines knows beyond \n (NEL, LINE SEPARATOR, form feed)
ENDINGS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\x0c"]
FILLERS = ["a", "\u00e9", "\u20ac", "\U0001f600"]


def whole(raw: bytes) -> tuple[str, str]:
    """Name and Version as the whole text's lines give them: the first of each in the header
    block (up to the first blank line)."""
    found: dict[str, str] = {}
    for line in raw.decode("utf-8", "replace").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        found.setdefault(key, value.strip())
    return canonical(found["Name"]), found["Version"]


def read(site: Path, raw: bytes) -> tuple[str, str]:
    """Name and Version of the one distribution in ``site``, its METADATA ``raw``."""
    dist = site / "some_name-1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_bytes(raw)
    (dist / "INSTALLER").write_text("pip\n")
    packages, warnings = read_dist_info(site, set(), "")
    assert warnings == [] and len(packages) == 1
    return packages[0].name, packages[0].version


def texts() -> list[bytes]:
    found = []
    for ending in ENDINGS:
        for filler in FILLERS:
            for shift in range(-8, 9):
                pad = filler * ((HEAD_BYTES - 40) // len(filler.encode()) + shift)
                lines = ["Metadata-Version: 2.1", f"Summary: {pad}", "Name: Some_Name"]
                lines += ["Version: 1.22.333.post4444", "", "Name: not-this", "body"]
                found.append(ending.join(lines).encode("utf-8"))
    return found


@pytest.mark.parametrize("raw", texts(), ids=lambda raw: str(len(raw)))
def test_the_head_gives_what_the_whole_text_gives(tmp_path: Path, raw: bytes) -> None:
    assert read(tmp_path, raw) == whole(raw)


def test_a_usual_metadata_is_read_from_its_head(tmp_path: Path) -> None:
    raw = b"Metadata-Version: 2.1\nName: tiny\nVersion: 1.0\n\n" + b"x" * 2 * HEAD_BYTES
    assert read(tmp_path, raw) == whole(raw) == ("tiny", "1.0")


def test_a_usual_metadata_splits_a_few_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Name and Version come first in the header block (in the 178 METADATA of the benchmark
    both end within 72 bytes): the lines looked at are those of its first 256 bytes, not
    of a whole kilobyte (splitting 1 KB of each of 178 METADATA was 2.5M instructions)."""
    from npinit.record import distinfo

    seen: list[int] = []
    real = distinfo._headers

    def headers(lines: list[str]) -> tuple[dict[str, str], bool]:
        seen.append(len(lines))
        return real(lines)

    monkeypatch.setattr(distinfo, "_headers", headers)
    classifiers = "".join(f"Classifier: Topic {n}\n" for n in range(60))
    raw = f"Metadata-Version: 2.4\nName: tiny\nVersion: 1.0\n{classifiers}\nbody".encode()
    assert read(tmp_path, raw) == ("tiny", "1.0")
    assert seen and max(seen) <= 256 // len("Classifier: Topic 10\n") + 3
