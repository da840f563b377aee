"""Fetch another template (``npinit new --template``) without touching anything outside
npinit's own work folder, and check it before anything renders it.

- A local folder is read where it is.
- A ``.zip`` (a file, or an http(s) URL downloaded by npinit with a size bound) is unpacked by
  npinit: every member's name and the total size are checked before anything is written,
  then each member is copied with its bytes counted.
- A repository URL is cloned by git through npinit's runner (a deadline, no prompt) into a
  folder npinit names; what the URL ends with never becomes a path.
- Then the template is scanned: only folders, regular files and links that stay inside it;
  no FIFO, socket or device (reading one would hang), no link loop, within the size bounds.

cookiecutter's own fetching (``determine_repo_dir``) is not used: it derives its clone folder
from the URL and, with ``no_input``, removes that folder first (``.../..`` is the parent).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from npinit.errors import Failure, InvalidInput

# cookiecutter's REPO_REGEX: what it treats as a repository URL rather than a path
REPO_URL = re.compile(r"((((git|hg)\+)?(git|ssh|file|https?):(//)?)|(\w+@[\w\.]+))")
HINT = "give a cookiecutter template folder, .zip or repository URL"
LIMIT_HINT = "use a smaller template, or raise NPINIT_TEMPLATE_MAX_BYTES if you trust it"
FETCH_TIMEOUT = 300.0  # seconds for a clone or a download


@dataclass(frozen=True)
class Limits:
    """How much an untrusted template may take: bytes unpacked or rendered, files, seconds."""

    bytes: int = 100_000_000
    files: int = 10_000
    seconds: float = 60.0
    memory: int = 1 << 30  # address space of the rendering process

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, or ``NPINIT_TEMPLATE_MAX_BYTES`` / ``NPINIT_TEMPLATE_TIMEOUT``."""
        environ = os.environ if environ is None else environ
        limits = cls()
        try:
            size = int(environ.get("NPINIT_TEMPLATE_MAX_BYTES") or limits.bytes)
            seconds = float(environ.get("NPINIT_TEMPLATE_TIMEOUT") or limits.seconds)
        except ValueError:
            raise InvalidInput(
                "NPINIT_TEMPLATE_MAX_BYTES or NPINIT_TEMPLATE_TIMEOUT is not a number",
                "set it to a number, or unset it",
            ) from None
        return cls(bytes=max(size, 1), files=limits.files, seconds=max(seconds, 0.1))


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size} bytes"


def fetch(location: str, workdir: Path, limits: Limits, run: Any = None) -> Path:
    """The template folder for ``location``; anything fetched goes under ``workdir``."""
    if location.lower().endswith(".zip"):
        archive = Path(location)
        if REPO_URL.match(location):
            archive = workdir / "download.zip"
            download(location, archive, limits)
        template = unzip(location, archive, workdir / "unzipped", limits)
    elif REPO_URL.match(location):
        template = workdir / "clone"
        clone(location, template, limits, run)
    else:
        template = Path(location)
        if not template.is_dir():
            raise InvalidInput(f"cannot use the template {location}: no such folder", HINT)
    if not (template / "cookiecutter.json").is_file():
        raise InvalidInput(f"cannot use the template {location}: it has no cookiecutter.json", HINT)
    scan(template, limits)
    return template


def _refuse(location: str, reason: str) -> InvalidInput:
    return InvalidInput(f"cannot use the template {location}: {reason}", HINT)


def repository_name(url: str) -> str:
    """The name a clone of ``url`` would take (git's and cookiecutter's rule)."""
    last = re.split(r"[/:]", url.rstrip("/"))[-1]
    return last[: -len(".git")] if last.endswith(".git") else last


def clone(url: str, destination: Path, limits: Limits, run: Any = None) -> None:
    """``git clone`` (``hg clone`` for ``hg+`` URLs) into ``destination``, through the runner,
    with no prompt and a deadline; the checkout's size is checked before it is written."""
    from npinit.runner import run as default_run

    tool, remote = url.split("+", 1) if url.startswith(("git+", "hg+")) else ("git", url)
    name = repository_name(remote)
    if not name.strip("."):
        raise _refuse(url, f"the URL does not end in a repository name ({name!r})")
    environ = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    environ.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")

    def vcs(*args: str | Path, cwd: Path | None = None) -> str:
        try:
            result = (run or default_run)(
                [tool, *args],
                cwd=cwd,
                env=environ,
                what=f"{tool} {args[0]}",
                timeout=FETCH_TIMEOUT,
                check=False,
            )
        except Failure as error:  # a TimedOut too
            raise _refuse(url, error.message) from None
        if result.returncode != 0:
            raise _refuse(url, f"{tool} {args[0]} failed: {_reason(result.stderr)}")
        return str(result.stdout)

    if tool == "hg":
        vcs("clone", "--", remote, destination)
        return
    vcs("clone", "--quiet", "--no-checkout", "--", remote, destination)
    _check_sizes(
        url, _tree_sizes(vcs("ls-tree", "-r", "-l", "-z", "HEAD", cwd=destination)), limits
    )
    vcs("checkout", "--quiet", "HEAD", "--", ".", cwd=destination)


def _reason(output: str) -> str:
    """The line of git's (or hg's) error output that says why: its first ``fatal:``."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "abort:", "error:")):
            return line[:300]
    return lines[-1][:300] if lines else "no reason given"


def _tree_sizes(listing: str) -> list[int]:
    """Blob sizes from ``git ls-tree -r -l -z`` (``mode type object size\\tpath``)."""
    sizes = []
    for entry in filter(None, listing.split("\0")):
        fields = entry.split("\t", 1)[0].split()
        if len(fields) == 4 and fields[3].isdigit():
            sizes.append(int(fields[3]))
    return sizes


def _check_sizes(location: str, sizes: list[int], limits: Limits) -> None:
    total = sum(sizes)
    if total > limits.bytes or len(sizes) > limits.files:
        raise InvalidInput(
            f"cannot use the template {location}: it unpacks to {megabytes(total)} in "
            f"{len(sizes)} files, more than npinit takes from a template "
            f"({megabytes(limits.bytes)}, {limits.files} files)",
            LIMIT_HINT,
        )


def download(url: str, destination: Path, limits: Limits) -> None:
    """An http(s) URL to ``destination``, at most ``limits.bytes``, within the deadline."""
    import urllib.error
    import urllib.request

    if not url.lower().startswith(("http://", "https://")):
        raise _refuse(url, "npinit downloads a .zip only over http or https")
    written = 0
    try:
        with (
            urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response,
            destination.open("xb") as out,
        ):
            while block := response.read(1 << 16):
                written += len(block)
                if written > limits.bytes:
                    raise _refuse(url, f"it is larger than {megabytes(limits.bytes)}")
                out.write(block)
    except urllib.error.HTTPError as error:
        raise _refuse(url, f"the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise _refuse(url, f"it could not be downloaded ({error.reason})") from None
    except (OSError, ValueError) as error:
        raise _refuse(url, f"it could not be downloaded ({error})") from None


def member_parts(name: str) -> tuple[str, ...] | None:
    """A member name's parts when it stays inside the archive's folder, else None."""
    text = name.replace("\\", "/")
    parts = PurePosixPath(text).parts
    if not parts or text.startswith("/") or "\0" in text or ":" in parts[0]:
        return None
    if any(part in ("..", ".") for part in text.split("/")):
        return None
    return parts


def unzip(location: str, archive: Path, destination: Path, limits: Limits) -> Path:
    """Unpack ``archive`` into ``destination`` after checking every member; returns the one
    top-level folder (the template), as cookiecutter expects a .zip to hold."""
    import zlib

    try:
        with zipfile.ZipFile(archive) as opened:
            members = opened.infolist()
            tops = set()
            for member in members:
                parts = member_parts(member.filename)
                if parts is None:
                    raise _refuse(
                        location,
                        f"its member {member.filename!r} would unpack outside the archive",
                    )
                tops.add(parts[0])
            if len(tops) != 1:
                raise _refuse(location, "it does not hold one top-level folder (the template)")
            _check_sizes(location, [m.file_size for m in members if not m.is_dir()], limits)
            _extract(location, opened, members, destination, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as error:
        raise _refuse(location, f"it is not a valid zip archive ({error})") from None
    except (RuntimeError, NotImplementedError) as error:  # encrypted, unknown compression
        raise _refuse(location, f"npinit cannot unpack it ({error})") from None
    except OSError as error:
        raise _refuse(location, f"it could not be unpacked ({error.strerror or error})") from None
    return destination / tops.pop()


def _extract(
    location: str,
    opened: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    destination: Path,
    limits: Limits,
) -> None:
    """Write each member, counting the bytes really unpacked (a header can lie)."""
    written = 0
    for member in members:
        target = destination.joinpath(*PurePosixPath(member.filename.replace("\\", "/")).parts)
        if member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with opened.open(member) as source, target.open("xb") as out:
            while block := source.read(1 << 16):
                written += len(block)
                if written > limits.bytes:
                    raise InvalidInput(
                        f"cannot use the template {location}: it unpacks to more than "
                        f"{megabytes(limits.bytes)}",
                        LIMIT_HINT,
                    )
                out.write(block)


def scan(template: Path, limits: Limits) -> None:
    """Refuse what npinit must not read in a template: a FIFO, socket or device (opening one
    can hang), a link that loops, dangles or leaves the template, too many files or bytes."""
    root = template.resolve()
    count = total = 0

    def refuse(path: Path, reason: str, hint: str = "remove it from the template") -> None:
        raise InvalidInput(f"the template's {path.relative_to(template)} {reason}", hint)

    def failed(error: OSError) -> None:
        raise InvalidInput(f"cannot read the template: {error.strerror or error}", HINT)

    for folder, folders, files in os.walk(template, onerror=failed):
        for name in [*folders, *files]:
            path = Path(folder, name)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                try:
                    resolved = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    refuse(path, "is a link that loops or points to nothing")
                if not resolved.is_relative_to(root):
                    refuse(
                        path, f"links outside it ({resolved})", "remove the link from the template"
                    )
            elif stat.S_ISREG(mode):
                count += 1
                total += path.lstat().st_size
            elif not stat.S_ISDIR(mode):
                refuse(path, "is not a regular file (a FIFO, socket or device)")
    if total > limits.bytes or count > limits.files:
        raise InvalidInput(
            f"the template holds {megabytes(total)} in {count} files, more than npinit takes "
            f"from a template ({megabytes(limits.bytes)}, {limits.files} files)",
            LIMIT_HINT,
        )
