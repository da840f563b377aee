"""Offline bundles for the tests of ``npinit create --bundle``: :func:`make_bundle` runs the
real ``npinit bundle``; :func:`layout_bundle` lays one out by OWNERS.md's contract alone
(written before ``npinit bundle`` existed; kept as the contract's independent reading):
every file of a locked platform, fetched from its locked URL (PyPI, through this machine's
mirror) or copied from the local channel, each checked against the lock's hash here too."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import shared_cache

IGNORED = shutil.ignore_patterns(".venv", ".conda", ".pixi", "__pycache__", ".npinit-create-*")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _index_url(name: str, file_name: str) -> str:
    """A file's URL from the simple index (poetry.lock names its files without URLs)."""
    import re
    from urllib.parse import urljoin

    page = f"https://pypi.org/simple/{name}/"
    with urllib.request.urlopen(page, timeout=120) as response:
        text = response.read().decode()
    for href in re.findall(r'href="([^"#]+)', text):
        if _name(href) == file_name:
            return str(urljoin(page, href))
    raise AssertionError(f"{file_name} is not on {page}")


def _fetch(url: str, sha256: str, target: Path, channels: list[Path]) -> None:
    """The locked file at ``target``: from a local channel (by subdir and name), a file URL,
    or the index (cached by hash across the run)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    subdir = url.rsplit("/", 2)[-2] if url.count("/") >= 2 else ""
    for channel in channels:
        local = channel / subdir / _name(url)
        if local.is_file():
            shutil.copyfile(local, target)
            return
    if url.startswith("file:"):
        shutil.copyfile(unquote(urlsplit(url).path), target)
        return
    cached = shared_cache() / "bundle-files" / sha256 / _name(url)
    if not cached.is_file() or _sha256(cached) != sha256:
        cached.parent.mkdir(parents=True, exist_ok=True)
        if "://" not in url:  # a file name: poetry.lock's
            url = _index_url(target.name.split("-")[0].replace("_", "-"), target.name)
        with urllib.request.urlopen(url, timeout=120) as response:
            # whole or not at all: another run may read it meanwhile
            partial = cached.with_name(f".{cached.name}.{os.getpid()}")
            partial.write_bytes(response.read())
            os.replace(partial, cached)
    shutil.copyfile(cached, target)


def make_bundle(project: Path, out: Path, channels: tuple[Path, ...] = ()) -> Path:
    """The real ``npinit bundle`` of every platform of ``project``'s npinit.lock into
    ``out``. ``channels``: the local conda channel (``<root>/conda-forge``) the lock was
    made against, reached through ``--channel-alias``."""
    import subprocess
    import sys

    alias = ["--channel-alias", channels[0].parent.as_uri()] if channels else []
    done = subprocess.run(
        [sys.executable, "-m", "npinit", "bundle", str(out), *alias],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr
    return out


def layout_bundle(project: Path, out: Path, channels: tuple[Path, ...] = ()) -> Path:
    """A bundle of every platform of ``project``'s npinit.lock in ``out``. ``channels``: local
    conda channels (``<root>/conda-forge``) the conda archives are copied from."""
    from rattler.index import index_fs

    lock_bytes = (project / "npinit.lock").read_bytes()
    lock = tomllib.loads(lock_bytes.decode())
    manifest: dict[str, object] = {
        "bundle-version": 1,
        "created-by": "tests/bundles.py",
        "lock-sha256": hashlib.sha256(lock_bytes).hexdigest(),
        "manager": lock["inputs"]["manager"],
        "platforms": {},
    }
    for platform, section in lock["platforms"].items():
        files, explicit = [], ["@EXPLICIT"]
        for package in section["packages"]:
            if package.get("origin") or not package.get("url"):
                continue
            every = package.get("files") or [package]  # a PyPI package's every file
            for item in every if package["source"] == "pypi" else [package]:
                if package["source"] == "conda":
                    relative = f"{platform}/channel/{package['subdir']}/{_name(item['url'])}"
                    explicit.append(f"file:{relative.split('/', 1)[1]}#{package['md5']}")
                else:
                    relative = f"{platform}/pypi/{_name(item['url'])}"
                _fetch(item["url"], item["sha256"], out / relative, list(channels))
                assert _sha256(out / relative) == item["sha256"], relative
                files.append({"path": relative, "name": package["name"], "sha256": item["sha256"]})
        if any(f["path"].startswith(f"{platform}/channel/") for f in files):
            (out / platform / "channel" / "noarch").mkdir(parents=True, exist_ok=True)
            import asyncio

            asyncio.run(index_fs(out / platform / "channel", force=True))
            (out / platform / "explicit.txt").write_text("\n".join(explicit) + "\n")
        (out / platform / "pypi").mkdir(parents=True, exist_ok=True)
        manifest["platforms"][platform] = {"files": files}  # type: ignore[index]
    (out / "bundle.json").write_text(json.dumps(manifest, indent=2))
    shutil.copytree(project, out / "project", ignore=IGNORED)
    return out
