"""Checked downloads into a folder, several at once: each file is streamed to a hidden
temporary name beside its final one (``.NAME.npinit-part``), hashed as it arrives (sha256,
and md5 where one is known), and renamed to its final name only when every hash matches. A
mismatch deletes the temporary file and fails naming the file; an interrupted run leaves no
file under a final name that is not whole and checked. A file already there is re-hashed and
kept when it matches (nothing downloaded), so a second run resumes a first."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from npinit.errors import Failure

PART = ".npinit-part"
BLOCK = 1 << 20
WORKERS = 8

# (bytes that arrived, the name of a file just finished or "")
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Wanted:
    """One file to have at ``path``: where it comes from and the hashes it must have.
    ``copies`` are further places that get the same checked bytes (the same file in
    another platform's folder), copied locally instead of downloaded again."""

    path: Path
    url: str
    sha256: str
    md5: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    copies: tuple[Path, ...] = field(default=())


@dataclass(frozen=True)
class Fetched:
    """What happened to one wanted file: downloaded, copied from another platform's folder,
    or neither (it was there already, checked)."""

    path: Path
    size: int
    downloaded: bool
    copied: bool = False


def part_name(path: Path) -> Path:
    """The temporary name a file is streamed to, beside its final name."""
    return path.with_name(f".{path.name}{PART}")


def digests(path: Path, md5: bool = False) -> tuple[str, str, int]:
    """sha256, md5 (when asked, else "") and size of a file, read once."""
    sha, md, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(BLOCK), b""):
            sha.update(block)
            if md5:
                md.update(block)
            size += len(block)
    return sha.hexdigest(), md.hexdigest() if md5 else "", size


def mismatch(path: Path, sha256: str, md5: str = "") -> str:
    """Why the file at ``path`` is not the one wanted ("" when it is): missing, not a
    regular file, or another sha256/md5."""
    if path.is_symlink() or not path.is_file():
        return "missing" if not os.path.lexists(path) else "not a regular file"
    return hash_mismatch(path, sha256, md5)


def hash_mismatch(path: Path, sha256: str, md5: str = "", source: str = "expected") -> str:
    """ "" when the file at ``path`` (a file there) has these hashes, else which one
    differs, with both values (``source``: who says the wanted one)."""
    if not sha256 and not md5:
        return "no hash to compare it with"
    sha, md, _ = digests(path, md5=bool(md5))
    if sha256 and sha != sha256:
        return f"sha256 {sha[:12]}..., {source} {sha256[:12]}..."
    if md5 and md != md5:
        return f"md5 {md[:12]}..., {source} {md5[:12]}..."
    return ""


def remove_parts(folders: Iterable[Path]) -> None:
    """Remove the temporary files an interrupted run left in ``folders``."""
    for folder in folders:
        if folder.is_dir():
            for leftover in folder.glob(f".*{PART}"):
                leftover.unlink(missing_ok=True)


def fetch_all(
    wanted: list[Wanted], *, progress: Progress | None = None, workers: int = WORKERS
) -> list[Fetched]:
    """Have every wanted file (and its copies) in place, checked; download only what is
    missing or wrong. The first failure stops the others (their temporary files removed)
    and is raised naming its file; so is an interrupt."""
    stop = threading.Event()
    say = progress or (lambda size, name: None)
    results: list[Fetched] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_one, item, stop, say) for item in wanted]
        try:
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
            if failed:
                stop.set()
                wait(futures)
                error = failed[0].exception()
                assert error is not None
                raise error
        except BaseException:
            stop.set()
            for future in futures:
                future.cancel()
            raise
        for future in futures:
            results.extend(future.result())
    return results


def _one(item: Wanted, stop: threading.Event, say: Progress) -> list[Fetched]:
    """One wanted file: kept when already right, else downloaded; then its copies."""
    if stop.is_set():
        raise Failure("stopped", "")
    item.path.parent.mkdir(parents=True, exist_ok=True)
    downloaded = False
    if mismatch(item.path, item.sha256, item.md5):
        _download(item, stop, say)
        downloaded = True
    size = item.path.stat().st_size
    say(0, item.path.name)
    out = [Fetched(item.path, size, downloaded)]
    for copy in item.copies:
        copied = bool(mismatch(copy, item.sha256, item.md5))
        if copied:
            _copy(item.path, copy)
        out.append(Fetched(copy, size, False, copied))
    return out


def _download(item: Wanted, stop: threading.Event, say: Progress) -> None:
    """Stream the URL to the temporary name, hashing as it arrives; rename when it matches."""
    from npinit.faults import checkpoint
    from npinit.knowledge.channels import strip_token
    from npinit.record.index import open_url, split_credentials

    part = part_name(item.path)
    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    shown = split_credentials(item.url)[0]
    try:
        with open_url(item.url, dict(item.headers)) as response, part.open("wb") as out:
            for block in iter(lambda: response.read(BLOCK), b""):
                if stop.is_set():
                    raise Failure("stopped", "")
                out.write(block)
                sha.update(block)
                md5.update(block)
                say(len(block), "")
                checkpoint("bundle-streaming")
        _check_digests(item, sha.hexdigest(), md5.hexdigest())
        checkpoint("bundle-checked")
        os.replace(part, item.path)
    except BaseException as error:
        part.unlink(missing_ok=True)
        if isinstance(error, (Failure, KeyboardInterrupt, SystemExit)) or not isinstance(
            error, (OSError, ValueError)
        ):
            raise
        raise Failure(
            strip_token(f"{item.path.name} could not be downloaded from {shown} ({error})"),
            "check the network and the index or channel the lock was made with",
        ) from None


def _check_digests(item: Wanted, sha256: str, md5: str) -> None:
    if sha256 != item.sha256 or (item.md5 and md5 != item.md5):
        algorithm, got, expected = (
            ("sha256", sha256, item.sha256) if sha256 != item.sha256 else ("md5", md5, item.md5)
        )
        raise Failure(
            f"hash mismatch for {item.path.name}: its {algorithm} is {got[:12]}..., "
            f"the lock says {expected[:12]}... (the file was deleted)",
            "the index or channel serves another file than the one locked; lock again if "
            "you trust it",
        )


def _copy(source: Path, target: Path) -> None:
    """A local copy through the temporary name, so a half-copied file never has the name."""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    part = part_name(target)
    try:
        shutil.copyfile(source, part)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
