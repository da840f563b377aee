"""A local conda channel built from tiny synthetic packages (real .tar.bz2 archives with a
correct info/index.json and info/paths.json, indexed by py-rattler)."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from pathlib import Path


def package(
    channel: Path,
    subdir: str,
    name: str,
    version: str,
    build: str,
    depends: tuple[str, ...] = (),
    files: dict[str, str] | None = None,
    track_features: str = "",
) -> Path:
    files = files or {}
    index = {
        "name": name,
        "version": version,
        "build": build,
        "build_number": 0,
        "depends": list(depends),
        "subdir": subdir,
        "timestamp": 1700000000000,
        "license": "BSD-3-Clause",
    }
    if track_features:
        index["track_features"] = track_features
    if subdir == "noarch":
        index["noarch"] = "generic"
    paths = {
        "paths_version": 1,
        "paths": [
            {"_path": p, "path_type": "hardlink", "size_in_bytes": len(c.encode())}
            for p, c in files.items()
        ],
    }
    folder = channel / subdir
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{name}-{version}-{build}.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:

        def add(member: str, text: str) -> None:
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        add("info/index.json", json.dumps(index))
        add("info/paths.json", json.dumps(paths))
        add("info/files", "\n".join(files))
        for member, text in files.items():
            add(member, text)
    return archive


def build_channel(root: Path, subdir: str = "linux-64") -> Path:
    """``root/conda-forge`` with python 3.12, numpy 2.4.6 and mkl/openblas BLAS variants."""
    from rattler.index import index_fs

    channel = root / "conda-forge"
    package(
        channel,
        subdir,
        "python",
        "3.12.9",
        "h0_cpython",
        files={"lib/python3.12/LICENSE.txt": "synthetic\n"},
    )
    for number, variant, track in (("8", "openblas", ""), ("5", "mkl", "blas_mkl")):
        build = f"{number}_h0_{variant}"
        package(
            channel,
            subdir,
            "libblas",
            "3.11.0",
            build,
            track_features=track,
            files={"lib/libblas.so.3": variant},
        )
        package(
            channel,
            subdir,
            "liblapack",
            "3.11.0",
            build,
            depends=(f"libblas 3.11.0 {build}",),
            track_features=track,
        )
    package(
        channel,
        subdir,
        "numpy",
        "2.4.6",
        "py312_0",
        depends=("python >=3.12,<3.13", "libblas >=3.11,<4", "liblapack >=3.11,<4"),
        files={"lib/python3.12/site-packages/numpy/__init__.py": "__version__ = '2.4.6'\n"},
    )
    for name, version in (("pytest", "9.0.0"), ("threadpoolctl", "3.8.0")):
        package(channel, "noarch", name, version, "pyh0_0")
    asyncio.run(index_fs(channel, force=True))
    return root
